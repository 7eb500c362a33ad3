import { HOUR_MS, VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from './default-world.js';
import { withHttpStatus } from './failure.test-helpers.js';
import type { SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

const T0 = Date.UTC(2026, 0, 1);

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}

function smallWorld(limit = 3, seed = 7) {
  const clock = new VirtualClock(T0);
  const world = new SaltoKsWorld({ seed, clock });
  const acc = value(world.addConnectedAccount()).connectedAccountId;
  const site = value(world.addSite({ connectedAccountId: acc, siteName: 'Site', slotLimit: limit }));
  const hub = value(world.addHub({ siteId: site.siteId }));
  const lock = value(world.addLock({ hubId: hub.hubId, name: 'DOOR' }));
  const lock2 = value(world.addLock({ hubId: hub.hubId, name: 'DOOR 2' }));
  return {
    clock,
    world,
    acc,
    siteId: site.siteId,
    hubId: hub.hubId,
    lockId: lock.deviceId,
    lock2: lock2.deviceId,
  };
}

describe('SaltoKsWorld: access-code lifecycle', () => {
  it('creates an ongoing code setting/null PIN, assigns a 6-digit PIN and sets it within 5 s', async () => {
    const { world, lockId } = smallWorld();
    const created = value(world.createAccessCode({ deviceId: lockId, name: 'guest' }));
    expect(created).toMatchObject({
      status: 'setting',
      code: null,
      isWaitingForCodeAssignment: true,
      holdsSlot: true,
    });
    await world.advance(5_000);
    const set = value(world.getAccessCode(created.accessCodeId));
    expect(set.status).toBe('set');
    expect(set.code).toMatch(/^\d{6}$/);
    expect(set.isWaitingForCodeAssignment).toBe(false);
    const types = value(world.listEvents({ accessCodeId: created.accessCodeId })).map((e) => e.eventType);
    expect(types).toEqual(['access_code.created', 'access_code.set_on_device']);
  });

  it('delete frees the slot at once, shows removing, then 404 after the removal delay', async () => {
    const { world, lockId, siteId } = smallWorld();
    const c = value(world.createAccessCode({ deviceId: lockId }));
    await world.advance(5_000);
    expect(value(world.getSite(siteId)).used).toBe(1);
    expect(value(world.deleteAccessCode(c.accessCodeId)).status).toBe('removing');
    expect(value(world.getSite(siteId)).used).toBe(0);
    await world.advance(5_000);
    const gone = world.getAccessCode(c.accessCodeId);
    expect(gone.ok).toBe(false);
    if (!gone.ok)
      expect(withHttpStatus(gone.error)).toMatchObject({ type: 'access_code_not_found', status: 404 });
  });

  it('at the limit the code is created with the not-subscribed error and holds no slot; account and devices say so', () => {
    const { world, lockId, lock2, siteId, acc } = smallWorld(2);
    value(world.createAccessCode({ deviceId: lockId }));
    value(world.createAccessCode({ deviceId: lock2 }));
    const third = value(world.createAccessCode({ deviceId: lockId }));
    expect(third.holdsSlot).toBe(false);
    expect(third.errors.map((e) => e.code)).toEqual(['salto_site_user_not_subscribed']);
    expect(value(world.getSite(siteId))).toMatchObject({ used: 2, limitReached: true, almostReached: true });
    const account = value(world.getConnectedAccount(acc));
    expect(account.errors[0]).toMatchObject({
      code: 'salto_ks_subscription_limit_exceeded',
      sites: [{ siteId, subscribedSiteUserCount: 2, siteUserSubscriptionLimit: 2 }],
    });
    expect(account.warnings.map((w) => w.code)).toEqual(['salto_ks_subscription_limit_almost_reached']);
    const device = value(world.getDevice(lockId));
    expect(device.errors).toContainEqual(
      expect.objectContaining({
        code: 'salto_ks_subscription_limit_exceeded',
        isConnectedAccountError: true,
      }),
    );
  });

  it('refuses a caller PIN without custom-PIN subscription, accepts it with one', () => {
    const { world, lockId, siteId } = smallWorld();
    const refused = world.createAccessCode({ deviceId: lockId, code: '123456' });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(withHttpStatus(refused.error)).toMatchObject({
        type: 'invalid_input',
        status: 400,
        data: { reason: 'custom_pin_not_allowed' },
      });
    value(world.setCustomPinSubscription(siteId, true));
    const accepted = value(world.createAccessCode({ deviceId: lockId, code: '123456' }));
    expect(accepted).toMatchObject({ code: '123456', isWaitingForCodeAssignment: false });
    const dup = world.createAccessCode({ deviceId: lockId, code: '123456' });
    expect(!dup.ok && dup.error.type).toBe('duplicate_access_code');
  });

  it('time-bound: unset, loaded 72 h before start, set at start, removed at end', async () => {
    const { world, lockId, siteId } = smallWorld();
    const startsAt = T0 + 100 * HOUR_MS;
    const endsAt = startsAt + 2 * HOUR_MS;
    const c = value(world.createAccessCode({ deviceId: lockId, startsAt, endsAt }));
    expect(c).toMatchObject({ status: 'unset', holdsSlot: false, loaded: false });
    await world.advance(28 * HOUR_MS - 1);
    expect(value(world.getSite(siteId)).used).toBe(0);
    await world.advance(1);
    expect(value(world.getSite(siteId)).used).toBe(1);
    await world.advance(10_000);
    expect(value(world.getAccessCode(c.accessCodeId))).toMatchObject({
      status: 'unset',
      isScheduledOnDevice: true,
    });
    await world.advance(72 * HOUR_MS);
    expect(value(world.getAccessCode(c.accessCodeId)).status).toBe('set');
    await world.advance(2 * HOUR_MS - 10_000); // exactly endsAt
    expect(value(world.getAccessCode(c.accessCodeId)).status).toBe('removing');
    expect(value(world.getSite(siteId)).used).toBe(0);
    await world.advance(20_000);
    expect(world.getAccessCode(c.accessCodeId).ok).toBe(false);
  });
});

describe('default world', () => {
  it('is identical for the same seed and has the promised locks', () => {
    const a = createDefaultWorld({ seed: 5 });
    const b = createDefaultWorld({ seed: 5 });
    expect(JSON.stringify(a.world.toJSON())).toBe(JSON.stringify(b.world.toJSON()));
    const devices = value(a.world.listDevices());
    expect(devices).toHaveLength(8);
    expect(value(a.world.getDevice(a.ids.locks.gym)).deviceType).toBe('unknown');
    expect(value(a.world.getDevice(a.ids.locks.rooftop)).online).toBe(false);
    expect(value(a.world.getDevice(a.ids.locks.bikeStorage)).capabilities.accessCodes).toBe(false);
    const limits = value(a.world.listSites()).map((s) => s.slotLimit);
    expect(new Set(limits).size).toBe(2);
  });
});

describe('addSite time zone', () => {
  const addSite = (timeZone: unknown) => {
    const world = new SaltoKsWorld({ seed: 1, clock: new VirtualClock(T0) });
    const acc = value(world.addConnectedAccount()).connectedAccountId;
    return world.addSite({
      connectedAccountId: acc,
      siteName: 'S',
      slotLimit: 5,
      timeZone: timeZone as string,
    });
  };

  it.each([
    'Europe/Madrid',
    'America/Argentina/Buenos_Aires',
    'UTC',
    'Etc/GMT+5',
    'Asia/Calcutta',
    'europe/madrid',
  ])('keeps %j, a zone the runtime knows (canonical, alias or other casing)', (zone) => {
    expect(value(addSite(zone)).timeZone).toBe(zone);
  });

  it.each(['Mars/Olympus', '', ' Europe/Madrid', '+01:00', 'Europe/Madrid ', 42, null])(
    'refuses %j with a typed invalid_input naming the field',
    (zone) => {
      const r = addSite(zone);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(withHttpStatus(r.error)).toMatchObject({
        type: 'invalid_input',
        status: 400,
        data: { field: 'timeZone' },
      });
      expect(r.error.message).toBe(`Invalid timeZone: ${JSON.stringify(zone)} is not an IANA time zone.`);
    },
  );
});
