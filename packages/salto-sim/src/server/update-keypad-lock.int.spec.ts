import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.test-helpers.js';

/**
 * `/access_codes/update`, `/locks/simulate/keypad_code_entry` and `/locks/lock_door` over real
 * HTTP (virtual clock). Every response body is checked against Seam's schemas by the helpers.
 */

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.close();
  expect(t.violations).toEqual([]);
});

const H = 3_600_000;
const advance = (ms: number) => t.call('/_sim/clock/advance', { ms });
const now = async () => Date.parse((await t.call('/_sim/clock', {}, { method: 'GET' })).body.now);
const events = async (params: Record<string, unknown>) =>
  (await t.call('/events/list', { since: '2000-01-01T00:00:00Z', ...params })).body.events as Record<
    string,
    unknown
  >[];
const getCode = async (id: string) =>
  (await t.call('/access_codes/get', { access_code_id: id })).body.access_code;

async function setCode(deviceId: string, body: Record<string, unknown> = {}) {
  const created = await t.call('/access_codes/create', { device_id: deviceId, ...body });
  expect(created.status).toBe(200);
  await advance(10_000);
  const code = await getCode(created.body.access_code.access_code_id);
  expect(code.status).toBe('set');
  return code as { access_code_id: string; code: string };
}

describe('/access_codes/update', () => {
  it('PUT (as the SDK sends) renames a code: UPDATE_ACCESS_CODE attempt with the code, access_code.changed', async () => {
    const c = await setCode(t.ids.locks.frontDoor, { name: 'Guest 1' });
    const r = await t.call(
      '/access_codes/update',
      { access_code_id: c.access_code_id, name: 'Guest 1b' },
      { method: 'PUT' },
    );
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['action_attempt', 'ok']);
    expect(r.body.action_attempt).toMatchObject({
      action_type: 'UPDATE_ACCESS_CODE',
      status: 'success',
      result: { access_code: { access_code_id: c.access_code_id, name: 'Guest 1b', status: 'set' } },
    });
    const attempt = await t.call('/action_attempts/get', {
      action_attempt_id: r.body.action_attempt.action_attempt_id,
    });
    expect(attempt.body.action_attempt).toEqual(r.body.action_attempt);
    expect(await getCode(c.access_code_id)).toMatchObject({ name: 'Guest 1b', code: c.code, status: 'set' });
    const changed = await events({ access_code_id: c.access_code_id, event_types: ['access_code.changed'] });
    expect(changed).toHaveLength(1);
  });

  it('PATCH turns an ongoing code time-bound: its slot is given back until the new load time', async () => {
    const site = async () =>
      (await t.call('/_sim/sites/list')).body.sites.find(
        (s: { site_id: string }) => s.site_id === t.ids.sites.apartments,
      ) as { slots_used: number };
    const c = await setCode(t.ids.locks.apartment1);
    const usedBefore = (await site()).slots_used;
    const start = (await now()) + 100 * H;
    const r = await t.call(
      '/access_codes/update',
      {
        access_code_id: c.access_code_id,
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(start + 2 * H).toISOString(),
      },
      { method: 'PATCH' },
    );
    expect(r.status).toBe(200);
    expect(r.body.action_attempt.result.access_code).toMatchObject({ type: 'time_bound', status: 'unset' });
    expect((await site()).slots_used).toBe(usedBefore - 1);
    await advance(28 * H + 10_000);
    expect(await getCode(c.access_code_id)).toMatchObject({ status: 'unset', is_scheduled_on_device: true });
    expect((await site()).slots_used).toBe(usedBefore);
    const back = await t.call('/access_codes/update', { access_code_id: c.access_code_id, type: 'ongoing' });
    expect(back.body.action_attempt.result.access_code).toMatchObject({ type: 'ongoing', status: 'setting' });
  });

  it('a PIN only with the custom-PIN subscription; 409 for a taken one', async () => {
    const apt = await setCode(t.ids.locks.frontDoor);
    const refused = await t.call('/access_codes/update', {
      access_code_id: apt.access_code_id,
      code: '482913',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      type: 'invalid_input',
      data: { reason: 'custom_pin_not_allowed' },
    });
    const a = await setCode(t.ids.locks.officeEntrance, { code: '700001' });
    await setCode(t.ids.locks.meetingRoom, { code: '700002' });
    const taken = await t.call('/access_codes/update', { access_code_id: a.access_code_id, code: '700002' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.type).toBe('duplicate_access_code');
    const changed = await t.call('/access_codes/update', {
      access_code_id: a.access_code_id,
      code: '700003',
    });
    expect(changed.body.action_attempt.result.access_code).toMatchObject({
      code: '700003',
      status: 'setting',
    });
    await advance(10_000);
    expect((await getCode(a.access_code_id)).status).toBe('set');
  });

  it('refuses bad windows, removing codes, unmanaged and other devices; 404 once gone; 429 past 10/min', async () => {
    const c = await setCode(t.ids.locks.frontDoor);
    const id = c.access_code_id;
    const past = await t.call('/access_codes/update', {
      access_code_id: id,
      starts_at: '2020-01-01T00:00:00Z',
      ends_at: '2020-01-02T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ type: 'invalid_input', data: { field: 'ends_at' } });
    const half = await t.call('/access_codes/update', {
      access_code_id: id,
      ends_at: '2030-01-02T00:00:00Z',
    });
    expect(half.body.error).toMatchObject({ type: 'invalid_input', data: { field: 'starts_at' } });
    const unmanaged = await t.call('/access_codes/update', { access_code_id: id, is_managed: false });
    expect(unmanaged.status).toBe(400);
    expect(unmanaged.body.error.validation_errors.is_managed._errors.length).toBeGreaterThan(0);
    const elsewhere = await t.call('/access_codes/update', {
      access_code_id: id,
      device_id: t.ids.locks.apartment1,
      name: 'x',
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.type).toBe('access_code_not_found');
    for (let i = 0; i < 10; i++) {
      expect((await t.call('/access_codes/update', { access_code_id: id, name: `n${i}` })).status).toBe(200);
    }
    const limited = await t.call('/access_codes/update', { access_code_id: id, name: 'n10' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await t.call('/access_codes/delete', { access_code_id: id });
    await advance(60_000);
    const removing = await setCode(t.ids.locks.frontDoor);
    await t.call('/access_codes/delete', { access_code_id: removing.access_code_id });
    const whileRemoving = await t.call('/access_codes/update', {
      access_code_id: removing.access_code_id,
      name: 'y',
    });
    expect(whileRemoving.status).toBe(400);
    expect(whileRemoving.body.error.data.reason).toBe('access_code_being_removed');
    const gone = await t.call('/access_codes/update', { access_code_id: id, name: 'z' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.type).toBe('access_code_not_found');
  });
});

describe('/locks/simulate/keypad_code_entry', () => {
  it('a set code opens the lock and emits lock.unlocked (keycode); a wrong PIN emits lock.access_denied', async () => {
    const c = await setCode(t.ids.locks.frontDoor);
    const good = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.frontDoor,
      code: c.code,
    });
    expect(good.body.action_attempt).toMatchObject({
      action_type: 'SIMULATE_KEYPAD_CODE_ENTRY',
      status: 'success',
      result: {},
      error: null,
    });
    expect(await events({ device_id: t.ids.locks.frontDoor, event_types: ['lock.unlocked'] })).toEqual([
      expect.objectContaining({
        method: 'keycode',
        access_code_id: c.access_code_id,
        access_code_is_managed: true,
      }),
    ]);
    const wrong = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.frontDoor,
      code: c.code === '000000' ? '111111' : '000000',
    });
    expect(wrong.body.action_attempt).toMatchObject({ status: 'error', error: { type: 'unknown_code' } });
    const denied = await events({ device_id: t.ids.locks.frontDoor, event_types: ['lock.access_denied'] });
    expect(denied).toHaveLength(1);
    expect(denied[0]).not.toHaveProperty('access_code_id');
  });

  it('an offline hub keeps codes on the lock working; privacy mode refuses with the code id in the event', async () => {
    const c = await setCode(t.ids.locks.apartment1);
    await t.call('/devices/simulate/disconnect', { device_id: t.ids.locks.apartment1 });
    const offline = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.apartment1,
      code: c.code,
    });
    expect(offline.body.action_attempt.status).toBe('success');
    await t.call('/_sim/modes', { device_id: t.ids.locks.apartment1, privacy_mode: true });
    const privacy = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.apartment1,
      code: c.code,
    });
    expect(privacy.body.action_attempt).toMatchObject({ status: 'error', error: { type: 'privacy_mode' } });
    expect(await events({ device_id: t.ids.locks.apartment1, event_types: ['lock.access_denied'] })).toEqual([
      expect.objectContaining({ access_code_id: c.access_code_id }),
    ]);
    const noPad = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.bikeStorage,
      code: '123456',
    });
    expect(noPad.status).toBe(400);
    expect(noPad.body.error.type).toBe('access_codes_not_supported');
  });
});

