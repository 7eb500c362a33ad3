import { VirtualClock } from '@keyslot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.test-helpers.js';

/**
 * The ACS routes over HTTP on a virtual clock: every reply is checked against Seam's newest
 * published schemas (`@seamapi/types` zod schemas; OpenAPI for Access Grants and access methods)
 * by the test server, and `violations` must stay empty.
 */
const T0 = Date.UTC(2026, 0, 1);
let t: TestServer;
let office: string;
let apartments: string;
const ok = async (route: string, params: Record<string, unknown> = {}) => {
  const r = await t.call(route, params);
  if (r.status !== 200) throw new Error(`${route} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const advance = (ms: number) => ok('/_sim/clock/advance', { ms });

beforeAll(async () => {
  t = await startTestServer({ clock: new VirtualClock(T0) });
  const systems = (await ok('/acs/systems/list')).acs_systems;
  office = systems.find((s: { name: string }) => s.name === 'Harbour Office').acs_system_id;
  apartments = systems.find((s: { name: string }) => s.name === 'Casa Sol Apartments').acs_system_id;
});
afterAll(async () => {
  await t.close();
  expect(t.violations).toEqual([]);
});

describe('ACS routes', () => {
  it('lists systems (salto_ks_site), entrances with salto_ks_metadata, and the synced access groups', async () => {
    const sys = (await ok('/acs/systems/get', { acs_system_id: office })).acs_system;
    expect([sys.external_type, sys.location.time_zone]).toEqual(['salto_ks_site', 'Europe/London']);
    const entrances = (await t.call('/acs/entrances/list', { acs_system_id: office }, { method: 'GET' }))
      .body;
    expect(entrances.acs_entrances.map((e: { display_name: string }) => e.display_name)).toEqual([
      'OFFICE ENTRANCE',
      'MEETING ROOM',
    ]);
    expect(entrances.acs_entrances[0].salto_ks_metadata.door_name).toBe('OFFICE ENTRANCE');
    const one = await ok('/acs/entrances/get', {
      acs_entrance_id: entrances.acs_entrances[0].acs_entrance_id,
    });
    expect(one.acs_entrance.can_unlock_with_code).toBe(true);
    const groups = (await ok('/acs/access_groups/list', { acs_system_id: apartments })).acs_access_groups;
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['Main Group']);
    const id = groups[0].acs_access_group_id;
    expect(
      (await ok('/acs/access_groups/get', { acs_access_group_id: id })).acs_access_group.external_type,
    ).toBe('salto_ks_access_group');
    expect(
      (await ok('/acs/access_groups/list_accessible_entrances', { acs_access_group_id: id })).acs_entrances,
    ).toHaveLength(4);
    expect((await ok('/acs/access_groups/list_users', { acs_access_group_id: id })).acs_users).toEqual([]);
  });

  it('runs the user lifecycle: create, group membership, suspend/unsuspend frees and retakes the slot, update, delete', async () => {
    const main = (await ok('/acs/access_groups/list', { acs_system_id: apartments })).acs_access_groups[0]
      .acs_access_group_id;
    const u = (
      await ok('/acs/users/create', {
        acs_system_id: apartments,
        full_name: 'Ana',
        email_address: 'ana@example.com',
      })
    ).acs_user;
    expect([u.external_type, u.salto_ks_metadata.is_subscribed]).toEqual(['salto_site_user', true]);
    await ok('/acs/users/add_to_access_group', { acs_user_id: u.acs_user_id, acs_access_group_id: main });
    expect(
      (await ok('/acs/users/list_accessible_entrances', { acs_user_id: u.acs_user_id })).acs_entrances,
    ).toHaveLength(4);
    expect((await ok('/acs/access_groups/list_users', { acs_access_group_id: main })).acs_users).toHaveLength(
      1,
    );
    await ok('/acs/users/suspend', { acs_user_id: u.acs_user_id });
    const s = (await ok('/acs/users/get', { acs_user_id: u.acs_user_id })).acs_user;
    expect([s.is_suspended, s.salto_ks_metadata.is_subscribed, s.warnings[0].warning_code]).toEqual([
      true,
      false,
      'salto_ks_user_not_subscribed',
    ]);
    await ok('/acs/users/unsuspend', { acs_user_id: u.acs_user_id });
    await ok('/acs/users/update', { acs_user_id: u.acs_user_id, full_name: 'Ana B' });
    await ok('/acs/users/remove_from_access_group', {
      acs_user_id: u.acs_user_id,
      acs_access_group_id: main,
    });
    const listed = (await ok('/acs/users/list', { acs_system_id: apartments })).acs_users;
    expect(listed.map((x: { full_name: string }) => x.full_name)).toContain('Ana B');
    await ok('/acs/users/delete', { acs_user_id: u.acs_user_id });
    const gone = await t.call('/acs/users/get', { acs_user_id: u.acs_user_id });
    expect([gone.status, gone.body.error.type]).toEqual([404, 'acs_user_not_found']);
  });

  it('at the limit: the user, the system and the connected account carry salto_ks_subscription_limit_exceeded', async () => {
    const made = [];
    for (const n of [1, 2, 3, 4])
      made.push((await ok('/acs/users/create', { acs_system_id: office, full_name: `Staff ${n}` })).acs_user);
    expect(made.map((u) => u.salto_ks_metadata.is_subscribed)).toEqual([true, true, true, false]);
    expect(made[3].errors.map((e: { error_code: string }) => e.error_code)).toEqual([
      'salto_ks_subscription_limit_exceeded',
    ]);
    const sys = (await ok('/acs/systems/get', { acs_system_id: office })).acs_system;
    expect(sys.errors.map((e: { error_code: string }) => e.error_code)).toEqual([
      'salto_ks_subscription_limit_exceeded',
    ]);
    const acc = (await ok('/connected_accounts/get', { connected_account_id: t.ids.connectedAccountId }))
      .connected_account;
    expect(acc.errors.map((e: { error_code: string }) => e.error_code)).toContain(
      'salto_ks_subscription_limit_exceeded',
    );
    for (const u of made) await ok('/acs/users/delete', { acs_user_id: u.acs_user_id });
  });

  it('credentials: generated PIN after a delay, custom code refused (400, PIN not echoed), list and delete', async () => {
    const u = (await ok('/acs/users/create', { acs_system_id: apartments, full_name: 'Pin' })).acs_user;
    const c = (await ok('/acs/credentials/create', { acs_user_id: u.acs_user_id, access_method: 'code' }))
      .acs_credential;
    expect([c.code, c.is_issued, c.external_type]).toEqual([null, false, 'salto_ks_credential']);
    await advance(3_000);
    const issued = (await ok('/acs/credentials/get', { acs_credential_id: c.acs_credential_id }))
      .acs_credential;
    expect(issued.code).toMatch(/^\d{6}$/);
    const refused = await t.call('/acs/credentials/create', {
      acs_user_id: u.acs_user_id,
      access_method: 'code',
      code: '4242424',
    });
    expect([refused.status, refused.body.error.type, refused.body.error.data.reason]).toEqual([
      400,
      'invalid_input',
      'custom_pin_not_allowed',
    ]);
    expect(JSON.stringify(refused.body)).not.toContain('4242424');
    expect((await ok('/acs/credentials/list', { acs_user_id: u.acs_user_id })).acs_credentials).toHaveLength(
      1,
    );
    await ok('/acs/credentials/delete', { acs_credential_id: c.acs_credential_id });
    expect((await ok('/acs/credentials/list', { acs_user_id: u.acs_user_id })).acs_credentials).toEqual([]);
    await ok('/acs/users/delete', { acs_user_id: u.acs_user_id });
  });

  it('user identities and a mobile key (multi-phone sync) issued after a delay', async () => {
    const i = (
      await ok('/user_identities/create', {
        user_identity_key: 'guest-42',
        full_name: 'Mo',
        email_address: 'mo@example.com',
      })
    ).user_identity;
    expect(
      (await ok('/user_identities/get', { user_identity_key: 'guest-42' })).user_identity.user_identity_id,
    ).toBe(i.user_identity_id);
    const dup = await t.call('/user_identities/create', { user_identity_key: 'guest-42' });
    expect([dup.status, dup.body.error.type]).toEqual([409, 'duplicate_user_identity_key']);
    const u = (
      await ok('/acs/users/create', {
        acs_system_id: apartments,
        full_name: 'Mo',
        user_identity_id: i.user_identity_id,
      })
    ).acs_user;
    const key = (
      await ok('/acs/credentials/create', {
        acs_user_id: u.acs_user_id,
        access_method: 'mobile_key',
        is_multi_phone_sync_credential: true,
      })
    ).acs_credential;
    await advance(5_000);
    expect(
      (await ok('/acs/credentials/get', { acs_credential_id: key.acs_credential_id })).acs_credential
        .is_issued,
    ).toBe(true);
    expect(
      (await ok('/user_identities/list')).user_identities.map(
        (x: { user_identity_id: string }) => x.user_identity_id,
      ),
    ).toContain(i.user_identity_id);
    await ok('/acs/users/delete', { acs_user_id: u.acs_user_id });
  });

  it('events of the ACS path are listed with Seam event types', async () => {
    const types = (await ok('/events/list', { since: new Date(T0).toISOString() })).events.map(
      (e: { event_type: string }) => e.event_type,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'acs_user.created',
        'acs_credential.issued',
        'acs_credential.deleted',
        'acs_user.deleted',
      ]),
    );
  });

  it('faults and rate limits answer on ACS routes as on lock routes', async () => {
    await ok('/_sim/faults', { kind: 'server_error', operations: ['list_acs_users'] });
    const r = await t.call('/acs/users/list', {});
    expect([r.status, r.body.error.type]).toEqual([503, 'service_unavailable']);
    await ok('/_sim/faults', {
      kind: 'rate_limited',
      operations: ['create_access_grant'],
      retry_after_ms: 2_000,
    });
    const limited = await t.call('/access_grants/create', {
      user_identity: { full_name: 'X' },
      acs_entrance_ids: [t.server.world.acs.acsEntranceIdOf(t.ids.locks.frontDoor)],
      requested_access_methods: [{ mode: 'code' }],
    });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
  });
});
