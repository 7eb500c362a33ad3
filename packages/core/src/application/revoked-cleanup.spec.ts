/**
 * "A revoked grant keeps holding its planned slots until its codes are confirmed gone."
 *
 * A revoke (or a grant's rollback) marks the grant revoked first, then deletes its codes. When a
 * delete fails (429, 5xx) or the app dies in between, a code stays at the provider. A scheduled
 * one that has not loaded yet holds no slot *now*, so the provider's usage does not show it —
 * but it takes its slot when it loads (72 h before it starts). Until `cleanedUpAt` records that
 * every code is gone, the plan keeps counting the revoked grant.
 */
import { describe, expect, it } from 'vitest';
import { codeNameFor } from '../domain/access-code.js';
import type { Grant } from '../domain/grant.js';
import { planForGrants } from '../domain/slot-plan.js';
import { HOUR_MS } from '../domain/time.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { ContendedStore } from './contended-store.test-helpers.js';
import { markCleanedUp } from './grant-cleanup.js';
import { testSite } from './testing-gateway.test-helpers.js';
import { makeWorld, NOW, ourCodes, request } from './use-cases.test-helpers.js';

/** A window starting 73 h from now: its code loads (takes its slot) 1 h from now. */
const in73h = (now = NOW) => ({
  kind: 'scheduled',
  startsAt: now + 73 * HOUR_MS,
  endsAt: now + 74 * HOUR_MS,
});

describe('RevokeAccess records when the cleanup is done', () => {
  it('sets cleanedUpAt once every code carrying the key is deleted', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const r = await w.revoke.execute('booking-1');
    const stored = await w.store.get('booking-1');
    expect(stored?.cleanedUpAt).toBe(stored?.revokedAt);
    expect(stored?.cleanedUpAt).not.toBeNull();
    expect(r.ok && r.value.grant).toEqual(stored);
  });

  it('leaves cleanedUpAt unset while a delete fails; revoking again cleans up and sets it', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'rate_limited' });
    const r = await w.revoke.execute('booking-1');
    expect(r.ok && r.value.cleanupPending).toHaveLength(1);
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();
    const again = await w.revoke.execute('booking-1');
    expect(again).toMatchObject({ ok: true, value: { code: 'already_revoked', cleanupPending: [] } });
    expect(ourCodes(w)).toEqual([]);
    expect((await w.store.get('booking-1'))?.cleanedUpAt).toEqual(expect.any(Number));
  });

  it('leaves cleanedUpAt unset when a lock cannot be listed', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L2');
    await w.revoke.execute('booking-1');
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();
  });

  it('a lock that no longer exists holds no code: the cleanup is done', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.removeLock('L2');
    await w.revoke.execute('booking-1');
    expect((await w.store.get('booking-1'))?.cleanedUpAt).toEqual(expect.any(Number));
  });
});