describe('/locks/lock_door', () => {
  it('returns a pending LOCK_DOOR attempt that succeeds later, with lock.locked carrying its id', async () => {
    const r = await t.call('/locks/lock_door', { device_id: t.ids.locks.frontDoor });
    expect(r.body.action_attempt).toMatchObject({
      action_type: 'LOCK_DOOR',
      status: 'pending',
      result: null,
    });
    const id = r.body.action_attempt.action_attempt_id;
    await advance(20_000);
    const done = await t.call('/action_attempts/get', { action_attempt_id: id });
    expect(done.body.action_attempt).toMatchObject({ status: 'success', result: {}, error: null });
    expect(await events({ device_id: t.ids.locks.frontDoor, event_types: ['lock.locked'] })).toEqual([
      expect.objectContaining({ method: 'remote', action_attempt_id: id }),
    ]);
    expect(
      await events({ device_id: t.ids.locks.frontDoor, event_types: ['action_attempt.lock_door.succeeded'] }),
    ).toEqual([
      expect.objectContaining({ action_attempt_id: id, action_type: 'LOCK_DOOR', status: 'success' }),
    ]);
  });

  it('ends in hub_disconnected on an offline hub; 400 remote_lock_not_supported without the waiver', async () => {
    const offline = await t.call('/locks/lock_door', { device_id: t.ids.locks.rooftop });
    await advance(20_000);
    const ended = await t.call('/action_attempts/get', {
      action_attempt_id: offline.body.action_attempt.action_attempt_id,
    });
    expect(ended.body.action_attempt).toMatchObject({ status: 'error', error: { type: 'hub_disconnected' } });
    const noWaiver = await t.call('/locks/lock_door', { device_id: t.ids.locks.apartment2 });
    expect(noWaiver.status).toBe(400);
    expect(noWaiver.body.error.type).toBe('remote_lock_not_supported');
  });
});
