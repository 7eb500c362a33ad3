/**
 * The schema check itself: the adapter's real traffic over the simulator server passes, and a bug
 * in either direction (a request field of the wrong type, a reply missing a required field, an
 * unknown route) is a finding that names the route, the direction and the JSON path — never a
 * value, so no PIN or key can leak through it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ONGOING, silentLogger, VirtualClock } from '@keyslot/core';
import { createDefaultWorld } from '@keyslot/salto-sim';
import { type SimServer, startSimServer } from '@keyslot/salto-sim/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../config.js';
import { SeamLockGateway } from '../gateway.js';
import { toJsonSchema } from './seam-openapi.test-helpers.js';
import { formatViolation, SEAM_SCHEMA_DEVIATIONS, SeamSchemaCheck } from './validating-fetch.test-helpers.js';
import { startValidatingProxy } from './validating-proxy.test-helpers.js';

const API_KEY = 'seam_schema_check_key_5150';
let server: SimServer;
let ids: ReturnType<typeof createDefaultWorld>['ids'];

beforeAll(async () => {
  const made = createDefaultWorld({ seed: 3, clock: new VirtualClock(Date.UTC(2026, 2, 1)) });
  ids = made.ids;
  server = await startSimServer({ world: made.world, apiKey: API_KEY });
});
afterAll(() => server.close());

const gatewayOver = (fetch: FetchLike) =>
  new SeamLockGateway(
    { apiKey: API_KEY, endpoint: server.url, fetch, defaultSiteSlotLimit: 10, readRetries: 0 },
    { clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }), logger: silentLogger },
  );

type Body = Record<string, unknown>;
/**
 * A fetch that breaks what is sent (as a buggy adapter would: put it between the adapter and the
 * check) or what comes back (as a buggy server would: put it behind the check), then calls `next`.
 */
const tampering =
  (
    edit: { request?: (route: string, b: Body) => void; reply?: (route: string, b: Body) => void },
    next: FetchLike = (input, init) => fetch(input, init),
  ): FetchLike =>
  async (input, init) => {
    const route = new URL(input).pathname;
    let body = init.body;
    if (edit.request && typeof body === 'string') {
      const b = JSON.parse(body) as Body;
      edit.request(route, b);
      body = JSON.stringify(b);
    }
    const res = await next(input, { ...init, body });
    if (!edit.reply || res.status !== 200) return res;
    const b = (await res.json()) as Body;
    edit.reply(route, b);
    return new Response(JSON.stringify(b), { status: 200, headers: res.headers });
  };

