import { HOUR_MS, VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../default-world.js';
import { parseWorldSnapshot, restoreWorldSnapshot } from '../snapshot-schema.js';
import type { SimResult } from '../types.js';
import { SaltoKsWorld } from '../world.js';

const T0 = Date.UTC(2026, 0, 1);

function must<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
  return r.value;
}

/** The default world: apartments (limit 10), office (limit 3) with access groups. */
function world() {
  const { world: w, ids } = createDefaultWorld({ seed: 7, clock: new VirtualClock(T0) });
  const officeSystem = w.acs.acsSystemIdOf(ids.sites.office);
  const aptSystem = w.acs.acsSystemIdOf(ids.sites.apartments);
  return { w, ids, officeSystem, aptSystem };
}

const codes = (r: { errors: readonly { code: string }[] } | { warnings: readonly { code: string }[] }) =>
  ('errors' in r ? r.errors : r.warnings).map((i) => i.code);

describe('the ACS side of the simulated sites', () => {
  it('each site is an ACS system (salto_ks_site) with one entrance per lock and synced access groups', () => {
    const { w, ids, officeSystem } = world();
    const systems = must(w.acs.listSystems());
    expect(systems.map((s) => s.name)).toEqual(['Casa Sol Apartments', 'Harbour Office']);
    expect(must(w.acs.getSystem(officeSystem)).slotLimit).toBe(3);
    const entrances = must(w.acs.listEntrances({ acsSystemId: officeSystem }));
    expect(entrances.map((e) => e.name)).toEqual(['OFFICE ENTRANCE', 'MEETING ROOM']);
    expect(entrances[0]!.acsEntranceId).toBe(w.acs.acsEntranceIdOf(ids.locks.officeEntrance));
    const groups = must(w.acs.listAccessGroups());
    expect(groups.map((g) => g.name)).toEqual(['Main Group', 'Office Staff']);
    expect(must(w.acs.getAccessGroup(ids.accessGroups.officeStaff)).entranceIds).toEqual(
      entrances.map((e) => e.acsEntranceId),
    );
  });

  it('ids of synced objects are derived: the same site gives the same ACS system id in every world', () => {
    const a = world();
    const b = world();
    expect(a.officeSystem).toBe(b.officeSystem);
    expect(a.officeSystem).not.toBe(a.aptSystem);
    expect(a.officeSystem).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a subscribed ACS user holds ONE slot however many entrances its access group opens', () => {
    const { w, ids, aptSystem } = world();
    const u = must(
      w.acs.createUser({ acsSystemId: aptSystem, fullName: 'Ana', accessGroupIds: [ids.accessGroups.main] }),
    );
    expect(u.isSubscribed).toBe(true);
    expect(must(w.acs.listUserEntrances({ acsUserId: u.acsUserId }))).toHaveLength(4);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(1);
  });

  it('ACS users and access codes share the site pool: both count in used, the limit stops both', () => {
    const { w, ids, officeSystem } = world();
    must(w.createAccessCode({ deviceId: ids.locks.officeEntrance, name: 'code' }));
    must(w.acs.createUser({ acsSystemId: officeSystem, fullName: 'U1' }));
    expect(w.inspectSite(ids.sites.office)!.used).toBe(2);
    must(w.acs.createUser({ acsSystemId: officeSystem, fullName: 'U2' }));
    const refused = must(w.acs.createUser({ acsSystemId: officeSystem, fullName: 'U3' }));
    expect(refused.isSubscribed).toBe(false);
    expect(refused.notSubscribedReason).toBe('site_at_limit');
    expect(codes({ errors: refused.errors })).toEqual(['salto_ks_subscription_limit_exceeded']);
    expect(codes({ warnings: refused.warnings })).toEqual(['salto_ks_user_not_subscribed']);
    expect(codes({ errors: must(w.acs.getSystem(officeSystem)).errors })).toEqual([
      'salto_ks_subscription_limit_exceeded',
    ]);
    expect(codes({ errors: must(w.getConnectedAccount(ids.connectedAccountId)).errors })).toEqual([
      'salto_ks_subscription_limit_exceeded',
    ]);
    const code = must(w.createAccessCode({ deviceId: ids.locks.meetingRoom, name: 'late' }));
    expect(code.holdsSlot).toBe(false);
    expect(w.inspectSite(ids.sites.office)!.used).toBe(3);
  });

  it('above 80 % the ACS system warns salto_ks_subscription_limit_almost_reached', () => {
    const { w, ids, officeSystem } = world();
    must(w.acs.createUser({ acsSystemId: officeSystem, fullName: 'U1' }));
    must(w.acs.createUser({ acsSystemId: officeSystem, fullName: 'U2' }));
    expect(codes({ warnings: must(w.acs.getSystem(officeSystem)).warnings })).toEqual([]);
    must(w.setSlotLimit(ids.sites.office, 2));
    must(w.setSlotLimit(ids.sites.office, 3));
    must(w.createAccessCode({ deviceId: ids.locks.officeEntrance }));
    expect(codes({ warnings: must(w.acs.getSystem(officeSystem)).warnings })).toEqual([
      'salto_ks_subscription_limit_almost_reached',
    ]);
    must(w.setSlotLimit(ids.sites.office, 4));
    expect(codes({ warnings: must(w.acs.getSystem(officeSystem)).warnings })).toEqual([]);
  });

  it('a user whose schedule starts later is unsubscribed, takes no slot, and is subscribed at starts_at; unsubscribed at ends_at', async () => {
    const { w, ids, aptSystem } = world();
    const startsAt = T0 + 2 * HOUR_MS;
    const endsAt = T0 + 5 * HOUR_MS;
    const u = must(
      w.acs.createUser({ acsSystemId: aptSystem, fullName: 'Later', accessSchedule: { startsAt, endsAt } }),
    );
    expect(u.isSubscribed).toBe(false);
    expect(u.notSubscribedReason).toBe('schedule_not_started');
    expect(codes({ warnings: u.warnings })).toEqual(['salto_ks_user_not_subscribed']);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(0);
    await w.advance(2 * HOUR_MS - 1);
    expect(must(w.acs.getUser({ acsUserId: u.acsUserId })).isSubscribed).toBe(false);
    await w.advance(1);
    const on = must(w.acs.getUser({ acsUserId: u.acsUserId }));
    expect(on.isSubscribed).toBe(true);
    expect(on.warnings).toEqual([]);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(1);
    await w.advance(3 * HOUR_MS);
    const off = must(w.acs.getUser({ acsUserId: u.acsUserId }));
    expect(off.isSubscribed).toBe(false);
    expect(off.notSubscribedReason).toBe('schedule_ended');
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(0);
  });

  it('suspending frees the slot, unsuspending takes it again; deleting frees it and deletes the credentials', async () => {
    const { w, ids, aptSystem } = world();
    const u = must(w.acs.createUser({ acsSystemId: aptSystem, fullName: 'Sue' }));
    must(w.acs.createCredential({ acsUserId: u.acsUserId, accessMethod: 'code' }));
    const suspended = must(w.acs.setUserSuspended({ acsUserId: u.acsUserId }, true));
    expect([suspended.isSuspended, suspended.isSubscribed, suspended.notSubscribedReason]).toEqual([
      true,
      false,
      'suspended',
    ]);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(0);
    must(w.acs.setUserSuspended({ acsUserId: u.acsUserId }, false));
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(1);
    await w.advance(5_000);
    must(w.acs.deleteUser({ acsUserId: u.acsUserId }));
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(0);
    expect(w.acs.inspectCredentials()).toEqual([]);
    const gone = w.acs.getUser({ acsUserId: u.acsUserId });
    expect(gone.ok ? null : gone.error.type).toBe('acs_user_not_found');
    const types = must(w.listEvents()).map((e) => e.eventType);
    expect(types).toEqual(
      expect.arrayContaining([
        'acs_user.created',
        'acs_credential.issued',
        'acs_credential.deleted',
        'acs_user.deleted',
      ]),
    );
  });

  it('a user refused at the limit stays unsubscribed when a slot frees, until unsuspended or rescheduled', () => {
    const { w, ids, officeSystem } = world();
    const users = [1, 2, 3, 4].map((n) =>
      must(w.acs.createUser({ acsSystemId: officeSystem, fullName: `U${n}` })),
    );
    expect(users.map((u) => u.isSubscribed)).toEqual([true, true, true, false]);
    must(w.acs.deleteUser({ acsUserId: users[0]!.acsUserId }));
    expect(must(w.acs.getUser({ acsUserId: users[3]!.acsUserId })).isSubscribed).toBe(false);
    must(w.acs.setUserSuspended({ acsUserId: users[3]!.acsUserId }, true));
    const back = must(w.acs.setUserSuspended({ acsUserId: users[3]!.acsUserId }, false));
    expect(back.isSubscribed).toBe(true);
    expect(back.errors).toEqual([]);
    expect(w.inspectSite(ids.sites.office)!.used).toBe(3);
  });

  it('a code credential gets a Salto-generated PIN (site length, 6–10 digits) after a delay; a custom code is refused', async () => {
    const { w, aptSystem } = world();
    const u = must(w.acs.createUser({ acsSystemId: aptSystem, fullName: 'Pin' }));
    const c = must(w.acs.createCredential({ acsUserId: u.acsUserId, accessMethod: 'code' }));
    expect([c.code, c.isIssued]).toEqual([null, false]);
    await w.advance(3_000);
    const issued = must(w.acs.getCredential(c.acsCredentialId));
    expect(issued.isIssued).toBe(true);
    expect(issued.code).toMatch(/^\d{6}$/);
    const refused = w.acs.createCredential({ acsUserId: u.acsUserId, accessMethod: 'code', code: '123456' });
    expect(refused.ok ? null : [refused.error.type, refused.error.data?.['reason']]).toEqual([
      'invalid_input',
      'custom_pin_not_allowed',
    ]);
    expect(refused.ok ? '' : refused.error.message).not.toContain('123456');
  });

  it('a mobile key needs a multi-phone sync credential on a user with an identity, and is issued after a delay', async () => {
    const { w, aptSystem } = world();
    const plain = must(w.acs.createUser({ acsSystemId: aptSystem, fullName: 'No identity' }));
    const noId = w.acs.createCredential({
      acsUserId: plain.acsUserId,
      accessMethod: 'mobile_key',
      isMultiPhoneSyncCredential: true,
    });
    expect(noId.ok ? null : noId.error.type).toBe('invalid_input');
    const identity = must(
      w.accessGrants.createUserIdentity({ emailAddress: 'm@example.com', fullName: 'Mo' }),
    );
    const u = must(
      w.acs.createUser({ acsSystemId: aptSystem, fullName: 'Mo', userIdentityId: identity.userIdentityId }),
    );
    const noSync = w.acs.createCredential({ acsUserId: u.acsUserId, accessMethod: 'mobile_key' });
    expect(noSync.ok ? null : noSync.error.data?.['field']).toBe('is_multi_phone_sync_credential');
    const key = must(
      w.acs.createCredential({
        userIdentityId: identity.userIdentityId,
        acsSystemId: aptSystem,
        accessMethod: 'mobile_key',
        isMultiPhoneSyncCredential: true,
      }),
    );
    expect(key.isIssued).toBe(false);
    await w.advance(5_000);
    expect(must(w.acs.getCredential(key.acsCredentialId))).toMatchObject({ isIssued: true, code: null });
    const card = w.acs.createCredential({ acsUserId: u.acsUserId, accessMethod: 'card' });
    expect(card.ok ? null : card.error.data?.['reason']).toBe('access_method_not_supported');
  });

  it('access groups are read-only synced objects: membership changes, the groups do not', () => {
    const { w, ids, aptSystem } = world();
    const u = must(w.acs.createUser({ acsSystemId: aptSystem, fullName: 'G' }));
    must(w.acs.setUserAccessGroup(u.acsUserId, ids.accessGroups.main, true));
    expect(must(w.acs.listAccessGroupUsers(ids.accessGroups.main)).map((x) => x.acsUserId)).toEqual([
      u.acsUserId,
    ]);
    const other = w.acs.setUserAccessGroup(u.acsUserId, ids.accessGroups.officeStaff, true);
    expect(other.ok ? null : other.error.type).toBe('invalid_input');
    must(w.acs.setUserAccessGroup(u.acsUserId, ids.accessGroups.main, false));
    expect(must(w.acs.listUserEntrances({ acsUserId: u.acsUserId }))).toEqual([]);
  });

  it('an Access Grant over four entrances is ONE subscribed user holding ONE slot with one shared PIN; the lock path holds four', async () => {
    const { w, ids } = world();
    const doors = [ids.locks.frontDoor, ids.locks.apartment1, ids.locks.apartment2, ids.locks.gym];
    const grant = must(
      w.accessGrants.createAccessGrant({
        userIdentity: { fullName: 'Guest', emailAddress: 'g@example.com' },
        acsEntranceIds: doors.map((d) => w.acs.acsEntranceIdOf(d)),
        requestedAccessMethods: [{ mode: 'code', code: '999999' }],
        startsAt: T0,
        endsAt: T0 + 4 * 24 * HOUR_MS,
        accessGrantKey: 'stay-1',
      }),
    );
    expect(grant.acsUserIds).toHaveLength(1);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(1);
    await w.advance(5_000);
    const [method] = must(w.accessGrants.listAccessMethods({ accessGrantKey: 'stay-1' }));
    expect(method!.isIssued).toBe(true);
    expect(method!.code).toMatch(/^\d{6}$/);
    expect(method!.code).not.toBe('999999');
    const creds = w.acs.inspectCredentials({ acsUserId: grant.acsUserIds[0]! });
    expect(creds.map((c) => c.code)).toEqual([method!.code]);
    for (const d of doors) must(w.createAccessCode({ deviceId: d, name: 'lock path' }));
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(5);
    const dup = w.accessGrants.createAccessGrant({
      userIdentityId: grant.userIdentityId,
      acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
      requestedAccessMethods: [{ mode: 'code' }],
      accessGrantKey: 'stay-1',
    });
    expect(dup.ok ? null : [dup.error.type, dup.error.data?.['access_grant_id']]).toEqual([
      'duplicate_access_grant_key',
      grant.accessGrantId,
    ]);
    const twice = w.accessGrants.createAccessGrant({
      userIdentityId: grant.userIdentityId,
      acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
      requestedAccessMethods: [{ mode: 'code' }, { mode: 'mobile_key' }, { mode: 'code' }],
      accessGrantKey: 'stay-2',
    });
    // A mode asked twice is refused whole: no second grant, user or PIN is made.
    expect(twice.ok ? null : [twice.error.type, twice.error.data?.['field']]).toEqual([
      'invalid_input',
      'requested_access_methods.2.mode',
    ]);
    expect(w.accessGrants.getAccessGrant({ accessGrantKey: 'stay-2' }).ok).toBe(false);
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(5);
    must(w.accessGrants.deleteAccessGrant(grant.accessGrantId));
    expect(w.inspectSite(ids.sites.apartments)!.used).toBe(4);
    expect(w.acs.inspectUsers()).toEqual([]);
    const types = must(w.listEvents()).map((e) => e.eventType);
    expect(types).toEqual(
      expect.arrayContaining([
        'access_grant.created',
        'access_grant.access_granted_to_door',
        'access_method.issued',
        'access_method.revoked',
        'access_grant.deleted',
      ]),
    );
  });

  it('an Access Grant over two sites is one user per site (one slot each) sharing one PIN', async () => {
    const { w, ids } = world();
    const g = must(
      w.accessGrants.createAccessGrant({
        userIdentity: { fullName: 'Both' },
        acsEntranceIds: [ids.locks.frontDoor, ids.locks.officeEntrance].map((d) => w.acs.acsEntranceIdOf(d)),
        requestedAccessMethods: [{ mode: 'code' }],
      }),
    );
    expect(g.acsUserIds).toHaveLength(2);
    await w.advance(5_000);
    const pins = w.acs.inspectCredentials().map((c) => c.code);
    expect(pins[0]).toMatch(/^\d{6}$/);
    expect(pins[1]).toBe(pins[0]);
    expect([w.inspectSite(ids.sites.apartments)!.used, w.inspectSite(ids.sites.office)!.used]).toEqual([
      1, 1,
    ]);
  });

  it('a refused call changes nothing: unknown entrance, bad window, unknown identity', () => {
    const { w, ids } = world();
    const before = JSON.stringify(w.toJSON());
    for (const r of [
      w.accessGrants.createAccessGrant({
        userIdentity: {},
        acsEntranceIds: ['00000000-0000-4000-8000-000000000000'],
        requestedAccessMethods: [{ mode: 'code' }],
      }),
      w.accessGrants.createAccessGrant({
        userIdentity: {},
        acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
        requestedAccessMethods: [{ mode: 'code' }],
        startsAt: T0 + HOUR_MS,
        endsAt: T0,
      }),
      w.accessGrants.createAccessGrant({
        userIdentityId: 'nobody',
        acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
        requestedAccessMethods: [{ mode: 'code' }],
      }),
    ])
      expect(r.ok).toBe(false);
    expect(JSON.stringify(w.toJSON())).toBe(before);
  });

  it('faults and rate limits apply to ACS calls as to lock calls', () => {
    const { w, officeSystem } = world();
    must(w.injectFault({ kind: 'server_error', operations: ['create_acs_user'] }));
    const failed = w.acs.createUser({ acsSystemId: officeSystem, fullName: 'F' });
    expect(failed.ok ? null : failed.error.type).toBe('service_unavailable');
    expect(w.acs.inspectUsers()).toEqual([]);
    must(w.injectFault({ kind: 'reply_lost', operations: ['create_acs_user'] }));
    const lost = w.acs.createUser({ acsSystemId: officeSystem, fullName: 'L' });
    expect(lost.ok ? null : [lost.error.type, lost.error.committed]).toEqual(['reply_lost', true]);
    expect(w.acs.inspectUsers()).toHaveLength(1);
    const results = Array.from({ length: 30 }, () =>
      w.acs.createUser({ acsSystemId: officeSystem, fullName: 'R' }),
    );
    const limited = results.find((r) => !r.ok);
    expect(limited && !limited.ok ? limited.error.type : null).toBe('rate_limit_exceeded');
    expect(results.filter((r) => r.ok)).toHaveLength(29);
  });

  it('snapshots carry the ACS side exactly: the restored world continues identically', async () => {
    const run = async (restore: boolean) => {
      const { w, ids } = world();
      must(
        w.accessGrants.createAccessGrant({
          userIdentity: { fullName: 'Snap' },
          acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
          requestedAccessMethods: [{ mode: 'code' }],
          startsAt: T0 + HOUR_MS,
        }),
      );
      const world2 = restore ? must(SaltoKsWorld.fromJSON(w.toJSON())) : w;
      await world2.advance(2 * HOUR_MS);
      return JSON.stringify(world2.toJSON());
    };
    expect(await run(true)).toBe(await run(false));
  });

  it('same seed, same ACS calls: byte-identical results, events and snapshots', async () => {
    const script = async () => {
      const { w, ids } = world();
      const out: unknown[] = [];
      const identity = must(w.accessGrants.createUserIdentity({ userIdentityKey: 'guest-1', fullName: 'G' }));
      out.push(
        w.accessGrants.createAccessGrant({
          userIdentityId: identity.userIdentityId,
          acsEntranceIds: [ids.locks.frontDoor, ids.locks.gym].map((d) => w.acs.acsEntranceIdOf(d)),
          requestedAccessMethods: [{ mode: 'code' }, { mode: 'mobile_key' }],
          startsAt: T0 + HOUR_MS,
          endsAt: T0 + 3 * HOUR_MS,
        }),
      );
      out.push(w.acs.createUser({ acsSystemId: w.acs.acsSystemIdOf(ids.sites.office), fullName: 'O' }));
      await w.advance(4 * HOUR_MS);
      out.push(w.acs.inspectUsers(), w.acs.inspectCredentials(), w.listEvents(), w.toJSON());
      return JSON.stringify(out);
    };
    expect(await script()).toBe(await script());
  });

  it('untrusted snapshots with an ACS side are checked whole: valid ones restore, broken references are named', () => {
    const { w, ids } = world();
    must(
      w.accessGrants.createAccessGrant({
        userIdentity: { fullName: 'Check' },
        acsEntranceIds: [w.acs.acsEntranceIdOf(ids.locks.frontDoor)],
        requestedAccessMethods: [{ mode: 'code' }],
      }),
    );
    const snap = JSON.parse(JSON.stringify(w.toJSON()));
    expect(restoreWorldSnapshot(snap).ok).toBe(true);
    const broken = structuredClone(snap);
    broken.acs.credentials[0].acsUserId = 'ghost';
    broken.acs.users[0].isSubscribed = false;
    const r = parseWorldSnapshot(broken);
    expect(r.ok ? [] : r.error.message).toMatch(/acs\.credentials\.0\.acsUserId: No ACS user "ghost"/);
    expect(r.ok ? '' : r.error.message).toMatch(/sites\.0\.used: Expected 0/);
  });
});
