import { describe, expect, it } from 'vitest';
import { codeNameFor } from '../domain/access-code.js';
import { testLock } from './testing-gateway.test-helpers.js';
import { DAY, makeWorld, NOW, ourCodes, request } from './use-cases.test-helpers.js';

describe('RevokeAccess', () => {
  it('revokes the grant, deletes its codes, frees the slots; other apps\u2019 codes stay', async () => {
    const w = makeWorld();
    const foreign = w.gateway.addForeignCode('L1');
    await w.grant.execute(request());
    const codeIds = ourCodes(w).map((c) => c.id);
    const r = await w.revoke.execute('booking-1');
    expect(r).toMatchObject({ ok: true, value: { code: 'revoked', cleanupPending: [] } });
    expect(r.ok && [...r.value.deleted].sort()).toEqual([...codeIds].sort());
    expect((await w.store.get('booking-1'))?.revokedAt).toBe(NOW);
    expect(ourCodes(w)).toEqual([]);
    expect(w.gateway.allCodes().map((c) => c.id)).toEqual([foreign]);
    expect(w.gateway.used('site-1')).toBe(1);
  });

  it('is idempotent: revoking again changes nothing and says so', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const first = await w.revoke.execute('booking-1');
    const stored = await w.store.get('booking-1');
    const again = await w.revoke.execute('booking-1');
    expect(again).toMatchObject({
      ok: true,
      value: { code: 'already_revoked', deleted: [], cleanupPending: [] },
    });
    expect(await w.store.get('booking-1')).toEqual(stored);
    expect(first.ok && first.value.grant).toEqual(stored);
  });

  it('reports codes it could not delete, and a second revoke finishes the job', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    const r = await w.revoke.execute('booking-1');
    expect(r.ok && r.value.cleanupPending.map((p) => p.failure.code)).toEqual(['unavailable']);
    expect(ourCodes(w)).toHaveLength(1);
    const again = await w.revoke.execute('booking-1');
    expect(again.ok && again.value.deleted).toHaveLength(1);
    expect(ourCodes(w)).toEqual([]);
  });

  it('tolerates a code that is already gone', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    // The delete happens but its reply says "not found" (someone removed it just before).
    const id = ourCodes(w)[0]!.id;
    w.gateway.beforeNext('deleteAccessCode', () => void w.gateway.deleteAccessCode(id));
    const r = await w.revoke.execute('booking-1');
    expect(r.ok && r.value.cleanupPending).toEqual([]);
    expect(ourCodes(w)).toEqual([]);
  });

  it('names an unknown key and a malformed key', async () => {
    const w = makeWorld();
    expect(await w.revoke.execute('nope')).toMatchObject({
      ok: false,
      error: { code: 'grant_not_found', key: 'nope' },
    });
    expect(await w.revoke.execute(42)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ field: 'key' }] },
    });
  });
});

describe('AwaitPins', () => {
  it('waits on the clock until Salto assigns every PIN', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 10_000, pollIntervalMs: 500 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pins.map((p) => p.lockId)).toEqual(['L1', 'L2']);
    for (const p of r.value.pins) expect(p.pin).toMatch(/^\d{6,10}$/);
    expect(w.clock.now()).toBe(NOW + 2000); // the fake assigns PINs 2 s after creation
  });

  it('says which locks still wait, and why, when the timeout passes', async () => {
    const w = makeWorld({
      policy: { onOfflineHub: 'accept_and_retry' },
      locks: [testLock('L1'), testLock('L2', { hubLink: 'offline' })],
    });
    await w.grant.execute(request());
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 0 });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'pins_not_ready',
        ready: [],
        waiting: [
          { lockId: 'L1', reason: 'pin_not_assigned' },
          { lockId: 'L2', reason: 'no_code', accessCodeId: null },
        ],
      },
    });
    const later = await w.awaitPins.execute('booking-1', { timeoutMs: 5000 });
    expect(
      later.ok ? [] : later.error.code === 'pins_not_ready' && later.error.ready.map((p) => p.lockId),
    ).toEqual(['L1']);
  });

  it('refuses unknown, revoked and malformed input', async () => {
    const w = makeWorld();
    expect(await w.awaitPins.execute('nope')).toMatchObject({
      ok: false,
      error: { code: 'grant_not_found' },
    });
    await w.grant.execute(request());
    await w.revoke.execute('booking-1');
    expect(await w.awaitPins.execute('booking-1')).toMatchObject({
      ok: false,
      error: { code: 'grant_revoked' },
    });
    expect(await w.awaitPins.execute('booking-1', { timeoutMs: Number.NaN })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ field: 'timeoutMs' }] },
    });
  });
});

