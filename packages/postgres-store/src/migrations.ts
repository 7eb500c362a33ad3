/**
 * The schema, as numbered migrations applied in order when a store opens. Each runs in one
 * transaction together with its row in `keyslot_schema_migrations`, under a transaction-scoped
 * advisory lock: two processes opening the same database at once take turns, and the second finds
 * the work done. A database migrated by a newer version of this package is refused (its schema
 * may mean something this code does not know), never downgraded or written to.
 *
 * Never edit a released migration: add a new one with the next number.
 */
import { GrantStoreError } from './errors.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements, run in order (one statement each: both drivers run them one by one). */
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'grants and site revisions',
    statements: [
      `CREATE TABLE keyslot_site (
        site_id text PRIMARY KEY,
        -- +1 on every successful save of one of the site's grants (GrantStore.siteRevision).
        revision bigint NOT NULL,
        -- The last revision at which a grant moved to another site: readers caching the site's
        -- grants since an older revision must read them all again.
        moved_out_revision bigint NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE keyslot_grant (
        grant_key text PRIMARY KEY,
        site_id text NOT NULL REFERENCES keyslot_site (site_id),
        holder text NOT NULL,
        lock_ids text[] NOT NULL,
        access_window jsonb NOT NULL,
        created_at double precision NOT NULL,
        revoked_at double precision,
        cleaned_up_at double precision,
        version integer NOT NULL CHECK (version > 0),
        -- The site's revision this save produced: "what changed since revision r" is one index range.
        site_revision bigint NOT NULL
      )`,
      'CREATE INDEX keyslot_grant_by_site_revision ON keyslot_grant (site_id, site_revision)',
    ],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** One arbitrary 64-bit key for `pg_advisory_xact_lock` ("keyslot" in ASCII, as a number). */
const ADVISORY_LOCK_KEY = '30506613547152505';

async function appliedVersion(tx: SqlQueryable): Promise<number> {
  const r = await tx.query<{ v: number | null }>(
    'SELECT max(version)::integer AS v FROM keyslot_schema_migrations',
  );
  return r.rows[0]?.v ?? 0;
}

/** Applies the missing migrations; returns the schema version afterwards. */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const target = migrations[migrations.length - 1]?.version ?? 0;
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS keyslot_schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const current = await appliedVersion(tx);
    if (current > target) {
      throw new GrantStoreError(
        'store_schema_too_new',
        `The database's keyslot schema is version ${current}, newer than this @keyslot/postgres-store understands (version ${target}); it was left untouched. Upgrade @keyslot/postgres-store in this app (every app instance sharing the database must run a version that knows schema ${current}).`,
      );
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('INSERT INTO keyslot_schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    }
    return target;
  });
}
