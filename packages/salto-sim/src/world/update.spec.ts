import { VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { failure } from './failure.test-helpers.js';
import type { SimResult, WorldConfigInput } from './types.js';
import { SaltoKsWorld } from './world.js';

/** `SaltoKsWorld.updateAccessCode` (Seam `/access_codes/update`). */

const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;
const LEAD = 72 * H;

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}
function world(opts: { limit?: number; customPins?: boolean; config?: WorldConfigInput } = {}) {
  const w = new SaltoKsWorld({
    seed: 11,
    clock: new VirtualClock(T0),
    ...(opts.config ? { config: opts.config } : {}),
  });
  const acc = value(w.addConnectedAccount()).connectedAccountId;
  const site = value(
    w.addSite({
      connectedAccountId: acc,
      siteName: 'S',
      slotLimit: opts.limit ?? 5,
      hasCustomPinSubscription: opts.customPins ?? false,
    }),
  );
  const hub = value(w.addHub({ siteId: site.siteId }));
  const lockId = value(w.addLock({ hubId: hub.hubId, name: 'DOOR' })).deviceId;
  const otherLockId = value(w.addLock({ hubId: hub.hubId, name: 'BACK' })).deviceId;
  const used = () => value(w.getSite(site.siteId)).used;
  const get = (id: string) => value(w.getAccessCode(id));
  const types = (id: string) => value(w.listEvents({ accessCodeId: id })).map((e) => e.eventType);
  return { w, siteId: site.siteId, lockId, otherLockId, used, get, types };
}

const state = (w: SaltoKsWorld) => JSON.stringify(w.toJSON());

describe('updateAccessCode: name', () => {
  it('renames a set code in place: access_code.changed, still set with the same PIN, no reprogramming', async () => {
    const { w, lockId, get, types } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, name: 'old' }));
    await w.advance(10_000);
    const before = get(c.accessCodeId);
    expect(before.status).toBe('set');
    const updated = value(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'new' }));
    expect(updated).toMatchObject({ name: 'new', status: 'set', code: before.code, holdsSlot: true });
    expect(w.pendingTransitions).toBe(0);
    expect(types(c.accessCodeId).at(-1)).toBe('access_code.changed');
  });

  it('an update that changes nothing emits nothing', async () => {
    const { w, lockId, types } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, name: 'same' }));
    await w.advance(10_000);
    const eventsBefore = types(c.accessCodeId);
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'same' }));
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId }));
    expect(types(c.accessCodeId)).toEqual(eventsBefore);
  });
});

