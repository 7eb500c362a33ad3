/**
 * Core's use cases on a failing database: an unreachable or closed one, a corrupted PGlite
 * directory, a connection lost in the middle of the save's transaction, serialization failures.
 * Each gives a typed `store_failed` (the store's failure, whether a retry can help, what to do),
 * never an exception; nothing is half-written (no grant without its revision, no code for a grant
 * that was not saved); and no password or connection string reaches the outcome or the log.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_POLICY,
  GrantAccess,
  type GrantStore,
  MemoryLogger,
  ReconcileSite,
  RevokeAccess,
  VirtualClock,
} from '@keyslot/core';
import { createDefaultWorld, SaltoKsSimulator } from '@keyslot/salto-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteGrantStore, postgresGrantStore } from './index.js';
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

const PASSWORD = 'Sup3r-Secret-pw';

/** The use cases over `store` and the in-process simulator's default world (site "Harbour Office"). */
function app(store: GrantStore) {
  const clock = new VirtualClock(Date.UTC(2026, 5, 1), { autoAdvance: true });
  const { world, ids } = createDefaultWorld({ seed: 42, clock });
  const logger = new MemoryLogger();
  const deps = {
    gateway: new SaltoKsSimulator({ world, clock }),
    store,
    clock,
    logger,
    policy: DEFAULT_POLICY,
  };
  return {
    deps,
    grant: new GrantAccess(deps),
    revoke: new RevokeAccess(deps),
    reconcile: new ReconcileSite(deps),
    logger,
    siteId: ids.sites.office,
    request: {
      key: 'booking-1',
      holder: 'alice',
      siteId: ids.sites.office,
      lockIds: [ids.locks.officeEntrance],
      window: { kind: 'ongoing' },
    },
    /** keyslot's codes at the provider. */
    codes: () =>
      world.inspectAccessCodes({ siteId: ids.sites.office }).filter((c) => c.name?.startsWith('keyslot:')),
  };
}

type App = ReturnType<typeof app>;

/** The outcome is `store_failed` with this failure, and neither it nor the log shows a secret. */
function expectStoreFailed(
  a: App,
  r: unknown,
  failure: { code: string; detail: string; retryable: boolean },
  secrets: string[] = [],
) {
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'store_failed', retryable: failure.retryable, failure },
  });
  for (const s of [PASSWORD, ...secrets]) {
    expect(JSON.stringify(r)).not.toContain(s);
    expect(JSON.stringify(a.logger.entries)).not.toContain(s);
  }
  expect(
    a.logger.entries.some((e) => e.level === 'error' && JSON.stringify(e).includes('store_failed')),
  ).toBe(true);
}

describe('an unreachable or closed database', () => {
  it('an unreachable server: store_failed (store_unavailable, retry), nothing made, no password shown', async () => {
    const connectionString = `postgres://keyslot:${PASSWORD}@127.0.0.1:1/grants`;
    const store = postgresGrantStore({ connectionString, connectTimeoutMs: 3_000 });
    const a = app(store);
    const r = await a.grant.execute(a.request);
    expectStoreFailed(a, r, { code: 'store_unavailable', detail: 'store_unavailable', retryable: true }, [
      connectionString,
    ]);
    expect(!r.ok && r.error.message).toMatch(
      /nothing was saved, nothing was made at the provider\. Grant again/,
    );
    expect(a.codes()).toEqual([]);
    const rec = await a.reconcile.execute(a.siteId);
    expectStoreFailed(a, rec, { code: 'store_unavailable', detail: 'store_unavailable', retryable: true });
    await store.close();
  });

  it('a closed store: store_failed (store_unusable: closed), not worth retrying as it is', async () => {
    const store = pgliteGrantStore({ inMemory: true });
    await store.close();
    const a = app(store);
    expectStoreFailed(a, await a.revoke.execute('booking-1'), {
      code: 'store_unusable',
      detail: 'store_closed',
      retryable: false,
    });
  });
});

describe('a corrupted PGlite directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyslot-pglite-corrupt-'));
    writeFileSync(join(dir, 'PG_VERSION'), 'not a version\n');
    mkdirSync(join(dir, 'global'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('store_failed (store_corrupted, no retry), the directory left as it was', async () => {
    const before = readdirSync(dir).sort();
    const store = pgliteGrantStore({ dataDir: dir });
    const a = app(store);
    const r = await a.grant.execute(a.request);
    expectStoreFailed(a, r, { code: 'store_corrupted', detail: 'store_corrupted', retryable: false });
    expect(!r.ok && r.error.message).toMatch(/once the store is fixed/);
    expect(a.codes()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
    await store.close();
  }, 120_000);
});

describePostgres('PostgreSQL failing inside a save', () => {
  const database = databasePerFile(openFaultablePostgres);
  let db: TestDatabase;
  beforeAll(async () => {
    db = await database();
  });

  it('the connection lost in the middle of the save: store_failed, no grant, no revision, no code; granting again works', async () => {
    await db.reset();
    const admin = await db.client();
    // Before the save's 4th statement its backend is terminated (a server restart, a network cut).
    const { client, base } = await connectionCutAt(db, 4);
    const a = app(new SqlGrantStore(async () => client));
    const r = await a.grant.execute(a.request);
    expectStoreFailed(a, r, { code: 'store_unavailable', detail: 'store_unavailable', retryable: true }, [
      db.location!,
    ]);
    expect(r).toMatchObject({ error: { operation: 'save' } });
    const check = storeOver(admin);
    expect(await check.get('booking-1')).toBe(null);
    expect(await check.siteRevision(a.request.siteId)).toBe(0);
    expect(a.codes()).toEqual([]);
    // The same request on a healthy store grants it, once.
    const again = await new GrantAccess({
      ...a.deps,
      store: new SqlGrantStore(async () => base),
    }).execute(a.request);
    expect(again.ok && again.value.code).toBe('granted');
    expect(a.codes()).toHaveLength(1);
    await base.close();
  });

  it('serialization failures that pass: retried whole inside the store, granted once', async () => {
    await db.reset();
    const base = await db.client();
    const { client, injected } = failingTransactions(base, 5, ['40001', '40001']);
    const a = app(storeOver(client));
    const r = await a.grant.execute(a.request);
    expect(injected()).toBe(2);
    expect(r.ok && r.value.code).toBe('granted');
    expect((await storeOver(base).get('booking-1'))?.version).toBe(1);
    expect(a.codes()).toHaveLength(1);
  });

  it('serialization failures that go on: store_failed (store_busy, retry), nothing written, no code', async () => {
    await db.reset();
    const base = await db.client();
    const { client } = failingTransactions(base, 5, 'always');
    const a = app(storeOver(client));
    const r = await a.grant.execute(a.request);
    expectStoreFailed(a, r, { code: 'store_busy', detail: 'store_busy', retryable: true });
    expect(await storeOver(base).get('booking-1')).toBe(null);
    expect(await storeOver(base).siteRevision(a.request.siteId)).toBe(0);
    expect(a.codes()).toEqual([]);
  });
});
