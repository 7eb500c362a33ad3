import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '@keyslot/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleView } from '../../../console/view.js';
import { createDefaultWorld } from '../../world/default-world.js';
import { type SimServer, startSimServer } from '../server.js';
import { ASSETS_DIR } from './assets.js';
import { MAX_STREAMS } from './stream.js';
import { safeRedirect } from './webview-page.js';

/** The console's server side over HTTP (no browser): access, the live stream and its bounds, the pages. */

const KEY = 'seam_console_test_key';
let server: SimServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start() {
  const { world, ids } = createDefaultWorld({ seed: 3, clock: new VirtualClock(Date.UTC(2026, 0, 5)) });
  server = await startSimServer({ world, apiKey: KEY });
  return { server, ids };
}

// biome-ignore lint/suspicious/noExplicitAny: bodies are read freely by the tests.
type Body = any;

const post = (s: SimServer, path: string, body: Record<string, unknown>, key: string | null = KEY) =>
  fetch(s.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

interface Message {
  readonly type: string;
  // biome-ignore lint/suspicious/noExplicitAny: messages are read freely by the tests.
  readonly data: any;
}

/** An open console stream, read message by message. */
async function openStream(s: SimServer, key: string | null = KEY) {
  const ctrl = new AbortController();
  const res = await fetch(`${s.url}/_sim/console/stream`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: ctrl.signal,
  });
  const queue: Message[] = [];
  let buffer = '';
  const reader = res.ok && res.body ? res.body.pipeThrough(new TextDecoderStream()).getReader() : null;
  let ended = false;
  /** The next message of `type` (earlier ones of other types are skipped); null when the stream ended. */
  const next = async (type: string, where: (m: Message) => boolean = () => true): Promise<Message | null> => {
    for (;;) {
      const i = queue.findIndex((m) => m.type === type && where(m));
      if (i !== -1) return queue.splice(0, i + 1)[i] as Message;
      if (!reader || ended) return null;
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        return null;
      }
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const typeLine = block.split('\n').find((l) => l.startsWith('event: '));
        const dataLine = block.split('\n').find((l) => l.startsWith('data: '));
        if (typeLine && dataLine)
          queue.push({ type: typeLine.slice(7), data: JSON.parse(dataLine.slice(6)) });
      }
    }
  };
  return { res, next, close: () => ctrl.abort() };
}