describe('GrantAccess counts a revoked grant until its codes are gone', () => {
  it('refuses at the plan a grant that would take the slot of a leftover scheduled code not loaded yet', async () => {
    const w = makeWorld({ site: { slotLimit: 1 }, scheduledLoading: true });
    expect(await w.grant.execute(request({ key: 'g3', lockIds: ['L1'], window: in73h() }))).toMatchObject({
      ok: true,
    });
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'rate_limited' });
    const revoked = await w.revoke.execute('g3');
    expect(revoked.ok && revoked.value.cleanupPending).toHaveLength(1);
    expect(w.gateway.used('site-1')).toBe(0); // the leftover code has not loaded yet

    const r = await w.grant.execute(request({ key: 'g0', lockIds: ['L1'] }));
    expect(r).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', detectedBy: 'plan' } });

    // When the leftover code loads, it takes the slot nobody else was given.
    await w.clock.advance(HOUR_MS);
    expect(w.gateway.used('site-1')).toBe(1);
    expect(w.gateway.allCodes().filter((c) => c.issues.length > 0)).toEqual([]);

    // Once the cleanup is done, the slot is free again.
    await w.revoke.execute('g3');
    expect(await w.grant.execute(request({ key: 'g0', lockIds: ['L1'] }))).toMatchObject({
      ok: true,
      value: { code: 'granted' },
    });
  });

  it('a rollback that deleted everything sets cleanedUpAt: the slots are free at once', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    w.gateway.beforeNext('createAccessCode', () => {
      w.gateway.beforeNext('createAccessCode', () => w.gateway.addForeignCode('L3'));
    });
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: false, error: { rolledBack: true, cleanupPending: [] } });
    const stored = await w.store.get('booking-1');
    expect(stored?.revokedAt).not.toBeNull();
    expect(stored?.cleanedUpAt).toEqual(expect.any(Number));
    expect(
      await w.grant.execute(request({ key: 'booking-2', lockIds: ['L1'], window: { kind: 'ongoing' } })),
    ).toMatchObject({ ok: true, value: { code: 'granted' } });
  });

  it('a rollback that left a code behind keeps the grant in the plan until reconcile removes it', async () => {
    const w = makeWorld({ site: { slotLimit: 2 }, scheduledLoading: true });
    const window = in73h();
    // L1's code is made; L2's create fails; the rollback's delete of L1's code fails too.
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    const r = await w.grant.execute(request({ window }));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', rolledBack: true, cleanupPending: ['L1'] },
    });
    expect(ourCodes(w)).toHaveLength(1);
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();

    // Its two planned slots still count: a two-lock grant over the same window does not fit…
    const blocked = await w.grant.execute(request({ key: 'booking-2', window }));
    expect(blocked).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', detectedBy: 'plan' } });
    // …until reconcile deletes the leftover code and records the cleanup.
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.cleanedUp).toEqual(['booking-1']);
    expect(ourCodes(w)).toEqual([]);
    expect(await w.grant.execute(request({ key: 'booking-2', window }))).toMatchObject({ ok: true });
  });
});

describe('ReconcileSite records the cleanup of revoked grants', () => {
  it('sets cleanedUpAt once it has deleted the last code, then has nothing left to do', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await w.revoke.execute('booking-1');
    expect(ourCodes(w)).toHaveLength(1);
    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { converged: true, cleanedUp: ['booking-1'] } });
    expect((await w.store.get('booking-1'))?.cleanedUpAt).toEqual(expect.any(Number));
    const again = await w.reconcile.execute('site-1');
    expect(again).toMatchObject({ ok: true, value: { actions: [], cleanedUp: [] } });
  });

  it('confirms a revoked grant whose codes were all deleted but not recorded (the app died)', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const g = (await w.store.get('booking-1'))!;
    await w.store.save({ ...g, revokedAt: NOW }, g.version);
    for (const c of ourCodes(w)) await w.gateway.deleteAccessCode(c.id);
    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { actions: [], cleanedUp: ['booking-1'] } });
  });

  it('does not confirm while a delete fails or a lock of the grant cannot be listed', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await w.revoke.execute('booking-1');
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'rate_limited' });
    const failedDelete = await w.reconcile.execute('site-1');
    expect(failedDelete).toMatchObject({ ok: true, value: { converged: false, cleanedUp: [] } });
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();

    // The code is gone now, but L2 cannot be listed: nothing proves L2 holds none.
    await w.gateway.deleteAccessCode(ourCodes(w)[0]!.id);
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L2');
    const unlisted = await w.reconcile.execute('site-1');
    expect(unlisted).toMatchObject({ ok: true, value: { cleanedUp: [] } });
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();

    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { cleanedUp: ['booking-1'] } });
  });

  it('leaves live grants and already cleaned ones alone', async () => {
    const w = makeWorld();
    await w.grant.execute(request({ key: 'live' }));
    await w.grant.execute(request({ key: 'gone', lockIds: ['L3'] }));
    await w.revoke.execute('gone');
    const before = await w.store.all();
    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { actions: [], cleanedUp: [] } });
    expect(w.store.all()).toEqual(before);
  });
});

describe('ReportSlotUsage counts a revoked grant until its codes are gone', () => {
  it('plans the leftover scheduled code’s slot ahead, and stops once the cleanup is done', async () => {
    const w = makeWorld({ site: { slotLimit: 3 }, scheduledLoading: true });
    await w.grant.execute(request({ key: 'g3', lockIds: ['L1'], window: in73h() }));
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await w.revoke.execute('g3');
    const pending = await w.report.execute('site-1');
    expect(pending).toMatchObject({
      ok: true,
      value: { sites: [{ used: 0, plannedNow: 0, plannedPeak: 1, projectedHeadroom: 2 }] },
    });
    await w.reconcile.execute('site-1');
    const done = await w.report.execute('site-1');
    expect(done).toMatchObject({
      ok: true,
      value: { sites: [{ used: 0, plannedNow: 0, plannedPeak: 0, projectedHeadroom: 3 }] },
    });
  });
});

