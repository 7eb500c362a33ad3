/**
 * The grant store failing inside a use case, by example: what `store_failed` says, and what is
 * left for `ReconcileSite` when a grant's rollback cannot be recorded.
 */
import { describe, expect, it } from 'vitest';
import { grantKeyOf } from '../domain/access-code.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import { FailingStore, SECRET } from './failing-store.test-helpers.js';
import { GrantAccess } from './grant-access.js';
import { RevokeAccess } from './revoke-access.js';
import { catchStoreFailure, guardStore, StoreCallFailed, storeFailureOf } from './store-failures.js';
import { FakeAccessGrantGateway, testDoor } from './testing-acs-gateway.test-helpers.js';
import { testSite } from './testing-gateway.test-helpers.js';
import { NOW, ourCodes, request, type World, worldWithStore } from './use-cases.test-helpers.js';

const failingWorld = () => worldWithStore((inner) => new FailingStore(inner, null));

const codesOn = (w: World, key: string) =>
  ourCodes(w, key)
    .map((c) => `${grantKeyOf(c.name)}/${c.lockId}`)
    .sort();

describe('store_failed', () => {
  it('admission: the store unreachable before the save — nothing saved, nothing made, retry says so', async () => {
    const { w, store } = failingWorld();
    store.failOn('siteRevision');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'store_failed',
        operation: 'siteRevision',
        retryable: true,
        grantKey: 'booking-1',
        failure: { code: 'store_unavailable' },
      },
    });
    expect(!r.ok && r.error.message).toMatch(
      /^Grant "booking-1" could not be admitted: the grant store failed siteRevision \(store_unavailable: .*\) before it was saved: nothing was saved, nothing was made at the provider\. Grant again with the same request once the store is back\.$/,
    );
    expect(await w.store.get('booking-1')).toBeNull();
    expect(ourCodes(w)).toEqual([]);
    // Once the store is back, the same request grants.
    expect((await w.grant.execute(request())).ok).toBe(true);
  });

  it('admission: the save kept but its reply lost — the grant again with the same request completes it', async () => {
    const { w, store } = failingWorld();
    store.failOn('save', { phase: 'after' });
    const r = await w.grant.execute(request());
    expect(!r.ok && r.error.code).toBe('store_failed');
    expect(!r.ok && r.error.message).toMatch(/may or may not have been kept.*same request.*is safe/);
    expect(await w.store.get('booking-1')).toMatchObject({ version: 1, revokedAt: null });
    expect(ourCodes(w)).toEqual([]);
    const again = await w.grant.execute(request());
    expect(again.ok && again.value.code).toBe('already_granted');
    expect(codesOn(w, 'booking-1')).toEqual(['booking-1/L1', 'booking-1/L2']);
  });

  it('rollback not recorded: the grant stays live with the codes it has, and ReconcileSite completes it', async () => {
    const { w, store } = failingWorld();
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    store.failOn('save', { nth: 1 }); // the admission save goes through; the rollback's revocation fails
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: false, error: { code: 'store_failed', operation: 'save' } });
    expect(!r.ok && r.error.message).toMatch(
      /^Grant "booking-1" was saved, but it could not be made at the provider on lock "L2" \(unavailable\), and rolling it back failed.*left for ReconcileSite/,
    );
    expect(await w.store.get('booking-1')).toMatchObject({ revokedAt: null });
    expect(codesOn(w, 'booking-1')).toEqual(['booking-1/L1']);
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.converged).toBe(true);
    expect(codesOn(w, 'booking-1')).toEqual(['booking-1/L1', 'booking-1/L2']);
  });

  it('rollback recorded but its reply lost: the grant is revoked, and ReconcileSite removes its codes', async () => {
    const { w, store } = failingWorld();
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    store.failOn('save', { nth: 1, phase: 'after' });
    const r = await w.grant.execute(request());
    expect(!r.ok && r.error.code).toBe('store_failed');
    expect((await w.store.get('booking-1'))?.revokedAt).not.toBeNull();
    expect(codesOn(w, 'booking-1')).toEqual(['booking-1/L1']);
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.cleanedUp).toEqual(['booking-1']);
    expect(ourCodes(w)).toEqual([]);
    expect((await w.store.get('booking-1'))?.cleanedUpAt).not.toBeNull();
  });

  it('rolled back but its cleanup not recorded: revoked, codes gone, and ReconcileSite records the cleanup', async () => {
    const { w, store } = failingWorld();
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    store.failOn('save', { nth: 2 }); // admission, revocation, then the cleanup record fails
    const r = await w.grant.execute(request());
    expect(!r.ok && r.error.message).toMatch(/after its revocation was recorded: it is revoked/);
    expect(ourCodes(w)).toEqual([]);
    const kept = await w.store.get('booking-1');
    expect(kept?.revokedAt).not.toBeNull();
    expect(kept?.cleanedUpAt).toBeUndefined(); // it still holds its planned slots
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.cleanedUp).toEqual(['booking-1']);
  });

  it('revoke: the revocation recorded, the cleanup record failed — revoking again finishes it', async () => {
    const { w, store } = failingWorld();
    expect((await w.grant.execute(request())).ok).toBe(true);
    store.failOn('save', { nth: 1, failure: { code: 'store_busy', retryable: true, message: 'Busy.' } });
    const r = await w.revoke.execute('booking-1');
    expect(r).toMatchObject({ ok: false, error: { code: 'store_failed', retryable: true } });
    expect(!r.ok && r.error.message).toMatch(/after its revocation was recorded/);
    const again = await w.revoke.execute('booking-1');
    expect(again.ok && again.value.code).toBe('already_revoked');
    expect((await w.store.get('booking-1'))?.cleanedUpAt).not.toBeUndefined();
  });

  it('the ACS path reaches the store through the same guard: a cleanup record that fails is store_failed', async () => {
    const clock = new VirtualClock(NOW, { autoAdvance: true });
    const inner = new InMemoryGrantStore();
    const store = new FailingStore(inner, null);
    const deps = {
      accessGrants: new FakeAccessGrantGateway({ clock }).addSite(testSite(), [
        testDoor('D1'),
        testDoor('D2'),
      ]),
      store,
      clock,
      logger: new MemoryLogger(),
      policy: DEFAULT_POLICY,
    };
    expect((await new GrantAccess(deps).execute(request({ lockIds: ['D1', 'D2'] }))).ok).toBe(true);
    const revoke = new RevokeAccess(deps);
    store.failOn('save', { nth: 1 }); // the revocation is kept; the ACS path's cleanup record fails
    const r = await revoke.execute('booking-1');
    expect(r).toMatchObject({ ok: false, error: { code: 'store_failed', operation: 'save' } });
    expect(!r.ok && r.error.message).toMatch(/after its revocation was recorded/);
    expect((await inner.get('booking-1'))?.cleanedUpAt).toBeUndefined();
    const again = await revoke.execute('booking-1');
    expect(again.ok && again.value.code).toBe('already_revoked');
    expect((await inner.get('booking-1'))?.cleanedUpAt).not.toBeUndefined();
  });

  it("a store that throws a plain error: store_error, without the error's text (it may hold a password)", async () => {
    const { w, store } = failingWorld();
    store.failOn('get', { failure: 'foreign' });
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 0 });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'store_failed', retryable: false, failure: { code: 'store_error', retryable: false } },
    });
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(w.logger.entries)).not.toContain(SECRET);
    expect(JSON.stringify(w.logger.entries)).toContain('store_failed');
  });

  it('storeFailureOf reads a StoreFailure by its shape, and hides anything else', () => {
    const failure = { code: 'store_busy', retryable: true, message: 'Busy.' } as const;
    expect(storeFailureOf(Object.assign(new Error('x'), { failure }))).toEqual(failure);
    expect(storeFailureOf(Object.assign(new Error('x'), { failure: { code: 'nope' } })).code).toBe(
      'store_error',
    );
    expect(storeFailureOf(new TypeError(SECRET)).message).not.toContain(SECRET);
    expect(storeFailureOf(SECRET).message).toMatch(/threw string/);
  });

  it('storeFailureOf takes a carried failure only when it has every field of a StoreFailure', () => {
    const busy = { code: 'store_busy', retryable: true, message: 'Busy.' };
    const notQuite = [
      null,
      { ...busy, retryable: 'yes' },
      { ...busy, message: 42 },
      { retryable: true, message: 'x' },
    ];
    for (const failure of notQuite) {
      expect(storeFailureOf(Object.assign(new Error('x'), { failure }))).toMatchObject({
        code: 'store_error',
        retryable: false,
      });
    }
    expect(storeFailureOf(null).message).toMatch(/threw object instead/);
    expect(storeFailureOf(undefined).message).toMatch(/threw undefined instead/);
  });

  it('a guarded store turns what a method throws into StoreCallFailed naming the method', async () => {
    const inner = new InMemoryGrantStore();
    const broken = Object.assign(Object.create(inner), {
      listSites: async () => {
        throw new Error(SECRET);
      },
    }) as InMemoryGrantStore;
    const thrown = await guardStore(broken)
      .listSites()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(thrown).toBeInstanceOf(StoreCallFailed);
    expect(thrown).toMatchObject({
      name: 'StoreCallFailed',
      operation: 'listSites',
      failure: { code: 'store_error' },
    });
    expect(String((thrown as StoreCallFailed).failure.message)).not.toContain(SECRET);
  });

  it('catchStoreFailure hands a store failure to its handler, and rethrows anything else (a bug) as it is', async () => {
    const failed = new StoreCallFailed('get', storeFailureOf(new Error(SECRET)));
    const handled = await catchStoreFailure(
      () => Promise.reject(failed),
      (e) => `handled ${e.operation}`,
    );
    expect(handled).toBe('handled get');
    const bug = new TypeError('a bug in the use case');
    const rethrown = await catchStoreFailure(
      () => Promise.reject(bug),
      () => 'handled',
    ).then(
      (value) => value,
      (e: unknown) => e,
    );
    expect(rethrown).toBe(bug);
    expect(
      await catchStoreFailure(
        async () => 'done',
        () => 'handled',
      ),
    ).toBe('done');
  });
});
