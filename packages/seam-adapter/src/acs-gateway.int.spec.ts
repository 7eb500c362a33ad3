/**
 * `SeamAccessGrantGateway` against nock (no net connect; every interceptor must be used): what it
 * sends to each ACS / Access Grants route and how it reads the replies. Error mappings and lost
 * replies: `acs-failures.int.spec.ts`.
 */
import type nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  ACS_ACCOUNT,
  ACS_USER,
  accessGrant,
  accessMethod,
  acsAccount,
  acsEntrance,
  acsPage,
  acsSystem,
  acsUser,
  CREATED,
  DOORS,
  GRANT,
  IDENTITY,
  LIMIT_EXCEEDED_ERROR,
  METHOD,
  NOT_SUBSCRIBED_WARNING,
  OTHER_SYSTEM,
  SYSTEM,
  siteCountsNotice,
  useAcsNock,
  WORKSPACE,
} from './acs-fixtures.test-helpers.js';
import { accessCode, reqId, saltoDevice } from './fixtures.test-helpers.js';

const { seam, gateway: makeAcsGateway } = useAcsNock();
const LOCK = '6a0f3e2d-1c4b-4a59-8e7d-2f1a0b9c8d71';
const OTHER_LOCK = '6a0f3e2d-1c4b-4a59-8e7d-2f1a0b9c8d72';
/** A lock-integration Salto KS lock of the ACS account on the named site. */
const lockOf = (id: string, siteName: string) =>
  saltoDevice(
    id,
    { connected_account_id: ACS_ACCOUNT, workspace_id: WORKSPACE, location: { timezone: 'Europe/Madrid' } },
    { site_name: siteName, site_id: id },
  );
const codeOf = (id: string, over: Record<string, unknown> = {}) =>
  accessCode(id, { device_id: LOCK, workspace_id: WORKSPACE, pending_mutations: [], ...over });
const systems = (scope: nock.Scope, list: unknown[] = [acsSystem()]) =>
  scope.post('/acs/systems/list', {}).reply(200, { acs_systems: list, ok: true });
const accounts = (scope: nock.Scope, account = acsAccount()) =>
  scope
    .post('/connected_accounts/list', { limit: 500 })
    .reply(200, { connected_accounts: [account], pagination: acsPage(), ok: true });
const entrances = (scope: nock.Scope, list = DOORS.map((id, i) => acsEntrance(id, `DOOR ${i + 1}`))) =>
  scope
    .post('/acs/entrances/list', { acs_system_id: SYSTEM, limit: 500 })
    .reply(200, { acs_entrances: list, pagination: acsPage(), ok: true });
/** The reads that complete a grant: its person's ACS users, their entrances, its access methods. */
const grantParts = (
  scope: nock.Scope,
  user = acsUser(),
  doors: readonly string[] = DOORS.slice(0, 2),
  method = accessMethod(),
) => {
  scope
    .post('/acs/users/list', { user_identity_id: IDENTITY, limit: 500 })
    .reply(200, { acs_users: [user], pagination: acsPage(), ok: true });
  scope
    .post('/acs/users/list_accessible_entrances', { acs_user_id: ACS_USER })
    .reply(200, { acs_entrances: doors.map((id) => acsEntrance(id, 'DOOR')), ok: true });
  scope
    .post('/access_methods/list', { access_grant_id: GRANT })
    .reply(200, { access_methods: [method], ok: true });
};

