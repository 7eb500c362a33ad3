/**
 * The lock path (`LockCodePath`: one Salto access code per lock) by example: what it answers the
 * use cases (the locks it finds, what provisioning came to, the PINs per lock, what reconcile did
 * and left), the typed `provider_failed` errors naming the failed call and its lock or site, the
 * warning an operator reads for a lock left pending, and the provider calls it makes, in order.
 */
import { describe, expect, it } from 'vitest';
import { type AccessCode, codeNameFor } from '../domain/access-code.js';
import { grant } from '../domain/decisions.test-helpers.js';
import type { LockId } from '../domain/lock.js';
import { ok } from '../domain/result.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import type { GatewayFailureCode } from '../ports/lock-gateway.js';
import { LockCodePath } from './lock-code-path.js';
import { FakeLockGateway, fakeFailure, testLock, testSite } from './testing-gateway.test-helpers.js';
import { logsFrom, makeWorld, NOW, ourCodes, request } from './use-cases.test-helpers.js';

/** The fake provider, listing a lock's codes as `relist` rewrites them (Seam's order, a code being removed). */
class RelistingGateway extends FakeLockGateway {
  relist = (codes: readonly AccessCode[]): readonly AccessCode[] => codes;

  override async listAccessCodes(lockId: LockId) {
    const listed = await super.listAccessCodes(lockId);
    return listed.ok ? ok(this.relist(listed.value)) : listed;
  }
}

/** The lock path over site-1 with locks L1..L3 on a relisting fake provider. */
function lockPath(slotLimit = 10) {
  const clock = new VirtualClock(NOW, { autoAdvance: true });
  const gateway = new RelistingGateway({ clock }).addSite(
    testSite({ slotLimit }),
    ['L1', 'L2', 'L3'].map((id) => testLock(id)),
  );
  const logger = new MemoryLogger();
  const path = new LockCodePath({ gateway, clock, logger, store: new InMemoryGrantStore() });
  return { clock, gateway, logger, path };
}

