import { SystemClock } from '@keyslot/core';
import { SeamHttp } from '@seamapi/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from './cli-args.js';
import { FAST_TIMINGS, startTestServer, TEST_KEY, type TestServer } from './test-server.test-helpers.js';

/**
 * Seam's official client (@seamapi/http) drives the whole ACS flow against the simulator: a user
 * identity, an Access Grant over four Salto KS entrances, its code access method — and the site
 * holds ONE slot for it, where the lock path over the same four doors holds four. Every reply the
 * SDK got was checked against Seam's schemas on the way out (`violations`).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock: new SystemClock(), config: { timings: FAST_TIMINGS } });
});
afterAll(async () => {
  await t.close();
  expect(t.violations).toEqual([]);
});

describe('Seam SDK: the ACS flow', () => {
  it('identity → Access Grant over four entrances → code access method → one subscribed user, one slot (lock path: four)', async () => {
    const seam = SeamHttp.fromApiKey(TEST_KEY, { endpoint: t.url });
    const systems = await seam.acs.systems.list();
    const apartments = systems.find((s) => s.name === 'Casa Sol Apartments')!;
    expect(apartments.external_type).toBe('salto_ks_site');
    const doors = ['FRONT DOOR', 'APARTMENT 1', 'APARTMENT 2', 'GYM'];
    const entrances = (await seam.acs.entrances.list({ acs_system_id: apartments.acs_system_id })).filter(
      (e) => doors.includes(e.display_name),
    );
    expect(entrances).toHaveLength(4);

    const identity = await seam.userIdentities.create({
      full_name: 'Jane Guest',
      email_address: 'jane@example.com',
    });
    const now = Date.now();
    const grant = await seam.accessGrants.create({
      user_identity_id: identity.user_identity_id,
      acs_entrance_ids: entrances.map((e) => e.acs_entrance_id),
      requested_access_methods: [{ mode: 'code' }],
      starts_at: new Date(now).toISOString(),
      ends_at: new Date(now + 4 * 24 * 3_600_000).toISOString(),
      access_grant_key: 'booking-4-doors',
    } as Parameters<typeof seam.accessGrants.create>[0]);
    expect(grant.access_method_ids).toHaveLength(1);

    let method = await seam.accessMethods.get({ access_method_id: grant.access_method_ids[0]! });
    for (let i = 0; i < 50 && !method.is_issued; i++) {
      await new Promise((r) => setTimeout(r, 20));
      method = await seam.accessMethods.get({ access_method_id: grant.access_method_ids[0]! });
    }
    expect(method.is_issued).toBe(true);
    expect(method.code).toMatch(/^\d{6}$/);
    expect(
      (await seam.accessMethods.list({ access_grant_id: grant.access_grant_id })).map(
        (m) => m.access_method_id,
      ),
    ).toEqual(grant.access_method_ids);
    expect(
      (
        await seam.accessGrants.get({ access_grant_key: 'booking-4-doors' } as unknown as {
          access_grant_id: string;
        })
      ).access_grant_id,
    ).toBe(grant.access_grant_id);

    const users = await seam.acs.users.list({ user_identity_id: identity.user_identity_id });
    expect(users).toHaveLength(1);
    const user = users[0]! as unknown as {
      salto_ks_metadata: { is_subscribed: boolean };
      acs_user_id: string;
    };
    expect(user.salto_ks_metadata.is_subscribed).toBe(true);
    expect(await seam.acs.users.listAccessibleEntrances({ acs_user_id: user.acs_user_id })).toHaveLength(4);
    const [cred] = await seam.acs.credentials.list({ acs_user_id: user.acs_user_id });
    expect(cred!.code).toBe(method.code);

    // The site's subscribed Salto users, as the simulator counts them.
    const slots = async () => t.server.world.inspectSite(t.ids.sites.apartments)!.used;
    expect(await slots()).toBe(1);

    // The lock path over the same four doors: one Salto user (slot) per code.
    const devices = await seam.locks.list();
    for (const name of doors) {
      const d = devices.find((x) => x.display_name === name)!;
      await seam.accessCodes.create({ device_id: d.device_id, name: 'lock path' });
    }
    expect(await slots()).toBe(5);

    await seam.accessGrants.delete({ access_grant_id: grant.access_grant_id });
    expect(await slots()).toBe(4);
    expect(await seam.acs.users.list({ user_identity_id: identity.user_identity_id })).toEqual([]);
  });
});

/**
 * The whole documented ACS flow through Seam's SDK against the server as `pnpm start` runs it: the
 * default world (seed 42), the real clock and Salto's default delays (PIN 1–3 s, mobile key 1–5 s),
 * rate limits on. Every reply is checked against the newest Seam schemas on the way out.
 */
