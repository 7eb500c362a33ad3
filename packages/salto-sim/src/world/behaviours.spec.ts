import { VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from './default-world.js';
import { failure } from './failure.test-helpers.js';
import type { SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

const T0 = Date.UTC(2026, 0, 1);

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}
function world(
  opts: { limit?: number; seed?: number; config?: ConstructorParameters<typeof SaltoKsWorld>[0] } = {},
) {
  const clock = new VirtualClock(T0);
  const w = new SaltoKsWorld({ seed: opts.seed ?? 3, clock, ...(opts.config ?? {}) });
  const acc = value(w.addConnectedAccount()).connectedAccountId;
  const site = value(w.addSite({ connectedAccountId: acc, siteName: 'S', slotLimit: opts.limit ?? 5 }));
  const hub = value(w.addHub({ siteId: site.siteId }));
  const lockId = value(w.addLock({ hubId: hub.hubId, name: 'DOOR' })).deviceId;
  return { w, clock, siteId: site.siteId, hubId: hub.hubId, lockId, acc };
}

describe('hub link', () => {
  it('weak: device reported as unknown with a flaky-connection warning; good again: salto_lock', () => {
    const { w, lockId } = world();
    expect(value(w.setHubLink(lockId, 'weak'))).toMatchObject({ deviceType: 'unknown', online: true });
    expect(value(w.getDevice(lockId)).warnings.map((x) => x.code)).toContain('device_has_flaky_connection');
    expect(value(w.setHubLink(lockId, 'good')).deviceType).toBe('salto_lock');
    const types = value(w.listEvents({ deviceId: lockId })).map((e) => e.eventType);
    expect(types).toEqual(['device.added', 'device.connection_became_flaky', 'device.connection_stabilized']);
  });

  it('weak: with failure probability 1 programming never completes but keeps retrying with a delay warning', async () => {
    const { w, lockId } = world({ config: { config: { weakLink: { failureProbability: 1 } } } });
    value(w.setHubLink(lockId, 'weak'));
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(120_000);
    const now = value(w.getAccessCode(c.accessCodeId));
    expect(now.status).toBe('setting');
    expect(now.warnings.map((x) => x.code)).toEqual(['delay_in_setting_on_device']);
    value(w.setHubLink(lockId, 'good'));
    await w.advance(60_000);
    expect(value(w.getAccessCode(c.accessCodeId))).toMatchObject({ status: 'set', warnings: [] });
  });

  it('offline: codes wait (setting + delay warning, device error hub_disconnected) and are applied on reconnect', async () => {
    const { w, lockId } = world();
    value(w.setHubLink(lockId, 'offline'));
    const device = value(w.getDevice(lockId));
    expect(device.online).toBe(false);
    expect(device.errors.map((e) => e.code)).toEqual(['hub_disconnected']);
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(3_600_000);
    expect(value(w.getAccessCode(c.accessCodeId))).toMatchObject({
      status: 'setting',
      warnings: [expect.objectContaining({ code: 'delay_in_setting_on_device' })],
    });
    value(w.setHubLink(lockId, 'good'));
    await w.advance(5_000);
    expect(value(w.getAccessCode(c.accessCodeId)).status).toBe('set');
  });

  it('offline: removal of a code on the lock waits for reconnect, but its slot is freed at once', async () => {
    const { w, lockId, siteId } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(5_000);
    value(w.setHubLink(lockId, 'offline'));
    value(w.deleteAccessCode(c.accessCodeId));
    expect(value(w.getSite(siteId)).used).toBe(0);
    await w.advance(600_000);
    expect(value(w.getAccessCode(c.accessCodeId)).status).toBe('removing');
    value(w.setHubLink(lockId, 'good'));
    await w.advance(5_000);
    expect(failure(w.getAccessCode(c.accessCodeId)).type).toBe('access_code_not_found');
  });
});

describe('remote unlock', () => {
  it('pending → success with lock.unlocked (seamapi) and the succeeded event; relocks later', async () => {
    const { w, lockId } = world();
    const a = value(w.unlockDoor(lockId));
    expect(a.status).toBe('pending');
    await w.advance(6_000);
    expect(value(w.getActionAttempt(a.actionAttemptId))).toMatchObject({ status: 'success', error: null });
    expect(value(w.getDevice(lockId)).locked).toBe(false);
    const events = value(w.listEvents({ deviceId: lockId, eventTypes: ['lock.unlocked'] }));
    expect(events[0]).toMatchObject({ actionAttemptId: a.actionAttemptId, data: { method: 'remote' } });
    await w.advance(7_000);
    expect(value(w.getDevice(lockId)).locked).toBe(true);
  });

  it('ends in error hub_disconnected when the hub is offline at request time, even if it reconnects', async () => {
    const { w, lockId } = world();
    value(w.setHubLink(lockId, 'offline'));
    const a = value(w.unlockDoor(lockId));
    value(w.setHubLink(lockId, 'good'));
    await w.advance(6_000);
    const done = value(w.getActionAttempt(a.actionAttemptId));
    expect(done.status).toBe('error');
    expect(done.error?.type).toBe('hub_disconnected');
  });

  it('privacy mode: warning, events, and unlock refused', async () => {
    const { w, lockId } = world();
    const d = value(w.setPrivacyMode(lockId, true));
    expect(d.warnings.map((x) => x.code)).toContain('salto_ks_privacy_mode');
    const a = value(w.unlockDoor(lockId));
    await w.advance(6_000);
    expect(value(w.getActionAttempt(a.actionAttemptId)).error?.type).toBe('salto_ks_privacy_mode');
    value(w.setPrivacyMode(lockId, false));
    const types = value(w.listEvents({ deviceId: lockId })).map((e) => e.eventType);
    expect(types).toContain('device.salto.privacy_mode_activated');
    expect(types).toContain('device.salto.privacy_mode_deactivated');
  });

  it('office mode adds the salto_ks_office_mode warning', () => {
    const { w, lockId } = world();
    expect(value(w.setOfficeMode(lockId, true)).warnings.map((x) => x.code)).toEqual([
      'salto_ks_office_mode',
    ]);
    expect(value(w.setOfficeMode(lockId, false)).warnings).toEqual([]);
  });

  it('refuses locks without remote unlock, and codes on locks without PIN pad', () => {
    const { world: w, ids } = createDefaultWorld();
    expect(failure(w.unlockDoor(ids.locks.apartment2))).toMatchObject({
      type: 'remote_unlock_not_supported',
      status: 400,
    });
    expect(failure(w.createAccessCode({ deviceId: ids.locks.bikeStorage }))).toMatchObject({
      type: 'access_codes_not_supported',
      status: 400,
    });
  });
});

describe('slot accounting', () => {
  it('warning iff used/limit > 80 %', () => {
    const { w, lockId, acc, siteId } = world({ limit: 5 });
    const warned = () => value(w.getConnectedAccount(acc)).warnings.length > 0;
    for (let i = 1; i <= 5; i++) {
      value(w.createAccessCode({ deviceId: lockId }));
      expect(value(w.getSite(siteId)).used).toBe(i);
      expect(warned()).toBe(i / 5 > 0.8);
    }
  });

  it('lowering the limit below used unsubscribes the newest codes; used stays ≤ limit', () => {
    const { w, lockId, siteId } = world({ limit: 5 });
    const codes = [1, 2, 3, 4].map(() => value(w.createAccessCode({ deviceId: lockId })).accessCodeId);
    expect(value(w.setSlotLimit(siteId, 2))).toMatchObject({ used: 2, slotLimit: 2 });
    const holding = codes.map((id) => value(w.getAccessCode(id)).holdsSlot);
    expect(holding).toEqual([true, true, false, false]);
    // The unsubscribed codes were still being programmed: they stay unset and never reach the lock.
    expect(value(w.getAccessCode(codes[3]!)).status).toBe('unset');
    expect(value(w.getAccessCode(codes[3]!)).errors.map((e) => e.code)).toEqual([
      'salto_site_user_not_subscribed',
    ]);
    // Raising the limit again does not resubscribe them (Salto keeps them unsubscribed).
    expect(value(w.setSlotLimit(siteId, 10)).used).toBe(2);
  });

  it('names the not-subscribed error as configured', () => {
    const { w, lockId } = world({
      limit: 0,
      config: { config: { notSubscribedErrorCode: 'access_code_inactive' } },
    });
    expect(value(w.createAccessCode({ deviceId: lockId })).errors.map((e) => e.code)).toEqual([
      'access_code_inactive',
    ]);
  });

  it('generated PINs are unique within a site and follow the site PIN length', async () => {
    const clock = new VirtualClock(T0);
    const w = new SaltoKsWorld({ seed: 9, clock, config: { rateLimits: { enabled: false } } });
    const acc = value(w.addConnectedAccount()).connectedAccountId;
    const site = value(w.addSite({ connectedAccountId: acc, siteName: 'S', slotLimit: 500, pinLength: 8 }));
    const hub = value(w.addHub({ siteId: site.siteId }));
    const locks = [1, 2, 3].map((i) => value(w.addLock({ hubId: hub.hubId, name: `L${i}` })).deviceId);
    for (let i = 0; i < 300; i++) value(w.createAccessCode({ deviceId: locks[i % 3]! }));
    await w.advance(10_000);
    const pins = w.inspectAccessCodes({ siteId: site.siteId }).map((c) => c.code);
    expect(pins.every((p) => p !== null && /^\d{8}$/.test(p))).toBe(true);
    expect(new Set(pins).size).toBe(300);
  });
});

describe('validation', () => {
  it('names the bad field and changes nothing', () => {
    const { w, lockId, siteId } = world();
    expect(failure(w.createAccessCode({ deviceId: lockId, startsAt: T0 + 10 })).data).toMatchObject({
      field: 'ends_at',
    });
    expect(
      failure(w.createAccessCode({ deviceId: lockId, startsAt: T0 + 10, endsAt: T0 + 5 })).data,
    ).toMatchObject({
      field: 'ends_at',
    });
    expect(
      failure(w.createAccessCode({ deviceId: lockId, startsAt: Number.NaN, endsAt: T0 + 5 })).data,
    ).toMatchObject({
      field: 'starts_at',
    });
    expect(failure(w.createAccessCode({ deviceId: 'nope' })).type).toBe('device_not_found');
    expect(failure(w.setSlotLimit(siteId, -1)).data).toMatchObject({ field: 'slotLimit' });
    expect(failure(w.setSlotLimit(siteId, 1.5)).data).toMatchObject({ field: 'slotLimit' });
    expect(w.inspectAccessCodes()).toEqual([]);
    expect(value(w.getSite(siteId)).slotLimit).toBe(5);
    expect(SaltoKsWorld.create({ config: { timings: { unlockMs: [5, 1] } } }).ok).toBe(false);
  });
});

describe('rate limits and faults', () => {
  it('the 11th create on one device within a minute is 429 with retry-after; fine again after the window', async () => {
    const { w, lockId } = world({ limit: 50 });
    for (let i = 0; i < 10; i++) value(w.createAccessCode({ deviceId: lockId }));
    const limited = failure(w.createAccessCode({ deviceId: lockId }));
    expect(limited).toMatchObject({ type: 'rate_limit_exceeded', status: 429, retryAfterMs: 60_000 });
    expect(w.inspectAccessCodes()).toHaveLength(10);
    await w.advance(60_000);
    expect(w.createAccessCode({ deviceId: lockId }).ok).toBe(true);
  });

  it('rate limits can be switched off', () => {
    const { w, lockId } = world({ limit: 50 });
    w.setRateLimitsEnabled(false);
    for (let i = 0; i < 30; i++) value(w.unlockDoor(lockId));
  });

  it('server_error fails before acting; reply_lost applies the change then fails; both consumed', () => {
    const { w, lockId } = world();
    value(w.injectFault({ kind: 'server_error', status: 500, operations: ['create_access_code'] }));
    expect(failure(w.createAccessCode({ deviceId: lockId }))).toMatchObject({
      type: 'internal_server_error',
      status: 500,
    });
    expect(w.inspectAccessCodes()).toHaveLength(0);
    value(w.injectFault({ kind: 'reply_lost' }));
    expect(failure(w.createAccessCode({ deviceId: lockId }))).toMatchObject({
      type: 'reply_lost',
      committed: true,
    });
    expect(w.inspectAccessCodes()).toHaveLength(1);
    expect(w.createAccessCode({ deviceId: lockId }).ok).toBe(true);
    expect(w.listFaults()).toEqual([]);
  });

  it('latency faults are handed to the caller, rate_limited faults fail with 429, count is honoured', () => {
    const { w, lockId } = world();
    value(w.injectFault({ kind: 'latency', latencyMs: 1500, operations: ['get_device'] }));
    expect(w.takeLatency('list_devices')).toBe(0);
    expect(w.takeLatency('get_device')).toBe(1500);
    expect(w.takeLatency('get_device')).toBe(0);
    value(w.injectFault({ kind: 'rate_limited', retryAfterMs: 250, count: 2 }));
    expect(failure(w.getDevice(lockId)).retryAfterMs).toBe(250);
    expect(failure(w.listDevices()).status).toBe(429);
    expect(w.getDevice(lockId).ok).toBe(true);
  });
});

describe('events and memory', () => {
  it('keeps at most eventLogCapacity events, newest last, sequence increasing', () => {
    const { w, lockId } = world({ limit: 1000, config: { config: { eventLogCapacity: 5 } } });
    w.setRateLimitsEnabled(false);
    for (let i = 0; i < 20; i++) value(w.createAccessCode({ deviceId: lockId }));
    const events = value(w.listEvents());
    expect(events).toHaveLength(5);
    const seqs = events.map((e) => e.sequence);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBeGreaterThan(20);
  });

  it('forgets finished action attempts beyond the retention', async () => {
    const { w, lockId } = world({ config: { config: { actionAttemptRetention: 2 } } });
    w.setRateLimitsEnabled(false);
    const ids = [1, 2, 3].map(() => value(w.unlockDoor(lockId)).actionAttemptId);
    await w.advance(10_000);
    // Attempts finish in random order; the first to finish is forgotten, two stay.
    const found = ids.map((id) => w.getActionAttempt(id));
    expect(found.filter((r) => r.ok)).toHaveLength(2);
    expect(found.filter((r) => !r.ok).map((r) => !r.ok && r.error.type)).toEqual([
      'action_attempt_not_found',
    ]);
  });

  it('create+delete cycles leave no state behind', async () => {
    const { w, lockId } = world();
    w.setRateLimitsEnabled(false);
    for (let i = 0; i < 200; i++) {
      const c = value(w.createAccessCode({ deviceId: lockId }));
      value(w.deleteAccessCode(c.accessCodeId));
    }
    await w.advance(10_000);
    expect(w.inspectAccessCodes()).toEqual([]);
    expect(w.pendingTransitions).toBe(0);
  });
});

describe('snapshots', () => {
  async function script(w: SaltoKsWorld, lockId: string, siteId: string): Promise<void> {
    value(w.createAccessCode({ deviceId: lockId, name: 'a' }));
    value(
      w.createAccessCode({ deviceId: lockId, startsAt: T0 + 80 * 3_600_000, endsAt: T0 + 90 * 3_600_000 }),
    );
    value(w.setHubLink(lockId, 'weak'));
    value(w.unlockDoor(lockId));
    await w.advance(2_000);
    value(w.setSlotLimit(siteId, 1));
  }

  it('toJSON → fromJSON → toJSON is identical, and the restored world continues exactly like the original', async () => {
    const a = world({ seed: 21 });
    await script(a.w, a.lockId, a.siteId);
    const snap = a.w.toJSON();
    const text = JSON.stringify(snap);
    expect(Array.isArray(JSON.parse(text).sites[0].pins)).toBe(true);
    const restored = value(SaltoKsWorld.fromJSON(JSON.parse(text)));
    expect(JSON.stringify(restored.toJSON())).toBe(text);
    for (const w of [a.w, restored]) {
      value(w.createAccessCode({ deviceId: a.lockId, name: 'after' }));
      value(w.unlockDoor(a.lockId));
      await w.advance(100 * 3_600_000);
    }
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(a.w.toJSON()));
  });

  it('the same seed and calls give byte-identical event logs; another seed differs', async () => {
    const run = async (seed: number) => {
      const x = world({ seed });
      await script(x.w, x.lockId, x.siteId);
      await x.w.advance(100 * 3_600_000);
      return JSON.stringify(value(x.w.listEvents()));
    };
    expect(await run(5)).toBe(await run(5));
    expect(await run(5)).not.toBe(await run(6));
  });
});
