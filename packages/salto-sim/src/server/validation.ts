import type { Result } from '@keyslot/core';
import { z } from 'zod/v4';
import { issueList, PARSE_OPTIONS } from '../world/schema-issues.js';
import { type ErrorReply, failure, validationTree } from './reply.js';

/**
 * Request validation, Seam style: a failing request gets 400 `invalid_input` with a message that
 * names each bad parameter and a zod-`format()` tree in `validation_errors`.
 */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>, ErrorReply> {
  const parsed = schema.safeParse(input, PARSE_OPTIONS);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = issueList(parsed.error);
  const lines = issues.map((i) =>
    i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message,
  );
  const message =
    lines.length === 1 ? (lines[0] as string) : `${lines.length} Input Errors: ${lines.join(', ')}`;
  return {
    ok: false,
    error: failure(400, 'invalid_input', message, { validation_errors: validationTree(issues) }),
  };
}

// ---- Primitives that accept both JSON bodies and query strings (where everything is a string) ----

const numericString = /^-?\d+(\.\d+)?$/;

/** A number; a numeric query-string value is converted. */
export const num = () =>
  z.preprocess((v) => (typeof v === 'string' && numericString.test(v) ? Number(v) : v), z.number());

/** A positive integer page size. */
export const limit = () => num().pipe(z.number().int().min(1).max(100_000)).optional();

/** A boolean; `"true"` / `"false"` in a query string are converted. */
export const bool = () => z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** An array; a single query value or a comma list becomes an array. */
export const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v), z.array(item));

export const uuid = () => z.string().uuid();

/** ISO-8601 date-time (Seam accepts any offset). */
export const isoDateTime = () =>
  z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), {
    message: 'must be an ISO 8601 date-time, e.g. 2026-03-01T15:00:00Z',
  });

export const pageCursor = () => z.string().nullable().optional();
