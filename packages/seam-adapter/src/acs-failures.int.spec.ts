/**
 * `SeamAccessGrantGateway`: every Seam failure on the ACS / Access Grants routes mapped through the
 * ONE mapping (`failures.ts`), and lost replies settled by lookup, never by a second create.
 * nock strictly (no net connect; every interceptor used).
 */
import type nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  ACS_USER,
  accessGrant,
  accessMethod,
  acsEntrance,
  acsPage,
  acsSystem,
  acsUser,
  DOORS,
  GRANT,
  IDENTITY,
  SYSTEM,
  useAcsNock,
} from './acs-fixtures.test-helpers.js';
import { SeamAuthError } from './errors.js';
import { API_KEY, reqId } from './fixtures.test-helpers.js';

const { seam, gateway: makeAcsGateway, schemas } = useAcsNock();
const input = {
  key: 'booking-1',
  siteId: SYSTEM,
  doorIds: DOORS.slice(0, 2),
  window: { kind: 'ongoing' as const },
  holder: 'Jane Guest',
  methods: ['code' as const],
};
/** The reads before a create: the site is a Salto KS ACS system and the doors are its entrances. */
const doorCheck = (scope: nock.Scope) => {
  scope.post('/acs/systems/list').reply(200, { acs_systems: [acsSystem()], ok: true });
  scope.post('/acs/entrances/list').reply(200, {
    acs_entrances: DOORS.map((id) => acsEntrance(id, 'DOOR')),
    pagination: acsPage(),
    ok: true,
  });
};
const seamError = (type: string, message: string) => ({ error: { type, message }, ok: false });
/** The reads that find the grant by key after a lost reply (found: its parts too). */
const lookUpByKey = (scope: nock.Scope, found: boolean) => {
  scope.post('/access_grants/list', { access_grant_key: 'keyslot:booking-1', limit: 500 }).reply(200, {
    access_grants: found ? [accessGrant({ ends_at: null })] : [],
    pagination: acsPage(),
    ok: true,
  });
  if (!found) return;
  scope
    .post('/acs/users/list', { user_identity_id: IDENTITY, limit: 500 })
    .reply(200, { acs_users: [acsUser()], pagination: acsPage(), ok: true });
  scope
    .post('/acs/users/list_accessible_entrances', { acs_user_id: ACS_USER })
    .reply(200, { acs_entrances: DOORS.slice(0, 2).map((id) => acsEntrance(id, 'DOOR')), ok: true });
  scope.post('/access_methods/list').reply(200, { access_methods: [accessMethod()], ok: true });
};

