import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '@keyslot/core';
import { parseQuery } from './query.js';
import { type ErrorReply, failure, type Reply } from './reply.js';

/**
 * The framework part of the server, on plain `node:http`: routing by exact path (a Map built
 * once), method check, bearer auth, body reading with a size cap, JSON content-type and parse
 * checks, the Seam envelope (`ok`, `{ error: {...} }`) and a `seam-request-id` on every response.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  /** Query parameters merged with the JSON body (the body wins on a clash), not yet validated. */
  readonly params: Record<string, unknown>;
  readonly method: HttpMethod;
  readonly requestId: string;
  /** Absolute URL of this route, without query (for `next_page_url`). */
  readonly routeUrl: string;
}

export interface Route {
  readonly path: string;
  readonly methods: readonly HttpMethod[];
  /** Default true. `/health` is the only open route. */
  readonly auth?: boolean;
  /** Overrides the server's body cap for this route (e.g. snapshot restore). */
  readonly maxBodyBytes?: number;
  readonly handle: (ctx: RouteContext) => Reply | Promise<Reply>;
}

export interface HttpOptions {
  /** The bearer token accepted. */
  readonly apiKey: string;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Called for handler crashes (500s); defaults to writing the stack to stderr. */
  readonly onInternalError?: (error: unknown, requestId: string) => void;
  /** Called after each response (request logs; tests check every body against Seam's schemas). */
  readonly onResponse?: (info: ResponseInfo) => void;
}

export interface ResponseInfo {
  readonly method: string;
  readonly path: string;
  /** 0 when the reply was dropped (fault `reply_lost`). */
  readonly status: number;
  readonly requestId: string;
  /** The JSON body sent ('' when dropped). */
  readonly payload: string;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, bytes still drained (so the client can read the reply) before the socket is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']);

export function createRequestListener(
  routes: readonly Route[],
  options: HttpOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const table = new Map<string, Route>();
  for (const r of routes) {
    if (table.has(r.path)) throw new Error(`Route ${r.path} is defined twice.`);
    table.set(r.path, r);
  }
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const expectedAuth = Buffer.from(`Bearer ${options.apiKey}`);
  const onInternalError =
    options.onInternalError ??
    ((e: unknown, id: string) => {
      process.stderr.write(
        `[keyslot-sim] internal error in request ${id}: ${e instanceof Error ? e.stack : String(e)}\n`,
      );
    });

  return (req, res) => {
    const requestId = randomUUID();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = q === -1 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (reply: Reply): void => {
      if (reply.kind === 'drop') {
        req.socket.destroy();
        options.onResponse?.({ method, path, status: 0, requestId, payload: '' });
        return;
      }
      const payload = writeReply(res, requestId, reply);
      options.onResponse?.({ method, path, status: reply.status, requestId, payload });
    };

    const route = table.get(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
    if (!route) {
      drainAndSend(
        req,
        res,
        send,
        failure(
          404,
          'not_found',
          `No route ${method} ${path}. See the README for the routes the simulator serves.`,
        ),
      );
      return;
    }
    if (!route.methods.includes(method as HttpMethod)) {
      res.setHeader('allow', route.methods.join(', '));
      drainAndSend(
        req,
        res,
        send,
        failure(405, 'method_not_allowed', `${path} accepts ${route.methods.join(' or ')}, not ${method}.`),
      );
      return;
    }
    if (route.auth !== false && !authorized(req.headers.authorization, expectedAuth)) {
      drainAndSend(
        req,
        res,
        send,
        failure(
          401,
          'unauthorized',
          'Unauthorized: send the header "Authorization: Bearer <API key>" with the key the simulator printed at startup.',
        ),
      );
      return;
    }

    const cap = route.maxBodyBytes ?? maxBody;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > cap) {
      drainAndSend(req, res, send, tooLarge(cap), true);
      return;
    }

    readBody(req, cap).then(
      async (body) => {
        if (body === 'too_large') {
          drainAndSend(req, res, send, tooLarge(cap), true);
          return;
        }
        const decoded = decodeParams(method, search, body, req.headers['content-type']);
        if (!decoded.ok) {
          send(decoded.error);
          return;
        }
        const params = decoded.value;
        const host = req.headers.host ?? 'localhost';
        const ctx: RouteContext = {
          params,
          method: method as HttpMethod,
          requestId,
          routeUrl: `http://${host}${route.path}`,
        };
        let reply: Reply;
        try {
          reply = await route.handle(ctx);
        } catch (e) {
          onInternalError(e, requestId);
          reply = failure(
            500,
            'internal_server_error',
            `The simulator failed while handling ${route.path}; this is a simulator bug (request ${requestId}).`,
          );
        }
        send(reply);
      },
      () => {
        // The client went away mid-body; nothing to answer.
        req.socket.destroy();
      },
    );
  };
}

function tooLarge(max: number): ErrorReply {
  return failure(
    413,
    'payload_too_large',
    `The request body is larger than ${max} bytes; send a smaller JSON body.`,
  );
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const got = Buffer.from(header.trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

/** Answers without (or after) reading the request body; the body is discarded, up to a cap. */
function drainAndSend(
  req: IncomingMessage,
  res: ServerResponse,
  send: (r: Reply) => void,
  reply: ErrorReply,
  closeAfter = false,
): void {
  if (closeAfter) res.setHeader('connection', 'close');
  let drained = 0;
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
  send(reply);
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;

function decodeParams(
  method: string,
  search: string,
  body: Buffer,
  contentType: string | undefined,
): Result<Record<string, unknown>, ErrorReply> {
  const query = parseQuery(search) as Record<string, unknown>;
  const text = body.length === 0 ? '' : body.toString('utf8');
  if (text.trim() === '' || !BODY_METHODS.has(method)) return ok({ ...query });
  if (contentType === undefined || !JSON_TYPE.test(contentType)) {
    return err(
      failure(
        400,
        'invalid_content_type',
        `Request bodies must be JSON: send "Content-Type: application/json" (got ${contentType === undefined ? 'no content type' : JSON.stringify(contentType)}).`,
      ),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return err(
      failure(
        400,
        'invalid_input',
        `The request body is not valid JSON (${e instanceof Error ? e.message : 'parse error'}).`,
        {
          validation_errors: { _errors: ['Malformed JSON body'] },
        },
      ),
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return err(
      failure(400, 'invalid_input', 'The request body must be a JSON object of parameters.', {
        validation_errors: { _errors: ['Expected a JSON object'] },
      }),
    );
  }
  return ok({ ...query, ...(parsed as Record<string, unknown>) });
}

function writeReply(res: ServerResponse, requestId: string, reply: Exclude<Reply, { kind: 'drop' }>): string {
  const payload =
    reply.kind === 'success'
      ? JSON.stringify({ ...reply.body, ok: true })
      : JSON.stringify({ error: reply.error, ok: false });
  // One header call (headers set earlier, allow/connection, are merged by writeHead), and the
  // body as a string: node then sends headers and body in one write instead of a writev.
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'seam-request-id': requestId,
    ...(reply.kind === 'error' ? reply.headers : undefined),
  });
  res.end(payload);
  return payload;
}