describe('UnlockDoor', () => {
  it('unlocks when the policy allows it and the attempt succeeds', async () => {
    const w = makeWorld({ policy: { remoteUnlock: 'anyone' } });
    w.gateway.scriptUnlock('L1', 3, 'success');
    const r = await w.unlock.execute({ lockId: 'L1', pollIntervalMs: 500 });
    expect(r).toMatchObject({
      ok: true,
      value: { code: 'unlocked', lockId: 'L1', holder: null, grantKey: null },
    });
    expect(w.gateway.count('unlock')).toBe(1);
    expect(w.gateway.count('getUnlockAttempt')).toBe(3);
    expect(w.clock.now()).toBe(NOW + 1500);
  });

  it('reports a failed attempt with the provider\u2019s reason', async () => {
    const w = makeWorld({ policy: { remoteUnlock: 'anyone' } });
    w.gateway.scriptUnlock('L1', 1, 'error');
    expect(await w.unlock.execute({ lockId: 'L1' })).toMatchObject({
      ok: false,
      error: { code: 'unlock_failed', providerCode: 'lock_jammed' },
    });
  });

  it('gives up at the deadline without unlocking again', async () => {
    const w = makeWorld({ policy: { remoteUnlock: 'anyone' } });
    w.gateway.scriptUnlock('L1', 1000, 'success');
    const r = await w.unlock.execute({ lockId: 'L1', timeoutMs: 2000, pollIntervalMs: 500 });
    expect(r).toMatchObject({ ok: false, error: { code: 'unlock_timed_out', waitedMs: 2000 } });
    expect(w.gateway.count('unlock')).toBe(1);
  });

  it('under active_grant_holders, unlocks only for a holder with an active grant on that lock', async () => {
    const w = makeWorld({ policy: { remoteUnlock: 'active_grant_holders' } });
    await w.grant.execute(request({ lockIds: ['L1'] }));
    expect(await w.unlock.execute({ lockId: 'L1', holder: 'alice' })).toMatchObject({
      ok: true,
      value: { grantKey: 'booking-1', holder: 'alice' },
    });
    expect(await w.unlock.execute({ lockId: 'L1', holder: 'bob' })).toMatchObject({
      ok: false,
      error: { code: 'no_active_grant' },
    });
    expect(await w.unlock.execute({ lockId: 'L2', holder: 'alice' })).toMatchObject({
      ok: false,
      error: { code: 'no_active_grant' },
    });
    expect(w.gateway.count('unlock')).toBe(1);
  });

  it('refuses under "nobody", for a missing lock, an offline hub, privacy mode, and bad input', async () => {
    expect(
      await makeWorld({ policy: { remoteUnlock: 'nobody' } }).unlock.execute({ lockId: 'L1', holder: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'remote_unlock_not_allowed' } });
    const w = makeWorld({
      policy: { remoteUnlock: 'anyone' },
      locks: [
        testLock('L1', { hubLink: 'offline' }),
        testLock('L2', { modes: { privacy: true, office: false } }),
      ],
    });
    expect(await w.unlock.execute({ lockId: 'L9' })).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found' },
    });
    expect(await w.unlock.execute({ lockId: 'L1' })).toMatchObject({
      ok: false,
      error: { code: 'hub_offline' },
    });
    expect(await w.unlock.execute({ lockId: 'L2' })).toMatchObject({
      ok: false,
      error: { code: 'privacy_mode' },
    });
    expect(await w.unlock.execute({ lockId: '', timeoutMs: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ field: 'lockId' }, { field: 'timeoutMs' }] },
    });
    expect(w.gateway.count('unlock')).toBe(0);
  });

  it('does not retry an unlock whose reply was lost', async () => {
    const w = makeWorld({ policy: { remoteUnlock: 'anyone' } });
    w.gateway.inject('unlock', { kind: 'lose_reply' });
    expect(await w.unlock.execute({ lockId: 'L1' })).toMatchObject({
      ok: false,
      error: { code: 'unlock_outcome_unknown', lockId: 'L1' },
    });
    expect(w.gateway.count('unlock')).toBe(1);
  });
});

