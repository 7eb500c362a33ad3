import { SystemClock } from '@keyslot/core';
import { SeamHttp } from '@seamapi/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