describe('sites, slot usage and doors', () => {
  it('lists Salto KS ACS systems as user_per_grant sites, skipping other systems; time zone from the system', async () => {
    const { gateway } = makeAcsGateway({ siteSlotLimits: { [SYSTEM]: 10 } });
    const scope = seam();
    accounts(scope);
    systems(scope, [
      acsSystem(),
      acsSystem(OTHER_SYSTEM, 'HID', {
        external_type: 'hid_credential_manager_organization',
        location: { time_zone: null },
      }),
    ]);
    expect(await gateway.listSites()).toEqual({
      ok: true,
      value: [
        {
          id: SYSTEM,
          name: 'Casa Sol Apartments',
          slotLimit: 10,
          timeZone: 'Europe/Madrid',
          slotLeadTimeMs: 72 * 3_600_000,
          hasCustomPinSubscription: false,
          slotCostModel: 'user_per_grant',
        },
      ],
    });
  });

  it('reads the limit Seam reports on the account (matched by site name), and remembers it below 80 %', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    accounts(scope, acsAccount({ warnings: [siteCountsNotice('warning', 9, 10)] }));
    systems(scope);
    expect(await gateway.getSlotUsage(SYSTEM)).toEqual({
      ok: true,
      value: { siteId: SYSTEM, used: 9, limit: 10 },
    });
    // Below 80 %: Seam stops reporting; the learned limit stays. Used = subscribed ACS users + the
    // lock path's codes holding a slot now on the site's locks (one pool); another site's lock is not counted.
    accounts(scope);
    systems(scope);
    scope.post('/acs/users/list', { acs_system_id: SYSTEM, limit: 500 }).reply(200, {
      acs_users: [acsUser(), acsUser({ acs_user_id: DOORS[0] }, false)],
      pagination: acsPage(),
      ok: true,
    });
    scope.post('/devices/list', { limit: 500 }).reply(200, {
      devices: [lockOf(LOCK, 'Casa Sol Apartments'), lockOf(OTHER_LOCK, 'Harbour Office')],
      pagination: acsPage(),
      ok: true,
    });
    scope.post('/access_codes/list', { device_id: LOCK, limit: 500 }).reply(200, {
      access_codes: [
        codeOf(DOORS[1], { status: 'set', code: '123456' }),
        codeOf(DOORS[2], {
          errors: [
            {
              error_code: 'access_code_inactive',
              message: 'not subscribed',
              is_access_code_error: true,
              created_at: CREATED,
            },
          ],
        }),
      ],
      pagination: acsPage(),
      ok: true,
    });
    expect(await gateway.getSlotUsage(SYSTEM)).toEqual({
      ok: true,
      value: { siteId: SYSTEM, used: 2, limit: 10 },
    });
  });

  it('an unknown limit is not_configured naming every knob with the ACS system id; an unknown site is site_not_found', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    accounts(scope, acsAccount({ warnings: [siteCountsNotice('warning', 9, 10, 'Another site')] }));
    systems(scope);
    const r = await gateway.listSites();
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'not_configured', providerCode: 'slot_limit_unknown' },
    });
    const message = r.ok ? '' : r.error.message;
    for (const knob of [
      'siteSlotLimits',
      'slotLimitFor',
      'defaultSiteSlotLimit',
      'KEYSLOT_SITE_SLOT_LIMIT',
      SYSTEM,
    ])
      expect(message).toContain(knob);
    accounts(scope);
    systems(scope);
    const other = await makeAcsGateway({ defaultSiteSlotLimit: 5 }).gateway.getSlotUsage(OTHER_SYSTEM);
    expect(other).toMatchObject({ ok: false, error: { code: 'site_not_found' } });
  });

  it('reads one connected account when connectedAccountId is set', async () => {
    const { gateway } = makeAcsGateway({ connectedAccountId: ACS_ACCOUNT, defaultSiteSlotLimit: 4 });
    const scope = seam();
    scope
      .post('/connected_accounts/get', { connected_account_id: ACS_ACCOUNT })
      .reply(200, { connected_account: acsAccount(), ok: true });
    scope
      .post('/acs/systems/list', { connected_account_id: ACS_ACCOUNT })
      .reply(200, { acs_systems: [acsSystem()], ok: true });
    const r = await gateway.listSites();
    expect(r.ok && r.value.map((s) => [s.id, s.slotLimit])).toEqual([[SYSTEM, 4]]);
  });

  it('maps entrances to doors across pages: offline, privacy mode, access methods, no cloud key', async () => {
    const { gateway } = makeAcsGateway({ pageLimit: 2 });
    const scope = seam();
    systems(scope);
    scope.post('/acs/entrances/list', { acs_system_id: SYSTEM, limit: 2 }).reply(200, {
      acs_entrances: [
        acsEntrance(DOORS[0], 'FRONT DOOR'),
        acsEntrance(DOORS[1], 'ROOFTOP', {}, { online: false }),
      ],
      pagination: acsPage('cur-2'),
      ok: true,
    });
    scope.post('/acs/entrances/list', { acs_system_id: SYSTEM, limit: 2, page_cursor: 'cur-2' }).reply(200, {
      acs_entrances: [
        acsEntrance(DOORS[2], 'GYM', { can_unlock_with_mobile_key: false }, { privacy_mode: true }),
        acsEntrance(DOORS[3], 'OTHER', { acs_system_id: OTHER_SYSTEM }),
      ],
      pagination: acsPage(),
      ok: true,
    });
    const r = await gateway.listDoors(SYSTEM);
    expect(r).toEqual({
      ok: true,
      value: [
        {
          id: DOORS[0],
          siteId: SYSTEM,
          name: 'FRONT DOOR',
          hubLink: 'good',
          capabilities: { remoteUnlock: false, accessCodes: true },
          modes: { privacy: false, office: false },
          accessMethods: ['code', 'mobile_key'],
        },
        expect.objectContaining({ id: DOORS[1], hubLink: 'offline' }),
        expect.objectContaining({
          id: DOORS[2],
          modes: { privacy: true, office: false },
          accessMethods: ['code'],
        }),
      ],
    });
  });

  it('listDoors of a site that is not a Salto KS ACS system is site_not_found, without listing entrances', async () => {
    const { gateway } = makeAcsGateway();
    systems(seam());
    expect(await gateway.listDoors(OTHER_SYSTEM)).toMatchObject({
      ok: false,
      error: { code: 'site_not_found' },
    });
  });
});

