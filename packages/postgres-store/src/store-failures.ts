/** Turning driver failures into `GrantStoreError`s, and retrying transactions that lost a conflict. */
import {
  errorCodeOf,
  GrantStoreError,
  isConnectionFailure,
  RETRYABLE_SQLSTATES,
  redactSecrets,
} from './errors.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The typed, redacted form of any failure met while doing `what` (e.g. `saving grant "g1"`). */
export function storeFailure(e: unknown, what: string, secrets: readonly string[]): GrantStoreError {
  if (e instanceof GrantStoreError) {
    const message = redactSecrets(e.message, secrets);
    return message === e.message ? e : new GrantStoreError(e.code, message, e.driverCode);
  }
  const code = errorCodeOf(e);
  const detail = redactSecrets(messageOf(e), secrets).slice(0, 300);
  if (/PGlite is closed|database is closed/i.test(detail)) {
    return new GrantStoreError(
      'store_closed',
      `The grant store was closed while ${what}; open a new one.`,
      code,
    );
  }
  if (isConnectionFailure(e)) {
    return new GrantStoreError(
      'store_unavailable',
      `The grant database could not be used while ${what} (${code ? `${code}: ` : ''}${detail}). A transaction whose connection is lost is rolled back, so nothing half-written is kept — but if the loss came as it committed, the save may have been kept: read the grant again before retrying. Check that the database is running and reachable with these settings, then retry.`,
      code,
    );
  }
  return new GrantStoreError(
    'store_failed',
    `The grant database failed while ${what} (${code ? `${code}: ` : ''}${detail}); its transaction was rolled back, nothing of it was kept. Retry; if it persists, report this message.`,
    code,
  );
}

/** How many times a transaction is run when PostgreSQL aborts it for a serialization failure or deadlock. */
const ATTEMPTS = 5;

export async function retryingTransaction<T>(
  client: SqlClient,
  work: (tx: SqlQueryable) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.transaction(work);
    } catch (e) {
      const code = errorCodeOf(e);
      if (code === undefined || !RETRYABLE_SQLSTATES.has(code)) throw e;
      if (attempt >= ATTEMPTS) {
        throw new GrantStoreError(
          'store_busy',
          `Concurrent saves kept conflicting (${code === '40001' ? 'serialization failure' : 'deadlock'}, ${attempt} attempts); nothing was saved. Retry shortly.`,
          code,
        );
      }
    }
  }
}
