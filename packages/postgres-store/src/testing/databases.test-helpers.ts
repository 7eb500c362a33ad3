/**
 * Databases for the tests: one PGlite per kind per test file (opening PGlite costs seconds), and a
 * fresh PostgreSQL database per test file on the shared test server. `fresh()` empties the tables,
 * so each case or property run starts from nothing without paying for a new database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openPgClient } from '../pg-client.js';
import { openPgliteClient } from '../pglite-client.js';
import type { SqlClient } from '../sql-client.js';
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
