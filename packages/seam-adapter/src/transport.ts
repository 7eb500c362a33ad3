/**
 * A small transport over an injected `fetch`: bearer auth, JSON, one deadline per call, Seam's
 * error envelope turned into typed failures in one place, retries with backoff for reads only,
 * cursor pagination. Never logs bodies; logs route, status, duration and `seam-request-id`.
 */
import type { Clock, Logger, RandomSource, Result } from '@keyslot/core';
import { err, ok } from '@keyslot/core';
import type { z } from 'zod';
import type { ResolvedSeamAdapterOptions } from './config.js';
import { SeamAuthError } from './errors.js';
import type { SeamCallFailure } from './failures.js';
import { INSPECT, type Inspect, inspectAs } from './inspect.js';
import { scrubProviderText } from './redaction.js';
import { type pagination as paginationSchema, seamErrorEnvelope } from './wire.js';

export type SeamCallKind = 'read' | 'mutation';

export interface SeamReply<T> {
  readonly body: T;
  readonly status: number;
  readonly requestId?: string;
}

/** Connection errors that prove the request never left (safe to call it "unavailable"). */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCodeOf(e: unknown): string | undefined {
  // undici: TypeError('fetch failed', { cause: { code } }); nock: a plain object or Error with `code`.
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 4; depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    x = (x as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const zodDetail = (e: z.ZodError): string =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');

type Raw = { status: number; requestId?: string; json: unknown };

export class SeamTransport {
  constructor(
    private readonly opts: ResolvedSeamAdapterOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly random?: RandomSource,
  ) {}

  /** Keeps the key out of logs and JSON dumps. */
  toJSON(): Record<string, unknown> {
    return { endpoint: this.opts.endpoint };
  }

  [INSPECT](_depth: number, options: object, inspect: Inspect): string {
    return inspectAs('SeamTransport', this.toJSON(), options, inspect);
  }

  /**
   * One Seam RPC: POST `route` with a JSON body, reply validated by `schema`. Reads are retried
   * after 429/5xx/network/timeout with exponential backoff (or `Retry-After`); mutations never.
   * Throws only `SeamAuthError` (401).
   */
  async call<S extends z.ZodType>(
    route: string,
    body: Readonly<Record<string, unknown>>,
    schema: S,
    kind: SeamCallKind,
  ): Promise<Result<SeamReply<z.infer<S>>, SeamCallFailure>> {
    const attempts = kind === 'read' ? this.opts.readRetries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const raw = await this.once(route, body, attempt);
      if (raw.ok) {
        const parsed = schema.safeParse(raw.value.json);
        if (!parsed.success) {
          this.logger.log('warn', 'seam reply has an unexpected shape', {
            route,
            status: raw.value.status,
            requestId: raw.value.requestId,
            detail: zodDetail(parsed.error),
          });
          return err({
            kind: 'invalid_response',
            route,
            status: raw.value.status,
            ...(raw.value.requestId ? { requestId: raw.value.requestId } : {}),
            detail: zodDetail(parsed.error),
          });
        }
        return ok({
          body: parsed.data,
          status: raw.value.status,
          ...(raw.value.requestId ? { requestId: raw.value.requestId } : {}),
        });
      }
      const f = raw.error;
      if (attempt >= attempts || !isRetryable(f)) return err(f);
      const backoff = this.opts.retryBaseDelayMs * 2 ** (attempt - 1);
      const jitter = this.random ? (this.random.nextUint32() / 2 ** 32) * 0.2 * backoff : 0;
      const delay = f.kind === 'http' && f.retryAfterMs !== undefined ? f.retryAfterMs : backoff + jitter;
      if (delay > this.opts.maxRetryAfterMs) return err(f);
      this.logger.log('info', 'seam read retried', { route, attempt, delayMs: Math.round(delay) });
      await this.clock.sleep(delay);
    }
  }

  /** Every item of a cursor-paginated list (`limit` + `page_cursor`, until `has_next_page` is false). */
  async listAll<S extends z.ZodType<{ pagination?: z.infer<typeof paginationSchema> | undefined }>, I>(
    route: string,
    body: Readonly<Record<string, unknown>>,
    pageSchema: S,
    items: (page: z.infer<S>) => readonly I[],
    maxPages = 10_000,
  ): Promise<Result<I[], SeamCallFailure>> {
    const out: I[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const r: Result<SeamReply<z.infer<S>>, SeamCallFailure> = await this.call(
        route,
        { ...body, limit: this.opts.pageLimit, ...(cursor ? { page_cursor: cursor } : {}) },
        pageSchema,
        'read',
      );
      if (!r.ok) return r;
      out.push(...items(r.value.body));
      const p: z.infer<typeof paginationSchema> | undefined = r.value.body.pagination;
      if (!p?.has_next_page) return ok(out);
      const next: string | null | undefined = p.next_page_cursor;
      if (!next || seen.has(next)) {
        return err({
          kind: 'invalid_response',
          route,
          status: r.value.status,
          ...(r.value.requestId ? { requestId: r.value.requestId } : {}),
          detail: next ? 'pagination cursor repeated' : 'has_next_page without next_page_cursor',
        });
      }
      seen.add(next);
      cursor = next;
    }
    return err({ kind: 'invalid_response', route, status: 200, detail: `more than ${maxPages} pages` });
  }

  private async once(
    route: string,
    body: Readonly<Record<string, unknown>>,
    attempt: number,
  ): Promise<Result<Raw, SeamCallFailure>> {
    const started = this.clock.now();
    const timeoutMs = this.opts.requestTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status = 0;
    let requestId: string | undefined;
    let text: string;
    let headers: Headers;
    try {
      let res: Response;
      try {
        res = await this.opts.fetch(`${this.opts.endpoint}${route}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.opts.apiKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'seam-sdk-name': 'keyslot/seam-adapter',
          },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (e) {
        return err(this.fetchFailure(route, e, controller.signal.aborted, true, started, attempt));
      }
      status = res.status;
      headers = res.headers;
      requestId = res.headers.get('seam-request-id') ?? undefined;
      try {
        text = await res.text();
      } catch (e) {
        return err(this.fetchFailure(route, e, controller.signal.aborted, false, started, attempt, status));
      }
    } finally {
      clearTimeout(timer);
    }
    const durationMs = this.clock.now() - started;
    let json: unknown;
    let isJson = false;
    try {
      json = text === '' ? undefined : JSON.parse(text);
      isJson = json !== undefined;
    } catch {
      isJson = false;
    }
    const envelope = isJson ? seamErrorEnvelope.safeParse(json) : undefined;
    const errorType = envelope?.success ? envelope.data.error.type : null;
    this.logger.log(status >= 400 ? 'warn' : 'debug', 'seam call', {
      route,
      status,
      requestId,
      durationMs,
      attempt,
      ...(errorType ? { errorType } : {}),
    });
    if (status === 401) throw new SeamAuthError(route, errorType, requestId);
    if (status >= 200 && status < 300) {
      if (!isJson) {
        return err({
          kind: 'invalid_response',
          route,
          status,
          ...(requestId ? { requestId } : {}),
          detail: 'body is not JSON',
        });
      }
      return ok({ status, json, ...(requestId ? { requestId } : {}) });
    }
    const message = envelope?.success
      ? scrubProviderText(envelope.data.error.message ?? envelope.data.error.type, this.opts.apiKey)
      : text.trim() === ''
        ? 'empty body'
        : `non-JSON body: ${scrubProviderText(text.trim(), this.opts.apiKey, 120)}`;
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(headers.get('retry-after'), this.clock.now())
        : undefined;
    return err({
      kind: 'http',
      route,
      status,
      errorType,
      message,
      ...(requestId ? { requestId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  private fetchFailure(
    route: string,
    e: unknown,
    aborted: boolean,
    beforeResponse: boolean,
    started: number,
    attempt: number,
    status?: number,
  ): SeamCallFailure {
    const code = errorCodeOf(e);
    const durationMs = this.clock.now() - started;
    if (aborted) {
      this.logger.log('warn', 'seam call timed out', { route, attempt, durationMs, status });
      return { kind: 'timeout', route, timeoutMs: this.opts.requestTimeoutMs };
    }
    const rawMessage =
      e instanceof Error
        ? e.message
        : typeof e === 'object' && e
          ? String((e as { message?: unknown }).message ?? '')
          : String(e);
    const detail = scrubProviderText(code ?? (rawMessage || 'fetch failed'), this.opts.apiKey, 120);
    this.logger.log('warn', 'seam call failed in transport', { route, attempt, durationMs, detail, status });
    return {
      kind: 'network',
      route,
      maybeSent: !(beforeResponse && code !== undefined && NOT_SENT_CODES.has(code)),
      detail,
    };
  }
}

function isRetryable(f: SeamCallFailure): boolean {
  switch (f.kind) {
    case 'network':
    case 'timeout':
      return true;
    case 'http':
      return f.status === 429 || f.status >= 500;
    default:
      return false;
  }
}