describe("the adapter's traffic against Seam's newest OpenAPI", () => {
  it('the adapter over the simulator passes, and every route it used was validated both ways', async () => {
    const check = new SeamSchemaCheck();
    const gateway = gatewayOver(check.fetch);
    expect((await gateway.listLocks()).ok).toBe(true);
    const created = await gateway.createAccessCode({
      lockId: ids.locks.frontDoor,
      name: 'keyslot:schema-check',
      window: ONGOING,
    });
    if (!created.ok) throw new Error(created.error.message);
    expect((await gateway.getAccessCode(created.value.id)).ok).toBe(true);
    await check.assertClean();
    for (const route of [
      '/connected_accounts/list',
      '/devices/list',
      '/access_codes/create',
      '/access_codes/get',
    ]) {
      expect(check.validated.get(`POST ${route}`), route).toEqual({
        requests: expect.any(Number),
        replies: expect.any(Number),
      });
      expect(check.validated.get(`POST ${route}`)?.replies, route).toBeGreaterThan(0);
    }
  });

  it('a request field of the wrong type is a finding: route, direction and path, not the value', async () => {
    const check = new SeamSchemaCheck();
    const buggyAdapter = tampering(
      {
        request: (route, b) => {
          if (route === '/access_codes/create') b['device_id'] = 4242;
        },
      },
      check.fetch,
    );
    await gatewayOver(buggyAdapter).createAccessCode({
      lockId: ids.locks.frontDoor,
      name: 'keyslot:wrong-type',
      window: ONGOING,
    });
    const found = await check.findings();
    expect(found).toEqual([
      expect.objectContaining({
        route: '/access_codes/create',
        direction: 'request',
        issues: expect.arrayContaining([{ path: '/device_id', message: 'must be string' }]),
      }),
    ]);
    await expect(check.assertClean()).rejects.toThrow(
      /POST \/access_codes\/create request: \/device_id must be string/,
    );
    expect(formatViolation(found[0]!)).not.toContain('4242');
  });

  it('a reply missing a required field is a finding, and assertClean fails the test with it', async () => {
    const check = new SeamSchemaCheck(
      tampering({
        reply: (route, b) => {
          if (route === '/access_codes/create') delete (b['access_code'] as Body)['pending_mutations'];
        },
      }),
    );
    const r = await gatewayOver(check.fetch).createAccessCode({
      lockId: ids.locks.frontDoor,
      name: 'keyslot:no-mutations',
      window: ONGOING,
    });
    // The adapter's own zod check does not need the field: only the schema check notices.
    expect(r.ok).toBe(true);
    await expect(check.assertClean()).rejects.toThrow(
      "POST /access_codes/create reply (HTTP 200): /access_code must have required property 'pending_mutations'",
    );
    await check.assertClean(); // reset after reporting
  });

  it('an unknown route is a finding, not a pass', async () => {
    const check = new SeamSchemaCheck();
    await check.fetch(`${server.url}/access_codes/frobnicate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: '{}',
    });
    await expect(check.assertClean()).rejects.toThrow(
      "POST /access_codes/frobnicate request: (root) POST /access_codes/frobnicate is not a route of Seam's newest OpenAPI",
    );
  });

  it('a PIN or key in a bad request never reaches the finding', async () => {
    const pin = '48291373619284'; // 14 digits: longer than the newest schema's 12
    const check = new SeamSchemaCheck(async () => new Response('{}', { status: 400 }));
    await check.fetch(`${server.url}/access_codes/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ device_id: ids.locks.frontDoor, code: pin, name: API_KEY }),
    });
    const text = (await check.findings()).map(formatViolation).join('\n');
    expect(text).toContain('/code must NOT have more than 12 characters');
    expect(text).not.toContain(pin);
    expect(text).not.toContain(API_KEY);
    await expect(check.assertClean()).rejects.toThrow(/\/code/);
  });

  it('expectInvalidReply takes exactly the expected finding; one that never comes is a failure', async () => {
    const check = new SeamSchemaCheck(async () => new Response('not json', { status: 200 }));
    const send = () =>
      check.fetch(`${server.url}/devices/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    check.expectInvalidReply('/devices/list');
    await send();
    await check.assertClean();
    check.expectInvalidReply('/devices/list');
    await expect(check.assertClean()).rejects.toThrow(
      'expected an invalid reply on /devices/list, but none came',
    );
    await send();
    await expect(check.assertClean()).rejects.toThrow(
      'POST /devices/list reply (HTTP 200): (root) the body is not JSON',
    );
  });
});

describe('the checking proxy (for an adapter in another process)', () => {
  it('checks what passes through it, and passes the replies on unchanged', async () => {
    const check = new SeamSchemaCheck();
    const proxy = await startValidatingProxy(server.url, check);
    try {
      const viaProxy = new SeamLockGateway(
        { apiKey: API_KEY, endpoint: proxy.url, defaultSiteSlotLimit: 10 },
        { clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }), logger: silentLogger },
      );
      const direct = await gatewayOver((input, init) => fetch(input, init)).listLocks();
      expect(await viaProxy.listLocks()).toEqual(direct);
    } finally {
      await proxy.close();
    }
    await check.assertClean();
    expect(check.validated.get('POST /devices/list')).toEqual({ requests: 1, replies: 1 });
  });
});

describe('the deliberate deviations', () => {
  const device = (over: Body) => ({ devices: [{ device_type: 'unknown', properties: {}, ...over }] });
  const unknownType = SEAM_SCHEMA_DEVIATIONS.find((d) => d.id === 'unknown-device-type')!;

  it('device_type unknown is rewritten only on a lock that keeps its Salto KS metadata', () => {
    const salto = device({ properties: { salto_ks_metadata: {} } });
    expect(unknownType.rewrite('/devices/list', salto)).toBe(1);
    expect(salto.devices[0]?.device_type).toBe('salto_lock');
    const other = device({});
    expect(unknownType.rewrite('/devices/list', other)).toBe(0);
    expect(other.devices[0]?.device_type).toBe('unknown');
  });

  it('the weak-link lock of the default world needs the deviation, and nothing else does', async () => {
    const check = new SeamSchemaCheck();
    await gatewayOver(check.fetch).listLocks();
    await check.assertClean();
    expect(Object.fromEntries(check.deviationsApplied)).toEqual({ 'unknown-device-type': 1 });
  });
});

describe('OpenAPI 3.0 → JSON Schema', () => {
  it('nullable becomes a null type, a null enum value, or a null branch beside a oneOf', () => {
    expect(toJsonSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(toJsonSchema({ type: 'string', enum: ['a'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(toJsonSchema({ description: 'd', nullable: true, oneOf: [{ type: 'string' }] })).toEqual({
      description: 'd',
      anyOf: [{ type: 'null' }, { oneOf: [{ type: 'string' }] }],
    });
    expect(toJsonSchema({ description: 'anything', nullable: true })).toEqual({ description: 'anything' });
    expect(toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(toJsonSchema({ type: 'number', maximum: 1, exclusiveMaximum: false })).toEqual({
      type: 'number',
      maximum: 1,
    });
  });
});

describe('coverage: every spec that talks HTTP checks it', () => {
  const src = resolve(import.meta.dirname, '..');
  const specs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? specs(join(dir, e.name)) : e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : [],
    );
  const TALKS = /\bnock\(|startSimServer\(|httpFixture\(|useAcsNock\(|runExample\(/;
  const CHECKS = /useSeamSchemaCheck\(|nockSchemas|new SeamSchemaCheck\(|httpFixture\(|useAcsNock\(/;

  it('nock, the simulator server and the fault fixture only with the schema check', () => {
    const files = specs(src).map((f) => [relative(src, f), readFileSync(f, 'utf8')] as const);
    expect(files.filter(([, text]) => TALKS.test(text)).length).toBeGreaterThan(8);
    const unchecked = files.filter(([, text]) => TALKS.test(text) && !CHECKS.test(text)).map(([f]) => f);
    expect(unchecked).toEqual([]);
  });
});
