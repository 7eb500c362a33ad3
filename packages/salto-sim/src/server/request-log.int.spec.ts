import { VirtualClock } from '@keyslot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../world/default-world.js';
import { createRequestLog, type RequestLogFormat } from './request-log.js';
import { type SimServer, startSimServer } from './server.js';

const KEY = 'seam_request_log_key_5150';
let server: SimServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** The default world behind a server whose request log is captured; a short story is played on it. */
async function story(format: RequestLogFormat | null) {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9));
  const { world, ids } = createDefaultWorld({ seed: 5, clock });
  const lines: string[] = [];
  const log = createRequestLog({
    format: format ?? 'text',
    write: (l) => lines.push(l),
    now: () => clock.now(),
  });
  server = await startSimServer({ world, apiKey: KEY, port: 0, ...(format ? log : {}) });
  const url = server.url;
  const call = async (route: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(url + route, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: a test reads the bodies freely.
    return (await res.json()) as any;
  };
  await fetch(`${url}/health`);
  const office = ids.locks.officeEntrance;
  const created = await call('/access_codes/create', { device_id: office, name: 'Ana' });
  await call('/_sim/clock/advance', { ms: 10_000 });
  const got = await call('/access_codes/get', { access_code_id: created.access_code.access_code_id });
  const pin: string = got.access_code.code;
  await call('/locks/simulate/keypad_code_entry', { device_id: office, code: pin });
  await call('/locks/unlock_door', { device_id: office });
  await call('/_sim/clock/advance', { ms: 10_000 });
  for (const name of ['Bo', 'Cy', 'Di']) await call('/access_codes/create', { device_id: office, name });
  await call('/access_codes/get', { access_code_id: '00000000-0000-4000-8000-000000000000' });
  return { lines, pin, snapshot: JSON.stringify(world.toJSON()) };
}

describe('request log', () => {
  it('tells the story: requests with status, error type and duration, world events and slot counts, no /health', async () => {
    const { lines } = await story('text');
    const text = lines.join('');
    expect(text).not.toContain('/health');
    expect(text).toMatch(/POST \/access_codes\/create → 200 \d+\.\d ms {2}[0-9a-f-]{36}\n/);
    expect(text).toMatch(/POST \/access_codes\/get → 404 access_code_not_found \d+\.\d ms/);
    expect(text).toMatch(/· code [0-9a-f]{8} created on OFFICE ENTRANCE\n/);
    expect(text).toMatch(/· code [0-9a-f]{8} set on OFFICE ENTRANCE \(PIN assigned\)\n/);
    expect(text).toContain('· OFFICE ENTRANCE unlocked by PIN on the keypad');
    expect(text).toContain('· unlock succeeded on OFFICE ENTRANCE');
    expect(text).toContain('· site "Harbour Office" at 1/3 slots\n');
    expect(text).toContain(
      '· site "Harbour Office" at 3/3 slots — full: new codes are refused as not subscribed',
    );
    expect(text).toMatch(
      /· code [0-9a-f]{8} created on OFFICE ENTRANCE — refused: not subscribed \(salto_site_user_not_subscribed\), the site is full\n/,
    );
    // Events come in the order they happened: the code is created before it is set.
    expect(text.indexOf(' created on OFFICE ENTRANCE')).toBeLessThan(text.indexOf(' set on OFFICE ENTRANCE'));
  });

  it('--log json writes one object per line for machines', async () => {
    const { lines } = await story('json');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.every((e) => typeof e['time'] === 'string' && typeof e['kind'] === 'string')).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'request',
        path: '/access_codes/get',
        status: 404,
        errorType: 'access_code_not_found',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'event', event: 'access_code.set_on_device' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'slots', siteName: 'Harbour Office', used: 3, limit: 3 }),
    );
    expect(entries.some((e) => e['path'] === '/health')).toBe(false);
  });

  it('never prints a PIN or the API key, in either format', async () => {
    for (const format of ['text', 'json'] as const) {
      const { lines, pin } = await story(format);
      await server?.close();
      server = null;
      expect(pin).toMatch(/^\d{6}$/);
      const all = lines.join('');
      expect(all).not.toContain(pin);
      expect(all).not.toContain(KEY);
    }
  });

  it('never changes what the world does: the same calls give the same snapshot with and without it', async () => {
    const logged = await story('text');
    await server?.close();
    server = null;
    const silent = await story(null);
    expect(logged.lines.length).toBeGreaterThan(10);
    expect(silent.lines).toEqual([]);
    expect(logged.snapshot).toBe(silent.snapshot);
  });
});
