import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviations } from './seam-contract.test-helpers.js';
import { startTestServer, TEST_KEY, type TestServer } from './test-server.test-helpers.js';

/**
 * The simulator over real HTTP on an ephemeral port, on a virtual clock moved through
 * /_sim/clock/advance. Every response body is checked against Seam's published schemas
 * (see seam-contract.test-helpers.ts) by the `call`/`raw` helpers.
 */

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.close();
  expect(t.violations).toEqual([]);
});

const advance = (ms: number) => t.call('/_sim/clock/advance', { ms });

describe('devices and locks', () => {
  it('lists the Salto KS locks of the default world as Seam devices', async () => {
    const r = await t.call('/devices/list');
    expect(r.status).toBe(200);
    const devices = r.body.devices as { device_id: string; device_type: string; display_name: string }[];
    expect(devices).toHaveLength(8);
    const byName = new Map(devices.map((d) => [d.display_name, d]));
    expect(byName.get('GYM')?.device_type).toBe('unknown'); // weak hub link (documented deviation)
    for (const d of devices.filter((x) => x.display_name !== 'GYM')) expect(d.device_type).toBe('salto_lock');
    expect(r.body.pagination).toEqual({ next_page_cursor: null, has_next_page: false, next_page_url: null });
    const rooftop = await t.call('/devices/get', { device_id: t.ids.locks.rooftop });
    expect(rooftop.body.device.properties.online).toBe(false);
    expect(rooftop.body.device.errors.map((e: { error_code: string }) => e.error_code)).toContain(
      'hub_disconnected',
    );
    const bike = await t.call('/locks/get', { device_id: t.ids.locks.bikeStorage });
    expect(bike.body.lock).toEqual(bike.body.device);
    expect(bike.body.device.can_program_online_access_codes).toBe(false);
  });

  it('answers GET with a query string like POST with a body, and filters', async () => {
    const viaGet = await t.call(
      '/devices/list',
      { device_ids: [t.ids.locks.gym, t.ids.locks.frontDoor] },
      { method: 'GET' },
    );
    const viaPost = await t.call('/devices/list', { device_ids: [t.ids.locks.gym, t.ids.locks.frontDoor] });
    expect(viaGet.body.devices).toHaveLength(2);
    expect(viaGet.body.devices).toEqual(viaPost.body.devices);
    const salto = await t.call('/locks/list', { device_type: 'salto_lock' });
    expect(salto.body.locks).toHaveLength(7);
    expect(salto.body.devices).toEqual(salto.body.locks);
    const byName = await t.call('/devices/get', { name: 'MEETING ROOM' });
    expect(byName.body.device.device_id).toBe(t.ids.locks.meetingRoom);
  });

  it('pages devices with Seam cursors, refusing a cursor reused with other filters', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await t.call('/devices/list', { limit: 3, ...(cursor ? { page_cursor: cursor } : {}) });
      seen.push(...r.body.devices.map((d: { device_id: string }) => d.device_id));
      cursor = r.body.pagination.next_page_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);
    const first = await t.call('/devices/list', { limit: 3 });
    const mismatched = await t.call('/devices/list', {
      limit: 3,
      device_type: 'salto_lock',
      page_cursor: first.body.pagination.next_page_cursor,
    });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error.type).toBe('mismatched_page_parameters');
    // next_page_url repeats the query and works as is.
    const next = await t.raw(
      new URL(first.body.pagination.next_page_url).pathname +
        new URL(first.body.pagination.next_page_url).search,
      {
        headers: { authorization: `Bearer ${TEST_KEY}` },
      },
    );
    expect(next.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual(seen.slice(3, 6));
  });

  it('404 device_not_found for an unknown id, 400 invalid_input for a malformed one', async () => {
    const unknown = await t.call('/devices/get', { device_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      type: 'device_not_found',
      data: { device_id: '00000000-0000-4000-8000-000000000000' },
    });
    const malformed = await t.call('/devices/get', { device_id: 'front-door' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.type).toBe('invalid_input');
    expect(malformed.body.error.validation_errors.device_id._errors.length).toBeGreaterThan(0);
  });
});