describe('ReconcileSite', () => {
  it('does nothing when the provider already matches the grants', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const r = await w.reconcile.execute('site-1');
    expect(r).toMatchObject({ ok: true, value: { code: 'reconciled', actions: [], converged: true } });
    expect(w.gateway.count('createAccessCode') + w.gateway.count('deleteAccessCode')).toBe(2);
  });

  it('repairs drift (missing code, duplicate, stray code of an unknown grant), then is idempotent', async () => {
    const w = makeWorld();
    const foreign = w.gateway.addForeignCode('L3');
    await w.grant.execute(request());
    const l1 = ourCodes(w).find((c) => c.lockId === 'L1')!;
    await w.gateway.deleteAccessCode(l1.id);
    await w.gateway.createAccessCode({
      lockId: 'L2',
      name: codeNameFor('booking-1'),
      window: { kind: 'ongoing' },
    });
    await w.gateway.createAccessCode({
      lockId: 'L3',
      name: codeNameFor('ghost'),
      window: { kind: 'ongoing' },
    });
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.lockId, a.result])).toEqual([
      ['delete', 'L2', 'done'],
      ['delete', 'L3', 'done'],
      ['create', 'L1', 'done'],
    ]);
    expect(
      ourCodes(w)
        .map((c) => c.lockId)
        .sort(),
    ).toEqual(['L1', 'L2']);
    expect(w.gateway.allCodes().some((c) => c.id === foreign)).toBe(true);
    const again = await w.reconcile.execute('site-1');
    expect(again.ok && again.value.actions).toEqual([]);
  });

  it('removes the codes of a revoked grant whose cleanup had failed', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' });
    await w.revoke.execute('booking-1');
    expect(ourCodes(w)).toHaveLength(1);
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => (a.kind === 'delete' ? a.reason : a.kind))).toEqual([
      'not_desired',
    ]);
    expect(ourCodes(w)).toEqual([]);
  });

  it('deletes a code Salto refuses at the limit instead of leaving it', async () => {
    const w = makeWorld({ site: { slotLimit: 2 }, policy: { onOfflineHub: 'accept_and_retry' } });
    w.gateway.setHubLink('L2', 'offline');
    await w.grant.execute(request());
    // While L2 waits for its hub, another app takes the last slot.
    w.gateway.addForeignCode('L3');
    w.gateway.setHubLink('L2', 'good');
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.lockId, a.result])).toEqual([
      ['create', 'L2', 'refused_at_limit'],
    ]);
    expect(r.ok && r.value.converged).toBe(false);
    expect(w.gateway.allCodes().filter((c) => c.issues.length > 0)).toEqual([]);
  });

  it('leaves a lock it cannot list alone instead of creating blindly', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    await w.gateway.deleteAccessCode(ourCodes(w).find((c) => c.lockId === 'L1')!.id);
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L1');
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.skippedLocks.map((s) => s.lockId)).toEqual(['L1']);
    expect(r.ok && r.value.actions).toEqual([]);
    expect(r.ok && r.value.converged).toBe(false);
  });

  it('names an unknown site and a malformed site id', async () => {
    const w = makeWorld();
    expect(await w.reconcile.execute('nowhere')).toMatchObject({
      ok: false,
      error: { code: 'site_not_found' },
    });
    expect(await w.reconcile.execute('')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ field: 'siteId' }] },
    });
  });
});

describe('ReportSlotUsage', () => {
  it('reports used, limit, reserve, headroom, warnings and the planned peak ahead', async () => {
    const w = makeWorld({ site: { slotLimit: 5 }, policy: { reservedSlots: 1 } });
    w.gateway.addForeignCode('L3');
    await w.grant.execute(request({ key: 'now', lockIds: ['L1'] }));
    const startsAt = NOW + 10 * DAY;
    await w.grant.execute(
      request({
        key: 'later',
        lockIds: ['L1', 'L2'],
        window: { kind: 'scheduled', startsAt, endsAt: startsAt + DAY },
      }),
    );
    const r = await w.report.execute('site-1');
    expect(r).toEqual({
      ok: true,
      value: {
        code: 'slot_usage',
        failures: [],
        sites: [
          {
            siteId: 'site-1',
            siteName: 'Main office',
            // The fake counts the scheduled codes from creation: 1 foreign + 1 + 2.
            used: 4,
            limit: 5,
            reserved: 1,
            headroom: 0,
            almostReached: false,
            limitReached: false,
            plannedNow: 1,
            plannedPeak: 3,
            unmanaged: 3,
            projectedPeak: 6,
            projectedHeadroom: 0,
          },
        ],
      },
    });
  });

  it('covers every site when none is named, and names an unknown one', async () => {
    const w = makeWorld();
    w.gateway.addSite({ ...(await siteOf(w)), id: 'site-2', name: 'Annex' });
    const all = await w.report.execute();
    expect(all.ok && all.value.sites.map((s) => s.siteId)).toEqual(['site-1', 'site-2']);
    expect(await w.report.execute('nowhere')).toMatchObject({ ok: false, error: { code: 'site_not_found' } });
  });
});

async function siteOf(w: ReturnType<typeof makeWorld>) {
  const sites = await w.gateway.listSites();
  if (!sites.ok || !sites.value[0]) throw new Error('no site');
  return sites.value[0];
}