describe('console stream', () => {
  it('needs the API key, like every route that shows the world', async () => {
    const { server } = await start();
    for (const key of [null, 'seam_wrong']) {
      const s = await openStream(server, key);
      expect(s.res.status).toBe(401);
      const state = await fetch(`${server.url}/_sim/console/state`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      expect(state.status).toBe(401);
    }
  });

  it('sends the view, then each change and its events on the same connection', async () => {
    const { server, ids } = await start();
    const s = await openStream(server);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const first = (await s.next('state'))?.data as ConsoleView;
    expect(first.sites.map((x) => [x.siteName, x.used, x.slotLimit])).toEqual([
      ['Casa Sol Apartments', 0, 10],
      ['Harbour Office', 0, 3],
    ]);
    expect((await s.next('events'))?.data.map((e: { eventType: string }) => e.eventType)).toContain(
      'device.added',
    );

    const created = (await (
      await post(server, '/access_codes/create', { device_id: ids.locks.officeEntrance })
    ).json()) as Body;
    const codeId = created.access_code.access_code_id;
    const events = await s.next('events', (m) =>
      m.data.some((e: { eventType: string }) => e.eventType === 'access_code.created'),
    );
    expect(
      events?.data.find((e: { eventType: string }) => e.eventType === 'access_code.created').accessCodeId,
    ).toBe(codeId);
    const withCode = (await s.next('state'))?.data as ConsoleView;
    const office = withCode.sites.find((x) => x.siteId === ids.sites.office);
    expect(office?.used).toBe(1);
    const lock = office?.hubs.flatMap((h) => h.locks).find((l) => l.deviceId === ids.locks.officeEntrance);
    expect(lock?.codes.map((c) => [c.accessCodeId, c.holdsSlot])).toEqual([[codeId, true]]);

    // A control without an event (the slot limit) still reaches the stream.
    expect(
      (await post(server, '/_sim/slot_limit', { site_id: ids.sites.office, slot_limit: 5 })).status,
    ).toBe(200);
    const limited = await s.next('state', (m) =>
      (m.data as ConsoleView).sites.some((x) => x.siteId === ids.sites.office && x.slotLimit === 5),
    );
    expect(limited).not.toBeNull();

    // Reset swaps the world: the generation moves on (the page clears its event feed).
    expect((await post(server, '/_sim/reset', {})).status).toBe(200);
    const reset = (await s.next('state', (m) => m.data.generation === 1))?.data as ConsoleView;
    expect(reset.sites.find((x) => x.siteId === ids.sites.office)?.slotLimit).toBe(3);
    s.close();
  });

  it(`keeps at most ${MAX_STREAMS} streams open, and frees a place when one closes`, async () => {
    const { server } = await start();
    const open = [];
    for (let i = 0; i < MAX_STREAMS; i++) {
      const s = await openStream(server);
      expect(s.res.status).toBe(200);
      await s.next('state');
      open.push(s);
    }
    const refused = await openStream(server);
    expect(refused.res.status).toBe(503);
    expect(((await refused.res.json()) as Body).error.type).toBe('too_many_console_streams');
    open.pop()?.close();
    // The server notices the closed connection; then a new stream fits again.
    let again = await openStream(server);
    for (let i = 0; again.res.status === 503 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await openStream(server);
    }
    expect(again.res.status).toBe(200);
    again.close();
    for (const s of open) s.close();
  });

  it('ends its streams when the server stops', async () => {
    const { server: s } = await start();
    const stream = await openStream(s);
    await stream.next('state');
    await s.close();
    server = null;
    expect(await stream.next('state')).toBeNull(); // the stream ended instead of hanging
  });
});

describe('console page and assets', () => {
  it('serves the page at / and /_sim/console without the key, and no world data in it', async () => {
    const { server } = await start();
    for (const path of ['/', '/_sim/console']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/_sim/console/app.js">');
      expect(html).not.toContain('OFFICE ENTRANCE');
    }
    const js = await fetch(`${server.url}/_sim/console/panels/sites.js`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await fetch(`${server.url}/_sim/console/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/_sim/console/view.d.ts`)).status).toBe(404);
  });

  it('preloads every module the page imports (a new panel adds its line to index.html)', async () => {
    const { server } = await start();
    const html = await (await fetch(`${server.url}/`)).text();
    const modules: string[] = [];
    const walk = (dir: string, prefix: string) => {
      for (const name of readdirSync(dir)) {
        if (statSync(join(dir, name)).isDirectory()) walk(join(dir, name), `${prefix}${name}/`);
        else if (name.endsWith('.js') && name !== 'app.js' && name !== 'webview.js')
          modules.push(prefix + name);
      }
    };
    walk(ASSETS_DIR, '');
    expect(modules.length).toBeGreaterThan(5);
    for (const m of modules) expect(html).toContain(`<link rel="modulepreload" href="/_sim/console/${m}">`);
  });

  it('keeps the JavaScript under its 100 KB budget', () => {
    let total = 0;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.js')) total += statSync(full).size;
      }
    };
    walk(ASSETS_DIR);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(100 * 1024);
  });
});

describe('Connect Webview page', () => {
  it('answers an unknown webview with an HTML 404 and refuses a second completion', async () => {
    const { server } = await start();
    const unknown = await fetch(
      `${server.url}/_sim/connect_webviews/view?connect_webview_id=00000000-0000-4000-8000-000000000000`,
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This sign-in link is not valid');
    const created = (await (await post(server, '/connect_webviews/create', {})).json()) as Body;
    const id = created.connect_webview.connect_webview_id;
    const submit = (body: Record<string, unknown>) =>
      post(server, '/_sim/connect_webviews/view/submit', body, null);
    expect((await submit({ connect_webview_id: 'not-a-uuid' })).status).toBe(400);
    const first = (await (await submit({ connect_webview_id: id, email: 'a@example.com' })).json()) as Body;
    expect([first.status, first.redirect_url]).toEqual(['authorized', null]);
    const again = await submit({ connect_webview_id: id, deny: true });
    expect(again.status).toBe(400);
    expect(((await again.json()) as Body).error.message).toBe(
      `Connect Webview ${id} is already authorized; create a new one.`,
    );
  });

  it('follows only http(s) redirects', () => {
    expect(safeRedirect('https://app.example/done?x=1')).toBe('https://app.example/done?x=1');
    expect(safeRedirect('javascript:alert(1)')).toBeNull();
    expect(safeRedirect('not a url')).toBeNull();
    expect(safeRedirect(null)).toBeNull();
  });
});