describe('access codes', () => {
  it('creates a code with no PIN yet; Salto assigns one and the code becomes set', async () => {
    const created = await t.call('/access_codes/create', {
      device_id: t.ids.locks.frontDoor,
      name: 'Guest 12',
    });
    expect(created.status).toBe(200);
    const code = created.body.access_code;
    expect(code).toMatchObject({
      code: null,
      is_waiting_for_code_assignment: true,
      status: 'setting',
      type: 'ongoing',
      name: 'Guest 12',
    });
    expect(created.body.action_attempt).toMatchObject({
      action_type: 'CREATE_ACCESS_CODE',
      status: 'success',
    });
    await advance(10_000);
    const got = await t.call('/access_codes/get', { access_code_id: code.access_code_id });
    expect(got.body.access_code.code).toMatch(/^\d{6}$/);
    expect(got.body.access_code).toMatchObject({ status: 'set', is_waiting_for_code_assignment: false });
    const listed = await t.call('/access_codes/list', { device_id: t.ids.locks.frontDoor });
    expect(listed.body.access_codes.map((c: { access_code_id: string }) => c.access_code_id)).toEqual([
      code.access_code_id,
    ]);
    const byPin = await t.call('/access_codes/get', {
      device_id: t.ids.locks.frontDoor,
      code: got.body.access_code.code,
    });
    expect(byPin.body.access_code.access_code_id).toBe(code.access_code_id);
    const events = await t.call('/events/list', {
      since: '2000-01-01T00:00:00Z',
      access_code_id: code.access_code_id,
    });
    const types = events.body.events.map((e: { event_type: string }) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['access_code.created', 'access_code.set_on_device']));

    const deleted = await t.call('/access_codes/delete', { access_code_id: code.access_code_id });
    expect(deleted.body.action_attempt).toMatchObject({
      action_type: 'DELETE_ACCESS_CODE',
      status: 'success',
    });
    expect(
      (await t.call('/access_codes/get', { access_code_id: code.access_code_id })).body.access_code.status,
    ).toBe('removing');
    await advance(30_000);
    const gone = await t.call('/access_codes/get', { access_code_id: code.access_code_id });
    expect(gone.status).toBe(404);
    expect(gone.body.error.type).toBe('access_code_not_found');
  });

  it('creates time-bound codes unset, and refuses half a window or one that ends first', async () => {
    const now = Date.parse((await t.call('/_sim/clock')).body.now);
    const startsAt = new Date(now + 7 * 24 * 3_600_000).toISOString();
    const endsAt = new Date(now + 8 * 24 * 3_600_000).toISOString();
    const r = await t.call('/access_codes/create', {
      device_id: t.ids.locks.apartment1,
      starts_at: startsAt,
      ends_at: endsAt,
    });
    expect(r.body.access_code).toMatchObject({
      type: 'time_bound',
      status: 'unset',
      code: null,
      starts_at: startsAt,
      ends_at: endsAt,
    });
    const half = await t.call('/access_codes/create', {
      device_id: t.ids.locks.apartment1,
      starts_at: startsAt,
    });
    expect(half.status).toBe(400);
    expect(half.body.error.validation_errors.ends_at._errors[0]).toMatch(/together/);
    const backwards = await t.call('/access_codes/create', {
      device_id: t.ids.locks.apartment1,
      starts_at: endsAt,
      ends_at: startsAt,
    });
    expect(backwards.status).toBe(400);
  });

  it('at the site slot limit a new code carries the not-subscribed error; account and devices say so', async () => {
    // Harbour Office: limit 3.
    for (const lock of [t.ids.locks.officeEntrance, t.ids.locks.officeEntrance, t.ids.locks.meetingRoom]) {
      const r = await t.call('/access_codes/create', { device_id: lock });
      expect(r.body.access_code.errors).toEqual([]);
    }
    const before = deviations.notSubscribedName;
    const over = await t.call('/access_codes/create', {
      device_id: t.ids.locks.meetingRoom,
      name: 'one too many',
    });
    expect(over.status).toBe(200);
    const errorCodes = over.body.access_code.errors.map((e: { error_code: string }) => e.error_code);
    expect(errorCodes).toContain('salto_site_user_not_subscribed');
    expect(deviations.notSubscribedName).toBeGreaterThan(before);
    const device = await t.call('/devices/get', { device_id: t.ids.locks.meetingRoom });
    expect(device.body.device.errors).toContainEqual(
      expect.objectContaining({
        error_code: 'salto_ks_subscription_limit_exceeded',
        is_device_error: false,
        is_connected_account_error: true,
      }),
    );
    const account = await t.call(
      '/connected_accounts/get',
      { connected_account_id: t.ids.connectedAccountId },
      { method: 'GET' },
    );
    const exceeded = account.body.connected_account.errors.find(
      (e: { error_code: string }) => e.error_code === 'salto_ks_subscription_limit_exceeded',
    );
    expect(exceeded.salto_ks_metadata.sites).toContainEqual(
      expect.objectContaining({
        site_name: 'Harbour Office',
        subscribed_site_user_count: 3,
        site_user_subscription_limit: 3,
      }),
    );
  });

  it('refuses a caller-chosen PIN where Salto generates them, and codes on a lock without PIN pad', async () => {
    const pin = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor, code: '123456' });
    expect(pin.status).toBe(400);
    expect(pin.body.error).toMatchObject({
      type: 'invalid_input',
      data: { reason: 'custom_pin_not_allowed' },
    });
    const noPad = await t.call('/access_codes/create', { device_id: t.ids.locks.bikeStorage });
    expect(noPad.status).toBe(400);
    expect(noPad.body.error.type).toBe('access_codes_not_supported');
    // The office site has a custom-PIN subscription.
    const custom = await t.call('/access_codes/create', {
      device_id: t.ids.locks.officeEntrance,
      code: '24681357',
    });
    expect(custom.body.access_code.code).toBe('24681357');
  });

  it('rate-limits creates per device with 429 and retry-after', async () => {
    let last = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    for (let i = 1; i < 10; i++)
      last = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    expect(last.status).toBe(200);
    const limited = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    expect(limited.status).toBe(429);
    expect(limited.body.error.type).toBe('rate_limit_exceeded');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await t.call('/_sim/rate_limits', { enabled: false });
    expect((await t.call('/access_codes/create', { device_id: t.ids.locks.apartment1 })).status).toBe(200);
  });
});

