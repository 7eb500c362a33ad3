import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SeamAuthError } from './errors.js';
import {
  ACCOUNT,
  API_KEY,
  accessCode,
  account,
  actionAttempt,
  codeError,
  connectWebview,
  created,
  deviceError,
  deviceWarning,
  makeGateway,
  nockSchemas,
  page,
  reqId,
  SEAM,
  saltoDevice,
  slotNotice,
  T0,
  uuid,
} from './fixtures.test-helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(async () => {
  const done = nock.isDone();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(done).toBe(true);
  // Every request sent and every 2xx reply accepted, against Seam's newest OpenAPI.
  await nockSchemas.assertClean();
});

const seam = () => nock(SEAM, { reqheaders: { authorization: `Bearer ${API_KEY}` } });
const accounts = (scope: nock.Scope, list = [account()]) =>
  scope
    .post('/connected_accounts/list')
    .reply(200, { connected_accounts: list, pagination: page(null), ok: true });

describe('reading locks and sites', () => {
  it('maps Salto KS devices to locks, skipping other devices; unknown device type is a weak hub link', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    accounts(scope);
    scope
      .post('/devices/list', (b) => b.limit === 500 && b.page_cursor === undefined)
      .reply(
        200,
        {
          devices: [
            saltoDevice('dev-1'),
            saltoDevice('dev-2', {
              device_type: 'unknown',
              can_remotely_unlock: undefined,
              warnings: [deviceWarning('salto_ks_privacy_mode', 'privacy')],
            }),
            saltoDevice('dev-3', {
              errors: [deviceError('hub_disconnected', 'IQ offline')],
            }),
            saltoDevice('dev-4', { warnings: [deviceWarning('salto_ks_office_mode', 'office')] }),
            {
              ...saltoDevice('thermo'),
              device_type: 'ecobee_thermostat',
              device_manufacturer: { manufacturer: 'ecobee', display_name: 'ecobee' },
            },
          ],
          pagination: page(null),
          ok: true,
        },
        reqId('req-devices'),
      );
    const r = await gateway.listLocks();
    expect(r).toEqual({
      ok: true,
      value: [
        {
          id: uuid('dev-1'),
          siteId: 'site-1',
          name: 'Door dev-1',
          hubLink: 'good',
          capabilities: { remoteUnlock: true, accessCodes: true },
          modes: { privacy: false, office: false },
        },
        {
          id: uuid('dev-2'),
          siteId: 'site-1',
          name: 'Door dev-2',
          hubLink: 'weak',
          capabilities: { remoteUnlock: false, accessCodes: true },
          modes: { privacy: true, office: false },
        },
        expect.objectContaining({ id: uuid('dev-3'), hubLink: 'offline' }),
        expect.objectContaining({ id: uuid('dev-4'), modes: { privacy: false, office: true } }),
      ],
    });
  });

  it('follows pagination cursors across pages with the same filters', async () => {
    const { gateway } = makeGateway({ connectedAccountId: ACCOUNT, pageLimit: 2 });
    const scope = seam();
    scope
      .post('/connected_accounts/get', { connected_account_id: ACCOUNT })
      .reply(200, { connected_account: account(), ok: true });
    scope
      .post('/devices/list', { connected_account_id: ACCOUNT, limit: 2 })
      .reply(200, { devices: [saltoDevice('a'), saltoDevice('b')], pagination: page('cur-2'), ok: true });
    scope
      .post('/devices/list', { connected_account_id: ACCOUNT, limit: 2, page_cursor: 'cur-2' })
      .reply(200, { devices: [saltoDevice('c'), saltoDevice('d')], pagination: page('cur-3'), ok: true });
    scope
      .post('/devices/list', { connected_account_id: ACCOUNT, limit: 2, page_cursor: 'cur-3' })
      .reply(200, { devices: [saltoDevice('e')], pagination: page(null), ok: true });
    const r = await gateway.listLocks();
    expect(r.ok && r.value.map((l) => l.id)).toEqual(['a', 'b', 'c', 'd', 'e'].map(uuid));
  });

  it('refuses a pagination cursor that repeats instead of looping for ever', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    accounts(scope);
    scope.post('/devices/list').reply(200, { devices: [], pagination: page('same'), ok: true });
    scope.post('/devices/list').reply(200, { devices: [], pagination: page('same'), ok: true });
    const r = await gateway.listLocks();
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_issue', providerCode: 'invalid_response' },
    });
  });

  const withoutSite = (d: ReturnType<typeof saltoDevice>) => {
    const { site_id: _s, site_name: _n, ...meta } = d.properties.salto_ks_metadata;
    return { ...d, properties: { ...d.properties, salto_ks_metadata: meta } };
  };

  it('derives sites from salto_ks_metadata and reads Seam’s per-site counts and custom-PIN flag', async () => {
    const { gateway } = makeGateway();
    const sites = [
      {
        site_id: 'site-1',
        site_name: 'Main office',
        subscribed_site_user_count: 9,
        site_user_subscription_limit: 10,
      },
      {
        site_id: 'site-2',
        site_name: 'Annex',
        subscribed_site_user_count: 5,
        site_user_subscription_limit: 5,
      },
    ];
    const scope = seam();
    accounts(scope, [
      account({
        warnings: [slotNotice('almost', sites.slice(0, 1))],
        errors: [slotNotice('exceeded', sites.slice(1), 'full')],
      }),
    ]);
    scope.post('/devices/list').reply(200, {
      devices: [
        saltoDevice(
          uuid('dev-1'),
          { location: { location_name: 'x', timezone: 'Europe/Madrid' } },
          { has_custom_pin_subscription: true },
        ),
        saltoDevice('dev-2', {}, { site_id: 'site-2', site_name: 'Annex' }),
      ],
      pagination: page(null),
      ok: true,
    });
    expect(await gateway.listSites()).toEqual({
      ok: true,
      value: [
        {
          id: 'site-1',
          name: 'Main office',
          slotLimit: 10,
          timeZone: 'Europe/Madrid',
          slotLeadTimeMs: 72 * 3_600_000,
          hasCustomPinSubscription: true,
        },
        {
          id: 'site-2',
          name: 'Annex',
          slotLimit: 5,
          timeZone: 'UTC',
          slotLeadTimeMs: 72 * 3_600_000,
          hasCustomPinSubscription: false,
        },
      ],
    });
  });

  it('falls back to the connected account as the site, with a configured limit and default time zone', async () => {
    let planLimit = 40;
    const { gateway } = makeGateway({
      siteSlotLimits: { [ACCOUNT]: 7 },
      slotLimitFor: (id) => (id === ACCOUNT ? planLimit : undefined),
      defaultTimeZone: 'Europe/Lisbon',
    });
    const scope = seam();
    accounts(scope);
    scope
      .post('/devices/list')
      .reply(200, { devices: [withoutSite(saltoDevice('dev-1'))], pagination: page(null), ok: true });
    expect(await gateway.listSites()).toEqual({
      ok: true,
      value: [
        {
          id: ACCOUNT,
          name: 'admin@example.com',
          slotLimit: 40,
          timeZone: 'Europe/Lisbon',
          slotLeadTimeMs: 72 * 3_600_000,
          hasCustomPinSubscription: false,
        },
      ],
    });
    // slotLimitFor is asked on every call (a plan change needs no new adapter).
    planLimit = 45;
    accounts(scope);
    scope
      .post('/devices/list')
      .reply(200, { devices: [withoutSite(saltoDevice('dev-1'))], pagination: page(null), ok: true });
    const again = await gateway.listSites();
    expect(again.ok && again.value[0]?.slotLimit).toBe(45);
  });

  it('reports slot usage from Seam’s subscription-limit error counts', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    accounts(scope, [
      account({
        errors: [
          slotNotice('exceeded', [
            {
              site_id: 'site-1',
              site_name: 'Main',
              subscribed_site_user_count: 10,
              site_user_subscription_limit: 10,
            },
          ]),
        ],
      }),
    ]);
    scope
      .post('/devices/list')
      .reply(200, { devices: [saltoDevice('dev-1')], pagination: page(null), ok: true });
    expect(await gateway.getSlotUsage('site-1')).toEqual({
      ok: true,
      value: { siteId: 'site-1', used: 10, limit: 10 },
    });
  });

  it('counts slot-holding codes against a configured limit when Seam reports no counts', async () => {
    const { gateway } = makeGateway({ siteSlotLimits: { 'site-1': 25 } });
    const scope = seam();
    accounts(scope);
    scope
      .post('/devices/list')
      .reply(200, { devices: [saltoDevice('dev-1')], pagination: page(null), ok: true });
    const hour = 3_600_000;
    const iso = (t: number) => new Date(t).toISOString();
    scope
      .post('/access_codes/list', (b) => b.device_id === uuid('dev-1'))
      .reply(200, {
        access_codes: [
          accessCode('on', { status: 'set', code: '123456' }),
          accessCode('soon', {
            type: 'time_bound',
            status: 'unset',
            starts_at: iso(T0 + 10 * hour),
            ends_at: iso(T0 + 20 * hour),
          }),
          accessCode('later', {
            type: 'time_bound',
            status: 'unset',
            starts_at: iso(T0 + 100 * hour),
            ends_at: iso(T0 + 120 * hour),
          }),
          accessCode('refused', {
            errors: [codeError('salto_ks_user_not_subscribed', 'no slot')],
          }),
        ],
        pagination: page(null),
        ok: true,
      });
    expect(await gateway.getSlotUsage('site-1')).toEqual({
      ok: true,
      value: { siteId: 'site-1', used: 2, limit: 25 },
    });
  });

  it('says how to configure a slot limit Seam does not report, and site_not_found for other ids', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    accounts(scope);
    accounts(scope);
    scope
      .post('/devices/list')
      .times(2)
      .reply(200, { devices: [saltoDevice('dev-1')], pagination: page(null), ok: true });
    const r = await gateway.listSites();
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'not_configured', providerCode: 'slot_limit_unknown' },
    });
    // A configuration outcome: it names every knob, and never suggests trying again.
    const message = r.ok ? '' : r.error.message;
    for (const knob of [
      'siteSlotLimits',
      'slotLimitFor',
      'defaultSiteSlotLimit',
      'KEYSLOT_SITE_SLOT_LIMIT',
    ]) {
      expect(message).toContain(knob);
    }
    expect(message).toContain('Retrying will not help.');
    expect(message).not.toMatch(/try again|retry later/i);
    expect(await gateway.getSlotUsage('nope')).toMatchObject({
      ok: false,
      error: { code: 'site_not_found' },
    });
  });
});

