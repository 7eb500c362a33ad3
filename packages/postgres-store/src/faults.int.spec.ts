/**
 * Faults and bad input: each gives a typed `GrantStoreError` that says what to do, a save is kept
 * whole or not at all, and no password or connection string ever reaches an error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grant } from '@keyslot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantStoreError, pgliteGrantStore, postgresGrantStore } from './index.js';
import { SqlGrantStore } from './sql-grant-store.js';
import {
  connectionCutAt,
  databasePerFile,
  describePostgres,
  failingTransactions,
  openFaultablePostgres,
  storeOver,
  type TestDatabase,
} from './testing/databases.test-helpers.js';

const grant = (key: string): Grant => ({
  key,
  holder: 'h',
  siteId: 'site-1',
  lockIds: ['L1'],
  window: { kind: 'ongoing' },
  createdAt: 0,
  revokedAt: null,
  version: 0,
});

async function failure(p: Promise<unknown>): Promise<GrantStoreError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GrantStoreError);
  return e as GrantStoreError;
}

describe('bad configuration', () => {
  it('refuses a missing dataDir or connection string, saying what to give', () => {
    expect(() => pgliteGrantStore({ dataDir: ' ' })).toThrow(/dataDir must be a non-empty directory path/);
    expect(() => postgresGrantStore({ connectionString: '' })).toThrow(/give a non-empty connectionString/);
    expect(() => pgliteGrantStore({} as never)).toThrow(GrantStoreError);
  });
});

describe('an unreachable or closed database', () => {
  it('an unreachable server: store_unavailable, without the password or the connection string', async () => {
    const connectionString = 'postgres://keyslot:Sup3r-Secret-pw@127.0.0.1:1/grants';
    const store = postgresGrantStore({ connectionString, connectTimeoutMs: 3_000 });
    const e = await failure(store.get('g1'));
    expect(e.code).toBe('store_unavailable');
    expect(e.message).toMatch(/Check that the database is running and reachable/);
    expect(e.message).not.toContain('Sup3r-Secret-pw');
    expect(e.message).not.toContain(connectionString);
    expect(JSON.stringify(e)).not.toContain('Sup3r-Secret-pw');
    expect(String(e.stack)).not.toContain('Sup3r-Secret-pw');
    await store.close();
  });

  it('a closed store: store_closed on every call', async () => {
    const store = pgliteGrantStore({ inMemory: true });
    await store.close();
    expect((await failure(store.get('g1'))).code).toBe('store_closed');
    expect((await failure(store.save(grant('g1'), 0))).code).toBe('store_closed');
  });

  it('a value PostgreSQL cannot store is refused before anything is written', async () => {
    const store = new SqlGrantStore(async () => {
      throw new Error('must not connect');
    });
    const e = await failure(store.save({ ...grant('g1'), holder: `a${String.fromCharCode(0)}b` }, 0));
    expect(e.code).toBe('store_invalid_value');
    expect(e.message).toMatch(/holder/);
  });
});

describe('PGlite directories', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'keyslot-pglite-fault-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a corrupted directory: store_corrupted, untouched, and the lock released', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'PG_VERSION'), 'not a version\n');
    mkdirSync(join(dir, 'global'));
    const e = await failure(pgliteGrantStore({ dataDir: dir }).open());
    expect(e.code).toBe('store_corrupted');
    expect(e.message).toMatch(/Restore it from a backup, or move it away/);
    // The lock file was released: trying again reports the damage again, not "in use".
    expect((await failure(pgliteGrantStore({ dataDir: dir }).open())).code).toBe('store_corrupted');
  }, 120_000);

  it('a directory another live process holds: store_in_use; one a dead process left: taken over', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'keyslot.lock'), String(process.ppid));
    const e = await failure(pgliteGrantStore({ dataDir: dir }).open());
    expect(e.code).toBe('store_in_use');
    expect(e.message).toMatch(/postgresGrantStore/);
    writeFileSync(join(dir, 'keyslot.lock'), '2147483646'); // no such process
    const store = pgliteGrantStore({ dataDir: dir });
    expect((await store.save(grant('g1'), 0)).ok).toBe(true);
    // The same directory twice in one process is refused too.
    expect((await failure(pgliteGrantStore({ dataDir: dir }).open())).code).toBe('store_in_use');
    await store.close();
    const again = pgliteGrantStore({ dataDir: dir });
    expect((await again.get('g1'))?.version).toBe(1); // closed cleanly, reopened, still there
    await again.close();
  }, 240_000);
});

describePostgres('PostgreSQL faults', () => {
  const database = databasePerFile(openFaultablePostgres);
  let db: TestDatabase;
  beforeAll(async () => {
    db = await database();
  });

  it('a wrong password: store_unavailable, and the password is in no error', async () => {
    const url = new URL(db.location!);
    url.password = 'Wr0ng-Passw0rd-Here';
    const store = postgresGrantStore({ connectionString: url.toString() });
    const e = await failure(store.get('g1'));
    expect(e.code).toBe('store_unavailable');
    expect(e.driverCode).toBe('28P01');
    expect(e.message).not.toContain('Wr0ng-Passw0rd-Here');
    expect(e.message).not.toContain(url.toString());
    await store.close();
  });

  it('the connection lost in the middle of a save: store_unavailable, nothing of it kept, the next save works', async () => {
    await db.reset();
    const admin = await db.client();
    // Before the save's 4th statement, its backend is terminated (as a server restart or a network cut would).
    const { client, base } = await connectionCutAt(db, 4);
    const store = new SqlGrantStore(async () => client);
    await store.open();
    const e = await failure(store.save(grant('g1'), 0));
    expect(e.code).toBe('store_unavailable');
    const check = storeOver(admin);
    expect(await check.get('g1')).toBe(null);
    expect(await check.siteRevision('site-1')).toBe(0);
    // The dead connection was discarded; a healthy store on the same pool saves at once.
    const healthy = new SqlGrantStore(async () => base);
    const saved = await healthy.save(grant('g1'), 0);
    expect(saved.ok && saved.value.version).toBe(1);
    expect(await check.siteRevision('site-1')).toBe(1);
    await base.close();
  });

  it('serialization failures and deadlocks: the save is retried whole, and kept exactly once', async () => {
    await db.reset();
    const base = await db.client();
    const { client, injected } = failingTransactions(base, 5, ['40001', '40P01']);
    const store = new SqlGrantStore(async () => client);
    const saved = await store.save(grant('g1'), 0);
    expect(injected()).toBe(2);
    expect(saved.ok && saved.value.version).toBe(1);
    expect(await store.siteRevision('site-1')).toBe(1);
  });

  it('serialization failures that do not stop: store_busy, nothing written', async () => {
    await db.reset();
    const base = await db.client();
    const { client } = failingTransactions(base, 5, 'always');
    const store = new SqlGrantStore(async () => client);
    const e = await failure(store.save(grant('g1'), 0));
    expect(e.code).toBe('store_busy');
    expect(e.message).toMatch(/Retry shortly/);
    expect(await storeOver(base).get('g1')).toBe(null);
  });
});