describe('remote unlock', () => {
  it('returns a pending action attempt that succeeds later, with lock.unlocked', async () => {
    const r = await t.call('/locks/unlock_door', { device_id: t.ids.locks.frontDoor });
    expect(r.body.action_attempt).toMatchObject({
      action_type: 'UNLOCK_DOOR',
      status: 'pending',
      result: null,
      error: null,
    });
    const id = r.body.action_attempt.action_attempt_id;
    await advance(20_000);
    const done = await t.call('/action_attempts/get', { action_attempt_id: id });
    expect(done.body.action_attempt).toMatchObject({ status: 'success', result: {}, error: null });
    const events = await t.call('/events/list', {
      since: '2000-01-01T00:00:00Z',
      device_id: t.ids.locks.frontDoor,
      event_types: ['lock.unlocked'],
    });
    expect(events.body.events).toContainEqual(
      expect.objectContaining({ event_type: 'lock.unlocked', method: 'remote', action_attempt_id: id }),
    );
  });

  it('fails on an offline hub, and is refused without the pass-through waiver', async () => {
    const offline = await t.call('/locks/unlock_door', { device_id: t.ids.locks.rooftop });
    await advance(20_000);
    const ended = await t.call('/action_attempts/get', {
      action_attempt_id: offline.body.action_attempt.action_attempt_id,
    });
    expect(ended.body.action_attempt).toMatchObject({ status: 'error', error: { type: 'hub_disconnected' } });
    const noWaiver = await t.call('/locks/unlock_door', { device_id: t.ids.locks.apartment2 });
    expect(noWaiver.status).toBe(400);
    expect(noWaiver.body.error.type).toBe('remote_unlock_not_supported');
    const unknownAttempt = await t.call('/action_attempts/get', {
      action_attempt_id: '00000000-0000-4000-8000-000000000001',
    });
    expect(unknownAttempt.status).toBe(404);
  });
});

describe("Seam's sandbox routes", () => {
  it('disconnects and reconnects a lock, and simulates keypad entry of a set code', async () => {
    expect((await t.call('/devices/simulate/disconnect', { device_id: t.ids.locks.frontDoor })).body).toEqual(
      { ok: true },
    );
    expect(
      (await t.call('/devices/get', { device_id: t.ids.locks.frontDoor })).body.device.properties.online,
    ).toBe(false);
    await t.call('/devices/simulate/connect_to_hub', { device_id: t.ids.locks.frontDoor });
    expect(
      (await t.call('/devices/get', { device_id: t.ids.locks.frontDoor })).body.device.properties.online,
    ).toBe(true);

    const created = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    await advance(10_000);
    const pin = (
      await t.call('/access_codes/get', { access_code_id: created.body.access_code.access_code_id })
    ).body.access_code.code;
    const good = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.frontDoor,
      code: pin,
    });
    expect(good.body.action_attempt).toMatchObject({
      action_type: 'SIMULATE_KEYPAD_CODE_ENTRY',
      status: 'success',
    });
    const wrong = await t.call('/locks/simulate/keypad_code_entry', {
      device_id: t.ids.locks.frontDoor,
      code: pin === '000000' ? '111111' : '000000',
    });
    expect(wrong.body.action_attempt.status).toBe('error');
  });
});