/** A code of grant `key` on `lockId`, made at the provider behind keyslot's back. */
async function codeOf(gateway: FakeLockGateway, lockId: LockId, key = 'booking-1'): Promise<AccessCode> {
  const made = await gateway.createAccessCode({
    lockId,
    name: codeNameFor(key),
    window: { kind: 'ongoing' },
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

describe('LockCodePath.findLocks', () => {
  it('gives the locks the provider knows, in the order asked, leaving unknown ids out', async () => {
    const { path } = lockPath();
    expect(await path.findLocks(['L2', 'nope', 'L1'])).toEqual(ok([testLock('L2'), testLock('L1')]));
    expect(await path.findLocks([])).toEqual(ok([]));
  });

  it('a lock that cannot be read is provider_failed naming getLock and the lock, not an unknown lock', async () => {
    const { gateway, path } = lockPath();
    gateway.inject('getLock', { kind: 'fail', code: 'unavailable' }, 'L2');
    expect(await path.findLocks(['L1', 'L2', 'L3'])).toEqual({
      ok: false,
      error: {
        code: 'provider_failed',
        message:
          'The lock provider failed getLock for lock "L2" (unavailable: fake provider: unavailable); retry later; nothing was half-done.',
        operation: 'getLock',
        failure: fakeFailure('unavailable'),
        lockId: 'L2',
      },
    });
    // It stops at the failing lock.
    expect(gateway.calls).toEqual(['getLock:L1', 'getLock:L2']);
  });
});

describe('LockCodePath.provision', () => {
  const options = { replay: false, acceptOfflineHub: false };

  it('a create the provider fails (not an offline hub) is "failed" at createAccessCode on that lock', async () => {
    const { gateway, path } = lockPath();
    gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    expect(await path.provision(grant({ lockIds: ['L1', 'L2', 'L3'] }), options)).toEqual({
      kind: 'failed',
      operation: 'createAccessCode',
      lockId: 'L2',
      failure: fakeFailure('unavailable'),
    });
    expect(gateway.calls).toEqual(['createAccessCode:L1', 'createAccessCode:L2']);
  });

  it('an offline hub refused by the policy is "hub_offline" on that lock', async () => {
    const { gateway, path } = lockPath();
    gateway.setHubLink('L2', 'offline');
    expect(await path.provision(grant({ lockIds: ['L1', 'L2', 'L3'] }), options)).toEqual({
      kind: 'hub_offline',
      lockId: 'L2',
      failure: fakeFailure('hub_offline'),
    });
  });

  it('an offline hub the policy accepts leaves the lock pending, with no code, and warns naming grant and lock', async () => {
    const w = makeWorld({ policy: { onOfflineHub: 'accept_and_retry' } });
    w.gateway.setHubLink('L2', 'offline');
    const logs = logsFrom(w);
    const r = await w.grant.execute(request());
    const [onL1] = ourCodes(w);
    expect(r.ok && r.value.locks).toEqual([
      {
        lockId: 'L1',
        status: 'provisioned',
        accessCodeId: onL1!.id,
        codeStatus: 'setting',
        pin: null,
        issues: [],
      },
      { lockId: 'L2', status: 'pending', accessCodeId: null, codeStatus: null, pin: null, issues: [] },
    ]);
    expect(logs().filter((e) => e.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'hub offline: lock left pending for reconcile',
        fields: { grantKey: 'booking-1', lockId: 'L2' },
      },
    ]);
  });
});

describe('LockCodePath.pins', () => {
  const twoLocks = grant({ lockIds: ['L1', 'L2'] });

  it.each<GatewayFailureCode>(['rate_limited', 'unavailable'])(
    'a lock whose codes cannot be listed for now (%s) waits for its PIN; the other lock is still looked at',
    async (code) => {
      const { clock, gateway, path } = lockPath();
      const onL2 = await codeOf(gateway, 'L2');
      await clock.advance(5_000);
      gateway.inject('listAccessCodes', { kind: 'fail', code }, 'L1');
      expect(await path.pins(twoLocks)).toEqual(
        ok({
          ready: [{ lockId: 'L2', accessCodeId: onL2.id, pin: '100001' }],
          waiting: [{ lockId: 'L1', reason: 'pin_not_assigned', accessCodeId: null }],
        }),
      );
    },
  );

  it.each<GatewayFailureCode>(['provider_issue', 'lock_not_found', 'not_configured'])(
    'any other listing failure (%s) is provider_failed naming listAccessCodes and the lock',
    async (code) => {
      const { gateway, path } = lockPath();
      gateway.inject('listAccessCodes', { kind: 'fail', code }, 'L2');
      const r = await path.pins(twoLocks);
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'provider_failed',
          operation: 'listAccessCodes',
          lockId: 'L2',
          failure: fakeFailure(code),
        },
      });
      expect(!r.ok && r.error.message).toContain('listAccessCodes for lock "L2"');
    },
  );

  it('per lock: the PIN of a live code, else a code waiting for it, else a refused code, else no code', async () => {
    const { clock, gateway, path } = lockPath(1);
    const foreign = gateway.addForeignCode('L3'); // the site's one slot
    const onL1 = await codeOf(gateway, 'L1'); // refused at the limit
    await gateway.deleteAccessCode(foreign);
    const onL2 = await codeOf(gateway, 'L2'); // holds the slot, PIN in 2 s
    expect(await path.pins(grant({ lockIds: ['L1', 'L2', 'L3'] }))).toEqual(
      ok({
        ready: [],
        waiting: [
          { lockId: 'L1', reason: 'refused_at_limit', accessCodeId: onL1.id },
          { lockId: 'L2', reason: 'pin_not_assigned', accessCodeId: onL2.id },
          { lockId: 'L3', reason: 'no_code', accessCodeId: null },
        ],
      }),
    );
    await clock.advance(5_000);
    expect(await path.pins(grant({ lockIds: ['L2'] }))).toEqual(
      ok({ ready: [{ lockId: 'L2', accessCodeId: onL2.id, pin: '100003' }], waiting: [] }),
    );
  });

  it('finds the PIN whichever of two codes on the lock the provider lists first', async () => {
    const { clock, gateway, path } = lockPath();
    const older = await codeOf(gateway, 'L1');
    await clock.advance(5_000);
    await codeOf(gateway, 'L1'); // a duplicate, still waiting for its PIN
    gateway.relist = (codes) => [...codes].reverse();
    expect(await path.pins(grant())).toEqual(
      ok({ ready: [{ lockId: 'L1', accessCodeId: older.id, pin: '100001' }], waiting: [] }),
    );
  });
});