describe('learning slot limits from Seam', () => {
  const notice = (kind: 'almost' | 'exceeded', sites: unknown) =>
    kind === 'almost' ? { warnings: [slotNotice(kind, sites)] } : { errors: [slotNotice(kind, sites)] };
  const devices = (scope: nock.Scope) =>
    scope
      .post('/devices/list')
      .reply(200, { devices: [saltoDevice('dev-1')], pagination: page(null), ok: true });

  it('keeps the limit Seam reported above 80 % after the site drops below it (Seam stops reporting)', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    const reported = [
      {
        site_id: 'site-1',
        site_name: 'Main',
        subscribed_site_user_count: 9,
        site_user_subscription_limit: 10,
      },
    ];
    accounts(scope, [account(notice('almost', reported))]);
    devices(scope);
    accounts(scope);
    devices(scope);
    const first = await gateway.listSites();
    expect(first.ok && first.value.map((x) => x.slotLimit)).toEqual([10]);
    const later = await gateway.listSites();
    expect(later.ok && later.value.map((x) => x.slotLimit)).toEqual([10]);
  });

  it('a configured per-site limit wins over a learned one; a default limit does not', async () => {
    const reported = [{ site_id: 'site-1', subscribed_site_user_count: 3, site_user_subscription_limit: 3 }];
    for (const [options, want] of [
      [{ siteSlotLimits: { 'site-1': 20 } }, 20],
      [{ defaultSiteSlotLimit: 50 }, 3],
    ] as const) {
      const { gateway } = makeGateway(options);
      const scope = seam();
      accounts(scope, [account(notice('exceeded', reported))]);
      devices(scope);
      accounts(scope);
      devices(scope);
      await gateway.listSites();
      const later = await gateway.listSites();
      expect(later.ok && later.value.map((x) => x.slotLimit)).toEqual([want]);
    }
  });

  it('reads notices shaped like @seamapi/types 1.977 (every field optional): partial entries are used or skipped, never a failed read', async () => {
    const { gateway } = makeGateway();
    const scope = seam();
    const sites = [
      { site_name: 'no id' },
      { site_id: 'site-1', site_user_subscription_limit: 12 },
      { site_id: 'site-x', subscribed_site_user_count: 'many' },
      'not an object',
    ];
    // A count that is not a number and an entry that is not an object: out of schema on purpose.
    nockSchemas.expectInvalidReply('/connected_accounts/list');
    nockSchemas.expectInvalidReply('/connected_accounts/list');
    accounts(scope, [account(notice('almost', sites))]);
    devices(scope);
    const r = await gateway.listSites();
    expect(r.ok).toBe(false); // site-x reports no limit and none is configured
    expect(!r.ok && r.error).toMatchObject({ code: 'not_configured' });
    expect(!r.ok && r.error.message).toContain('site-x');

    const { gateway: g2 } = makeGateway({ siteSlotLimits: { 'site-x': 4 } });
    accounts(scope, [account(notice('almost', sites))]);
    devices(scope);
    const ok = await g2.listSites();
    expect(ok.ok && ok.value.map((x) => [x.id, x.slotLimit])).toEqual([
      ['site-1', 12],
      ['site-x', 4],
    ]);
  });
});

