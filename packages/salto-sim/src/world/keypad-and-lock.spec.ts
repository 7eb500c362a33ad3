import { VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { failure } from './failure.test-helpers.js';
import type { SimResult, WorldConfigInput } from './types.js';
import { SaltoKsWorld } from './world.js';

/** `SaltoKsWorld.enterKeypadCode` (Seam sandbox keypad entry) and `lockDoor` (Seam `/locks/lock_door`). */

const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}
function world(opts: { limit?: number; config?: WorldConfigInput } = {}) {
  const w = new SaltoKsWorld({
    seed: 5,
    clock: new VirtualClock(T0),
    ...(opts.config ? { config: opts.config } : {}),
  });
  const acc = value(w.addConnectedAccount()).connectedAccountId;
  const site = value(w.addSite({ connectedAccountId: acc, siteName: 'S', slotLimit: opts.limit ?? 5 }));
  const hub = value(w.addHub({ siteId: site.siteId }));
  const lockId = value(w.addLock({ hubId: hub.hubId, name: 'DOOR' })).deviceId;
  const otherLockId = value(w.addLock({ hubId: hub.hubId, name: 'BACK' })).deviceId;
  const events = (since: number) =>
    value(w.listEvents({ afterSequence: since })).map((e) => ({
      type: e.eventType,
      deviceId: e.deviceId,
      accessCodeId: e.accessCodeId,
      actionAttemptId: e.actionAttemptId,
      data: e.data,
    }));
  const lastSeq = () => value(w.listEvents()).at(-1)?.sequence ?? 0;
  /** A set ongoing code on `deviceId` and its PIN. */
  const setCode = async (deviceId = lockId) => {
    const c = value(w.createAccessCode({ deviceId }));
    await w.advance(10_000);
    const got = value(w.getAccessCode(c.accessCodeId));
    expect(got.status).toBe('set');
    return { id: c.accessCodeId, pin: got.code as string };
  };
  return { w, lockId, otherLockId, siteId: site.siteId, events, lastSeq, setCode };
}

