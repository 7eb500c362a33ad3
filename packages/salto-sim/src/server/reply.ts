import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What a route handler returns: a Seam success body (the server adds `ok: true`) or a Seam error
 * (the server wraps it as `{ error: { type, message, data?, validation_errors? }, ok: false }`).
 * Expected failures are values, never thrown: a handler that throws is a bug and becomes a 500.
 */

/**
 * Zod-`format()`-shaped messages, as Seam sends them with `invalid_input`:
 * `{ _errors: [...form-level], device_id: { _errors: ['Required'] }, nested: { _errors: [], x: {...} } }`.
 */
export interface ValidationErrors {
  readonly _errors: string[];
  readonly [param: string]: unknown;
}

/** Builds the format() tree from (path, message) pairs. */
export function validationTree(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ValidationErrors {
  const root: { _errors: string[]; [k: string]: unknown } = { _errors: [] };
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      const k = String(key);
      // Own keys only: a parameter may be named `constructor` or `__proto__`.
      const next = Object.hasOwn(node, k) ? (node[k] as typeof root) : { _errors: [] };
      Object.defineProperty(node, k, { value: next, enumerable: true, writable: true, configurable: true });
      node = next;
    }
    node._errors.push(issue.message);
  }
  return root;
}

export interface SeamErrorBody {
  readonly type: string;
  readonly message: string;
  readonly data?: unknown;
  readonly validation_errors?: ValidationErrors;
}

export interface SuccessReply {
  readonly kind: 'success';
  readonly status: 200;
  readonly body: Record<string, unknown>;
}

export interface ErrorReply {
  readonly kind: 'error';
  readonly status: number;
  readonly error: SeamErrorBody;
  /** Extra response headers (e.g. `retry-after` on 429). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The simulated "timeout after commit" fault: the handler ran and changed the world, but the
 * reply is lost (the server closes the connection without answering).
 */
export interface DropReply {
  readonly kind: 'drop';
}

/** A non-JSON answer (the console's page, script and style; the Connect Webview page). */
export interface RawReply {
  readonly kind: 'raw';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/**
 * A long-lived answer (the console's Server-Sent Events stream): `open` writes the head and
 * then keeps writing to the response until it ends it.
 */
export interface StreamReply {
  readonly kind: 'stream';
  readonly open: (req: IncomingMessage, res: ServerResponse) => void;
}

export type Reply = SuccessReply | ErrorReply | DropReply | RawReply | StreamReply;

export const success = (body: Record<string, unknown>): SuccessReply => ({
  kind: 'success',
  status: 200,
  body,
});

export const failure = (
  status: number,
  type: string,
  message: string,
  extra: { data?: unknown; validation_errors?: ValidationErrors; headers?: Record<string, string> } = {},
): ErrorReply => ({
  kind: 'error',
  status,
  error: {
    type,
    message,
    ...(extra.data !== undefined ? { data: extra.data } : {}),
    ...(extra.validation_errors !== undefined ? { validation_errors: extra.validation_errors } : {}),
  },
  ...(extra.headers ? { headers: extra.headers } : {}),
});

/** 400 `invalid_input` naming one parameter, the way Seam reports a bad field. */
export const invalidParam = (param: string, message: string): ErrorReply =>
  failure(400, 'invalid_input', `${param}: ${message}`, {
    validation_errors: validationTree([{ path: param.split('.'), message }]),
  });
