/**
 * What `GrantAccess` tells the people around it: the messages of its typed errors (what a user
 * reads and acts on) and its structured log records (what an operator sees), by example.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy.js';
import type { Site } from '../domain/site.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import { FAILURES, FailingStore } from './failing-store.test-helpers.js';
import { GrantAccess } from './grant-access.js';
import { FakeAccessGrantGateway, testDoor } from './testing-acs-gateway.test-helpers.js';
import { testSite } from './testing-gateway.test-helpers.js';
import { makeWorld, NOW, ourCodes, request, type World, worldWithStore } from './use-cases.test-helpers.js';

/** The lock path over a store that fails on cue. */
const failingWorld = (options: { site?: Partial<Site> } = {}): { w: World; store: FailingStore } =>
  worldWithStore((inner) => new FailingStore(inner, null), options);

/** The ACS path (one access grant over doors D1, D2) over a store that fails on cue. */
function acsWorld(site: Partial<Site> = {}) {
  const clock = new VirtualClock(NOW, { autoAdvance: true });
  const accessGrants = new FakeAccessGrantGateway({ clock }).addSite(testSite(site), [
    testDoor('D1'),
    testDoor('D2'),
  ]);
  const store = new FailingStore(new InMemoryGrantStore(), null);
  const deps = { accessGrants, store, clock, logger: new MemoryLogger(), policy: DEFAULT_POLICY };
  return { ...deps, grant: new GrantAccess(deps) };
}

const stay = { ...request(), key: 'stay-1', lockIds: ['D1', 'D2'] };

/** Between our check and our second create, another app takes the last of two slots. */
const anotherAppTakesTheLastSlot = (w: World, alsoThen: () => void = () => {}) =>
  w.gateway.beforeNext('createAccessCode', () => {
    w.gateway.beforeNext('createAccessCode', () => {
      w.gateway.addForeignCode('L3');
      alsoThen();
    });
  });

const logged = (logger: MemoryLogger, message: string) => logger.entries.filter((e) => e.message === message);

const REFUSED_BY_SALTO =
  "although keyslot's plan had room — most likely another app or the Salto KS app took a slot. " +
  'The grant was rolled back. Revoke a grant, remove unused Salto users, or raise the site\u2019s Salto KS subscription plan.';
const NOT_REVOKED =
  'before its revocation was known to be recorded, so nothing made for it was deleted. It is left for ReconcileSite: ' +
  'if the store kept the revocation, reconcile removes what was made; if not, the grant stays live with what it has, ' +
  'and reconcile makes the rest when the provider allows.';
const REVOKED =
  'after its revocation was recorded: it is revoked, and ReconcileSite (or RevokeAccess again) removes whatever the ' +
  'provider still holds for it and records the cleanup; until then it holds its planned slots.';