describe('access grants', () => {
  const input = {
    key: 'booking-1',
    siteId: SYSTEM,
    doorIds: DOORS.slice(0, 2),
    window: {
      kind: 'scheduled' as const,
      startsAt: Date.parse('2026-03-02T15:00Z'),
      endsAt: Date.parse('2026-03-05T10:00Z'),
    },
    holder: 'Jane Guest',
    methods: ['code' as const],
  };

  it('creates one grant for the person with the key, the doors, the window and no PIN, then reads its parts', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    systems(scope);
    entrances(scope);
    scope
      .post('/access_grants/create', {
        user_identity: { full_name: 'Jane Guest' },
        acs_entrance_ids: DOORS.slice(0, 2),
        requested_access_methods: [{ mode: 'code' }],
        starts_at: '2026-03-02T15:00:00.000Z',
        ends_at: '2026-03-05T10:00:00.000Z',
        access_grant_key: 'keyslot:booking-1',
      })
      .reply(200, { access_grant: accessGrant(), ok: true }, reqId('req-create'));
    grantParts(scope, acsUser({ warnings: [NOT_SUBSCRIBED_WARNING] }, false));
    const r = await gateway.createAccessGrant(input);
    expect(r).toEqual({
      ok: true,
      value: {
        id: GRANT,
        key: 'booking-1',
        siteId: SYSTEM,
        doorIds: DOORS.slice(0, 2),
        window: input.window,
        methods: [{ id: METHOD, mode: 'code', pin: null, issued: false }],
        issues: [
          {
            code: 'not_subscribed',
            providerCode: 'salto_ks_user_not_subscribed',
            message: NOT_SUBSCRIBED_WARNING.message,
          },
        ],
      },
    });
  });

  it('an ongoing grant is sent with ends_at null and read back as ongoing; a mobile key is asked for by mode', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    systems(scope);
    entrances(scope);
    scope
      .post(
        '/access_grants/create',
        (b) => b.ends_at === null && b.starts_at === undefined && b.requested_access_methods.length === 2,
      )
      .reply(200, { access_grant: accessGrant({ ends_at: null }), ok: true });
    grantParts(scope);
    const r = await gateway.createAccessGrant({
      ...input,
      window: { kind: 'ongoing' },
      methods: ['code', 'mobile_key'],
    });
    expect(r.ok && r.value.window).toEqual({ kind: 'ongoing' });
    expect(r.ok && r.value.issues).toEqual([]);
  });

  it('a grant whose person Salto refused at the limit carries slot_limit_reached (not not_subscribed) and shows no PIN', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope
      .post('/access_grants/get', { access_grant_id: GRANT })
      .reply(200, { access_grant: accessGrant(), ok: true });
    // Seam may carry a PIN on the method, but an unsubscribed Salto user's PIN opens nothing.
    grantParts(
      scope,
      acsUser({ errors: [LIMIT_EXCEEDED_ERROR], warnings: [NOT_SUBSCRIBED_WARNING] }, false),
      DOORS.slice(0, 2),
      accessMethod({ code: '771204', is_issued: true, issued_at: '2026-03-01T12:00:03.000Z' }),
    );
    const r = await gateway.getAccessGrant(GRANT);
    expect(r.ok && r.value.issues).toEqual([
      {
        code: 'slot_limit_reached',
        providerCode: 'salto_ks_subscription_limit_exceeded',
        message: LIMIT_EXCEEDED_ERROR.message,
      },
    ]);
    expect(r.ok && r.value.methods).toEqual([{ id: METHOD, mode: 'code', pin: null, issued: true }]);
  });

  it('shows the PIN once Salto issued it, and keeps other errors as provider issues', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/access_grants/get', { access_grant_id: GRANT }).reply(200, {
      access_grant: accessGrant({
        errors: [
          {
            error_code: 'cannot_create_requested_access_methods',
            message: 'no card',
            created_at: '2026-03-01T12:00:00.000Z',
          },
        ],
      }),
      ok: true,
    });
    grantParts(
      scope,
      acsUser(),
      DOORS.slice(0, 2),
      accessMethod({ code: '482913', is_issued: true, issued_at: '2026-03-01T12:00:03.000Z' }),
    );
    const r = await gateway.getAccessGrant(GRANT);
    expect(r.ok && r.value.methods).toEqual([{ id: METHOD, mode: 'code', pin: '482913', issued: true }]);
    expect(r.ok && r.value.issues.map((i) => [i.code, i.providerCode])).toEqual([
      ['provider_issue', 'cannot_create_requested_access_methods'],
    ]);
  });

  it('finds a grant by its key (filtered again client-side); none listed → null, proof it was not made', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/access_grants/list', { access_grant_key: 'keyslot:booking-1', limit: 500 }).reply(200, {
      access_grants: [
        accessGrant({ access_grant_id: DOORS[3], access_grant_key: 'keyslot:booking-10' }),
        accessGrant(),
      ],
      pagination: acsPage(),
      ok: true,
    });
    grantParts(scope);
    const found = await gateway.findAccessGrant('booking-1');
    expect(found.ok && found.value?.id).toBe(GRANT);
    scope
      .post('/access_grants/list', { access_grant_key: 'keyslot:booking-2', limit: 500 })
      .reply(200, { access_grants: [], pagination: acsPage(), ok: true });
    expect(await gateway.findAccessGrant('booking-2')).toEqual({ ok: true, value: null });
  });

  it('lists a site’s grants with their people read once per site; grants of other apps have key null', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    systems(scope);
    scope.post('/access_grants/list', { acs_system_id: SYSTEM, limit: 500 }).reply(200, {
      access_grants: [
        accessGrant(),
        accessGrant({ access_grant_id: DOORS[3], access_grant_key: 'pms-77', user_identity_id: DOORS[2] }),
      ],
      pagination: acsPage(),
      ok: true,
    });
    scope.post('/acs/users/list', { acs_system_id: SYSTEM, limit: 500 }).reply(200, {
      acs_users: [acsUser(), acsUser({ acs_user_id: DOORS[1], user_identity_id: DOORS[2] })],
      pagination: acsPage(),
      ok: true,
    });
    scope
      .post('/acs/users/list_accessible_entrances', { acs_user_id: ACS_USER })
      .reply(200, { acs_entrances: [acsEntrance(DOORS[0], 'A')], ok: true });
    scope
      .post('/access_methods/list', { access_grant_id: GRANT })
      .reply(200, { access_methods: [accessMethod()], ok: true });
    scope
      .post('/acs/users/list_accessible_entrances', { acs_user_id: DOORS[1] })
      .reply(200, { acs_entrances: [acsEntrance(DOORS[1], 'B')], ok: true });
    scope
      .post('/access_methods/list', { access_grant_id: DOORS[3] })
      .reply(200, { access_methods: [], ok: true });
    const r = await gateway.listAccessGrants(SYSTEM);
    expect(r.ok && r.value.map((g) => [g.id, g.key, g.doorIds])).toEqual([
      [GRANT, 'booking-1', [DOORS[0]]],
      [DOORS[3], null, [DOORS[1]]],
    ]);
  });

  it('deletes a grant by id', async () => {
    const { gateway, logger } = makeAcsGateway();
    seam()
      .post('/access_grants/delete', { access_grant_id: GRANT })
      .reply(200, { ok: true }, reqId('req-del'));
    expect(await gateway.deleteAccessGrant(GRANT)).toEqual({ ok: true, value: undefined });
    expect(logger.entries.some((e) => e.message === 'seam access grant deleted')).toBe(true);
  });
});
