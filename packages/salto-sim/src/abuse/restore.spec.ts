import { SystemClock } from '@keyslot/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimServer } from '../server/server.js';
import { startTestServer, TEST_KEY, type TestServer } from '../server/test-server.test-helpers.js';
import { createDefaultWorld } from '../world/default-world.js';
import { SaltoKsWorld } from '../world/world.js';

// Several servers and many requests per test: generous time on a loaded machine (not a timing check).
vi.setConfig({ testTimeout: 30_000 });

/**
 * Untrusted snapshots and bad parameters over HTTP (the fast half of the abuse suite; the
 * process-level attacks are in `*.abuse.test.ts`, run by `pnpm test:abuse`).
 */

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('POST /_sim/restore refuses a bad snapshot whole', () => {
  it('answers 400 invalid_input naming the bad fields, and the world is exactly as before', async () => {
    t = await startTestServer(); // virtual clock: "unchanged" means unchanged
    const snap = (await t.call('/_sim/snapshot')).body.snapshot;
    const withLock = (patch: Record<string, unknown>) => ({
      ...snap,
      locks: snap.locks.map((l: object, i: number) => (i === 0 ? { ...l, ...patch } : l)),
    });
    const code = (await t.call('/access_codes/create', { device_id: t.ids.locks.frontDoor, name: 'x' })).body
      .access_code;
    const withCode = (await t.call('/_sim/snapshot')).body.snapshot;
    const attacks: [string, unknown, string][] = [
      ['now "abc"', { ...snap, now: 'abc' }, 'now'],
      ['a lock on an unknown site', withLock({ siteId: 'nope' }), 'locks'],
      ['capabilities null', withLock({ capabilities: null }), 'locks'],
      [
        'pinLength 1e6',
        { ...snap, sites: snap.sites.map((s: object) => ({ ...s, pinLength: 1e6 })) },
        'sites',
      ],
      [
        'a pending code on an unknown site',
        { ...withCode, codes: withCode.codes.map((c: object) => ({ ...c, siteId: 'nope' })) },
        'codes',
      ],
      ['only a version', { version: 1 }, 'config'],
    ];
    // Undo the create so "unchanged" compares against a settled world.
    await t.call('/access_codes/delete', { access_code_id: code.access_code_id });
    const before = JSON.stringify((await t.call('/_sim/snapshot')).body.snapshot.codes);
    for (const [name, snapshot, field] of attacks) {
      const r = await t.call('/_sim/restore', { snapshot });
      expect({ name, status: r.status, type: r.body.error?.type }).toEqual({
        name,
        status: 400,
        type: 'invalid_input',
      });
      expect(r.body.error.validation_errors.snapshot[field], name).toBeDefined();
      expect((await t.call('/_sim/clock')).status, name).toBe(200);
      expect((await t.call('/devices/list')).body.devices.length, name).toBe(snap.locks.length);
      expect(JSON.stringify((await t.call('/_sim/snapshot')).body.snapshot.codes), name).toBe(before);
    }
    expect(t.violations).toEqual([]);
  });

  it('refuses 100 000 levels of nested JSON as invalid_input', async () => {
    t = await startTestServer();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const body of [`{"snapshot":{"version":1,"config":${deep}}}`, `{"snapshot":${deep}}`]) {
      const r = await t.raw('/_sim/restore', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
        body,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('invalid_input');
    }
    expect((await t.call('/devices/list')).status).toBe(200);
  });
});

describe('validation messages', () => {
  it('name the expected and the received type; a missing value is Required', async () => {
    t = await startTestServer();
    const message = async (route: string, params: Record<string, unknown>) =>
      (await t!.call(route, params)).body.error.message as string;
    expect(await message('/devices/get', { device_id: 123 })).toBe(
      'device_id: Expected string, received number',
    );
    expect(await message('/_sim/clock/advance', { ms: '10s' })).toBe('ms: Expected number, received string');
    expect(await message('/access_codes/create', {})).toBe('device_id: Required');
    expect(await message('/access_codes/create', { device_id: null })).toBe(
      'device_id: Expected string, received null',
    );
  });

  it('accepts constructor and other Object.prototype names as metadata keys', async () => {
    t = await startTestServer();
    const r = await t.call('/connect_webviews/create', {
      accepted_providers: ['salto_ks'],
      custom_metadata: { constructor: 'a', toString: true, hasOwnProperty: 'b' },
    });
    expect(r.body.error).toBeUndefined();
    expect(r.body.connect_webview.custom_metadata).toEqual({
      constructor: 'a',
      toString: true,
      hasOwnProperty: 'b',
    });
    const wrong = await t.call('/connect_webviews/create', {
      accepted_providers: ['salto_ks'],
      custom_metadata: { constructor: 5 },
    });
    expect(wrong.body.error.message).toMatch(/^custom_metadata\.constructor: /);
  });
});

describe('timer callbacks never throw out of the process', () => {
  it('a transition that fails inside the tick is logged; the server keeps answering', async () => {
    // A trusted-path restore (fromJSON skips the checks) of a code on a site that does not exist,
    // due a few milliseconds from now: exactly what used to kill the process from the tick.
    const { world, ids } = createDefaultWorld({ seed: 3, clock: new SystemClock() });
    world.createAccessCode({ deviceId: ids.locks.frontDoor, name: 'x' });
    const snap = world.toJSON();
    const poisoned = SaltoKsWorld.fromJSON(
      { ...snap, codes: snap.codes.map((c) => ({ ...(c as object), siteId: 'nope' })) },
      { clock: new SystemClock() },
    );
    if (!poisoned.ok) throw new Error(poisoned.error.message);
    const errors: string[] = [];
    const sim = await startSimServer({
      world: poisoned.value,
      apiKey: 'seam_k',
      onBackgroundError: (e, during) => errors.push(`${during}: ${String(e)}`),
    });
    try {
      const deadline = Date.now() + 10_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(errors[0]).toMatch(/^a scheduled world transition: TypeError/);
      const r = await fetch(`${sim.url}/health`);
      expect(r.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
