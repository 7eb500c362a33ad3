import { createHmac } from 'node:crypto';
import { MemoryLogger, VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { SeamAdapterConfigError } from './errors.js';
import { SeamWebhookVerifier, signSeamWebhook, toSeamWebhookEvent } from './webhooks.js';
import { event as eventSchema } from './wire.js';

// A Svix secret: "whsec_" + base64 of 24 bytes.
const SECRET = `whsec_${Buffer.from('keyslot-webhook-secret-24').toString('base64')}`;
const NOW_S = 1_772_366_400; // 2026-03-01T12:00:00Z
const clock = () => new VirtualClock(NOW_S * 1000);

const setEvent = {
  event_id: 'ev-1',
  event_type: 'access_code.set_on_device',
  workspace_id: 'ws',
  created_at: '2026-03-01T11:59:58.000Z',
  occurred_at: '2026-03-01T11:59:57.000Z',
  device_id: 'dev-1',
  access_code_id: 'ac-1',
  connected_account_id: 'ca-1',
  code: '583920',
  some_future_field: { nested: true },
};

describe('SeamWebhookVerifier', () => {
  it('accepts a Svix-signed delivery and maps it to a typed event', () => {
    const body = JSON.stringify(setEvent);
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    expect(v.verify(body, signSeamWebhook(SECRET, 'msg_1', NOW_S, body))).toEqual({
      ok: true,
      value: {
        kind: 'code_set',
        eventId: 'ev-1',
        eventType: 'access_code.set_on_device',
        occurredAt: Date.parse('2026-03-01T11:59:57.000Z'),
        accessCodeId: 'ac-1',
        lockId: 'dev-1',
        pin: '583920',
      },
    });
  });

  it('computes the standard-webhooks signature independently of the helper (known vector)', () => {
    const body = '{"event_id":"e","event_type":"device.connected","device_id":"d"}';
    const key = Buffer.from(SECRET.slice(6), 'base64');
    const sig = createHmac('sha256', key).update(`msg_2.${NOW_S}.${body}`).digest('base64');
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    const headers = new Headers({
      'Svix-Id': 'msg_2',
      'Svix-Timestamp': String(NOW_S),
      'Svix-Signature': `v1,${Buffer.alloc(32).toString('base64')} v1,${sig}`,
    });
    expect(v.verify(Buffer.from(body), headers)).toMatchObject({
      ok: true,
      value: { kind: 'device_connected', lockId: 'd' },
    });
  });

  it('accepts webhook-* header names and mixed-case plain header objects', () => {
    const body = JSON.stringify(setEvent);
    const h = signSeamWebhook(SECRET, 'msg_3', NOW_S, body);
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    expect(
      v.verify(body, {
        'Webhook-Id': h['svix-id'],
        'webhook-timestamp': h['svix-timestamp'],
        'WEBHOOK-SIGNATURE': [h['svix-signature']],
      }).ok,
    ).toBe(true);
  });

  it('rejects a delivery without signature headers', () => {
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    expect(v.verify(JSON.stringify(setEvent), {})).toMatchObject({
      ok: false,
      error: { code: 'webhook_unsigned' },
    });
    const h = signSeamWebhook(SECRET, 'm', NOW_S, '{}');
    expect(v.verify('{}', { 'svix-id': h['svix-id'], 'svix-timestamp': h['svix-timestamp'] })).toMatchObject({
      ok: false,
      error: { code: 'webhook_unsigned' },
    });
  });

  it('rejects a tampered body, a wrong secret and a non-v1 scheme', () => {
    const body = JSON.stringify(setEvent);
    const h = signSeamWebhook(SECRET, 'msg_4', NOW_S, body);
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    expect(v.verify(body.replace('583920', '000000'), h)).toMatchObject({
      ok: false,
      error: { code: 'webhook_bad_signature' },
    });
    const other = `whsec_${Buffer.from('another-secret-of-24-byte').toString('base64')}`;
    expect(new SeamWebhookVerifier(other, { clock: clock() }).verify(body, h)).toMatchObject({
      ok: false,
      error: { code: 'webhook_bad_signature' },
    });
    expect(
      v.verify(body, { ...h, 'svix-signature': h['svix-signature'].replace('v1,', 'v2,') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'webhook_bad_signature' },
    });
    // The id and timestamp are signed too.
    expect(v.verify(body, { ...h, 'svix-id': 'msg_5' })).toMatchObject({
      ok: false,
      error: { code: 'webhook_bad_signature' },
    });
  });

  it('rejects deliveries more than 5 minutes old or in the future, accepts within tolerance', () => {
    const body = JSON.stringify(setEvent);
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    for (const [offset, ok] of [
      [-301, false],
      [-299, true],
      [299, true],
      [301, false],
    ] as const) {
      const r = v.verify(body, signSeamWebhook(SECRET, 'm', NOW_S + offset, body));
      expect(r.ok, `offset ${offset}`).toBe(ok);
      if (!r.ok) expect(r.error.code).toBe('webhook_stale');
    }
  });

  it('rejects a signed body that is not JSON or not an event', () => {
    const v = new SeamWebhookVerifier(SECRET, { clock: clock() });
    expect(v.verify('not json', signSeamWebhook(SECRET, 'm', NOW_S, 'not json'))).toMatchObject({
      ok: false,
      error: { code: 'webhook_malformed' },
    });
    expect(v.verify('{"x":1}', signSeamWebhook(SECRET, 'm', NOW_S, '{"x":1}'))).toMatchObject({
      ok: false,
      error: { code: 'webhook_malformed' },
    });
  });

  it('refuses a malformed secret at construction, without echoing it', () => {
    expect(() => new SeamWebhookVerifier('whsec_not base64!')).toThrow(SeamAdapterConfigError);
    try {
      new SeamWebhookVerifier('whsec_not base64!');
    } catch (e) {
      expect((e as Error).message).not.toContain('not base64');
    }
    expect(() => new SeamWebhookVerifier('')).toThrow(/webhookSecret: is required/);
  });

  it('keeps the secret out of JSON dumps', () => {
    const v = new SeamWebhookVerifier(SECRET);
    const logger = new MemoryLogger();
    logger.log('info', 'verifier', { v });
    expect(JSON.stringify(v)).not.toContain(SECRET.slice(6));
    expect(JSON.stringify(logger.entries)).not.toContain(SECRET.slice(6));
  });
});

describe('Seam events → typed events', () => {
  const base = {
    event_id: 'e',
    workspace_id: 'w',
    created_at: '2026-03-01T00:00:00Z',
    occurred_at: '2026-03-01T00:00:00Z',
  };
  const map = (extra: Record<string, unknown>) =>
    toSeamWebhookEvent(eventSchema.parse({ ...base, ...extra }));

  it.each([
    [
      { event_type: 'lock.unlocked', device_id: 'd', method: 'seamapi', action_attempt_id: 'aa' },
      { kind: 'lock_unlocked', lockId: 'd', method: 'seamapi', actionAttemptId: 'aa', accessCodeId: null },
    ],
    [
      { event_type: 'lock.unlocked', device_id: 'd', method: 'keycode', access_code_id: 'ac' },
      { kind: 'lock_unlocked', accessCodeId: 'ac' },
    ],
    [
      { event_type: 'device.disconnected', device_id: 'd', error_code: 'hub_disconnected' },
      { kind: 'device_disconnected', lockId: 'd', reason: 'hub_disconnected' },
    ],
    [
      { event_type: 'device.salto.privacy_mode_activated', device_id: 'd' },
      { kind: 'privacy_mode_changed', active: true },
    ],
    [
      { event_type: 'device.salto.privacy_mode_deactivated', device_id: 'd' },
      { kind: 'privacy_mode_changed', active: false },
    ],
    [
      {
        event_type: 'connected_account.connected',
        connected_account_id: 'ca',
        connect_webview_id: 'cw',
        customer_key: 'k',
      },
      { kind: 'account_connected', connectedAccountId: 'ca', connectWebviewId: 'cw', customerKey: 'k' },
    ],
    [
      { event_type: 'connected_account.disconnected', connected_account_id: 'ca' },
      { kind: 'account_disconnected' },
    ],
    [
      { event_type: 'connected_account.completed_first_sync', connected_account_id: 'ca' },
      { kind: 'account_sync_completed' },
    ],
    [
      { event_type: 'connect_webview.login_succeeded', connect_webview_id: 'cw', connected_account_id: 'ca' },
      { kind: 'webview_login_succeeded', connectedAccountId: 'ca' },
    ],
    [
      {
        event_type: 'action_attempt.unlock_door.failed',
        action_attempt_id: 'aa',
        error: { type: 'device_offline', message: 'offline' },
      },
      { kind: 'unlock_failed', error: { providerCode: 'device_offline', message: 'offline' } },
    ],
    [
      { event_type: 'access_code.deleted', access_code_id: 'ac', device_id: 'd', code: '123456' },
      { kind: 'code_deleted', accessCodeId: 'ac' },
    ],
    [
      { event_type: 'access_code.failed_to_set_on_device', access_code_id: 'ac' },
      { kind: 'code_failed_to_set', lockId: null },
    ],
    [
      { event_type: 'thermostat.temperature_changed', device_id: 'd' },
      { kind: 'unknown_event', eventType: 'thermostat.temperature_changed' },
    ],
    [{ event_type: 'lock.unlocked' }, { kind: 'unknown_event', reason: 'lock.unlocked without device_id' }],
  ])('%o', (wire, expected) => {
    expect(map(wire)).toMatchObject(expected);
  });

  it('only code_set and code_scheduled carry the PIN', () => {
    const deleted = map({ event_type: 'access_code.deleted', access_code_id: 'ac', code: '123456' });
    expect(JSON.stringify(deleted)).not.toContain('123456');
  });
});
