import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deviations, expectSeamEvent } from './seam-contract.test-helpers.js';
import { startTestServer, type TestServer } from './test-server.test-helpers.js';
import { verifyWebhook } from './webhooks.js';

let t: TestServer | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await t?.close();
  expect(t?.violations ?? []).toEqual([]);
  receiver?.closeAllConnections();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  t = undefined;
  receiver = undefined;
});

async function startReceiver() {
  const got: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/seam`, got };
}

describe('webhooks', () => {
  it('delivers world events as Seam events, Svix-signed with the webhook secret', async () => {
    t = await startTestServer();
    const rx = await startReceiver();
    const created = await t.call('/webhooks/create', {
      url: rx.url,
      event_types: ['access_code.created', 'access_code.set_on_device'],
    });
    const { webhook_id, secret } = created.body.webhook;
    expect(secret).toMatch(/^whsec_/);
    expect((await t.call('/webhooks/list', {}, { method: 'GET' })).body.webhooks).toHaveLength(1);

    const code = await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    await t.call('/_sim/clock/advance', { ms: 10_000 });
    await expect.poll(() => rx.got.length).toBe(2);
    const events = rx.got.map((d) => {
      const verdict = verifyWebhook(
        secret,
        d.headers as Record<string, string>,
        d.body,
        Math.floor(Date.now() / 1000),
      );
      expect(verdict).toEqual({ ok: true });
      const event = JSON.parse(d.body);
      expectSeamEvent(event);
      return event;
    });
    expect(events.map((e) => e.event_type).sort()).toEqual([
      'access_code.created',
      'access_code.set_on_device',
    ]);
    expect(events.every((e) => e.access_code_id === code.body.access_code.access_code_id)).toBe(true);
    expect(events.find((e) => e.event_type === 'access_code.set_on_device').code).toMatch(/^\d{6}$/);

    // After delete, only the other webhook still receives.
    await t.call('/webhooks/delete', { webhook_id });
    await t.call('/webhooks/create', { url: `${rx.url}-other`, event_types: ['access_code.created'] });
    expect((await t.call('/webhooks/list')).body.webhooks).toHaveLength(1);
    await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor });
    await expect.poll(() => rx.got.filter((d) => d.path === '/seam-other').length).toBe(1);
    expect(rx.got.filter((d) => d.path === '/seam')).toHaveLength(2);
  });
});

describe('not-subscribed error naming', () => {
  it('with access_code_inactive the refused code matches the newest Seam schema with no deviation', async () => {
    t = await startTestServer({ config: { notSubscribedErrorCode: 'access_code_inactive' } });
    for (let i = 0; i < 3; i++)
      await t.call('/access_codes/create', { device_id: t.ids.locks.officeEntrance });
    const before = deviations.notSubscribedName;
    const over = await t.call('/access_codes/create', { device_id: t.ids.locks.officeEntrance });
    expect(over.body.access_code.errors.map((e: { error_code: string }) => e.error_code)).toContain(
      'access_code_inactive',
    );
    expect(deviations.notSubscribedName).toBe(before);
  });
});
