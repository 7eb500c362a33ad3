/** Migrations: applied on open, idempotent, safe when processes open at once, and a newer schema refused. */
import { expect, it } from 'vitest';
import { GrantStoreError } from './errors.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from './migrations.js';
import { openPgClient } from './pg-client.js';
import {
  databasePerTest,
  describeOnDatabases,
  describePostgres,
  openTestDatabase,
  storeOver,
  type TestDatabase,
} from './testing/databases.test-helpers.js';

describeOnDatabases('migrations', ['pglite-disk', 'postgres'], (kind) => {
  const openDb = databasePerTest(kind);

  const versions = async (d: TestDatabase) =>
    (
      await (
        await d.client()
      ).query<{ version: number }>('SELECT version FROM keyslot_schema_migrations ORDER BY version')
    ).rows.map((r) => r.version);

  it('applies every migration once, however often the store is opened', async () => {
    const db = await openDb(); // opened (and migrated) once already
    const c = await db.client();
    expect(await migrate(c)).toBe(SCHEMA_VERSION);
    expect(await migrate(c)).toBe(SCHEMA_VERSION);
    await storeOver(c).open();
    expect(await versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('refuses a database whose schema is newer than this code, and leaves it untouched', async () => {
    const db = await openDb();
    const c = await db.client();
    await c.query("INSERT INTO keyslot_schema_migrations (version, name) VALUES (99, 'from the future')");
    const e = await storeOver(c)
      .open()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GrantStoreError);
    expect((e as GrantStoreError).code).toBe('store_schema_too_new');
    expect((e as GrantStoreError).message).toMatch(/schema is version 99.*Upgrade @keyslot\/postgres-store/);
    expect(await versions(db)).toEqual([...MIGRATIONS.map((m) => m.version), 99]);
  });

  it('a later migration is applied on the next open, in order', async () => {
    const db = await openDb();
    const c = await db.client();
    const next = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'test column',
        statements: ['ALTER TABLE keyslot_grant ADD COLUMN note text'],
      },
    ];
    expect(await migrate(c, next)).toBe(SCHEMA_VERSION + 1);
    expect(await migrate(c, next)).toBe(SCHEMA_VERSION + 1);
    expect(await versions(db)).toEqual(next.map((m) => m.version));
  });
});

describePostgres('migrations on a shared PostgreSQL', () => {
  it('processes opening an empty database at once: each finds the schema, applied once', async () => {
    const db = await openTestDatabase('postgres');
    try {
      const c = await db.client();
      await c.query('DROP TABLE keyslot_grant, keyslot_site, keyslot_schema_migrations');
      const clients = Array.from({ length: 6 }, () => openPgClient({ connectionString: db.location! }));
      const opened = await Promise.all(clients.map((x) => migrate(x)));
      expect(opened).toEqual(clients.map(() => SCHEMA_VERSION));
      const rows = await c.query<{ n: string }>('SELECT count(*) AS n FROM keyslot_schema_migrations');
      expect(Number(rows.rows[0]!.n)).toBe(MIGRATIONS.length);
      for (const x of clients) await x.close();
    } finally {
      await db.close();
    }
  });
});