describe('HTTP failures', () => {
  it('401 throws SeamAuthError with the request id and without the key', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/devices/get')
      .reply(401, { error: { type: 'unauthorized', message: 'Unauthorized' }, ok: false }, reqId('req-401'));
    const e = await gateway.getLock(uuid('dev-1')).catch((x: unknown) => x);
    expect(SeamAuthError.is(e)).toBe(true);
    expect(e).toMatchObject({ status: 401, errorType: 'unauthorized', requestId: 'req-401' });
    expect(String((e as Error).message)).not.toContain(API_KEY);
  });

  it('404 device_not_found → lock_not_found carrying the request id', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/devices/get', { device_id: uuid('ghost') })
      .reply(
        404,
        { error: { type: 'device_not_found', message: 'Device not found' }, ok: false },
        reqId('req-404'),
      );
    const r = await gateway.getLock(uuid('ghost'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', providerCode: 'device_not_found', requestId: 'req-404' },
    });
  });

  it('404 access_code_not_found → access_code_not_found', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/get', { access_code_id: uuid('gone') })
      .reply(404, { error: { type: 'access_code_not_found', message: 'Access code not found' }, ok: false });
    expect(await gateway.getAccessCode(uuid('gone'))).toMatchObject({
      ok: false,
      error: { code: 'access_code_not_found' },
    });
  });

  it('400 invalid_input → invalid_input with Seam’s message, and no retry of the create', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/create')
      .reply(
        400,
        {
          error: { type: 'invalid_input', message: 'ends_at must be after starts_at', validation_errors: {} },
          ok: false,
        },
        reqId('req-400'),
      );
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', providerCode: 'invalid_input', requestId: 'req-400' },
    });
    expect(!r.ok && r.error.message).toContain('ends_at must be after starts_at');
  });

  it('429 with Retry-After: a read waits that long on the clock, then succeeds', async () => {
    const { gateway, clock } = makeGateway();
    seam()
      .post('/access_codes/get')
      .reply(
        429,
        { error: { type: 'rate_limited', message: 'slow down' }, ok: false },
        { 'retry-after': '7' },
      )
      .post('/access_codes/get')
      .reply(200, { access_code: accessCode('ac-1'), ok: true });
    const r = await gateway.getAccessCode(uuid('ac-1'));
    expect(r.ok).toBe(true);
    expect(clock.now() - T0).toBe(7000);
  });

  it('429 without Retry-After: reads back off exponentially, then return rate_limited', async () => {
    const { gateway, clock } = makeGateway({ readRetries: 2 });
    seam().post('/access_codes/get').times(3).reply(429, 'Too Many Requests');
    const r = await gateway.getAccessCode(uuid('ac-1'));
    expect(r).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(!r.ok && r.error.retryAfterMs).toBeUndefined();
    expect(clock.now() - T0).toBe(100 + 200);
  });

  it('429 on a create is returned with retryAfterMs and never retried', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/create')
      .reply(
        429,
        { error: { type: 'rate_limited', message: 'too many' }, ok: false },
        { 'retry-after': '12' },
      );
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 12_000 } });
  });

  it('a Retry-After longer than maxRetryAfterMs is not waited for', async () => {
    const { gateway, clock } = makeGateway({ maxRetryAfterMs: 5000 });
    seam().post('/access_codes/get').reply(429, 'busy', { 'retry-after': '60' });
    expect(await gateway.getAccessCode(uuid('ac-1'))).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', retryAfterMs: 60_000 },
    });
    expect(clock.now()).toBe(T0);
  });

  it('5xx: reads are retried; a 500 on a create is unavailable and not retried nor looked up', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/get')
      .reply(500, { error: { type: 'internal_server_error', message: 'boom' }, ok: false })
      .post('/access_codes/get')
      .reply(200, { access_code: accessCode('ac-1'), ok: true })
      .post('/access_codes/create')
      .reply(500, { error: { type: 'internal_server_error', message: 'boom' }, ok: false }, reqId('req-500'));
    expect((await gateway.getAccessCode(uuid('ac-1'))).ok).toBe(true);
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable', requestId: 'req-500' } });
  });

  it('a non-JSON error body (bare 503 page) is handled and described', async () => {
    const { gateway } = makeGateway({ readRetries: 1 });
    seam()
      .post('/access_codes/get')
      .times(2)
      .reply(503, '<html><body>Service Unavailable</body></html>', { 'content-type': 'text/html' });
    const r = await gateway.getAccessCode(uuid('ac-1'));
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!r.ok && r.error.message).toContain('non-JSON body');
    expect(!r.ok && r.error.providerCode).toBeUndefined();
  });

  it('a 2xx that is not JSON is a provider issue for reads', async () => {
    const { gateway } = makeGateway();
    seam().post('/access_codes/get').reply(200, 'OK');
    nockSchemas.expectInvalidReply('/access_codes/get'); // on purpose: Seam never sends this
    expect(await gateway.getAccessCode(uuid('ac-1'))).toMatchObject({
      ok: false,
      error: { code: 'provider_issue', providerCode: 'invalid_response' },
    });
  });

  it('a reply missing what the mapping relies on is a provider issue, not a crash', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/get')
      .reply(200, { access_code: { ...accessCode('ac-1'), status: undefined }, ok: true });
    nockSchemas.expectInvalidReply('/access_codes/get'); // on purpose: no status
    const r = await gateway.getAccessCode(uuid('ac-1'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_issue', providerCode: 'invalid_response' },
    });
    expect(!r.ok && r.error.message).toContain('status');
  });

  it('a timeout on a read is unavailable (after the deadline, retried then given up)', async () => {
    const { gateway } = makeGateway({ requestTimeoutMs: 30, readRetries: 1 });
    seam()
      .post('/access_codes/get')
      .times(2)
      .delay(300)
      .reply(200, { access_code: accessCode('ac-1'), ok: true });
    const r = await gateway.getAccessCode(uuid('ac-1'));
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!r.ok && r.error.message).toContain('within 30 ms');
  });

  it('a refused connection on a mutation is unavailable (nothing was sent)', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/locks/unlock_door')
      .replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(await gateway.unlock(uuid('dev-1'))).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('access codes', () => {
  it('creates without sending `code`, and maps a pending Salto code (PIN null until assigned)', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/create', (b) => {
        expect(b).toEqual({
          device_id: uuid('dev-1'),
          name: 'keyslot:g1',
          starts_at: '2026-03-02T00:00:00.000Z',
          ends_at: '2026-03-03T00:00:00.000Z',
        });
        return true;
      })
      .reply(
        200,
        created(
          accessCode('ac-1', {
            name: 'keyslot:g1',
            type: 'time_bound',
            status: 'unset',
            starts_at: '2026-03-02T00:00:00.000Z',
            ends_at: '2026-03-03T00:00:00.000Z',
          }),
        ),
      );
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'scheduled', startsAt: Date.UTC(2026, 2, 2), endsAt: Date.UTC(2026, 2, 3) },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        id: uuid('ac-1'),
        lockId: uuid('dev-1'),
        name: 'keyslot:g1',
        pin: null,
        status: 'unset',
        window: { kind: 'scheduled', startsAt: Date.UTC(2026, 2, 2), endsAt: Date.UTC(2026, 2, 3) },
        issues: [],
      },
    });
  });

  it('refuses a caller PIN without a custom-PIN subscription, before any create', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/devices/get')
      .reply(200, { device: saltoDevice('dev-1'), ok: true });
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
      pin: '482913',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'custom_pin_not_allowed' } });
    expect(!r.ok && r.error.message).not.toContain('482913');
  });

  it('sends the PIN when the site has a custom-PIN subscription', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/devices/get')
      .reply(200, { device: saltoDevice('dev-1', {}, { has_custom_pin_subscription: true }), ok: true })
      .post('/access_codes/create', { device_id: uuid('dev-1'), name: 'keyslot:g1', code: '482913' })
      .reply(200, created(accessCode('ac-1', { name: 'keyslot:g1', code: '482913', status: 'setting' })));
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
      pin: '482913',
    });
    expect(r).toMatchObject({ ok: true, value: { pin: '482913' } });
  });

  it('rejects bad input by field before calling Seam', async () => {
    const { gateway } = makeGateway();
    const r = await gateway.createAccessCode({
      lockId: '',
      name: ' ',
      window: { kind: 'scheduled', startsAt: 10, endsAt: 5 },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!r.ok && r.error.message).toMatch(/window\.endsAt.*lockId.*name/);
  });

  it('refuses an id that is not a Seam id (a UUID) before calling Seam, which would answer 400', async () => {
    const { gateway } = makeGateway();
    const calls = [
      ['lockId', () => gateway.getLock('front-door')],
      ['lockId', () => gateway.listAccessCodes('front-door')],
      ['lockId', () => gateway.unlock('front-door')],
      [
        'lockId',
        () =>
          gateway.createAccessCode({ lockId: 'front-door', name: 'keyslot:g1', window: { kind: 'ongoing' } }),
      ],
      ['accessCodeId', () => gateway.getAccessCode('code-1')],
      ['accessCodeId', () => gateway.deleteAccessCode('code-1')],
      ['actionAttemptId', () => gateway.getUnlockAttempt('attempt-1')],
      ['its id', () => gateway.getConnectWebview('cw-1')],
    ] as const;
    for (const [field, call] of calls) {
      const r = await call();
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(!r.ok && r.error.message).toContain(`${field} must be a Seam id (a UUID`);
    }
    // nock has nothing registered and net connect is off: any request would have failed the test.
  });

  it.each(['salto_site_user_not_subscribed', 'salto_ks_user_not_subscribed', 'access_code_inactive'])(
    '%s on a code → slot_limit_reached; the site-wide limit error copied onto it is not an issue',
    async (name) => {
      const { gateway } = makeGateway();
      seam()
        .post('/access_codes/create')
        .reply(
          200,
          created(
            accessCode('ac-1', {
              name: 'keyslot:g1',
              errors: [
                codeError(name, 'Salto site user is not subscribed'),
                {
                  ...deviceError('salto_ks_subscription_limit_exceeded', 'limit'),
                  is_device_error: false,
                  is_connected_account_error: true,
                },
              ],
            }),
          ),
        );
      const r = await gateway.createAccessCode({
        lockId: uuid('dev-1'),
        name: 'keyslot:g1',
        window: { kind: 'ongoing' },
      });
      expect(r.ok && r.value.issues).toEqual([
        { code: 'slot_limit_reached', providerCode: name, message: 'Salto site user is not subscribed' },
      ]);
    },
  );

  it('maps other code errors, unknown statuses and unknown error names without crashing', async () => {
    const { gateway } = makeGateway();
    // A status and an error name newer than the newest schema: the reply is out of schema on purpose.
    nockSchemas.expectInvalidReply('/access_codes/list');
    seam()
      .post('/access_codes/list')
      .reply(200, {
        access_codes: [
          accessCode('a', { status: 'set', errors: [codeError('failed_to_set_on_device', 'f')] }),
          accessCode('b', { status: 'brand_new_status', errors: [deviceError('hub_disconnected', 'h')] }),
          accessCode('c', { errors: [codeError('totally_new_error_2027', 'x')] }),
        ],
        pagination: page(null),
        ok: true,
      });
    const r = await gateway.listAccessCodes(uuid('dev-1'));
    expect(r.ok && r.value.map((c) => [c.status, c.issues.map((i) => i.code)])).toEqual([
      ['set', ['failed_to_set']],
      ['unknown', ['hub_offline']],
      ['setting', ['provider_issue']],
    ]);
  });

  it('a create whose reply is lost finds the code by name instead of creating a duplicate', async () => {
    const { gateway, logger } = makeGateway();
    let creates = 0;
    seam()
      .post('/access_codes/create', () => {
        creates++;
        return true;
      })
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/access_codes/list', { device_id: uuid('dev-1'), limit: 500 })
      .reply(200, {
        access_codes: [
          accessCode('other', {
            name: 'keyslot:g1',
            type: 'time_bound',
            starts_at: '2026-03-02T00:00:00Z',
            ends_at: '2026-03-03T00:00:00Z',
          }),
          accessCode('ac-9', { name: 'keyslot:g1' }),
        ],
        pagination: page(null),
        ok: true,
      });
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({ ok: true, value: { id: uuid('ac-9'), name: 'keyslot:g1' } });
    expect(creates).toBe(1);
    expect(logger.entries.some((e) => e.message.includes('recovered'))).toBe(true);
  });

  it('a create that times out and is not found is outcome_unknown, still without a second create', async () => {
    // The deadline is real time: 1 s (not 30 ms) so that on a loaded machine only the create — held
    // 3 s — times out, never the lookup, whose retries would move the virtual clock past 500 ms.
    const { gateway, clock } = makeGateway({ requestTimeoutMs: 1_000 });
    seam()
      .post('/access_codes/create')
      .delay(3_000)
      .reply(200, created(accessCode('late')))
      .post('/access_codes/list')
      .reply(200, { access_codes: [], pagination: page(null), ok: true });
    const r = await gateway.createAccessCode({
      lockId: uuid('dev-1'),
      name: 'keyslot:g1',
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(!r.ok && r.error.message).toContain('Look the result up');
    expect(clock.now() - T0).toBe(500); // recoveryDelayMs on the injected clock
  });

  it('deletes with the per-device throttle; a lost delete reply is settled by reading the code', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/access_codes/get', { access_code_id: uuid('ac-1') })
      .reply(200, { access_code: accessCode('ac-1', { status: 'set' }), ok: true })
      .post('/access_codes/delete', { access_code_id: uuid('ac-1') })
      .reply(200, {
        action_attempt: actionAttempt('delete-1', 'DELETE_ACCESS_CODE', 'success'),
        ok: true,
      })
      .post('/access_codes/delete', { access_code_id: uuid('ac-1') })
      .replyWithError({ code: 'ECONNRESET', message: 'reset' })
      .post('/access_codes/get', { access_code_id: uuid('ac-1') })
      .reply(404, { error: { type: 'access_code_not_found', message: uuid('gone') }, ok: false });
    expect(await gateway.deleteAccessCode(uuid('ac-1'))).toEqual({ ok: true, value: undefined });
    expect(await gateway.deleteAccessCode(uuid('ac-1'))).toEqual({ ok: true, value: undefined });
  });

  it('deleting a gone code is access_code_not_found', async () => {
    const { gateway } = makeGateway({ throttle: false });
    seam()
      .post('/access_codes/delete')
      .reply(404, { error: { type: 'access_code_not_found', message: uuid('gone') }, ok: false });
    expect(await gateway.deleteAccessCode(uuid('ac-1'))).toMatchObject({
      ok: false,
      error: { code: 'access_code_not_found' },
    });
  });
});

