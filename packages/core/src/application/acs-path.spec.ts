import { describe, expect, it } from 'vitest';
import { createKeyslotContainer, GrantAccess as ResolvedGrantAccess, UnlockDoor } from '../container.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import { acsWorld, DOORS, stay } from './acs-world.test-helpers.js';
import { GrantAccess } from './grant-access.js';
import { FakeAccessGrantGateway, testDoor } from './testing-acs-gateway.test-helpers.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';
import { DAY, NOW } from './use-cases.test-helpers.js';

/**
 * The use cases over the ACS path (`{ accessGrants }`): one access grant per grant — one person,
 * one slot — over every door, found again by its key. The lock path's behaviour is covered by
 * `use-cases.spec.ts` and `grant-access.spec.ts`, unchanged.
 */

describe('GrantAccess on the ACS path', () => {
  it('grants four doors with ONE access grant holding ONE slot; the lock path takes four', async () => {
    const w = acsWorld();
    const r = await w.grant.execute(stay());
    expect(r.ok && r.value.code).toBe('granted');
    expect(w.accessGrants.allGrants()).toHaveLength(1);
    expect(w.accessGrants.used('site-1')).toBe(1);
    if (r.ok) {
      expect(r.value.accessGrantId).toBe(w.accessGrants.allGrants()[0]?.id);
      expect(r.value.locks.map((l) => [l.lockId, l.status])).toEqual(DOORS.map((d) => [d, 'provisioned']));
    }

    // The same stay through the lock integration: one code, one slot, per lock.
    const clock = new VirtualClock(NOW, { autoAdvance: true });
    const gateway = new FakeLockGateway({ clock }).addSite(
      testSite(),
      DOORS.map((d) => testLock(d)),
    );
    const deps = {
      gateway,
      store: new InMemoryGrantStore(),
      clock,
      logger: new MemoryLogger(),
      policy: DEFAULT_POLICY,
    };
    const viaLocks = await new GrantAccess(deps).execute(stay());
    expect(viaLocks.ok && viaLocks.value.accessGrantId).toBe(null);
    expect(gateway.used('site-1')).toBe(4);
  });

  it('admits as many four-door stays as the site has slots, then refuses with the plan’s numbers', async () => {
    const w = acsWorld({ site: { slotLimit: 2 } });
    expect((await w.grant.execute(stay({ key: 'a' }))).ok).toBe(true);
    expect((await w.grant.execute(stay({ key: 'b' }))).ok).toBe(true);
    const third = await w.grant.execute(stay({ key: 'c' }));
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached', detectedBy: 'plan', requested: 1, peak: 2, limit: 2 },
    });
    expect(w.accessGrants.count('createAccessGrant')).toBe(2);
  });

  it('plans a future stay from its start, not the lock path’s lead time before it', async () => {
    const w = acsWorld({ site: { slotLimit: 1 } });
    const first = { kind: 'scheduled', startsAt: NOW + 10 * DAY, endsAt: NOW + 12 * DAY };
    // Ends two hours before the first stay starts: inside the lock path's 72 h lead time.
    const before = { kind: 'scheduled', startsAt: NOW + 8 * DAY, endsAt: NOW + 10 * DAY - 2 * 3_600_000 };
    expect((await w.grant.execute(stay({ key: 'first', window: first }))).ok).toBe(true);
    expect((await w.grant.execute(stay({ key: 'before', window: before }))).ok).toBe(true);
  });

  it('is idempotent per key: a replay finds the access grant instead of making another', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    const again = await w.grant.execute(stay());
    expect(again.ok && again.value.code).toBe('already_granted');
    expect(w.accessGrants.count('createAccessGrant')).toBe(1);
    expect(w.accessGrants.allGrants()).toHaveLength(1);
  });

  it('after a lost reply looks the access grant up by key and never creates it twice', async () => {
    const w = acsWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'lose_reply' });
    const r = await w.grant.execute(stay());
    expect(r.ok && r.value.code).toBe('granted');
    expect(w.accessGrants.count('createAccessGrant')).toBe(1);
    expect(w.accessGrants.allGrants()).toHaveLength(1);
  });

  it('a create refused as a duplicate key is looked up, not repeated', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    // The store lost the grant (a crash before the save was read back): the provider still has it.
    const fresh = new GrantAccess({ ...w, store: new InMemoryGrantStore() });
    const r = await fresh.execute(stay());
    expect(r.ok && r.value.code).toBe('granted');
    expect(w.accessGrants.allGrants()).toHaveLength(1);
  });

  it('when Salto refuses the slot anyway, rolls back: nothing holds a slot, the grant is revoked', async () => {
    const w = acsWorld({ site: { slotLimit: 1 } });
    w.accessGrants.beforeNext('createAccessGrant', () => w.accessGrants.setOtherUsers('site-1', 1));
    const r = await w.grant.execute(stay());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'slot_refused_by_provider',
        lockId: null,
        providerUsage: { used: 1, limit: 1 },
        rolledBack: true,
        cleanupPending: [],
      },
    });
    expect(w.accessGrants.allGrants()).toEqual([]);
    const stored = await w.store.get('stay-1');
    expect(stored?.revokedAt).not.toBe(null);
    expect(stored?.cleanedUpAt).not.toBe(null);
  });

  it('a provider failure after saving rolls back and names the operation', async () => {
    const w = acsWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'unavailable' });
    const r = await w.grant.execute(stay());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', operation: 'createAccessGrant', rolledBack: true, siteId: 'site-1' },
    });
    expect((await w.store.get('stay-1'))?.revokedAt).not.toBe(null);
  });

  it('refuses a door of another site, an unknown door and an offline one as on the lock path', async () => {
    const w = acsWorld();
    w.accessGrants.setHubLink('D2', 'offline');
    expect(await w.grant.execute(stay({ lockIds: ['D1', 'nope'] }))).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', lockId: 'nope' },
    });
    expect(await w.grant.execute(stay({ key: 'b', lockIds: ['D1', 'D2'] }))).toMatchObject({
      ok: false,
      error: { code: 'hub_offline', lockId: 'D2' },
    });
    expect(w.accessGrants.count('createAccessGrant')).toBe(0);
  });
});

