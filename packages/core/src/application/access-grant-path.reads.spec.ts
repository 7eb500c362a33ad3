/**
 * AccessGrantPath's sweep (what a revoke deletes, what it reports pending on which door, when the
 * cleanup is recorded), its PIN look (each reason a door still waits, and which provider failures
 * are a wait rather than an error) and its reconcile (the provider calls, what counts as left).
 */
import { describe, expect, it } from 'vitest';
import { accessGrantKeyFor } from '../domain/access-grant.js';
import type { Grant } from '../domain/grant.js';
import { err, ok } from '../domain/result.js';
import { grantOf, type PathWorld, pathWorld } from './access-grant-path.test-helpers.js';
import { DOORS } from './acs-world.test-helpers.js';
import { fakeAcsFailure } from './testing-acs-gateway.test-helpers.js';
import { NOW } from './use-cases.test-helpers.js';

/** Revoked stay-1 as the store holds it, its cleanup not yet recorded. */
async function revokedInStore(w: PathWorld): Promise<Grant> {
  const saved = await w.store.save(grantOf({ revokedAt: NOW }), 0);
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value;
}

/** Stay-1's access grant at the provider, made by the path (as `GrantAccess` does). */
async function provisioned(w: PathWorld, grant: Grant = grantOf()): Promise<string> {
  const r = await w.path.provision(grant, { replay: false });
  if (r.kind !== 'ready' || r.accessGrantId === null) throw new Error(`not provisioned: ${r.kind}`);
  return r.accessGrantId;
}

/** An access grant under stay-1's key that the provider holds besides the first (a late create). */
const duplicate = (w: PathWorld) =>
  w.accessGrants.addForeignGrant('site-1', DOORS, accessGrantKeyFor('stay-1'));

/** The PIN look where every door still waits, for `reason`, on access method (or grant) `accessCodeId`. */
const everyDoorWaits = (reason: string, accessCodeId: string | null) =>
  ok({ ready: [], waiting: DOORS.map((lockId) => ({ lockId, reason, accessCodeId })) });

const pendingOnEveryDoor = (code: Parameters<typeof fakeAcsFailure>[0]) =>
  DOORS.map((lockId) => ({ lockId, failure: fakeAcsFailure(code) }));

describe('AccessGrantPath.sweep', () => {
  it('deletes the access grant, looks once more, and records the cleanup', async () => {
    const w = pathWorld();
    const id = await provisioned(w);
    const recorded = await revokedInStore(w);
    const start = w.calls().length;
    expect(await w.path.sweep(grantOf(), recorded)).toEqual({
      grant: { ...recorded, cleanedUpAt: NOW, version: 2 },
      deleted: [id],
      pending: [],
    });
    expect(w.calls().slice(start)).toEqual(['findAccessGrant', 'deleteAccessGrant', 'findAccessGrant']);
    expect(await w.store.get('stay-1')).toEqual({ ...recorded, cleanedUpAt: NOW, version: 2 });
  });

  it('deletes the duplicates that creates after lost replies may have left (up to three), then records', async () => {
    const w = pathWorld();
    const ids = [await provisioned(w), duplicate(w), duplicate(w)];
    const r = await w.path.sweep(grantOf(), await revokedInStore(w));
    expect(r.deleted).toEqual(ids);
    expect(r.pending).toEqual([]);
    expect(r.grant?.cleanedUpAt).toBe(NOW);
    expect(w.accessGrants.allGrants()).toEqual([]);
  });

  it('stops after four rounds however many the provider keeps showing under the key', async () => {
    const w = pathWorld();
    const ids = [await provisioned(w), duplicate(w), duplicate(w), duplicate(w), duplicate(w)];
    const start = w.calls().length;
    const r = await w.path.sweep(grantOf(), null);
    expect(r.deleted).toEqual(ids.slice(0, 4));
    expect(
      w
        .calls()
        .slice(start)
        .filter((c) => c === 'findAccessGrant'),
    ).toHaveLength(4);
    expect(w.accessGrants.allGrants().map((g) => g.id)).toEqual(ids.slice(4));
  });

  it('an access grant deleted meanwhile (another revoke) counts as deleted', async () => {
    const w = pathWorld();
    const id = await provisioned(w);
    w.accessGrants.beforeNext('deleteAccessGrant', () => void w.accessGrants.deleteAccessGrant(id));
    const r = await w.path.sweep(grantOf(), await revokedInStore(w));
    expect(r.deleted).toEqual([id]);
    expect(r.pending).toEqual([]);
    expect(r.grant?.cleanedUpAt).toBe(NOW);
  });

  it.each([
    ['the lookup', 'findAccessGrant'],
    ['the delete', 'deleteAccessGrant'],
  ] as const)(
    'when %s fails, every door is pending with the failure and no cleanup is recorded',
    async (_, op) => {
      const w = pathWorld();
      await provisioned(w);
      const recorded = await revokedInStore(w);
      w.accessGrants.inject(op, { kind: 'fail', code: 'unavailable' });
      expect(await w.path.sweep(grantOf(), recorded)).toEqual({
        grant: recorded,
        deleted: [],
        pending: pendingOnEveryDoor('unavailable'),
      });
      expect(await w.store.get('stay-1')).toEqual(recorded);
      expect(w.accessGrants.allGrants()).toHaveLength(1);
    },
  );

  it('a site the provider no longer knows holds nothing: the cleanup is recorded', async () => {
    const w = pathWorld();
    const recorded = await revokedInStore(w);
    w.accessGrants.inject('findAccessGrant', { kind: 'fail', code: 'site_not_found' });
    expect(await w.path.sweep(grantOf(), recorded)).toEqual({
      grant: { ...recorded, cleanedUpAt: NOW, version: 2 },
      deleted: [],
      pending: [],
    });
  });
});