describe('unlock through action attempts', () => {
  it('unlock returns the pending attempt as is by default (core’s UnlockDoor polls)', async () => {
    const { gateway, clock } = makeGateway();
    seam()
      .post('/locks/unlock_door', { device_id: uuid('dev-1') })
      .reply(200, {
        action_attempt: {
          action_attempt_id: uuid('aa-0'),
          action_type: 'UNLOCK_DOOR',
          status: 'pending',
          result: null,
          error: null,
        },
        ok: true,
      })
      .post('/action_attempts/get', { action_attempt_id: uuid('aa-0') })
      .reply(200, {
        action_attempt: {
          action_attempt_id: uuid('aa-0'),
          action_type: 'UNLOCK_DOOR',
          status: 'success',
          result: {},
          error: null,
        },
        ok: true,
      });
    expect(await gateway.unlock(uuid('dev-1'))).toEqual({
      ok: true,
      value: { id: uuid('aa-0'), lockId: uuid('dev-1'), status: 'pending', error: null },
    });
    expect(clock.now()).toBe(T0);
    // The attempt remembers its lock, which Seam's action attempt does not carry.
    expect(await gateway.getUnlockAttempt(uuid('aa-0'))).toEqual({
      ok: true,
      value: { id: uuid('aa-0'), lockId: uuid('dev-1'), status: 'success', error: null },
    });
  });

  it('unlockAndWait polls the pending attempt on the clock until it succeeds', async () => {
    const { gateway, clock } = makeGateway({ unlockPollIntervalMs: 1000 });
    const attempt = (status: string) => ({
      action_attempt: {
        action_attempt_id: uuid('aa-1'),
        action_type: 'UNLOCK_DOOR',
        status,
        result: status === 'success' ? {} : null,
        error: null,
      },
      ok: true,
    });
    seam()
      .post('/locks/unlock_door', { device_id: uuid('dev-1') })
      .reply(200, attempt('pending'))
      .post('/action_attempts/get', { action_attempt_id: uuid('aa-1') })
      .reply(200, attempt('pending'))
      .post('/action_attempts/get', { action_attempt_id: uuid('aa-1') })
      .reply(200, attempt('success'));
    const r = await gateway.unlockAndWait(uuid('dev-1'), { timeoutMs: 10_000 });
    expect(r).toEqual({
      ok: true,
      value: { id: uuid('aa-1'), lockId: uuid('dev-1'), status: 'success', error: null },
    });
    expect(clock.now() - T0).toBe(2000);
  });

  it('an action attempt that fails is returned with its error type', async () => {
    const { gateway } = makeGateway({ unlockWaitMs: 5000 });
    seam()
      .post('/locks/unlock_door')
      .reply(200, {
        action_attempt: {
          action_attempt_id: uuid('aa-2'),
          action_type: 'UNLOCK_DOOR',
          status: 'pending',
          result: null,
          error: null,
        },
        ok: true,
      })
      .post('/action_attempts/get')
      .reply(200, {
        action_attempt: {
          action_attempt_id: uuid('aa-2'),
          action_type: 'UNLOCK_DOOR',
          status: 'error',
          result: null,
          error: { type: 'device_offline', message: 'The lock is offline' },
        },
        ok: true,
      });
    expect(await gateway.unlock(uuid('dev-1'))).toEqual({
      ok: true,
      value: {
        id: uuid('aa-2'),
        lockId: uuid('dev-1'),
        status: 'error',
        error: { providerCode: 'device_offline', message: 'The lock is offline' },
      },
    });
  });

  it('stops polling at the deadline and returns the attempt still pending', async () => {
    const { gateway, clock } = makeGateway({ unlockWaitMs: 2500, unlockPollIntervalMs: 1000 });
    const pending = { action_attempt: actionAttempt('aa-3', 'UNLOCK_DOOR', 'pending'), ok: true };
    seam()
      .post('/locks/unlock_door')
      .reply(200, pending)
      .post('/action_attempts/get')
      .times(3)
      .reply(200, pending);
    expect(await gateway.unlock(uuid('dev-1'))).toMatchObject({ ok: true, value: { status: 'pending' } });
    expect(clock.now() - T0).toBe(2500);
  });

  it('an unlock refused for privacy mode maps to privacy_mode', async () => {
    const { gateway } = makeGateway();
    seam()
      .post('/locks/unlock_door')
      .reply(400, { error: { type: 'salto_ks_privacy_mode', message: 'Privacy mode' }, ok: false });
    expect(await gateway.unlock(uuid('dev-1'))).toMatchObject({ ok: false, error: { code: 'privacy_mode' } });
  });
});

