import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookDispatcher } from './webhooks.js';

describe('Svix-style webhook signatures', () => {
  it('matches the published Svix test vector', () => {
    // From Svix's docs ("Verifying payloads manually").
    const sig = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own signatures and rejects tampering and stale timestamps', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = {
      'svix-id': 'msg_1',
      'svix-timestamp': '1000',
      'svix-signature': signWebhook(secret, 'msg_1', 1000, '{}'),
    };
    expect(verifyWebhook(secret, headers, '{}', 1000)).toEqual({ ok: true });
    expect(verifyWebhook(secret, headers, '{ }', 1000)).toEqual({ ok: false, code: 'no_matching_signature' });
    expect(verifyWebhook(secret, headers, '{}', 1000 + 301)).toEqual({ ok: false, code: 'bad_timestamp' });
    expect(verifyWebhook(secret, { 'svix-id': 'msg_1' }, '{}', 1000)).toEqual({
      ok: false,
      code: 'missing_headers',
    });
  });
});

describe('WebhookDispatcher', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const c of closers.splice(0)) c();
  });

  async function receiver(statuses: number[]) {
    const got: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
  }

  it('delivers matching events signed, retries failures, and skips other event types', async () => {
    const rx = await receiver([500, 200]);
    const d = new WebhookDispatcher({ retryDelaysMs: [1] });
    closers.push(() => d.close());
    const hook = d.create(rx.url, ['lock.unlocked']);
    d.dispatch({ event_id: 'e0', event_type: 'device.connected' });
    d.dispatch({ event_id: 'e1', event_type: 'lock.unlocked', device_id: 'd1' });
    await expect.poll(() => rx.got.length).toBe(2);
    for (const delivery of rx.got) {
      expect(JSON.parse(delivery.body)).toEqual({
        event_id: 'e1',
        event_type: 'lock.unlocked',
        device_id: 'd1',
      });
      const h = delivery.headers as Record<string, string>;
      expect(verifyWebhook(hook.secret, h, delivery.body, Math.floor(Date.now() / 1000))).toEqual({
        ok: true,
      });
    }
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it('gives up after the last retry and reports it', async () => {
    const rx = await receiver([500, 500, 500]);
    const gaveUp: string[] = [];
    const d = new WebhookDispatcher({
      retryDelaysMs: [1, 1],
      onGiveUp: (_h, e, why) => gaveUp.push(`${e.event_id}:${why}`),
    });
    closers.push(() => d.close());
    d.create(rx.url, undefined);
    d.dispatch({ event_id: 'e1', event_type: 'x' });
    await expect.poll(() => gaveUp).toEqual(['e1:HTTP 500']);
    expect(rx.got).toHaveLength(3);
  });
});
