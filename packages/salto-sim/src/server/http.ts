import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '@keyslot/core/domain';
import { uuidSequence } from './ids.js';
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

/**
 * Routes loaded on first use: a request under `prefix` that matches no loaded route waits for
 * `load()` (once), and is then routed as if they had been there from the start. Keeps rarely used
 * route groups (and what they import) out of start-up.
 */
export interface LazyRoutes {
  readonly prefix: string;
  readonly load: () => Promise<readonly Route[]>;
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
  /** Route groups loaded on first use. */
  readonly lazyRoutes?: readonly LazyRoutes[];
}

export interface ResponseInfo {
  readonly method: string;
  readonly path: string;
  /** 0 when the reply was dropped (fault `reply_lost`). */
  readonly status: number;
  readonly requestId: string;
  /** The JSON body sent ('' when dropped, and for the console's pages and stream). */
  readonly payload: string;
  /** From the request's arrival to the reply written (or dropped), in milliseconds. */
  readonly durationMs: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, bytes still drained (so the client can read the reply) before the socket is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']);

/** Request ids: UUID-shaped, without a random draw per request (see ids.ts). */
const nextRequestId = uuidSequence();

export function createRequestListener(
  routes: readonly Route[],
  options: HttpOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const table = new Map<string, Route>();
  const addRoutes = (rs: readonly Route[]) => {
    for (const r of rs) {
      if (table.has(r.path)) throw new Error(`Route ${r.path} is defined twice.`);
      table.set(r.path, r);
    }
  };
  addRoutes(routes);
  /** Lazy groups not loaded yet, with their loading promise once started. */
  const pending = new Map<LazyRoutes, Promise<void> | null>((options.lazyRoutes ?? []).map((g) => [g, null]));
  const loadGroup = (g: LazyRoutes): Promise<void> => {
    let p = pending.get(g);
    if (p) return p;
    p = g.load().then(
      (rs) => {
        addRoutes(rs);
        pending.delete(g);
      },
      (e: unknown) => {
        pending.set(g, null); // the next request tries again
        throw e;
      },
    );
    pending.set(g, p);
    return p;
  };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const expectedAuth = Buffer.from(`Bearer ${options.apiKey}`);
  const onInternalError =
    options.onInternalError ??
    ((e: unknown, id: string) => {
      process.stderr.write(
        `[keyslot-sim] internal error in request ${id}: ${e instanceof Error ? e.stack : String(e)}\n`,
      );
    });

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = nextRequestId();
    const started = performance.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = q === -1 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const responded = (status: number, payload: string): void =>
      options.onResponse?.({
        method,
        path,
        status,
        requestId,
        payload,
        durationMs: performance.now() - started,
      });
    const send = (reply: Reply): void => {
      if (reply.kind === 'drop') {
        req.socket.destroy();
        responded(0, '');
        return;
      }
      if (reply.kind === 'stream') {
        reply.open(req, res);
        responded(200, '');
        return;
      }
      if (reply.kind === 'raw') {
        res.writeHead(reply.status, { ...reply.headers, 'seam-request-id': requestId });
        res.end(reply.body);
        responded(reply.status, '');
        return;
      }
      responded(reply.status, writeReply(res, requestId, reply));
    };

    const routePath = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const route = table.get(routePath);
    if (!route) {
      for (const g of pending.keys()) {
        if (routePath.startsWith(g.prefix)) {
          loadGroup(g).then(
            () => listener(req, res),
            (e: unknown) => {
              onInternalError(e, requestId);
              drainAndSend(
                req,
                res,
                send,
                failure(
                  500,
                  'internal_server_error',
                  `The simulator could not load the routes under ${g.prefix}; this is a simulator bug (request ${requestId}).`,
                ),
              );
            },
          );
          return;
        }
      }
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

    readBody(
      req,
      cap,
      (body) => {
        if (body === 'too_large') {
          drainAndSend(req, res, send, tooLarge(cap), true);
          return;
        }
        const decoded = decodeParams(method, search, body, req.headers['content-type']);
        if (!decoded.ok) {
          send(decoded.error);
          return;
        }
        const ctx: RouteContext = {
          params: decoded.value,
          method: method as HttpMethod,
          requestId,
          routeUrl: `http://${req.headers.host ?? 'localhost'}${route.path}`,
        };
        const crashed = (e: unknown): Reply => {
          onInternalError(e, requestId);
          return failure(
            500,
            'internal_server_error',
            `The simulator failed while handling ${route.path}; this is a simulator bug (request ${requestId}).`,
          );
        };
        // Synchronous handlers answer right here (no promise, no microtask hop).
        let reply: Reply | Promise<Reply>;
        try {
          reply = route.handle(ctx);
        } catch (e) {
          reply = crashed(e);
        }
        if (reply instanceof Promise) reply.then(send, (e: unknown) => send(crashed(e)));
        else send(reply);
      },
      () => {
        // The client went away mid-body; nothing to answer.
        req.socket.destroy();
      },
    );
  };
  return listener;
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

/** Reads the body up to `max` bytes; `done` or `failed` is called once. */
function readBody(
  req: IncomingMessage,
  max: number,
  done: (body: Buffer | 'too_large') => void,
  failed: () => void,
): void {
  let first: Buffer | null = null;
  let chunks: Buffer[] | null = null;
  let size = 0;
  let settled = false;
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > max) {
      settled = true;
      first = null;
      chunks = null;
      done('too_large');
      return;
    }
    if (first === null) first = chunk;
    else {
      if (chunks === null) chunks = [first];
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(chunks !== null ? Buffer.concat(chunks) : (first ?? EMPTY));
  });
  const fail = () => {
    if (settled) return;
    settled = true;
    failed();
  };
  req.on('error', fail);
  req.on('aborted', fail);
}

const EMPTY = Buffer.alloc(0);

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
/** The last content type that passed JSON_TYPE (clients send the same one every time). */
let lastJsonType: string | undefined;

function decodeParams(
  method: string,
  search: string,
  body: Buffer,
  contentType: string | undefined,
): Result<Record<string, unknown>, ErrorReply> {
  const query = search === '' ? null : (parseQuery(search) as Record<string, unknown>);
  const text = body.length === 0 ? '' : body.toString('utf8');
  // A body starting with `{` is not blank; only other bodies need the trim.
  if ((text.charCodeAt(0) !== 123 && text.trim() === '') || !BODY_METHODS.has(method))
    return ok({ ...query });
  if (contentType === undefined || (contentType !== lastJsonType && !JSON_TYPE.test(contentType))) {
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
  lastJsonType = contentType;
  // JSON.parse made a fresh plain object: it can be the params as it is when there is no query.
  return ok(
    query === null
      ? (parsed as Record<string, unknown>)
      : { ...query, ...(parsed as Record<string, unknown>) },
  );
}

function writeReply(
  res: ServerResponse,
  requestId: string,
  reply: Exclude<Reply, { kind: 'drop' | 'raw' | 'stream' }>,
): string {
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