describe('updateAccessCode: window', () => {
  it('ongoing → time-bound starting beyond the lead time frees the slot now and takes it back at the new load', async () => {
    const { w, lockId, used, get, types } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(10_000);
    expect(used()).toBe(1);
    const startsAt = T0 + 10_000 + LEAD + 10 * H;
    const endsAt = startsAt + 2 * H;
    const u = value(w.updateAccessCode({ accessCodeId: c.accessCodeId, startsAt, endsAt }));
    expect(u).toMatchObject({
      type: 'time_bound',
      startsAt,
      endsAt,
      status: 'unset',
      holdsSlot: false,
      loaded: false,
    });
    expect(used()).toBe(0);
    await w.advance(10 * H - 1);
    expect(get(c.accessCodeId).holdsSlot).toBe(false);
    await w.advance(1 + 10_000);
    expect(get(c.accessCodeId)).toMatchObject({
      holdsSlot: true,
      status: 'unset',
      isScheduledOnDevice: true,
    });
    expect(used()).toBe(1);
    await w.advance(LEAD);
    expect(get(c.accessCodeId).status).toBe('set');
    await w.advance(2 * H);
    expect(used()).toBe(0);
    await w.advance(60_000);
    expect(failure(w.getAccessCode(c.accessCodeId)).status).toBe(404);
    expect(types(c.accessCodeId)).toEqual([
      'access_code.created',
      'access_code.set_on_device',
      'access_code.changed',
      'access_code.scheduled_on_device',
      'access_code.set_on_device',
      'access_code.removed_from_device',
      'access_code.deleted',
    ]);
  });

  it('a shortened window frees the slot at its new end, not the old one', async () => {
    const { w, lockId, used, get } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, startsAt: T0 + H, endsAt: T0 + 10 * H }));
    await w.advance(H + 10_000);
    expect(get(c.accessCodeId).status).toBe('set');
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId, endsAt: T0 + 3 * H }));
    expect(used()).toBe(1);
    await w.advance(10_000);
    expect(get(c.accessCodeId)).toMatchObject({ status: 'set', endsAt: T0 + 3 * H });
    await w.advance(3 * H - (H + 20_000) - 1);
    expect(used()).toBe(1);
    await w.advance(1);
    expect(used()).toBe(0);
    expect(get(c.accessCodeId).status).toBe('removing');
  });

  it('a lengthened window keeps the code past its old end', async () => {
    const { w, lockId, used, get } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, startsAt: T0 + H, endsAt: T0 + 2 * H }));
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId, endsAt: T0 + 5 * H }));
    await w.advance(3 * H);
    expect(get(c.accessCodeId)).toMatchObject({ status: 'set', holdsSlot: true });
    expect(used()).toBe(1);
    await w.advance(2 * H);
    expect(used()).toBe(0);
  });

  it('moving the start later keeps the code from activating at the old start', async () => {
    const { w, lockId, get } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, startsAt: T0 + H, endsAt: T0 + 5 * H }));
    await w.advance(10_000);
    expect(get(c.accessCodeId).isScheduledOnDevice).toBe(true);
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId, startsAt: T0 + 3 * H }));
    await w.advance(2 * H);
    expect(get(c.accessCodeId)).toMatchObject({ status: 'unset', isScheduledOnDevice: true });
    await w.advance(H);
    expect(get(c.accessCodeId).status).toBe('set');
  });

  it("type 'ongoing' makes a time-bound code permanent: it outlives its old end", async () => {
    const { w, lockId, get } = world();
    const c = value(w.createAccessCode({ deviceId: lockId, startsAt: T0, endsAt: T0 + H }));
    await w.advance(10_000);
    const u = value(w.updateAccessCode({ accessCodeId: c.accessCodeId, type: 'ongoing' }));
    expect(u).toMatchObject({
      type: 'ongoing',
      startsAt: null,
      endsAt: null,
      status: 'setting',
      holdsSlot: true,
    });
    await w.advance(10 * H);
    expect(get(c.accessCodeId)).toMatchObject({ status: 'set', holdsSlot: true });
  });

  it('a window that makes a not-yet-loaded code load at a full site: not-subscribed error, no slot', async () => {
    const { w, lockId, otherLockId, used, get } = world({ limit: 1 });
    const future = value(
      w.createAccessCode({ deviceId: lockId, startsAt: T0 + LEAD + 10 * H, endsAt: T0 + LEAD + 20 * H }),
    );
    value(w.createAccessCode({ deviceId: otherLockId }));
    expect(used()).toBe(1);
    const u = value(w.updateAccessCode({ accessCodeId: future.accessCodeId, type: 'ongoing' }));
    expect(u.holdsSlot).toBe(false);
    expect(u.errors.map((e) => e.code)).toEqual(['salto_site_user_not_subscribed']);
    expect(used()).toBe(1);
    await w.advance(60_000);
    expect(get(future.accessCodeId)).toMatchObject({ status: 'unset', holdsSlot: false });
  });

  it('a code refused at the limit stays refused when its window changes, even with a slot free', async () => {
    const { w, lockId, used, get } = world({ limit: 1 });
    const holder = value(w.createAccessCode({ deviceId: lockId }));
    const refused = value(w.createAccessCode({ deviceId: lockId }));
    value(w.deleteAccessCode(holder.accessCodeId));
    expect(used()).toBe(0);
    value(w.updateAccessCode({ accessCodeId: refused.accessCodeId, startsAt: T0 + H, endsAt: T0 + 2 * H }));
    await w.advance(H);
    expect(get(refused.accessCodeId)).toMatchObject({ holdsSlot: false, type: 'time_bound' });
    expect(used()).toBe(0);
    await w.advance(H + 60_000);
    expect(failure(w.getAccessCode(refused.accessCodeId)).status).toBe(404);
  });

  it('refuses a bad window with invalid_input naming the field, changing nothing', async () => {
    const { w, lockId } = world();
    const ongoing = value(w.createAccessCode({ deviceId: lockId }));
    const bound = value(w.createAccessCode({ deviceId: lockId, startsAt: T0 + H, endsAt: T0 + 2 * H }));
    await w.advance(10_000);
    const before = state(w);
    const cases: [Parameters<SaltoKsWorld['updateAccessCode']>[0], string][] = [
      [{ accessCodeId: ongoing.accessCodeId, endsAt: T0 + H }, 'starts_at'],
      [{ accessCodeId: ongoing.accessCodeId, startsAt: T0 + H }, 'ends_at'],
      [{ accessCodeId: ongoing.accessCodeId, type: 'time_bound' }, 'starts_at'],
      [{ accessCodeId: bound.accessCodeId, endsAt: T0 }, 'ends_at'],
      [{ accessCodeId: bound.accessCodeId, endsAt: T0 + H }, 'ends_at'],
      [{ accessCodeId: bound.accessCodeId, startsAt: T0 + 3 * H }, 'ends_at'],
      [{ accessCodeId: bound.accessCodeId, type: 'ongoing', endsAt: T0 + 3 * H }, 'ends_at'],
      [{ accessCodeId: bound.accessCodeId, startsAt: Number.NaN }, 'starts_at'],
      [{ accessCodeId: bound.accessCodeId, type: 'forever' as 'ongoing' }, 'type'],
      [{ accessCodeId: bound.accessCodeId, name: 42 as unknown as string }, 'name'],
    ];
    for (const [params, field] of cases) {
      const e = failure(w.updateAccessCode(params));
      expect(e, JSON.stringify(params)).toMatchObject({
        type: 'invalid_input',
        status: 400,
        data: { field },
      });
    }
    expect(state(w)).toBe(before);
  });
});

