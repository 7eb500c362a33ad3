/**
 * The ACS path keeps the API key and PINs (and the holder's name) out of logs and error messages,
 * with a logger that does not redact: the adapter itself is tested.
 */
import type { LogFields, Logger, LogLevel } from '@keyslot/core';
import { VirtualClock } from '@keyslot/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  accessGrant,
  accessMethod,
  acsEntrance,
  acsPage,
  acsSystem,
  acsUser,
  DOORS,
  GRANT,
  SYSTEM,
  useAcsNock,
} from './acs-fixtures.test-helpers.js';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import { SEAM, T0 } from './fixtures.test-helpers.js';

const KEY = 'seam_secret_Ac55Kq19Wz70';
const PINS = ['482913', '5839207', '90817263'];
const HOLDER = 'Philippa Quennell-Ashworth';

class RawLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, message: string, fields?: LogFields): void {
    this.lines.push(JSON.stringify({ level, message, fields }));
  }
}

// Strict nock and the schema check for this file; the scope below expects this spec's own key.
const { schemas } = useAcsNock();

describe('ACS path: the API key, PINs and the holder never reach logs or error messages', () => {
  it('across success, Seam errors echoing them, lost replies and 401', async () => {
    const logger = new RawLogger();
    const gw = new SeamAccessGrantGateway(
      { apiKey: KEY, endpoint: SEAM, readRetries: 0, recoveryDelayMs: 0, fetch: schemas.fetch },
      { clock: new VirtualClock(T0, { autoAdvance: true }), logger },
    );
    const scope = nock(SEAM, { reqheaders: { authorization: `Bearer ${KEY}` } });
    const seen: unknown[] = [];
    const record = async (p: Promise<unknown>) => {
      try {
        seen.push(await p);
      } catch (e) {
        seen.push({ thrown: String(e), message: (e as Error).message, stack: (e as Error).stack });
      }
    };
    const doorCheck = () => {
      scope.post('/acs/systems/list').reply(200, { acs_systems: [acsSystem()], ok: true });
      scope.post('/acs/entrances/list').reply(200, {
        acs_entrances: DOORS.map((id) => acsEntrance(id, 'DOOR')),
        pagination: acsPage(),
        ok: true,
      });
    };
    const parts = (pin: string) => {
      scope.post('/acs/users/list').reply(200, {
        acs_users: [acsUser({ full_name: HOLDER, display_name: HOLDER })],
        pagination: acsPage(),
        ok: true,
      });
      scope.post('/acs/users/list_accessible_entrances').reply(200, { acs_entrances: [], ok: true });
      scope.post('/access_methods/list').reply(200, {
        access_methods: [accessMethod({ code: pin, is_issued: true, issued_at: '2026-03-01T12:00:03.000Z' })],
        ok: true,
      });
    };
    const input = {
      key: 'stay-1',
      siteId: SYSTEM,
      doorIds: DOORS.slice(0, 2),
      window: { kind: 'ongoing' as const },
      holder: HOLDER,
      methods: ['code' as const],
    };
    // Success paths carrying a PIN.
    doorCheck();
    scope.post('/access_grants/create').reply(200, { access_grant: accessGrant(), ok: true });
    parts(PINS[0]!);
    await record(gw.createAccessGrant(input));
    scope.post('/access_grants/get').reply(200, { access_grant: accessGrant(), ok: true });
    parts(PINS[1]!);
    await record(gw.getAccessGrant(GRANT));
    // Seam echoing a PIN and the holder in an error; a grant error quoting a PIN.
    doorCheck();
    scope.post('/access_grants/create').reply(400, {
      error: { type: 'invalid_input', message: `PIN ${PINS[2]} for ${HOLDER} is already in use` },
      ok: false,
    });
    await record(gw.createAccessGrant(input));
    scope.post('/access_grants/get').reply(200, {
      access_grant: accessGrant({
        errors: [
          {
            error_code: 'cannot_create_requested_access_methods',
            message: `Code ${PINS[2]} could not be set`,
            created_at: '2026-03-01T12:00:00.000Z',
          },
        ],
      }),
      ok: true,
    });
    parts(PINS[1]!);
    await record(gw.getAccessGrant(GRANT));
    // A lost create reply whose lookup shows the PIN; a proxy page echoing the key.
    doorCheck();
    scope.post('/access_grants/create').replyWithError({ code: 'ECONNRESET', message: `reset ${KEY}` });
    scope.post('/access_grants/list').reply(200, {
      access_grants: [accessGrant({ access_grant_key: 'keyslot:stay-1' })],
      pagination: acsPage(),
      ok: true,
    });
    parts(PINS[0]!);
    await record(gw.createAccessGrant(input));
    scope.post('/access_grants/delete').reply(502, `<pre>Authorization: Bearer ${KEY}</pre>`);
    scope.post('/access_grants/get').reply(503, `<pre>Authorization: Bearer ${KEY}</pre>`);
    await record(gw.deleteAccessGrant(GRANT));
    scope
      .post('/acs/systems/list')
      .reply(401, { error: { type: 'unauthorized', message: `bad key ${KEY}` } });
    await record(gw.listDoors());

    // The reads hand the PINs to the caller (their job)…
    expect(JSON.stringify(seen)).toContain(PINS[1]);
    // …but no log line or message carries the key, a PIN or the holder.
    const withoutPins = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v ?? null, (k, x) => (k === 'pin' ? undefined : x)));
    const haystacks = [JSON.stringify(seen.map(withoutPins)), ...logger.lines];
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(JSON.stringify(seen)).toContain('Seam rejected the API key');
    for (const h of haystacks) {
      expect(h).not.toContain(KEY);
      for (const pin of PINS) expect(h).not.toContain(pin);
    }
    for (const line of logger.lines) expect(line).not.toContain(HOLDER);
  });
});
