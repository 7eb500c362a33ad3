/**
 * @keyslot/postgres-store: a durable `GrantStore` for keyslot on PostgreSQL.
 *
 * - `pgliteGrantStore({ dataDir })`: PGlite (PostgreSQL in WASM) in this process, persisted to a
 *   directory. No set-up; for local development and single-instance apps.
 * - `postgresGrantStore({ connectionString } | { pool })`: a PostgreSQL server through `pg`, shared
 *   by every app instance of a deployment.
 *
 * Both open lazily (or on `await store.open()`), migrate the schema, and `close()` cleanly.
 */
import type pg from 'pg';
import { GrantStoreError } from './errors.js';
import { openPgClient } from './pg-client.js';
import { openPgliteClient } from './pglite-client.js';
import { SqlGrantStore } from './sql-grant-store.js';

export { GrantStoreError, type GrantStoreErrorCode, isGrantStoreError, redactSecrets } from './errors.js';
export { MIGRATIONS, type Migration, migrate, SCHEMA_VERSION } from './migrations.js';
export { openPgClient, type PgClientOptions } from './pg-client.js';
export { openPgliteClient } from './pglite-client.js';
export type { SqlClient, SqlQueryable, SqlResult } from './sql-client.js';
export { SqlGrantStore, type SqlGrantStoreOptions } from './sql-grant-store.js';

export type PgliteGrantStoreOptions =
  /** A directory holding the database (created on first open). */
  | { readonly dataDir: string }
  /** In memory: gone when the process ends (tests). */
  | { readonly inMemory: true };

const invalid = (message: string): GrantStoreError => new GrantStoreError('store_invalid_config', message);

/** The embedded store: PGlite persisted to `dataDir` (one process at a time per directory). */
export function pgliteGrantStore(options: PgliteGrantStoreOptions): SqlGrantStore {
  if ('inMemory' in options && options.inMemory === true) {
    return new SqlGrantStore(() => openPgliteClient(undefined), { describe: 'an in-memory PGlite database' });
  }
  const dataDir = (options as { dataDir?: unknown }).dataDir;
  if (typeof dataDir !== 'string' || dataDir.trim() === '') {
    throw invalid(
      'pgliteGrantStore: dataDir must be a non-empty directory path (e.g. "./keyslot-grants"), or pass { inMemory: true }.',
    );
  }
  return new SqlGrantStore(() => openPgliteClient(dataDir), {
    describe: `the PGlite directory "${dataDir}"`,
  });
}

export type PostgresGrantStoreOptions =
  | {
      /** `postgres://user:password@host:5432/database`. Never logged or shown in an error. */
      readonly connectionString: string;
      /** Pool size (default 4). */
      readonly maxConnections?: number;
      /** How long to wait for a connection before failing with `store_unavailable` (default 10 000 ms). */
      readonly connectTimeoutMs?: number;
    }
  | {
      /** A `pg.Pool` the application owns: the store uses it and leaves it open on `close()`. */
      readonly pool: pg.Pool;
    };

/** Every spelling of the credentials in a connection string, for redaction. */
function secretsOf(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  const secrets = [connectionString];
  try {
    const password = new URL(connectionString).password;
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    // not a URL (a "key=value" string): the whole string is redacted, and `password=` settings too
  }
  return secrets;
}

/** The shared store: a PostgreSQL server, for several app instances (the schema is migrated on open). */
export function postgresGrantStore(options: PostgresGrantStoreOptions): SqlGrantStore {
  if ('pool' in options && options.pool !== undefined) {
    const pool = options.pool;
    const secrets = [
      ...secretsOf(pool.options?.connectionString),
      ...(typeof pool.options?.password === 'string' ? [pool.options.password] : []),
    ];
    return new SqlGrantStore(async () => openPgClient({ pool }), {
      secrets,
      describe: 'the PostgreSQL database',
    });
  }
  const { connectionString, maxConnections, connectTimeoutMs } = options as {
    connectionString?: unknown;
    maxConnections?: number;
    connectTimeoutMs?: number;
  };
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw invalid(
      'postgresGrantStore: give a non-empty connectionString ("postgres://user:password@host:5432/database") or a pg.Pool as pool.',
    );
  }
  const secrets = secretsOf(connectionString);
  return new SqlGrantStore(
    async () =>
      openPgClient({
        connectionString,
        ...(maxConnections === undefined ? {} : { maxConnections }),
        ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
      }),
    { secrets, describe: 'the PostgreSQL database' },
  );
}