describe('throttling bulk work at Seam’s limits', () => {
  it('spaces the 11th create on one lock a minute after the first instead of collecting a 429', async () => {
    const { gateway, clock } = makeGateway();
    const starts: number[] = [];
    seam()
      .post('/access_codes/create', () => {
        starts.push(clock.now() - T0);
        return true;
      })
      .times(11)
      .reply(200, (_uri, body) => created(accessCode('x', { name: (body as { name: string }).name })));
    for (let i = 0; i < 11; i++) {
      const r = await gateway.createAccessCode({
        lockId: uuid('dev-1'),
        name: `keyslot:g${i}`,
        window: { kind: 'ongoing' },
      });
      expect(r.ok).toBe(true);
    }
    expect(starts.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(starts[10]).toBe(60_000);
  });

  it('returns rate_limited without calling Seam when the wait would exceed maxWaitMs', async () => {
    const { gateway } = makeGateway({ throttle: { unlockPerMinute: 1, maxWaitMs: 1000 } });
    seam()
      .post('/locks/unlock_door')
      .reply(200, {
        action_attempt: actionAttempt('a', 'UNLOCK_DOOR', 'pending'),
        ok: true,
      });
    expect((await gateway.unlock(uuid('dev-1'))).ok).toBe(true);
    expect(await gateway.unlock(uuid('dev-1'))).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', providerCode: 'client_throttle', retryAfterMs: 60_000 },
    });
  });
});