describe('markCleanedUp', () => {
  const site = testSite();
  const revoked = (over: Partial<Grant> = {}): Grant => ({
    key: 'k',
    holder: 'h',
    siteId: site.id,
    lockIds: ['L1'],
    window: { kind: 'ongoing' },
    createdAt: NOW,
    revokedAt: NOW,
    version: 0,
    ...over,
  });

  it('after a version conflict, re-reads the grant and saves once more', async () => {
    const store = new InMemoryGrantStore();
    const clock = new VirtualClock(NOW + 5);
    const first = await store.save(revoked(), 0);
    if (!first.ok) throw new Error('setup');
    // Someone else saved it meanwhile (version 2); our copy is stale (version 1).
    await store.save({ ...first.value, holder: 'h2' }, first.value.version);
    const out = await markCleanedUp(store, clock, first.value);
    expect(out).toMatchObject({ holder: 'h2', cleanedUpAt: NOW + 5, version: 3 });
    expect(planForGrants(site, store.all(), NOW + 5).size).toBe(0);
  });

  it('does nothing to a grant already cleaned up by someone else', async () => {
    const store = new InMemoryGrantStore();
    const first = await store.save(revoked(), 0);
    if (!first.ok) throw new Error('setup');
    await store.save({ ...first.value, cleanedUpAt: NOW + 1 }, first.value.version);
    const out = await markCleanedUp(store, new VirtualClock(NOW + 9), first.value);
    expect(out).toMatchObject({ cleanedUpAt: NOW + 1, version: 2 });
  });

  it('saves twice at most while another instance keeps changing the grant, then leaves it to the next revoke or reconcile', async () => {
    const inner = new InMemoryGrantStore();
    const first = await inner.save(revoked(), 0);
    if (!first.ok) throw new Error('setup');
    const store = new ContendedStore(inner);
    store.contend({ races: 3 });
    const out = await markCleanedUp(store, new VirtualClock(NOW + 5), first.value);
    // Both saves lost their race; the grant is returned as last read, still holding its slots.
    expect(store.saves.map((g) => [g.holder, g.cleanedUpAt])).toEqual([
      ['h', NOW + 5],
      ["h'", NOW + 5],
    ]);
    expect(out).toEqual(await inner.get('k'));
    expect(out).toMatchObject({ holder: "h''", version: 3 });
    expect(out?.cleanedUpAt).toBeUndefined();
  });

  it('returns null when the grant is gone after a lost race, or there is none', async () => {
    const inner = new InMemoryGrantStore();
    const first = await inner.save(revoked(), 0);
    if (!first.ok) throw new Error('setup');
    const store = new ContendedStore(inner);
    store.contend({ races: 1, vanishes: true });
    expect(await markCleanedUp(store, new VirtualClock(NOW), first.value)).toBeNull();
    expect(store.saves).toHaveLength(1);
    expect(await markCleanedUp(store, new VirtualClock(NOW), null)).toBeNull();
    expect(store.saves).toHaveLength(1);
  });
});

describe('ReconcileSite when a cleaned-up revoked grant has a code again', () => {
  it('counts the grant in the plan again while that code cannot be deleted, then confirms it once it is', async () => {
    const w = makeWorld();
    await w.grant.execute(request({ lockIds: ['L1'] }));
    await w.revoke.execute('booking-1');
    expect((await w.store.get('booking-1'))?.cleanedUpAt).toEqual(expect.any(Number));
    // A create sent by an instance that crashed lands only now.
    await w.gateway.createAccessCode({
      lockId: 'L1',
      name: codeNameFor('booking-1'),
      window: { kind: 'ongoing' },
    });
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { converged: false, cleanedUp: [] } });
    expect((await w.store.get('booking-1'))?.cleanedUpAt).toBeNull();
    const site = testSite();
    expect(planForGrants(site, w.store.all(), w.clock.now()).get('booking-1')).toMatchObject({ slots: 1 });

    const again = await w.reconcile.execute('site-1');
    expect(again).toMatchObject({ ok: true, value: { converged: true, cleanedUp: ['booking-1'] } });
    expect(ourCodes(w)).toEqual([]);
  });
});
