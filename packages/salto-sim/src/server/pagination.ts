import { createHash } from 'node:crypto';
import type { Result } from '@keyslot/core';
import { type ErrorReply, failure, invalidParam } from './reply.js';

/**
 * Seam's cursor pagination. Rows are ordered by `created_at` then id; a cursor is base64 of JSON
 * `[query_hash, { id, created_at }]` naming the last row served. Re-using a cursor with other
 * filters is refused with 400 `mismatched_page_parameters`, as Seam does.
 */
export interface Pagination {
  readonly next_page_cursor: string | null;
  readonly has_next_page: boolean;
  readonly next_page_url: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly pagination: Pagination;
}

export interface PageRequest {
  /** Every request parameter; `page_cursor` is taken out here, the rest is the query identity. */
  readonly params: Record<string, unknown>;
  readonly defaultLimit: number;
  /** Absolute URL of the route (no query), for `next_page_url`. */
  readonly routeUrl: string;
}

interface Sortable {
  readonly id: string;
  readonly createdAt: string;
}

export function paginate<T>(
  rows: readonly T[],
  key: (row: T) => Sortable,
  request: PageRequest,
): Result<Page<T>, ErrorReply> {
  const { page_cursor: cursor, ...identity } = request.params;
  const limitParam = identity['limit'];
  const limit = typeof limitParam === 'number' ? limitParam : request.defaultLimit;
  // Hashing the query is only needed to check or issue a cursor.
  let hashMemo: string | undefined;
  const hash = (): string => {
    hashMemo ??= queryHash(identity);
    return hashMemo;
  };

  // Keys computed once per row, not once per comparison.
  const keyed = rows.map((row) => ({ row, k: key(row) }));
  keyed.sort((a, b) => compare(a.k, b.k));
  let start = 0;
  if (typeof cursor === 'string' && cursor !== '') {
    const decoded = decodeCursor(cursor);
    if (!decoded)
      return { ok: false, error: invalidParam('page_cursor', 'is not a cursor this server issued') };
    if (decoded.hash !== hash()) {
      return {
        ok: false,
        error: failure(
          400,
          'mismatched_page_parameters',
          'When using page_cursor, parameters must be identical to the initial request (apart from page_cursor).',
        ),
      };
    }
    start = keyed.findIndex((x) => compare(x.k, decoded.after) > 0);
    if (start === -1) start = keyed.length;
  }
  const page = keyed.slice(start, start + limit);
  const items = page.map((x) => x.row);
  const hasNext = start + limit < keyed.length;
  const last = page[page.length - 1];
  const next = hasNext && last !== undefined ? encodeCursor(hash(), last.k) : null;
  return {
    ok: true,
    value: {
      items,
      pagination: {
        next_page_cursor: next,
        has_next_page: hasNext,
        next_page_url: next === null ? null : nextPageUrl(request.routeUrl, identity, next),
      },
    },
  };
}

function compare(a: Sortable, b: Sortable): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Stable hash of the request's identity (keys sorted at every level). */
export function queryHash(params: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(params)).digest('base64url').slice(0, 22);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function encodeCursor(hash: string, after: Sortable): string {
  return Buffer.from(JSON.stringify([hash, { id: after.id, created_at: after.createdAt }])).toString(
    'base64',
  );
}

function decodeCursor(cursor: string): { hash: string; after: Sortable } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [hash, after] = value as [unknown, unknown];
    if (typeof hash !== 'string' || typeof after !== 'object' || after === null) return null;
    const { id, created_at } = after as Record<string, unknown>;
    if (typeof id !== 'string' || typeof created_at !== 'string') return null;
    return { hash, after: { id, createdAt: created_at } };
  } catch {
    return null;
  }
}

function nextPageUrl(routeUrl: string, identity: Record<string, unknown>, cursor: string): string {
  const q = new URLSearchParams();
  const add = (prefix: string, v: unknown): void => {
    if (v === undefined || v === null || v === '') return;
    if (Array.isArray(v)) for (const x of v) add(prefix, x);
    else if (typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) add(`${prefix}.${k}`, x);
    else q.append(prefix, String(v));
  };
  for (const k of Object.keys(identity).sort()) add(k, identity[k]);
  q.append('page_cursor', cursor);
  return `${routeUrl}?${q.toString()}`;
}