describe('Seam SDK: every ACS route against the default world (pnpm start)', () => {
  let d: TestServer;
  beforeAll(async () => {
    d = await startTestServer({ seed: DEFAULT_SEED, clock: new SystemClock() });
  });
  afterAll(async () => {
    await d.close();
    expect(d.violations).toEqual([]);
  });

  /** Polls `read` until `done` holds (Salto issues PINs and mobile keys after a delay). */
  async function until<T>(read: () => Promise<T>, done: (x: T) => boolean): Promise<T> {
    let x = await read();
    for (let i = 0; i < 150 && !done(x); i++) {
      await new Promise((r) => setTimeout(r, 100));
      x = await read();
    }
    return x;
  }
  const subscribed = (u: unknown) =>
    (u as { salto_ks_metadata?: { is_subscribed?: boolean } }).salto_ks_metadata?.is_subscribed;

  it('systems, entrances, access groups, users, credentials (code and mobile key), identities, grants and methods', async () => {
    const seam = SeamHttp.fromApiKey(TEST_KEY, { endpoint: d.url });
    const slots = () => d.server.world.inspectSite(d.ids.sites.apartments)!.used;

    // Systems and entrances (synced from Salto, read-only).
    const system = (await seam.acs.systems.list()).find((s) => s.name === 'Casa Sol Apartments')!;
    expect(system.external_type).toBe('salto_ks_site');
    expect((await seam.acs.systems.get({ acs_system_id: system.acs_system_id })).name).toBe(system.name);
    const entrances = await seam.acs.entrances.list({ acs_system_id: system.acs_system_id });
    expect(entrances.length).toBeGreaterThanOrEqual(4);
    const front = entrances.find((e) => e.display_name === 'FRONT DOOR')!;
    expect((await seam.acs.entrances.get({ acs_entrance_id: front.acs_entrance_id })).display_name).toBe(
      'FRONT DOOR',
    );

    // Access groups (synced, never created through the API).
    const groups = await seam.acs.accessGroups.list({ acs_system_id: system.acs_system_id });
    const main = groups.find((g) => g.name === 'Main Group')!;
    expect(main.external_type).toBe('salto_ks_access_group');
    expect((await seam.acs.accessGroups.get({ acs_access_group_id: main.acs_access_group_id })).name).toBe(
      'Main Group',
    );
    const groupDoors = await seam.acs.accessGroups.listAccessibleEntrances({
      acs_access_group_id: main.acs_access_group_id,
    });
    expect(groupDoors.map((e) => e.display_name).sort()).toEqual([
      'APARTMENT 1',
      'APARTMENT 2',
      'FRONT DOOR',
      'GYM',
    ]);

    // A user identity, then an ACS user linked to it: one subscribed Salto user, one slot.
    const before = slots();
    const identity = await seam.userIdentities.create({
      full_name: 'Ana Ruiz',
      user_identity_key: 'guest-ana',
    });
    expect((await seam.userIdentities.get({ user_identity_id: identity.user_identity_id })).full_name).toBe(
      'Ana Ruiz',
    );
    expect((await seam.userIdentities.get({ user_identity_key: 'guest-ana' })).user_identity_id).toBe(
      identity.user_identity_id,
    );
    expect((await seam.userIdentities.list()).map((i) => i.user_identity_id)).toContain(
      identity.user_identity_id,
    );
    const user = await seam.acs.users.create({
      acs_system_id: system.acs_system_id,
      full_name: 'Ana Ruiz',
      user_identity_id: identity.user_identity_id,
    });
    expect(user.external_type).toBe('salto_site_user');
    expect(subscribed(user)).toBe(true);
    expect(slots()).toBe(before + 1);
    const userId = user.acs_user_id;
    expect((await seam.acs.users.get({ acs_user_id: userId })).full_name).toBe('Ana Ruiz');
    expect(
      (await seam.acs.users.list({ acs_system_id: system.acs_system_id })).map((u) => u.acs_user_id),
    ).toContain(userId);
    await seam.acs.users.update({ acs_user_id: userId, full_name: 'Ana Ruiz Gil' });
    expect((await seam.acs.users.get({ acs_user_id: userId })).full_name).toBe('Ana Ruiz Gil');

    // Doors through the access group; suspending frees the slot, unsuspending takes it again.
    await seam.acs.users.addToAccessGroup({
      acs_user_id: userId,
      acs_access_group_id: main.acs_access_group_id,
    });
    expect(await seam.acs.users.listAccessibleEntrances({ acs_user_id: userId })).toHaveLength(4);
    expect(
      (await seam.acs.accessGroups.listUsers({ acs_access_group_id: main.acs_access_group_id })).map(
        (u) => u.acs_user_id,
      ),
    ).toContain(userId);
    await seam.acs.users.suspend({ acs_user_id: userId });
    const suspended = await seam.acs.users.get({ acs_user_id: userId });
    expect([suspended.is_suspended, subscribed(suspended), slots()]).toEqual([true, false, before]);
    await seam.acs.users.unsuspend({ acs_user_id: userId });
    expect([subscribed(await seam.acs.users.get({ acs_user_id: userId })), slots()]).toEqual([
      true,
      before + 1,
    ]);

    // Credentials: a Salto-generated PIN and a multi-phone mobile key, issued after Salto's delays.
    const pin = await seam.acs.credentials.create({ acs_user_id: userId, access_method: 'code' });
    const key = await seam.acs.credentials.create({
      acs_user_id: userId,
      access_method: 'mobile_key',
      is_multi_phone_sync_credential: true,
    });
    const issuedPin = await until(
      () => seam.acs.credentials.get({ acs_credential_id: pin.acs_credential_id }),
      (c) => c.is_issued === true,
    );
    expect(issuedPin.code).toMatch(/^\d{6,10}$/);
    const issuedKey = await until(
      () => seam.acs.credentials.get({ acs_credential_id: key.acs_credential_id }),
      (c) => c.is_issued === true,
    );
    expect([issuedKey.access_method, issuedKey.is_multi_phone_sync_credential]).toEqual(['mobile_key', true]);
    expect(
      (await seam.acs.credentials.list({ acs_user_id: userId })).map((c) => c.access_method).sort(),
    ).toEqual(['code', 'mobile_key']);
    await seam.acs.credentials.delete({ acs_credential_id: pin.acs_credential_id });
    await seam.acs.credentials.delete({ acs_credential_id: key.acs_credential_id });
    expect(await seam.acs.credentials.list({ acs_user_id: userId })).toEqual([]);
    await seam.acs.users.removeFromAccessGroup({
      acs_user_id: userId,
      acs_access_group_id: main.acs_access_group_id,
    });
    expect(await seam.acs.users.listAccessibleEntrances({ acs_user_id: userId })).toEqual([]);
    await seam.acs.users.delete({ acs_user_id: userId });
    expect(slots()).toBe(before);

    // Access Grants: one grant over the four doors, its code method, looked up by key, deleted.
    const grant = await seam.accessGrants.create({
      user_identity_id: identity.user_identity_id,
      acs_entrance_ids: groupDoors.map((e) => e.acs_entrance_id),
      requested_access_methods: [{ mode: 'code' }],
      access_grant_key: 'stay-ana',
    } as Parameters<typeof seam.accessGrants.create>[0]);
    expect(slots()).toBe(before + 1);
    const byKey = await seam.accessGrants.get({ access_grant_key: 'stay-ana' } as unknown as {
      access_grant_id: string;
    });
    expect(byKey.access_grant_id).toBe(grant.access_grant_id);
    expect(
      (await seam.accessGrants.list({ acs_system_id: system.acs_system_id })).map((g) => g.access_grant_id),
    ).toContain(grant.access_grant_id);
    const methods = await seam.accessMethods.list({ access_grant_id: grant.access_grant_id });
    expect(methods.map((m) => m.mode)).toEqual(['code']);
    const method = await until(
      () => seam.accessMethods.get({ access_method_id: methods[0]!.access_method_id }),
      (m) => m.is_issued,
    );
    expect(method.code).toMatch(/^\d{6,10}$/);
    await seam.accessGrants.delete({ access_grant_id: grant.access_grant_id });
    expect(slots()).toBe(before);
    expect(await seam.accessGrants.list({ acs_system_id: system.acs_system_id })).toEqual([]);
  }, 60_000);
});
