/**
 * Databases for the tests: PGlite in memory, PGlite in a directory, and a fresh PostgreSQL database
 * on the shared test server. `describeOnDatabases` runs a block once per kind (PostgreSQL's skipped,
 * saying why, when there is no server — never under CI=true, where set-up fails instead);
 * `databasePerTest` / `databasePerFile` open and close them. `reset()` empties the tables, so each
 * case or property run starts from nothing without paying for a new database (opening PGlite costs
 * seconds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, inject } from 'vitest';
import { openPgClient } from '../pg-client.js';
import { openPgliteClient } from '../pglite-client.js';
import type { SqlClient, SqlQueryable } from '../sql-client.js';
import { SqlGrantStore } from '../sql-grant-store.js';
import { createTestDatabase } from './postgres-server.js';

export type DatabaseKind = 'pglite-memory' | 'pglite-disk' | 'postgres';

export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** The PGlite directory, or the PostgreSQL connection string of this test database. */
  readonly location: string | null;
  /**
   * Client number `n` on the database, opened on first use and kept (PostgreSQL: a pool of its own,
   * like one app instance; PGlite: the one client, as a directory serves one process).
   */
  client(n?: number): Promise<SqlClient>;
  /** Empties the store's tables (migrating first if needed). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The test server's admin URL, or `null` with the reason (never null under CI=true: set-up fails instead). */
export const postgresUrl = (): string | null => inject('keyslotPostgresUrl');
export const postgresSkipReason = (): string => inject('keyslotPostgresSkipReason');

/** A store over an existing client that never closes it (the test database outlives the store). */
export const storeOver = (client: SqlClient): SqlGrantStore =>
  new SqlGrantStore(async () => client, { ownsClient: false });

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const clients = new Map<number, SqlClient>();
  let location: string | null = null;
  let drop = async () => {};
  let connect: () => Promise<SqlClient>;
  if (kind === 'postgres') {
    const admin = postgresUrl();
    if (!admin) throw new Error(postgresSkipReason());
    const db = await createTestDatabase(admin);
    location = db.url;
    drop = db.drop;
    connect = async () => openPgClient({ connectionString: db.url });
  } else {
    const dir = kind === 'pglite-disk' ? mkdtempSync(join(tmpdir(), 'keyslot-pglite-')) : undefined;
    location = dir ?? null;
    if (dir) drop = async () => rmSync(dir, { recursive: true, force: true });
    const shared = await openPgliteClient(dir);
    connect = async () => shared; // one PGlite per directory and process
  }
  const first = await connect();
  clients.set(0, first);
  await storeOver(first).open(); // migrate
  return {
    kind,
    location,
    async client(n = 0) {
      const known = clients.get(n);
      if (known) return known;
      const c = await connect();
      clients.set(n, c);
      return c;
    },
    async reset() {
      await first.query('TRUNCATE keyslot_grant, keyslot_site');
    },
    async close() {
      for (const c of new Set(clients.values())) await c.close();
      await drop();
    },
  };
}

const skipped = (kind: DatabaseKind): boolean => kind === 'postgres' && postgresUrl() === null;

/** `body` in a block of its own for each kind; PostgreSQL's is skipped, saying why, without a server. */
export function describeOnDatabases(
  title: string,
  kinds: readonly DatabaseKind[],
  body: (kind: DatabaseKind) => void,
): void {
  for (const kind of kinds) {
    const name = `${title} on ${kind}`;
    if (skipped(kind)) describe.skip(`${name} (skipped: ${postgresSkipReason()})`, () => body(kind));
    else describe(name, () => body(kind));
  }
}

/** A block that needs the PostgreSQL server (skipped, saying why, without one). */
export function describePostgres(title: string, body: () => void): void {
  if (skipped('postgres')) describe.skip(`${title} (skipped: ${postgresSkipReason()})`, body);
  else describe(title, body);
}

/** Inside a `describe`: a new database for each test that asks for one, closed after the test. */
export function databasePerTest(kind: DatabaseKind): () => Promise<TestDatabase> {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  return async () => {
    await db?.close();
    db = await openTestDatabase(kind);
    return db;
  };
}

/**
 * Inside a `describe`: one database for all its tests (of `kind`, or made by `open`), opened on
 * first use and closed after them.
 */
export function databasePerFile(
  kindOrOpen: DatabaseKind | (() => Promise<TestDatabase>),
): () => Promise<TestDatabase> {
  const open = typeof kindOrOpen === 'function' ? kindOrOpen : () => openTestDatabase(kindOrOpen);
  let db: Promise<TestDatabase> | undefined;
  afterAll(async () => {
    await (await db)?.close();
  });
  return () => {
    db ??= open();
    return db;
  };
}

/** A client over `base` whose transactions run `inject` before their statement number `at` (from 1). */
export function faultyClient(
  base: SqlClient,
  at: number,
  inject: (tx: SqlQueryable) => Promise<void>,
): SqlClient {
  return {
    driver: base.driver,
    query: (sql, params) => base.query(sql, params),
    close: () => base.close(),
    transaction: (work) =>
      base.transaction(async (tx) => {
        let n = 0;
        return work({
          query: async (sql, params) => {
            if (++n === at) await inject(tx);
            return tx.query(sql, params);
          },
        });
      }),
  };
}

/** The PostgreSQL test database, with `keyslot_test_fail(sqlstate)`: raises an error with that SQLSTATE. */
export async function openFaultablePostgres(): Promise<TestDatabase> {
  const db = await openTestDatabase('postgres');
  await (await db.client()).query(
    `CREATE OR REPLACE FUNCTION keyslot_test_fail(code text) RETURNS void AS $$
     BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = code; END $$ LANGUAGE plpgsql`,
  );
  return db;
}

/**
 * A new client on `db` (a pool of its own, `base`) whose transactions lose their connection before
 * statement `at`: the backend is terminated from `db`'s admin client, as a server restart would.
 */
export async function connectionCutAt(
  db: TestDatabase,
  at: number,
): Promise<{ client: SqlClient; base: SqlClient }> {
  const admin = await db.client();
  const base = openPgClient({ connectionString: db.location! });
  const client = faultyClient(base, at, async (tx) => {
    const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  });
  return { client, base };
}

/**
 * A client over `base` (of an `openFaultablePostgres` database) whose transactions fail with the
 * next of `sqlstates` before statement `at` — with all of them in turn, then no more; or, with
 * `'always'`, with a serialization failure (40001) every time. `injected()` counts them.
 */
export function failingTransactions(
  base: SqlClient,
  at: number,
  sqlstates: readonly string[] | 'always',
): { client: SqlClient; injected: () => number } {
  let injected = 0;
  const client = faultyClient(base, at, async (tx) => {
    const code = sqlstates === 'always' ? '40001' : sqlstates[injected];
    if (code === undefined) return;
    injected++;
    await tx.query('SELECT keyslot_test_fail($1)', [code]);
  });
  return { client, injected: () => injected };
}