describe('enterKeypadCode', () => {
  it('a set code opens the lock: lock.unlocked (keycode, access_code_id, managed), relocks after 7 s', async () => {
    const { w, lockId, events, lastSeq, setCode } = world();
    const { id, pin } = await setCode();
    const seq = lastSeq();
    expect(value(w.enterKeypadCode(lockId, pin))).toEqual({ outcome: 'unlocked', accessCodeId: id });
    expect(value(w.getDevice(lockId)).locked).toBe(false);
    await w.advance(7_000);
    expect(value(w.getDevice(lockId)).locked).toBe(true);
    expect(events(seq)).toEqual([
      {
        type: 'lock.unlocked',
        deviceId: lockId,
        accessCodeId: id,
        actionAttemptId: undefined,
        data: { method: 'keycode', access_code_is_managed: true },
      },
      {
        type: 'lock.locked',
        deviceId: lockId,
        accessCodeId: undefined,
        actionAttemptId: undefined,
        data: { method: 'automatic' },
      },
    ]);
  });

  it('an unknown PIN, or one of another lock of the site, is denied without an access code id', async () => {
    const { w, lockId, otherLockId, events, lastSeq, setCode } = world();
    const mine = await setCode(lockId);
    const theirs = await setCode(otherLockId);
    const seq = lastSeq();
    const wrong = mine.pin === '000000' ? '111111' : '000000';
    for (const pin of [wrong, theirs.pin]) {
      expect(value(w.enterKeypadCode(lockId, pin))).toMatchObject({
        outcome: 'denied',
        reason: 'unknown_code',
        accessCodeId: null,
      });
    }
    expect(events(seq)).toEqual([
      {
        type: 'lock.access_denied',
        deviceId: lockId,
        accessCodeId: undefined,
        actionAttemptId: undefined,
        data: undefined,
      },
      {
        type: 'lock.access_denied',
        deviceId: lockId,
        accessCodeId: undefined,
        actionAttemptId: undefined,
        data: undefined,
      },
    ]);
    expect(value(w.getDevice(lockId)).locked).toBe(true);
  });

  it('a matched code that is not valid now is denied with its id: before its start, after deletion, unsubscribed', async () => {
    const { w, lockId, events, lastSeq } = world({ limit: 1 });
    const future = value(w.createAccessCode({ deviceId: lockId, startsAt: T0 + H, endsAt: T0 + 2 * H }));
    const refused = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(10_000);
    const futurePin = value(w.getAccessCode(future.accessCodeId)).code as string;
    const refusedPin = value(w.getAccessCode(refused.accessCodeId)).code as string;
    expect(value(w.getAccessCode(future.accessCodeId)).isScheduledOnDevice).toBe(true);
    expect(value(w.enterKeypadCode(lockId, futurePin))).toMatchObject({
      outcome: 'denied',
      reason: 'outside_window',
      accessCodeId: future.accessCodeId,
    });
    expect(value(w.enterKeypadCode(lockId, refusedPin))).toMatchObject({
      outcome: 'denied',
      reason: 'not_subscribed',
      accessCodeId: refused.accessCodeId,
    });
    await w.advance(H);
    expect(value(w.enterKeypadCode(lockId, futurePin)).outcome).toBe('unlocked');
    value(w.deleteAccessCode(future.accessCodeId));
    const seq = lastSeq();
    const denied = value(w.enterKeypadCode(lockId, futurePin));
    expect(denied).toMatchObject({
      outcome: 'denied',
      reason: 'code_not_set',
      accessCodeId: future.accessCodeId,
    });
    if (denied.outcome === 'denied') expect(denied.message).not.toContain(futurePin);
    expect(events(seq)).toEqual([
      {
        type: 'lock.access_denied',
        deviceId: lockId,
        accessCodeId: future.accessCodeId,
        actionAttemptId: undefined,
        data: undefined,
      },
    ]);
  });

  it('a code with its PIN but not yet on the lock (hub offline before programming) is denied (code_not_set)', async () => {
    const { w, lockId } = world();
    value(w.setHubLink(lockId, 'offline'));
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(10_000);
    const waiting = value(w.getAccessCode(c.accessCodeId));
    expect(waiting).toMatchObject({ status: 'setting', isWaitingForCodeAssignment: false });
    expect(value(w.enterKeypadCode(lockId, waiting.code as string))).toMatchObject({
      outcome: 'denied',
      reason: 'code_not_set',
      accessCodeId: c.accessCodeId,
    });
    value(w.setHubLink(lockId, 'good'));
    await w.advance(10_000);
    expect(value(w.enterKeypadCode(lockId, waiting.code as string)).outcome).toBe('unlocked');
  });

  it('privacy mode refuses every PIN; office mode: the door is already free and nothing is emitted', async () => {
    const { w, lockId, events, lastSeq, setCode } = world();
    const { id, pin } = await setCode();
    value(w.setPrivacyMode(lockId, true));
    expect(value(w.enterKeypadCode(lockId, pin))).toMatchObject({
      outcome: 'denied',
      reason: 'privacy_mode',
      accessCodeId: id,
    });
    value(w.setPrivacyMode(lockId, false));
    value(w.setOfficeMode(lockId, true));
    const seq = lastSeq();
    expect(value(w.enterKeypadCode(lockId, pin))).toEqual({ outcome: 'already_free', accessCodeId: id });
    expect(value(w.enterKeypadCode(lockId, '999999'))).toMatchObject({ outcome: 'already_free' });
    expect(events(seq)).toEqual([]);
  });

  it('with the IQ hub offline from the cloud, a code already on the lock keeps working', async () => {
    const { w, lockId, setCode } = world();
    const { id, pin } = await setCode();
    value(w.setHubLink(lockId, 'offline'));
    expect(value(w.enterKeypadCode(lockId, pin))).toEqual({ outcome: 'unlocked', accessCodeId: id });
  });

  it('a weak link may drop the PIN check (failure draw)', async () => {
    const always = world({ config: { weakLink: { failureProbability: 1 } } });
    const a = await always.setCode();
    value(always.w.setHubLink(always.lockId, 'weak'));
    expect(value(always.w.enterKeypadCode(always.lockId, a.pin))).toMatchObject({
      outcome: 'denied',
      reason: 'hub_unreachable',
      accessCodeId: a.id,
    });
    const never = world({ config: { weakLink: { failureProbability: 0 } } });
    const b = await never.setCode();
    value(never.w.setHubLink(never.lockId, 'weak'));
    expect(value(never.w.enterKeypadCode(never.lockId, b.pin)).outcome).toBe('unlocked');
  });

  it('unknown device 404, no PIN pad 400, a non-digit PIN 400 — nothing emitted', () => {
    const { w, lockId, lastSeq } = world();
    const seq = lastSeq();
    expect(failure(w.enterKeypadCode('00000000-0000-4000-8000-000000000000', '123456')).type).toBe(
      'device_not_found',
    );
    expect(failure(w.enterKeypadCode(lockId, '12ab')).data).toMatchObject({ field: 'code' });
    value(w.setCapabilities(lockId, { accessCodes: false }));
    expect(failure(w.enterKeypadCode(lockId, '123456'))).toMatchObject({
      type: 'access_codes_not_supported',
      status: 400,
    });
    expect(lastSeq()).toBe(seq);
  });
});