describe('AccessGrantPath.pins', () => {
  it('once Salto has generated it: the grant’s one PIN on every door, with its code method', async () => {
    const w = pathWorld();
    await provisioned(w);
    await w.clock.advance(2000);
    expect(await w.path.pins(grantOf())).toEqual(
      ok({
        ready: DOORS.map((lockId) => ({ lockId, accessCodeId: 'access-grant-1-method-1', pin: '100001' })),
        waiting: [],
      }),
    );
  });

  it('before that, every door waits for pin_not_assigned on the code method', async () => {
    const w = pathWorld();
    await provisioned(w);
    expect(await w.path.pins(grantOf())).toEqual(
      everyDoorWaits('pin_not_assigned', 'access-grant-1-method-1'),
    );
  });

  it('reads the code method’s PIN when a mobile key comes first; with no code method every door waits', async () => {
    const w = pathWorld();
    const create = (key: string, methods: ('code' | 'mobile_key')[]) =>
      w.accessGrants.createAccessGrant({
        key,
        siteId: 'site-1',
        doorIds: DOORS,
        window: { kind: 'ongoing' },
        holder: 'Ana García',
        methods,
      });
    await create('stay-1', ['mobile_key', 'code']);
    await create('app-only', ['mobile_key']);
    await w.clock.advance(2000);
    expect(await w.path.pins(grantOf())).toEqual(
      ok({
        ready: DOORS.map((lockId) => ({ lockId, accessCodeId: 'access-grant-1-method-2', pin: '100001' })),
        waiting: [],
      }),
    );
    expect(await w.path.pins(grantOf({ key: 'app-only' }))).toEqual(everyDoorWaits('pin_not_assigned', null));
  });

  it('no access grant under the key: every door says no_code', async () => {
    const w = pathWorld();
    expect(await w.path.pins(grantOf())).toEqual(everyDoorWaits('no_code', null));
  });

  it('an access grant Salto refused a slot: every door says refused_at_limit with its id, and no PIN', async () => {
    const w = pathWorld();
    w.accessGrants.setOtherUsers('site-1', 10);
    // Its delete fails, so the refused access grant is still there to be found.
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'unavailable' });
    await w.path.provision(grantOf(), { replay: false });
    await w.clock.advance(2000);
    expect(await w.path.pins(grantOf())).toEqual(everyDoorWaits('refused_at_limit', 'access-grant-1'));
  });

  it.each(['rate_limited', 'unavailable'] as const)(
    'a lookup failing with %s is a wait (pin_not_assigned), not an error',
    async (code) => {
      const w = pathWorld();
      w.accessGrants.inject('findAccessGrant', { kind: 'fail', code });
      expect(await w.path.pins(grantOf())).toEqual(everyDoorWaits('pin_not_assigned', null));
    },
  );

  it.each(['outcome_unknown', 'site_not_found', 'provider_issue'] as const)(
    'a lookup failing with %s is provider_failed naming findAccessGrant and the site',
    async (code) => {
      const w = pathWorld();
      w.accessGrants.inject('findAccessGrant', { kind: 'fail', code });
      expect(await w.path.pins(grantOf())).toEqual(
        err({
          code: 'provider_failed',
          message: `The lock provider failed findAccessGrant for site "site-1" (${code}: fake ACS provider: ${code.replaceAll('_', ' ')}); retry later; nothing was half-done.`,
          operation: 'findAccessGrant',
          failure: fakeAcsFailure(code),
          siteId: 'site-1',
        }),
      );
    },
  );
});

