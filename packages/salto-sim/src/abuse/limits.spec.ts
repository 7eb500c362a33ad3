import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SIM_LIMITS, limitsFromEnv, resolveLimits } from '../server/limits.js';
import { startTestServer, type TestServer } from '../server/test-server.test-helpers.js';
import { WebhookDispatcher, type WebhookEvent } from '../server/webhooks.js';

// Several servers and many requests per test: generous time on a loaded machine (not a timing check).
vi.setConfig({ testTimeout: 30_000 });

/** The server's resource caps at small sizes (the full-size attacks are in `*.abuse.test.ts`). */

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /_sim/limits', () => {
  it('reports every limit with its default, its environment variable and the current use', async () => {
    t = await startTestServer({ limits: { maxWebhooks: 7 } });
    const r = await t.call('/_sim/limits', {}, { method: 'GET' });
    expect(r.body.limits.max_webhooks).toEqual({ value: 7, default: 100, env: 'KEYSLOT_SIM_MAX_WEBHOOKS' });
    expect(Object.keys(r.body.limits)).toHaveLength(Object.keys(DEFAULT_SIM_LIMITS).length);
    expect(r.body.usage).toMatchObject({ webhooks: 0, connect_webviews: 0, deliveries_dropped: 0 });
    expect(r.body.usage.connections).toBeGreaterThanOrEqual(1);
  });

  it('limits are checked by name, from options and from the environment', () => {
    expect(resolveLimits({ maxConnections: 0 })).toEqual({
      ok: false,
      message: 'Invalid server limits: maxConnections must be an integer ≥ 1 (got 0).',
    });
    expect(limitsFromEnv({ KEYSLOT_SIM_IDLE_TIMEOUT_MS: '2000', KEYSLOT_SIM_MAX_WEBHOOKS: '3' })).toEqual({
      ok: true,
      value: { ...DEFAULT_SIM_LIMITS, idleTimeoutMs: 2000, maxWebhooks: 3 },
    });
    const bad = limitsFromEnv({ KEYSLOT_SIM_MAX_QUEUED_DELIVERIES: '1e3' });
    expect(bad.ok || bad.message).toMatch(/KEYSLOT_SIM_MAX_QUEUED_DELIVERIES must be an integer/);
  });
});

describe('webhooks and Connect Webviews are capped', () => {
  it('refuses a webhook over the cap as invalid_input (webhook_limit_reached); deleting one makes room', async () => {
    t = await startTestServer({ limits: { maxWebhooks: 2 } });
    const create = () => t!.call('/webhooks/create', { url: 'http://127.0.0.1:9/hook' });
    const first = await create();
    await create();
    const third = await create();
    expect(third.status).toBe(400);
    expect(third.body.error).toMatchObject({
      type: 'invalid_input',
      data: { reason: 'webhook_limit_reached' },
    });
    await t.call('/webhooks/delete', { webhook_id: first.body.webhook.webhook_id });
    expect((await create()).status).toBe(200);
    expect(t.violations).toEqual([]);
  });

  it('keeps the newest Connect Webviews up to the cap and forgets the oldest', async () => {
    t = await startTestServer({ limits: { maxConnectWebviews: 3 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.call('/connect_webviews/create', { accepted_providers: ['salto_ks'] });
      ids.push(r.body.connect_webview.connect_webview_id);
    }
    const get = async (id: string | undefined) =>
      (await t!.call('/connect_webviews/get', { connect_webview_id: id })).status;
    expect(await Promise.all(ids.map(get))).toEqual([404, 404, 200, 200, 200]);
    expect((await t.call('/connect_webviews/list')).body.connect_webviews).toHaveLength(3);
    expect(t.violations).toEqual([]);
  });
});

describe('webhook delivery queue', () => {
  it('sends at most maxConcurrent at once, keeps at most maxQueued waiting, drops the oldest and reports it once', async () => {
    const pending: ((r: Response) => void)[] = [];
    const sent: string[] = [];
    const dropped: number[] = [];
    const d = new WebhookDispatcher({
      maxConcurrent: 2,
      maxQueued: 3,
      retryDelaysMs: [],
      fetch: (async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(init.body as string).event_id);
        return new Promise<Response>((resolve) => pending.push(resolve));
      }) as typeof fetch,
      onDropped: (n) => dropped.push(n),
    });
    d.create('http://127.0.0.1:9/hook', undefined);
    const event = (i: number): WebhookEvent => ({ event_id: `e${i}`, event_type: 'lock.unlocked' });
    for (let i = 0; i < 10; i++) d.dispatch(event(i));
    expect(sent).toEqual(['e0', 'e1']);
    expect(d.stats).toEqual({ inFlight: 2, queued: 3, dropped: 5 });
    // The first drop is reported at once; the next four fall within the same second.
    expect(dropped).toEqual([1]);
    for (let round = 0; round < 3; round++) {
      for (const resolve of pending.splice(0)) resolve(new Response('ok'));
      await new Promise((r) => setTimeout(r, 10));
    }
    // The newest three waited and were sent, in order; the dropped ones never were.
    expect(sent).toEqual(['e0', 'e1', 'e7', 'e8', 'e9']);
    d.close();
  });
});

describe('connections', () => {
  it('beyond the cap, idle connections make room; silent ones are closed after the headers timeout', async () => {
    t = await startTestServer({ limits: { maxConnections: 5, headersTimeoutMs: 1_000 } });
    const { port } = new URL(t.url);
    const sockets: Socket[] = [];
    let closed = 0;
    await Promise.all(
      Array.from(
        { length: 12 },
        () =>
          new Promise<void>((resolve) => {
            const s = connect(Number(port), '127.0.0.1', () => resolve());
            s.on('error', () => undefined);
            s.on('close', () => {
              closed++;
            });
            sockets.push(s);
          }),
      ),
    );
    expect((await t.call('/devices/list')).status).toBe(200);
    const usage = (await t.call('/_sim/limits', {}, { method: 'GET' })).body.usage;
    expect(usage.connections).toBeLessThanOrEqual(5);
    // Liveness, not timing: every silent connection is closed by the server eventually.
    const deadline = Date.now() + 15_000;
    while (closed < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(12);
    for (const s of sockets) s.destroy();
  });
});