describe('GrantAccess error messages', () => {
  it('slot_refused_by_provider names the site, the grant, the lock and the usage Salto reports', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    anotherAppTakesTheLastSlot(w);
    const r = await w.grant.execute(request());
    expect(!r.ok && r.error.message).toBe(
      `Salto refused a user slot on site "Main office" (site-1) for grant "booking-1" on lock "L2": the site's subscription is full (1 of 2 used), ${REFUSED_BY_SALTO}`,
    );
  });

  it('slot_refused_by_provider on the ACS path names no lock, and no usage when it cannot be read', async () => {
    const w = acsWorld({ slotLimit: 1 });
    w.accessGrants.beforeNext('createAccessGrant', () => {
      w.accessGrants.setOtherUsers('site-1', 1);
      w.accessGrants.inject('getSlotUsage', { kind: 'fail', code: 'unavailable' });
    });
    const r = await w.grant.execute(stay);
    expect(r).toMatchObject({ ok: false, error: { code: 'slot_refused_by_provider', providerUsage: null } });
    expect(!r.ok && r.error.message).toBe(
      `Salto refused a user slot on site "Main office" (site-1) for grant "stay-1": the site's subscription is full, ${REFUSED_BY_SALTO}`,
    );
  });

  it('hub_offline found by the provider says the grant was rolled back and what to do', async () => {
    const w = makeWorld();
    w.gateway.beforeNext('createAccessCode', () => w.gateway.setHubLink('L2', 'offline'));
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: false, error: { rolledBack: true, cleanupPending: [] } });
    expect(!r.ok && r.error.message).toBe(
      'The IQ hub of lock "L2" is offline, so its code could not be created; grant "booking-1" was rolled back. ' +
        `Bring the hub back online and grant again, or set the policy's onOfflineHub to "accept_and_retry".`,
    );
  });

  it('provider_failed after saving says the grant was rolled back and to grant again with a new key', async () => {
    const w = makeWorld();
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', operation: 'createAccessCode', lockId: 'L2', rolledBack: true },
    });
    expect(!r.ok && r.error.message).toBe(
      'The lock provider failed createAccessCode for lock "L2" (unavailable: fake provider: unavailable); ' +
        'grant "booking-1" was rolled back (what was made for it deleted, the grant revoked); grant again with a new key when the provider is back.',
    );
  });

  it('store_failed in a rollback says why it was rolled back, how far it got and what to run', async () => {
    const lock = failingWorld({ site: { slotLimit: 2 } });
    anotherAppTakesTheLastSlot(lock.w);
    lock.store.failOn('save', { nth: 1 }); // the revocation
    const acsRefused = acsWorld({ slotLimit: 1 });
    acsRefused.accessGrants.beforeNext('createAccessGrant', () =>
      acsRefused.accessGrants.setOtherUsers('site-1', 1),
    );
    acsRefused.store.failOn('save', { nth: 2 }); // the cleanup record, after the revocation
    const acsFailed = acsWorld();
    acsFailed.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'unavailable' });
    acsFailed.store.failOn('save', {
      nth: 1,
      failure: FAILURES[2] as Exclude<(typeof FAILURES)[2], 'foreign'>,
    });

    const unavailable =
      'the grant store failed save (store_unavailable: The grant database could not be reached (ECONNREFUSED); check that it is running, then retry.)';
    const cases = [
      [
        await lock.w.grant.execute(request()),
        'booking-1',
        `Grant "booking-1" was saved, but Salto refused a user slot for it on lock "L2", and rolling it back failed: ${unavailable} ${NOT_REVOKED} ` +
          'If it should not stand, revoke it (RevokeAccess) once the store is back; otherwise run ReconcileSite for site "site-1".',
      ],
      [
        await acsRefused.grant.execute(stay),
        'stay-1',
        `Grant "stay-1" was saved, but Salto refused a user slot for it, and rolling it back failed: ${unavailable} ${REVOKED} ` +
          'Run ReconcileSite for site "site-1" once the store is back.',
      ],
      [
        await acsFailed.grant.execute(stay),
        'stay-1',
        'Grant "stay-1" was saved, but it could not be made at the provider (unavailable), and rolling it back failed: ' +
          `the grant store failed save (store_corrupted: The database directory is damaged; restore it.) ${NOT_REVOKED} ` +
          'If it should not stand, revoke it (RevokeAccess) once the store is fixed (see the failure); otherwise run ReconcileSite for site "site-1".',
      ],
    ] as const;
    for (const [r, grantKey, message] of cases) {
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'store_failed', operation: 'save', grantKey, siteId: 'site-1', message },
      });
    }
  });
});

describe('GrantAccess log records', () => {
  it('a grant done: its outcome, key, site and each lock with its code, never a PIN', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const codes = ourCodes(w);
    expect(logged(w.logger, 'grant done')).toEqual([
      {
        level: 'info',
        message: 'grant done',
        fields: {
          outcome: 'granted',
          grantKey: 'booking-1',
          siteId: 'site-1',
          locks: codes.map((c) => ({ lockId: c.lockId, status: 'provisioned', accessCodeId: c.id })),
        },
      },
    ]);
  });

  it('invalid input: the fields that were wrong', async () => {
    const w = makeWorld();
    await w.grant.execute(request({ key: 'has space', lockIds: [] }));
    expect(w.logger.entries).toEqual([
      {
        level: 'info',
        message: 'grant refused: invalid input',
        fields: { outcome: 'invalid_input', fields: ['key', 'lockIds'] },
      },
    ]);
  });

  it('a refusal: at info level, but at error level when the provider or the store failed', async () => {
    const full = makeWorld({ site: { slotLimit: 1 } });
    const provider = makeWorld();
    provider.gateway.inject('listSites', { kind: 'fail', code: 'unavailable' });
    const store = failingWorld();
    store.store.failOn('siteRevision');
    const cases = [
      [full, 'info', 'slot_limit_reached'],
      [provider, 'error', 'provider_failed'],
      [store.w, 'error', 'store_failed'],
    ] as const;
    for (const [w, level, outcome] of cases) {
      const r = await w.grant.execute(request());
      expect(logged(w.logger, 'grant refused')).toEqual([
        {
          level,
          message: 'grant refused',
          fields: { outcome, grantKey: 'booking-1', siteId: 'site-1', reason: !r.ok && r.error.message },
        },
      ]);
    }
  });

  it('a rollback: a warning when nothing was left behind, an error naming the locks left to clean', async () => {
    const clean = makeWorld({ site: { slotLimit: 2 } });
    anotherAppTakesTheLastSlot(clean);
    await clean.grant.execute(request());
    const left = makeWorld();
    left.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    left.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await left.grant.execute(request());
    expect(logged(clean.logger, 'grant rolled back')).toEqual([
      {
        level: 'warn',
        message: 'grant rolled back',
        fields: { grantKey: 'booking-1', revoked: true, cleanedUp: true, cleanupPending: [] },
      },
    ]);
    expect(logged(left.logger, 'grant rolled back')).toEqual([
      {
        level: 'error',
        message: 'grant rolled back',
        fields: { grantKey: 'booking-1', revoked: true, cleanedUp: false, cleanupPending: ['L1'] },
      },
    ]);
  });
});