describe('updateAccessCode: PIN', () => {
  it('refuses a PIN without the custom-PIN subscription', async () => {
    const { w, lockId } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    const before = state(w);
    expect(failure(w.updateAccessCode({ accessCodeId: c.accessCodeId, code: '123456' }))).toMatchObject({
      type: 'invalid_input',
      data: { field: 'code', reason: 'custom_pin_not_allowed' },
    });
    expect(state(w)).toBe(before);
  });

  it('with the subscription: the new PIN is programmed again, the old one is free, a taken one is 409', async () => {
    const { w, lockId, get } = world({ customPins: true });
    const a = value(w.createAccessCode({ deviceId: lockId, code: '111111' }));
    const b = value(w.createAccessCode({ deviceId: lockId, code: '222222' }));
    await w.advance(10_000);
    expect(failure(w.updateAccessCode({ accessCodeId: a.accessCodeId, code: '222222' }))).toMatchObject({
      type: 'duplicate_access_code',
      status: 409,
    });
    expect(failure(w.updateAccessCode({ accessCodeId: a.accessCodeId, code: '12' })).data).toMatchObject({
      field: 'code',
    });
    const u = value(w.updateAccessCode({ accessCodeId: a.accessCodeId, code: '333333' }));
    expect(u).toMatchObject({ code: '333333', status: 'setting', holdsSlot: true });
    await w.advance(10_000);
    expect(get(a.accessCodeId).status).toBe('set');
    expect(value(w.createAccessCode({ deviceId: lockId, code: '111111' })).code).toBe('111111');
    expect(get(b.accessCodeId).code).toBe('222222');
  });

  it('offline hub: the change waits (setting + delay warning) and is applied on reconnect', async () => {
    const { w, lockId, get } = world({ customPins: true });
    const c = value(w.createAccessCode({ deviceId: lockId, code: '111111' }));
    await w.advance(10_000);
    value(w.setHubLink(lockId, 'offline'));
    value(w.updateAccessCode({ accessCodeId: c.accessCodeId, code: '444444' }));
    await w.advance(H);
    expect(get(c.accessCodeId)).toMatchObject({
      status: 'setting',
      holdsSlot: true,
      warnings: [expect.objectContaining({ code: 'delay_in_setting_on_device' })],
    });
    value(w.setHubLink(lockId, 'good'));
    await w.advance(10_000);
    expect(get(c.accessCodeId)).toMatchObject({ status: 'set', code: '444444', warnings: [] });
  });
});

describe('updateAccessCode: which codes', () => {
  it('a code being removed is 400 (it still exists), a gone one 404, another device 404', async () => {
    const { w, lockId, otherLockId } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    const other = value(w.createAccessCode({ deviceId: lockId }));
    value(w.deleteAccessCode(c.accessCodeId));
    expect(failure(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'x' }))).toMatchObject({
      type: 'invalid_input',
      status: 400,
      data: { reason: 'access_code_being_removed' },
    });
    await w.advance(60_000);
    expect(failure(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'x' }))).toMatchObject({
      type: 'access_code_not_found',
      status: 404,
    });
    expect(
      failure(w.updateAccessCode({ accessCodeId: other.accessCodeId, deviceId: otherLockId, name: 'x' })),
    ).toMatchObject({ type: 'access_code_not_found', status: 404, data: { device_id: otherLockId } });
    expect(
      failure(
        w.updateAccessCode({
          accessCodeId: other.accessCodeId,
          deviceId: '00000000-0000-4000-8000-000000000000',
          name: 'x',
        }),
      ),
    ).toMatchObject({ type: 'device_not_found', status: 404 });
    expect(
      value(w.updateAccessCode({ accessCodeId: other.accessCodeId, deviceId: lockId, name: 'x' })).name,
    ).toBe('x');
  });

  it('is rate limited at 10 per minute per device (429 with retryAfterMs)', async () => {
    const { w, lockId } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    for (let i = 0; i < 10; i++) value(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: `n${i}` }));
    const limited = failure(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'n10' }));
    expect(limited).toMatchObject({ type: 'rate_limit_exceeded', status: 429 });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await w.advance(60_000);
    expect(value(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'n10' })).name).toBe('n10');
  });

  it('reply_lost: the update is applied (committed) but the answer is a 504', () => {
    const { w, lockId, get } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    value(w.injectFault({ kind: 'reply_lost', operations: ['update_access_code'] }));
    expect(failure(w.updateAccessCode({ accessCodeId: c.accessCodeId, name: 'late' }))).toMatchObject({
      type: 'reply_lost',
      committed: true,
    });
    expect(get(c.accessCodeId).name).toBe('late');
  });
});