describe('connect webviews and connected accounts', () => {
  it('creates a salto_ks webview, completes it through /_sim, and the new account is listed', async () => {
    const created = await t.call('/connect_webviews/create', { accepted_providers: ['salto_ks'] });
    const w = created.body.connect_webview;
    expect(w).toMatchObject({
      status: 'pending',
      login_successful: false,
      connected_account_id: null,
      accepted_providers: ['salto_ks'],
    });
    const done = await t.call('/_sim/connect_webviews/complete', {
      connect_webview_id: w.connect_webview_id,
      display_name: 'Second owner',
    });
    expect(done.status).toBe(200);
    const after = await t.call('/connect_webviews/get', { connect_webview_id: w.connect_webview_id });
    expect(after.body.connect_webview).toMatchObject({
      status: 'authorized',
      login_successful: true,
      selected_provider: 'salto_ks',
    });
    const accounts = await t.call('/connected_accounts/list');
    expect(accounts.body.connected_accounts).toHaveLength(2);
    const got = await t.call('/connected_accounts/get', {
      connected_account_id: after.body.connect_webview.connected_account_id,
    });
    expect(got.body.connected_account).toMatchObject({
      display_name: 'Second owner',
      account_type: 'salto_ks',
    });
    // Seam's connection events, in Seam's order, each naming the webview (and the account).
    const accountId = after.body.connect_webview.connected_account_id;
    const events = (
      await t.call('/events/list', { since: '2000-01-01T00:00:00Z', connected_account_id: accountId })
    ).body.events;
    expect(
      events.map((e: Record<string, unknown>) => [
        e['event_type'],
        e['connect_webview_id'],
        e['connected_account_id'],
      ]),
    ).toEqual([
      ['connected_account.created', w.connect_webview_id, accountId],
      ['connected_account.connected', w.connect_webview_id, accountId],
      ['connect_webview.login_succeeded', w.connect_webview_id, accountId],
      ['connected_account.completed_first_sync', undefined, accountId],
    ]);
    expect((await t.call('/connect_webviews/list')).body.connect_webviews).toHaveLength(1);
    const other = await t.call('/connect_webviews/create', { accepted_providers: ['august'] });
    expect(other.status).toBe(400);
  });
});

describe('simulator controls', () => {
  it('snapshot, restore and reset bring the world back exactly', async () => {
    const snap = (await t.call('/_sim/snapshot')).body.snapshot;
    await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    expect(
      (await t.call('/access_codes/list', { device_id: t.ids.locks.frontDoor })).body.access_codes,
    ).toHaveLength(1);
    await t.call('/_sim/restore', { snapshot: snap });
    expect(
      (await t.call('/access_codes/list', { device_id: t.ids.locks.frontDoor })).body.access_codes,
    ).toHaveLength(0);
    expect((await t.call('/_sim/snapshot')).body.snapshot).toEqual(snap);
    await t.call('/_sim/slot_limit', { site_id: t.ids.sites.office, slot_limit: 0 });
    const reset = (await t.call('/_sim/reset')).body;
    expect(reset.world).toMatchObject({ restored_from: 'startup', device_count: 8, access_code_count: 0 });
    expect(reset.world.sites.map((x: { site_name: string }) => x.site_name).sort()).toEqual([
      'Casa Sol Apartments',
      'Harbour Office',
    ]);
    expect(reset.clock.clock).toBeDefined();
    const sites = (await t.call('/_sim/sites/list')).body.sites;
    expect(sites.find((s: { site_id: string }) => s.site_id === t.ids.sites.office).slot_limit).toBe(3);
  });

  it('hub link, modes and injected faults', async () => {
    await t.call('/_sim/hub_link', { device_id: t.ids.locks.frontDoor, hub_link: 'weak' });
    expect((await t.call('/devices/get', { device_id: t.ids.locks.frontDoor })).body.device.device_type).toBe(
      'unknown',
    );
    await t.call('/_sim/modes', { device_id: t.ids.locks.apartment1, privacy_mode: true });
    const d = (await t.call('/devices/get', { device_id: t.ids.locks.apartment1 })).body.device;
    expect(d.warnings.map((w: { warning_code: string }) => w.warning_code)).toContain(
      'salto_ks_privacy_mode',
    );

    const injected = (
      await t.call('/_sim/faults', { kind: 'latency', latency_ms: 30, operations: ['get_device'] })
    ).body.fault;
    // Spelled like the request (snake_case), as everything else the server answers.
    expect(injected).toEqual({
      fault_id: expect.any(Number),
      kind: 'latency',
      remaining: 1,
      operations: ['get_device'],
      latency_ms: 30,
    });
    expect((await t.call('/_sim/faults/list')).body.faults).toEqual([injected]);
    expect((await t.call('/devices/get', { device_id: t.ids.locks.gym })).status).toBe(200);
    expect((await t.call('/_sim/faults/list')).body.faults).toEqual([]);

    await t.call('/_sim/faults', { kind: 'server_error', status: 503, operations: ['list_devices'] });
    const failed = await t.call('/devices/list');
    expect(failed.status).toBe(503);
    expect((await t.call('/devices/list')).status).toBe(200);

    // Timeout after commit: the code is created but the reply is lost (connection dropped).
    await t.call('/_sim/faults', { kind: 'reply_lost', operations: ['create_access_code'] });
    await expect(t.call('/access_codes/create', { device_id: t.ids.locks.apartment1 })).rejects.toThrow();
    expect(
      (await t.call('/access_codes/list', { device_id: t.ids.locks.apartment1 })).body.access_codes,
    ).toHaveLength(1);
  });
});