describe('lockDoor', () => {
  it('pending LOCK_DOOR → success: locked, office mode ended, lock.locked with the attempt id', async () => {
    const { w, lockId, events, lastSeq } = world();
    value(w.setOfficeMode(lockId, true));
    const seq = lastSeq();
    const a = value(w.lockDoor(lockId));
    expect(a).toMatchObject({ actionType: 'LOCK_DOOR', status: 'pending', completedAt: null });
    await w.advance(6_000);
    expect(value(w.getActionAttempt(a.actionAttemptId))).toMatchObject({ status: 'success', error: null });
    expect(value(w.getDevice(lockId))).toMatchObject({ locked: true, officeMode: false });
    expect(events(seq)).toEqual([
      {
        type: 'lock.locked',
        deviceId: lockId,
        accessCodeId: undefined,
        actionAttemptId: a.actionAttemptId,
        data: { method: 'remote' },
      },
      {
        type: 'action_attempt.lock_door.succeeded',
        deviceId: lockId,
        accessCodeId: undefined,
        actionAttemptId: a.actionAttemptId,
        data: { action_type: 'LOCK_DOOR', status: 'success' },
      },
    ]);
  });

  it('locks a door a keypad code just opened, before the automatic relock', async () => {
    const { w, lockId, setCode } = world({ config: { timings: { unlockMs: [1_000, 1_000] } } });
    const { pin } = await setCode();
    value(w.enterKeypadCode(lockId, pin));
    value(w.lockDoor(lockId));
    await w.advance(1_000);
    expect(value(w.getDevice(lockId)).locked).toBe(true);
    const relocks = value(w.listEvents({ eventTypes: ['lock.locked'] }));
    await w.advance(10_000);
    expect(value(w.listEvents({ eventTypes: ['lock.locked'] }))).toHaveLength(relocks.length);
  });

  it('offline: ends in hub_disconnected; privacy mode does not refuse it; no waiver: 400', async () => {
    const { w, lockId, otherLockId } = world();
    value(w.setHubLink(lockId, 'offline'));
    const a = value(w.lockDoor(lockId));
    value(w.setPrivacyMode(otherLockId, true));
    const b = value(w.lockDoor(otherLockId));
    await w.advance(6_000);
    expect(value(w.getActionAttempt(a.actionAttemptId))).toMatchObject({
      status: 'error',
      error: { type: 'hub_disconnected' },
    });
    expect(value(w.getActionAttempt(b.actionAttemptId)).status).toBe('success');
    expect(value(w.listEvents({ eventTypes: ['action_attempt.lock_door.failed'] }))).toHaveLength(1);
    value(w.setCapabilities(otherLockId, { remoteUnlock: false }));
    expect(failure(w.lockDoor(otherLockId))).toMatchObject({
      type: 'remote_lock_not_supported',
      status: 400,
    });
  });

  it('is rate limited at 15 per minute per device', () => {
    const { w, lockId } = world();
    for (let i = 0; i < 15; i++) value(w.lockDoor(lockId));
    expect(failure(w.lockDoor(lockId))).toMatchObject({ type: 'rate_limit_exceeded', status: 429 });
    expect(value(w.unlockDoor(lockId)).actionType).toBe('UNLOCK_DOOR');
  });
});