describe('AwaitPins, RevokeAccess, ReconcileSite, ReportSlotUsage on the ACS path', () => {
  it('AwaitPins gives the grant’s one PIN on every door once Salto has generated it', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    const r = await w.awaitPins.execute('stay-1', { timeoutMs: 10_000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pins.map((p) => p.lockId)).toEqual(DOORS);
    expect(new Set(r.value.pins.map((p) => p.pin)).size).toBe(1);
    expect(r.value.pins[0]?.pin).toMatch(/^\d{6,10}$/);
    expect(w.logger.entries.some((e) => JSON.stringify(e).includes(r.value.pins[0]!.pin))).toBe(false);
  });

  it('AwaitPins says no_code when the provider has no access grant for the key', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    for (const g of w.accessGrants.allGrants()) await w.accessGrants.deleteAccessGrant(g.id);
    const r = await w.awaitPins.execute('stay-1', { timeoutMs: 0 });
    expect(r.ok ? null : r.error.code === 'pins_not_ready' && r.error.waiting.map((x) => x.reason)).toEqual(
      DOORS.map(() => 'no_code'),
    );
  });

  it('RevokeAccess deletes the access grant, frees its slot at once and records the cleanup', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    const id = w.accessGrants.allGrants()[0]?.id;
    const r = await w.revoke.execute('stay-1');
    expect(r).toMatchObject({ ok: true, value: { code: 'revoked', deleted: [id], cleanupPending: [] } });
    expect(w.accessGrants.used('site-1')).toBe(0);
    expect((await w.store.get('stay-1'))?.cleanedUpAt).not.toBe(null);
  });

  it('a revoke whose delete fails keeps the slot planned; reconcile finishes the cleanup', async () => {
    const w = acsWorld({ site: { slotLimit: 1 } });
    await w.grant.execute(stay());
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'unavailable' });
    const r = await w.revoke.execute('stay-1');
    expect(r.ok && r.value.cleanupPending.map((p) => p.lockId)).toEqual(DOORS);
    // Still planned: the person can still get in, so the slot is not free for a new grant.
    expect(await w.grant.execute(stay({ key: 'next' }))).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached' },
    });
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.cleanedUp).toEqual(['stay-1']);
    expect(rec.ok && rec.value.actions.map((a) => [a.kind, a.result])).toEqual([
      ['delete_access_grant', 'done'],
    ]);
    expect((await w.grant.execute(stay({ key: 'next' }))).ok).toBe(true);
  });

  it('ReconcileSite makes a missing access grant again, leaves other apps’ grants alone, then does nothing', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    const foreign = w.accessGrants.addForeignGrant('site-1', ['D1']);
    for (const g of w.accessGrants.allGrants())
      if (g.id !== foreign) await w.accessGrants.deleteAccessGrant(g.id);
    const first = await w.reconcile.execute('site-1');
    expect(first.ok && first.value.actions.map((a) => [a.kind, a.grantKey, a.lockId, a.result])).toEqual([
      ['create_access_grant', 'stay-1', null, 'done'],
    ]);
    expect(first.ok && first.value.converged).toBe(true);
    const second = await w.reconcile.execute('site-1');
    expect(second.ok && second.value.actions).toEqual([]);
    expect(w.accessGrants.allGrants().map((g) => g.id)).toContain(foreign);
    expect(w.accessGrants.allGrants().filter((g) => g.key === 'stay-1')).toHaveLength(1);
  });

  it('ReconcileSite deletes an access grant with other doors and makes the right one', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    const wrong = w.accessGrants.allGrants()[0]!;
    await w.accessGrants.deleteAccessGrant(wrong.id);
    await w.accessGrants.createAccessGrant({
      key: 'stay-1',
      siteId: 'site-1',
      doorIds: ['D1'],
      window: { kind: 'ongoing' },
      holder: 'x',
      methods: ['code'],
    });
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.result])).toEqual([
      ['delete_access_grant', 'done'],
      ['create_access_grant', 'done'],
    ]);
    expect(w.accessGrants.allGrants().map((g) => g.doorIds)).toEqual([DOORS]);
  });

  it('ReportSlotUsage counts a four-door grant as one planned slot', async () => {
    const w = acsWorld({ site: { slotLimit: 5 } });
    await w.grant.execute(stay());
    await w.grant.execute(
      stay({ key: 'later', window: { kind: 'scheduled', startsAt: NOW + 5 * DAY, endsAt: NOW + 6 * DAY } }),
    );
    const r = await w.report.execute('site-1');
    expect(r).toMatchObject({
      ok: true,
      value: {
        sites: [{ used: 1, limit: 5, plannedNow: 1, plannedPeak: 2, unmanaged: 0, projectedHeadroom: 3 }],
      },
    });
  });
});

describe('createKeyslotContainer({ accessGrants })', () => {
  it('composes the use cases over an AccessGrantGateway; UnlockDoor is a clear configuration error', async () => {
    const clock = new VirtualClock(NOW, { autoAdvance: true });
    const accessGrants = new FakeAccessGrantGateway({ clock }).addSite(
      testSite(),
      DOORS.map((d) => testDoor(d)),
    );
    const container = createKeyslotContainer({
      accessGrants,
      store: new InMemoryGrantStore(),
      clock,
      logger: new MemoryLogger(),
    });
    const r = await container.get(ResolvedGrantAccess).execute(stay());
    expect(r.ok && r.value.accessGrantId).toBe(accessGrants.allGrants()[0]?.id);
    expect(accessGrants.used('site-1')).toBe(1);
    expect(() => container.get(UnlockDoor)).toThrow(/lock integration only.*cloud_key/);
  });
});