describe('onboarding with a Connect Webview', () => {
  it('creates a salto_ks webview with redirect URLs and customer key, then reads its result', async () => {
    const { gateway } = makeGateway();
    const view = connectWebview('cw-1', {
      custom_redirect_url: 'https://app.example.com/done',
      custom_redirect_failure_url: 'https://app.example.com/failed',
      customer_key: 'cust-7',
    });
    seam()
      .post('/connect_webviews/create', {
        accepted_providers: ['salto_ks'],
        custom_redirect_url: 'https://app.example.com/done',
        custom_redirect_failure_url: 'https://app.example.com/failed',
        customer_key: 'cust-7',
      })
      .reply(200, { connect_webview: view, ok: true })
      .post('/connect_webviews/get', { connect_webview_id: uuid('cw-1') })
      .reply(200, {
        connect_webview: {
          ...view,
          status: 'authorized',
          login_successful: true,
          connected_account_id: ACCOUNT,
          authorized_at: '2026-03-01T12:05:00.000Z',
          selected_provider: 'salto_ks',
        },
        ok: true,
      });
    const created = await gateway.createConnectWebview({
      customRedirectUrl: 'https://app.example.com/done',
      customRedirectFailureUrl: 'https://app.example.com/failed',
      customerKey: 'cust-7',
    });
    expect(created).toMatchObject({
      ok: true,
      value: { id: uuid('cw-1'), status: 'pending', connectedAccountId: null },
    });
    expect(await gateway.getConnectWebview(uuid('cw-1'))).toEqual({
      ok: true,
      value: {
        id: uuid('cw-1'),
        url: view.url,
        status: 'authorized',
        loginSuccessful: true,
        connectedAccountId: ACCOUNT,
        customerKey: 'cust-7',
      },
    });
  });

  it('refuses a relative redirect URL before calling Seam', async () => {
    const { gateway } = makeGateway();
    expect(await gateway.createConnectWebview({ customRedirectUrl: '/done' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});