describe('LockCodePath.reconcile', () => {
  const revoked = (key: string, lockIds: LockId[]) => grant({ key, lockIds, revokedAt: NOW - 1_000 });

  it('a site whose locks cannot be listed is provider_failed naming listLocks and the site; nothing else is asked', async () => {
    const { gateway, path } = lockPath();
    gateway.inject('listLocks', { kind: 'fail', code: 'rate_limited' });
    expect(await path.reconcile('site-1', [grant()], NOW)).toEqual({
      ok: false,
      error: {
        code: 'provider_failed',
        message:
          'The lock provider failed listLocks for site "site-1" (rate_limited: fake provider: rate limited); retry later; nothing was half-done.',
        operation: 'listLocks',
        failure: fakeFailure('rate_limited'),
        siteId: 'site-1',
      },
    });
    expect(gateway.calls).toEqual(['listLocks']);
  });

  it('lists each lock of the site and of the grants once, deletes first, then creates without looking again', async () => {
    const { gateway, path } = lockPath();
    const ghost = await codeOf(gateway, 'L3', 'ghost');
    gateway.calls.length = 0;
    // booking-1 also names L9, which the provider does not know: nothing is created there.
    const r = await path.reconcile('site-1', [grant({ lockIds: ['L9', 'L1', 'L3'] })], NOW);
    expect(gateway.calls).toEqual([
      'listLocks',
      'listAccessCodes:L1',
      'listAccessCodes:L2',
      'listAccessCodes:L3',
      'listAccessCodes:L9',
      'deleteAccessCode:L3',
      'createAccessCode:L1',
      'createAccessCode:L3',
    ]);
    expect(r.ok && r.value.actions).toEqual([
      {
        kind: 'delete',
        accessCodeId: ghost.id,
        lockId: 'L3',
        grantKey: 'ghost',
        reason: 'not_desired',
        result: 'done',
      },
      ...['L1', 'L3'].map((lockId) => ({
        kind: 'create',
        grantKey: 'booking-1',
        lockId,
        window: { kind: 'ongoing' },
        name: codeNameFor('booking-1'),
        result: 'done',
      })),
    ]);
    expect(r.ok && r.value.skippedLocks).toEqual([{ lockId: 'L9', failure: fakeFailure('lock_not_found') }]);
  });

  it('left: the keys still held after the run — not what it deleted, not a code being removed, not a code of another app', async () => {
    const { gateway, path } = lockPath();
    await codeOf(gateway, 'L1', 'booking-1'); // live, kept
    gateway.addForeignCode('L1');
    await codeOf(gateway, 'L2', 'gone-1'); // revoked: deleted now
    const leaving = await codeOf(gateway, 'L2', 'leaving'); // revoked: Seam is removing it
    await codeOf(gateway, 'L3', 'stuck'); // revoked: its delete fails
    gateway.relist = (codes) => codes.map((c) => (c.id === leaving.id ? { ...c, status: 'removing' } : c));
    gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' }, 'L3');
    const grants = [grant(), revoked('gone-1', ['L2']), revoked('leaving', ['L2']), revoked('stuck', ['L3'])];
    const r = await path.reconcile('site-1', grants, NOW);
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.grantKey, a.result])).toEqual([
      ['delete', 'gone-1', 'done'],
      ['delete', 'stuck', 'failed'],
    ]);
    expect(r.ok && r.value.left).toEqual(new Set(['booking-1', 'stuck']));
  });

  it('covered: a lock that no longer exists holds nothing; a lock that could not be listed proves nothing', async () => {
    const { gateway, path } = lockPath();
    gateway.removeLock('L2');
    gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L3');
    const r = await path.reconcile('site-1', [revoked('gone-1', ['L1', 'L2', 'L3'])], NOW);
    expect(r.ok && r.value.skippedLocks).toEqual([
      { lockId: 'L3', failure: fakeFailure('unavailable') },
      { lockId: 'L2', failure: fakeFailure('lock_not_found') },
    ]);
    if (!r.ok) return;
    const covered = (lockIds: LockId[]) => r.value.covered(revoked('gone-1', lockIds));
    expect([
      covered(['L1']),
      covered(['L2']),
      covered(['L1', 'L2']),
      covered(['L3']),
      covered(['L2', 'L3']),
    ]).toEqual([true, true, true, false, false]);
  });
});
