/**
 * Typed failures of the durable store. A `GrantStore` method has no failure in its result type for
 * "the database is gone", so the store throws a `GrantStoreError`: a stable `code`, a message that
 * says what happened and what to do, and never a password or a whole connection string. It is
 * core's `StoreFailureError`, so the use cases return it as `store_failed` with its `failure`
 * (core's kind of failure, whether a retry can help, and this code as `detail`).
 */
import { type StoreFailure, type StoreFailureCode, StoreFailureError } from '@keyslot/core';

export type GrantStoreErrorCode =
  /** The database cannot be reached, or the connection was lost (mid-transaction: nothing of it was kept). */
  | 'store_unavailable'
  /** `close()` was called; the store refuses further work. */
  | 'store_closed'
  /** The PGlite directory is not a readable database. */
  | 'store_corrupted'
  /** The database was migrated by a newer @keyslot/postgres-store than this one. */
  | 'store_schema_too_new'
  /** Another process has the PGlite directory open. */
  | 'store_in_use'
  /** Concurrent transactions kept conflicting (serialization failure / deadlock) after retries. */
  | 'store_busy'
  /** A value PostgreSQL cannot store (a NUL character, an unpaired surrogate); nothing was written. */
  | 'store_invalid_value'
  /** The options given to the store factory are not usable. */
  | 'store_invalid_config'
  /** Any other database error; the transaction was rolled back. */
  | 'store_failed';

/** Each code as core's kind of store failure, and whether the same call may succeed later as it is. */
const AS_STORE_FAILURE: Record<GrantStoreErrorCode, { code: StoreFailureCode; retryable: boolean }> = {
  store_unavailable: { code: 'store_unavailable', retryable: true },
  store_busy: { code: 'store_busy', retryable: true },
  store_corrupted: { code: 'store_corrupted', retryable: false },
  store_closed: { code: 'store_unusable', retryable: false },
  store_schema_too_new: { code: 'store_unusable', retryable: false },
  store_in_use: { code: 'store_unusable', retryable: false },
  store_invalid_config: { code: 'store_unusable', retryable: false },
  store_invalid_value: { code: 'store_rejected_value', retryable: false },
  store_failed: { code: 'store_error', retryable: true },
};

export class GrantStoreError extends StoreFailureError {
  override readonly name = 'GrantStoreError';
  constructor(
    readonly code: GrantStoreErrorCode,
    message: string,
    /** The driver's own error code when there is one (a PostgreSQL SQLSTATE such as `40001`, or `ECONNREFUSED`). */
    readonly driverCode?: string,
  ) {
    super(asStoreFailure(code, message));
  }
}

/** Core's `StoreFailure` for a code and its message (the code kept as `detail`). */
export function asStoreFailure(code: GrantStoreErrorCode, message: string): StoreFailure {
  return { ...AS_STORE_FAILURE[code], message, detail: code };
}

export const isGrantStoreError = (e: unknown): e is GrantStoreError => e instanceof GrantStoreError;

/**
 * Removes credentials from a text: every given secret (a connection string, a password), and the
 * password part of any `postgres://user:password@host` URL or `password=…` setting in it.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1[redacted]@')
    .replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1[redacted]');
}

/** SQLSTATEs that mean "run the transaction again": serialization failure, deadlock. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** Node socket errors and PostgreSQL SQLSTATE classes that mean the connection is gone or unusable. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (the server is shutting down / the backend was terminated)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
  '3D000', // invalid_catalog_name (no such database)
]);

export const errorCodeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export const isConnectionFailure = (e: unknown): boolean => {
  const code = errorCodeOf(e);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  const message = e instanceof Error ? e.message : String(e);
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    message,
  );
};
