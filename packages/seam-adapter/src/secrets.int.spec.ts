import type { LogFields, Logger, LogLevel } from '@keyslot/core';
import { VirtualClock } from '@keyslot/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  accessCode,
  account,
  actionAttempt,
  codeError,
  created,
  nockSchemas,
  page,
  SEAM,
  saltoDevice,
  T0,
  uuid,
} from './fixtures.test-helpers.js';
import { SeamLockGateway } from './gateway.js';

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
  await nockSchemas.assertClean();
});

const KEY = 'seam_secret_Zx81Qw55Lm20';
const PINS = ['482913', '5839207', '90817263'];

/** Keeps what the adapter hands the logger as is (no redaction), so the adapter itself is tested. */
class RawLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, message: string, fields?: LogFields): void {
    this.lines.push(JSON.stringify({ level, message, fields }));
  }
}

describe('the API key and PINs never reach logs or error messages', () => {
  it('across success and failure paths', async () => {
    const logger = new RawLogger();
    const gw = new SeamLockGateway(
      {
        apiKey: KEY,
        endpoint: SEAM,
        // Long enough that a loaded machine never times out a normal reply; the delete below waits longer.
        requestTimeoutMs: 400,
        readRetries: 1,
        retryBaseDelayMs: 1,
        recoveryDelayMs: 0,
        fetch: nockSchemas.fetch,
      },
      { clock: new VirtualClock(T0, { autoAdvance: true }), logger },
    );
    const seen: unknown[] = [];
    const record = async (p: Promise<unknown>) => {
      try {
        seen.push(await p);
      } catch (e) {
        seen.push({ thrown: String(e), message: (e as Error).message, stack: (e as Error).stack });
      }
    };
    const scope = nock(SEAM);
    // Success paths that carry PINs.
    scope
      .post('/devices/get')
      .reply(200, { device: saltoDevice('dev-1', {}, { has_custom_pin_subscription: true }), ok: true })
      .post('/access_codes/create')
      .reply(200, created(accessCode('ac-1', { name: 'keyslot:g', code: PINS[0] ?? null, status: 'set' })));
    await record(
      gw.createAccessCode({
        lockId: uuid('dev-1'),
        name: 'keyslot:g',
        window: { kind: 'ongoing' },
        pin: PINS[0]!,
      }),
    );
    scope.post('/access_codes/list').reply(200, {
      access_codes: [
        accessCode('ac-2', {
          code: PINS[1],
          errors: [codeError('duplicate_code_on_device', `Code ${PINS[1]} already on device`)],
        }),
      ],
      pagination: page(null),
      ok: true,
    });
    await record(gw.listAccessCodes(uuid('dev-1')));
    // Seam echoing a PIN in an error.
    scope
      .post('/devices/get')
      .reply(200, { device: saltoDevice('dev-1', {}, { has_custom_pin_subscription: true }), ok: true })
      .post('/access_codes/create')
      .reply(409, {
        error: { type: 'duplicate_access_code', message: `Code ${PINS[2]} is already in use` },
        ok: false,
      });
    await record(
      gw.createAccessCode({
        lockId: uuid('dev-1'),
        name: 'keyslot:h',
        window: { kind: 'ongoing' },
        pin: PINS[2]!,
      }),
    );
    // A custom PIN refused locally.
    scope.post('/devices/get').reply(200, { device: saltoDevice('dev-1'), ok: true });
    await record(
      gw.createAccessCode({
        lockId: uuid('dev-1'),
        name: 'keyslot:i',
        window: { kind: 'ongoing' },
        pin: PINS[0]!,
      }),
    );
    // A proxy page echoing the Authorization header; a transport error quoting the key.
    scope.post('/access_codes/get').times(2).reply(502, `<pre>Authorization: Bearer ${KEY}</pre>`);
    await record(gw.getAccessCode(uuid('ac-1')));
    scope
      .post('/access_codes/get')
      .times(2)
      .replyWithError({ message: `request with ${KEY} failed` });
    await record(gw.getAccessCode(uuid('ac-1')));
    // A lost create reply whose lookup shows the PIN.
    scope
      .post('/access_codes/create')
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/access_codes/list')
      .reply(200, {
        access_codes: [accessCode('ac-3', { name: 'keyslot:j', code: PINS[1], status: 'set' })],
        pagination: page(null),
        ok: true,
      });
    await record(
      gw.createAccessCode({ lockId: uuid('dev-1'), name: 'keyslot:j', window: { kind: 'ongoing' } }),
    );
    // Timeout, an unlock whose attempt fails with digits in the message, a 401.
    scope
      .post('/access_codes/delete')
      .delay(1_500)
      .reply(200, { action_attempt: actionAttempt('delete', 'DELETE_ACCESS_CODE', 'success'), ok: true });
    scope
      .post('/access_codes/get')
      .reply(200, { access_code: accessCode('ac-1', { code: PINS[0], status: 'set' }), ok: true });
    await record(gw.deleteAccessCode(uuid('ac-1')));
    scope.post('/locks/unlock_door').reply(200, {
      action_attempt: actionAttempt('aa', 'UNLOCK_DOOR', 'error', {
        error: { type: 'uncategorized_error', message: `PIN ${PINS[2]} rejected by lock` },
      }),
      ok: true,
    });
    await record(gw.unlock(uuid('dev-1')));
    scope
      .post('/connected_accounts/list')
      .reply(401, { error: { type: 'unauthorized', message: `bad key ${KEY}` } });
    await record(gw.listSites());
    scope
      .post('/connected_accounts/list')
      .reply(200, { connected_accounts: [account()], pagination: page(null), ok: true })
      .post('/devices/list')
      .reply(200, {
        devices: [saltoDevice('dev-1', { connected_account_id: ACCOUNT })],
        pagination: page(null),
        ok: true,
      });
    await record(gw.listSites());

    // The successful reads did hand the PINs to the caller (that is their job)…
    expect(JSON.stringify(seen)).toContain(PINS[1]);
    // …but no error message or log line carries the key or a PIN.
    // Successful results may carry PINs in `pin`; everything else (issues, errors, messages) must not.
    const withoutPins = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v ?? null, (k, x) => (k === 'pin' ? undefined : x)));
    const errorsOnly = seen.map(withoutPins);
    const haystacks = [JSON.stringify(errorsOnly), ...logger.lines];
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(JSON.stringify(seen)).toContain('Seam rejected the API key');
    for (const h of haystacks) {
      expect(h).not.toContain(KEY);
      for (const pin of PINS) expect(h).not.toContain(pin);
    }
  });
});