describe('bad requests get Seam-shaped 4xx and change nothing', () => {
  it('leaves the world snapshot byte-identical', async () => {
    const before = JSON.stringify((await t.call('/_sim/snapshot')).body.snapshot);
    const auth = { authorization: `Bearer ${TEST_KEY}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const cases: [string, RequestInit, number, string][] = [
      ['/access_codes/create', { method: 'POST', headers: json, body: '{}' }, 400, 'invalid_input'],
      [
        '/access_codes/create',
        { method: 'POST', headers: json, body: '{"device_id": 42}' },
        400,
        'invalid_input',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor, name: 7 }),
        },
        400,
        'invalid_input',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor, code: 'abcdef' }),
        },
        400,
        'invalid_input',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ device_id: '00000000-0000-4000-8000-000000000000' }),
        },
        404,
        'device_not_found',
      ],
      [
        '/access_codes/create',
        { method: 'POST', headers: json, body: '{"device_id": "' },
        400,
        'invalid_input',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor }),
        },
        400,
        'invalid_content_type',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor, name: 'x'.repeat(2 * 1024 * 1024) }),
        },
        413,
        'payload_too_large',
      ],
      [
        '/access_codes/create',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor }),
        },
        401,
        'unauthorized',
      ],
      [
        '/access_codes/delete',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ access_code_id: '00000000-0000-4000-8000-000000000000' }),
        },
        404,
        'access_code_not_found',
      ],
      [
        '/locks/unlock_door',
        { method: 'POST', headers: json, body: JSON.stringify({ device_id: 'x' }) },
        400,
        'invalid_input',
      ],
      ['/locks/unlock_door', { method: 'GET', headers: auth }, 405, 'method_not_allowed'],
      [
        '/_sim/slot_limit',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ site_id: t.ids.sites.office, slot_limit: -1 }),
        },
        400,
        'invalid_input',
      ],
      [
        '/_sim/hub_link',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ device_id: t.ids.locks.frontDoor, hub_link: 'great' }),
        },
        400,
        'invalid_input',
      ],
      [
        '/_sim/restore',
        { method: 'POST', headers: json, body: JSON.stringify({ snapshot: { version: 2 } }) },
        400,
        'invalid_input',
      ],
      [
        '/webhooks/create',
        { method: 'POST', headers: json, body: JSON.stringify({ url: 'not a url' }) },
        400,
        'invalid_input',
      ],
      ['/events/list', { method: 'POST', headers: json, body: '{}' }, 400, 'invalid_input'],
      ['/nope', { method: 'POST', headers: json, body: '{}' }, 404, 'not_found'],
    ];
    for (const [route, init, status, type] of cases) {
      const r = await t.raw(route, init);
      expect({ route, status: r.status, type: r.body.error?.type }).toEqual({ route, status, type });
      expect(r.body.ok).toBe(false);
    }
    expect(JSON.stringify((await t.call('/_sim/snapshot')).body.snapshot)).toBe(before);
    expect((await t.call('/health', {}, { key: null })).body.ok).toBe(true);
  });
});