describe('Seam errors on the ACS path → GatewayFailure (one mapping)', () => {
  it('401 throws SeamAuthError with the request id and without the key', async () => {
    const { gateway } = makeAcsGateway();
    seam().post('/acs/systems/list').reply(401, seamError('unauthorized', 'Unauthorized'), reqId('req-401'));
    const e = await gateway.listDoors().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SeamAuthError);
    expect((e as SeamAuthError).requestId).toBe('req-401');
    expect(String((e as Error).message)).not.toContain(API_KEY);
  });

  it('404 acs_system_not_found → site_not_found; acs_entrance_not_found on a create → lock_not_found, not looked up', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/acs/systems/list').reply(200, { acs_systems: [acsSystem()], ok: true });
    scope
      .post('/acs/entrances/list')
      .reply(404, seamError('acs_system_not_found', 'ACS system gone'), reqId('req-404'));
    expect(await gateway.listDoors(SYSTEM)).toMatchObject({
      ok: false,
      error: { code: 'site_not_found', providerCode: 'acs_system_not_found', requestId: 'req-404' },
    });
    doorCheck(scope);
    scope.post('/access_grants/create').reply(404, seamError('acs_entrance_not_found', 'entrance removed'));
    expect(await gateway.createAccessGrant(input)).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', providerCode: 'acs_entrance_not_found' },
    });
  });

  it('a door that is not an entrance of the site is lock_not_found before anything is created', async () => {
    const { gateway } = makeAcsGateway();
    doorCheck(seam());
    const r = await gateway.createAccessGrant({
      ...input,
      doorIds: [DOORS[0], 'c0ffee00-0000-4000-8000-000000000000'],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'lock_not_found' } });
    expect(!r.ok && r.error.message).toContain('c0ffee00-0000-4000-8000-000000000000');
  });

  it('404 access_grant_not_found on get and delete → access_grant_not_found', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/access_grants/get').reply(404, seamError('access_grant_not_found', 'gone'));
    scope.post('/access_grants/delete').reply(404, seamError('access_grant_not_found', 'gone'));
    expect(await gateway.getAccessGrant(GRANT)).toMatchObject({
      ok: false,
      error: { code: 'access_grant_not_found' },
    });
    expect(await gateway.deleteAccessGrant(GRANT)).toMatchObject({
      ok: false,
      error: { code: 'access_grant_not_found' },
    });
  });

  it('409 duplicate_access_grant_key → access_grant_exists, saying to find it by key', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    doorCheck(scope);
    scope
      .post('/access_grants/create')
      .reply(
        409,
        seamError('duplicate_access_grant_key', 'An Access Grant with this key already exists.'),
        reqId('req-409'),
      );
    const r = await gateway.createAccessGrant(input);
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'access_grant_exists',
        providerCode: 'duplicate_access_grant_key',
        requestId: 'req-409',
      },
    });
    expect(!r.ok && r.error.message).toMatch(/Find the existing Access Grant by its key/);
  });

  it('400 invalid_input → invalid_input with Seam’s message; the create is not retried', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    doorCheck(scope);
    scope
      .post('/access_grants/create')
      .once()
      .reply(400, seamError('invalid_input', 'ends_at must be after starts_at'));
    const r = await gateway.createAccessGrant(input);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!r.ok && r.error.message).toContain('ends_at must be after starts_at');
  });

  it('429: a read waits Retry-After then succeeds; a create returns rate_limited with retryAfterMs, not retried', async () => {
    const { gateway, clock } = makeAcsGateway({ defaultSiteSlotLimit: 3 });
    const scope = seam();
    scope
      .post('/connected_accounts/list')
      .reply(200, { connected_accounts: [], pagination: acsPage(), ok: true });
    scope
      .post('/acs/systems/list')
      .reply(429, seamError('rate_limited', 'slow down'), { 'retry-after': '2' });
    scope.post('/acs/systems/list').reply(200, { acs_systems: [acsSystem()], ok: true });
    const t0 = clock.now();
    expect((await gateway.listSites()).ok).toBe(true);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(2_000);
    doorCheck(scope);
    scope
      .post('/access_grants/create')
      .once()
      .reply(429, seamError('rate_limited', 'slow down'), { 'retry-after': '30' });
    expect(await gateway.createAccessGrant(input)).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', retryAfterMs: 30_000 },
    });
  });

  it('5xx: reads are retried; a 500 on a create is unavailable, neither retried nor looked up', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/access_grants/get').reply(503, '<html>down</html>');
    scope.post('/access_grants/get').reply(500, seamError('internal_server_error', 'boom'));
    scope.post('/access_grants/get').reply(503, '');
    expect(await gateway.getAccessGrant(GRANT)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    doorCheck(scope);
    scope.post('/access_grants/create').once().reply(500, seamError('internal_server_error', 'boom'));
    expect(await gateway.createAccessGrant(input)).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });

  it('a reply without what the mapping relies on is a provider issue for a read, never a crash', async () => {
    const { gateway } = makeAcsGateway();
    schemas.expectInvalidReply('/access_grants/get');
    seam()
      .post('/access_grants/get')
      .reply(
        200,
        { access_grant: { ...accessGrant(), starts_at: 'yesterday' }, ok: true },
        reqId('req-shape'),
      );
    expect(await gateway.getAccessGrant(GRANT)).toMatchObject({
      ok: false,
      error: { code: 'provider_issue', providerCode: 'invalid_response', requestId: 'req-shape' },
    });
  });

  it('refuses bad input by field before calling Seam, echoing no value', async () => {
    const { gateway } = makeAcsGateway();
    const bad = await gateway.createAccessGrant({
      key: 'no spaces allowed',
      siteId: ' ',
      doorIds: [DOORS[0], DOORS[0]],
      window: { kind: 'scheduled', startsAt: 5, endsAt: 1 },
      holder: '',
      methods: ['card' as 'code'],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const message = bad.ok ? '' : bad.error.message;
    for (const field of ['key', 'siteId', 'doorIds', 'holder', 'methods', 'window'])
      expect(message).toContain(field);
    expect(message).not.toContain('no spaces allowed');
    expect(await gateway.createAccessGrant(null as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await gateway.getAccessGrant({} as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await gateway.findAccessGrant('a b')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await gateway.deleteAccessGrant('')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await gateway.listAccessGrants(7 as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await gateway.getSlotUsage(null as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});

describe('lost replies: looked up by access_grant_key, never created twice', () => {
  it('a dropped connection after sending: the grant is found by key and returned', async () => {
    const { gateway, logger } = makeAcsGateway();
    const scope = seam();
    doorCheck(scope);
    scope
      .post('/access_grants/create')
      .once()
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    lookUpByKey(scope, true);
    const r = await gateway.createAccessGrant(input);
    expect(r.ok && r.value.id).toBe(GRANT);
    const messages = logger.entries.map((e) => e.message);
    expect(messages).toContain('seam access grant create reply lost; looking it up by key');
    expect(messages).toContain('seam access grant create recovered: the grant exists');
  });

  it('a timeout, and no grant with the key: outcome_unknown saying how to look it up, still one create', async () => {
    const { gateway } = makeAcsGateway({ requestTimeoutMs: 1_000 });
    const scope = seam();
    doorCheck(scope);
    scope
      .post('/access_grants/create')
      .once()
      .delay(3_000)
      .reply(200, { access_grant: accessGrant(), ok: true });
    lookUpByKey(scope, false);
    const r = await gateway.createAccessGrant(input);
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(!r.ok && r.error.message).toContain('findAccessGrant');
  });

  it('502/504 and an unreadable 2xx are ambiguous too; a failed lookup stays outcome_unknown', async () => {
    const { gateway } = makeAcsGateway({ readRetries: 0 });
    const scope = seam();
    doorCheck(scope);
    scope.post('/access_grants/create').once().reply(504, seamError('gateway_timeout', 'upstream timeout'));
    scope.post('/access_grants/list').reply(503, '');
    const r = await gateway.createAccessGrant(input);
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(!r.ok && r.error.message).toContain('Looking it up failed too');
    doorCheck(scope);
    schemas.expectInvalidReply('/access_grants/create');
    scope.post('/access_grants/create').once().reply(200, 'not json');
    lookUpByKey(scope, true);
    expect((await gateway.createAccessGrant(input)).ok).toBe(true);
  });

  it('made, but reading it back failed: outcome_unknown naming the grant (the caller finds it by key)', async () => {
    const { gateway } = makeAcsGateway({ readRetries: 0 });
    const scope = seam();
    doorCheck(scope);
    scope.post('/access_grants/create').once().reply(200, { access_grant: accessGrant(), ok: true });
    scope.post('/acs/users/list').reply(503, '');
    const r = await gateway.createAccessGrant(input);
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(!r.ok && r.error.message).toContain(GRANT);
  });

  it('a lost delete reply is settled by reading the grant: 404 → done, still there → outcome_unknown', async () => {
    const { gateway } = makeAcsGateway();
    const scope = seam();
    scope.post('/access_grants/delete').once().replyWithError({ code: 'ECONNRESET', message: 'reset' });
    scope
      .post('/access_grants/get', { access_grant_id: GRANT })
      .reply(404, seamError('access_grant_not_found', 'gone'));
    expect(await gateway.deleteAccessGrant(GRANT)).toEqual({ ok: true, value: undefined });
    scope.post('/access_grants/delete').once().reply(502, 'bad gateway');
    scope.post('/access_grants/get').reply(200, { access_grant: accessGrant(), ok: true });
    const r = await gateway.deleteAccessGrant(GRANT);
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(!r.ok && r.error.message).toContain(`read Access Grant ${GRANT}`);
  });
});