describe('AccessGrantPath.reconcile', () => {
  it('a failed listing is provider_failed naming listAccessGrants and the site; nothing is touched', async () => {
    const w = pathWorld();
    w.accessGrants.inject('listAccessGrants', { kind: 'fail', code: 'unavailable' });
    expect(await w.path.reconcile('site-1', [grantOf()], NOW)).toEqual(
      err({
        code: 'provider_failed',
        message:
          'The lock provider failed listAccessGrants for site "site-1" (unavailable: fake ACS provider: unavailable); retry later; nothing was half-done.',
        operation: 'listAccessGrants',
        failure: fakeAcsFailure('unavailable'),
        siteId: 'site-1',
      }),
    );
    expect(w.calls()).toEqual(['listAccessGrants']);
  });

  it('creates a missing access grant straight from the listing, without looking it up again', async () => {
    const w = pathWorld();
    const r = await w.path.reconcile('site-1', [grantOf()], NOW);
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.grantKey, a.result])).toEqual([
      ['create_access_grant', 'stay-1', 'done'],
    ]);
    expect(w.calls()).toEqual(['listAccessGrants', 'createAccessGrant']);
  });

  it('a create Salto refuses is refused_at_limit, with the failure of the refused grant’s delete', async () => {
    const w = pathWorld();
    w.accessGrants.setOtherUsers('site-1', 10);
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'unavailable' });
    const r = await w.path.reconcile('site-1', [grantOf()], NOW);
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.result, a.failure])).toEqual([
      ['create_access_grant', 'refused_at_limit', fakeAcsFailure('unavailable')],
    ]);
  });

  it('says which grant keys the provider still holds: kept and failed deletes, not done ones nor other apps’', async () => {
    const w = pathWorld();
    w.accessGrants.addForeignGrant('site-1', ['D1']);
    await provisioned(w);
    for (const key of ['stuck', 'vanished', 'gone']) await provisioned(w, grantOf({ key }));
    const grants = [
      grantOf(),
      ...['stuck', 'vanished', 'gone'].map((key) => grantOf({ key, revokedAt: NOW })),
    ];
    // The deletes go in listing order: the first fails, the second finds its grant already gone.
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'unavailable' });
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'access_grant_not_found' });
    const start = w.calls().length;
    const r = await w.path.reconcile('site-1', grants, NOW);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.actions.map((a) => [a.kind, a.grantKey, a.result])).toEqual([
      ['delete_access_grant', 'stuck', 'failed'],
      ['delete_access_grant', 'vanished', 'done'],
      ['delete_access_grant', 'gone', 'done'],
    ]);
    expect([...r.value.left]).toEqual(['stay-1', 'stuck']);
    expect(r.value.skippedLocks).toEqual([]);
    expect(r.value.covered(grantOf())).toBe(true);
    expect(w.calls().slice(start)).toEqual([
      'listAccessGrants',
      'deleteAccessGrant',
      'deleteAccessGrant',
      'deleteAccessGrant',
    ]);
  });
});
