/**
 * Bad input at the HTTP-side public entry points (issue "exactly-once", item 4): the Seam
 * adapter's methods, the simulator server's routes (random JSON bodies, wrong types, bad content
 * types) and both webhook verifiers. Generated malformed inputs never throw, never change the
 * world (its snapshot before and after is equal), and yield typed errors.
 */
import { silentLogger, VirtualClock, windowIssues } from '@keyslot/core';
import { createDefaultWorld } from '@keyslot/salto-sim';
import { newWebhookSecret, type SimServer, startSimServer, verifyWebhook } from '@keyslot/salto-sim/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeamLockGateway } from '../gateway.js';
import { useSeamSchemaCheck } from '../testing/validating-fetch.test-helpers.js';
import { SeamWebhookVerifier } from '../webhooks.js';

const API_KEY = 'seam_bad_input_key_1234';
/** What the adapter sends for malformed input (usually nothing) must still be a valid Seam request. */
const schemas = useSeamSchemaCheck();
let server: SimServer;
let ids: ReturnType<typeof createDefaultWorld>['ids'];
const clock = new VirtualClock(Date.UTC(2026, 2, 1));

beforeAll(async () => {
  const made = createDefaultWorld({ seed: 5, clock });
  ids = made.ids;
  server = await startSimServer({ world: made.world, apiKey: API_KEY });
});
afterAll(() => server.close());

const snapshot = () => JSON.stringify(server.world.toJSON());
const junk = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, true, '', '   ', [], {}),
  fc.object({ maxDepth: 1 }),
  fc.string({ maxLength: 30 }),
);

describe('malformed input at the Seam adapter (over the simulator server)', () => {
  // Shrunk cases from deep runs, kept as examples: each threw before the adapter checked its input.
  it.each<[string, unknown, string]>([
    ['deleteAccessCode', { toString: false }, 'seed 533318161'],
    ['createAccessCode', { lockId: 'x', name: '', window: null }, 'seed 2003352076'],
    ['createAccessCode', null, 'null input'],
    ['getLock', ['a'], 'an array id'],
  ])('%s(%o) → invalid_input, no throw (%s)', async (method, arg) => {
    const gateway = new SeamLockGateway(
      {
        apiKey: API_KEY,
        endpoint: server.url,
        defaultSiteSlotLimit: 10,
        readRetries: 0,
        fetch: schemas.fetch,
      },
      { clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }), logger: silentLogger },
    );
    const before = snapshot();
    const call = (gateway as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!;
    const r = (await call.call(gateway, arg)) as { ok: boolean; error?: { code: string; message: string } };
    expect(r.ok ? null : r.error?.code).toBe('invalid_input');
    expect(snapshot()).toBe(before);
  });

  it('bad ids, windows and NaN → typed failures, no throw, world unchanged', async () => {
    const gateway = new SeamLockGateway(
      {
        apiKey: API_KEY,
        endpoint: server.url,
        defaultSiteSlotLimit: 10,
        readRetries: 0,
        fetch: schemas.fetch,
      },
      { clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }), logger: silentLogger },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          junk.map((id) => ['getLock', id] as const),
          junk.map((id) => ['getSlotUsage', id] as const),
          junk.map((id) => ['listAccessCodes', id] as const),
          junk.map((id) => ['getAccessCode', id] as const),
          junk.map((id) => ['deleteAccessCode', id] as const),
          junk.map((id) => ['unlock', id] as const),
          junk.map((id) => ['getUnlockAttempt', id] as const),
          fc
            .record({
              lockId: fc.oneof(junk, fc.constant(ids.locks.frontDoor)),
              name: fc.oneof(junk, fc.string()),
              window: fc.anything().filter((w) => windowIssues(w).length > 0),
            })
            .map((input) => ['createAccessCode', input] as const),
        ),
        async ([method, arg]) => {
          const before = snapshot();
          const call = (gateway as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!;
          const r = (await call.call(gateway, arg)) as {
            ok: boolean;
            error?: { code: unknown; message: unknown };
          };
          expect(r.ok, `${method}(${fc.stringify(arg)})`).toBe(false);
          expect(typeof r.error?.code).toBe('string');
          expect(typeof r.error?.message).toBe('string');
          expect(snapshot()).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

/** Routes whose handlers change the world or read it; `/_sim/reset`, `/_sim/restore` and the clock are left out (they change it by design with an empty body). */
const ROUTES = [
  '/devices/get',
  '/locks/get',
  '/locks/unlock_door',
  '/locks/lock_door',
  '/action_attempts/get',
  '/access_codes/create',
  '/access_codes/get',
  '/access_codes/update',
  '/access_codes/delete',
  '/connected_accounts/get',
  '/webhooks/get',
  '/webhooks/delete',
  '/locks/simulate/keypad_code_entry',
  '/devices/simulate/connect',
  '/devices/simulate/disconnect',
  '/_sim/hub_link',
  '/_sim/slot_limit',
  '/_sim/custom_pin_subscription',
  '/_sim/modes',
  '/_sim/battery',
  '/_sim/capabilities',
  '/_sim/faults',
  '/_sim/rate_limits',
  '/_sim/sites/add',
  '/_sim/hubs/add',
  '/_sim/locks/add',
] as const;

describe('malformed input at the simulator HTTP server', () => {
  it('random JSON bodies, wrong types and bad content types → a JSON error envelope, world unchanged', async () => {
    const body = fc.oneof(
      fc.json({ maxDepth: 2 }).map((text) => ({ text, type: 'application/json' })),
      fc
        .dictionary(
          fc.constantFrom(
            'device_id',
            'access_code_id',
            'site_id',
            'name',
            'code',
            'starts_at',
            'ends_at',
            'hub_link',
            'slot_limit',
            'enabled',
            'kind',
            'count',
            'ms',
          ),
          junk,
        )
        .map((o) => ({ text: JSON.stringify(o) ?? 'null', type: 'application/json' })),
      fc.string({ maxLength: 40 }).map((text) => ({ text, type: 'application/json' })),
      fc.string({ minLength: 1, maxLength: 40 }).map((text) => ({ text, type: 'text/plain' })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async (route, { text, type }) => {
        const before = snapshot();
        const res = await fetch(`${server.url}${route}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': type },
          body: text,
        });
        const reply = (await res.json()) as { ok?: unknown; error?: { type?: unknown; message?: unknown } };
        expect(res.status, `${route} ${type} ${text}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(reply.ok).toBe(false);
        expect(typeof reply.error?.type).toBe('string');
        expect(typeof reply.error?.message).toBe('string');
        expect(snapshot()).toBe(before);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('malformed input at the webhook verifiers', () => {
  const headerValue = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
  );
  const headers = fc.dictionary(
    fc.constantFrom(
      'svix-id',
      'svix-timestamp',
      'svix-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'content-type',
      'x-other',
    ),
    fc.option(headerValue, { nil: undefined }),
  );
  const rawBody = fc.oneof(fc.string({ maxLength: 200 }), fc.json(), fc.uint8Array({ maxLength: 64 }));

  it('SeamWebhookVerifier: random headers and bodies → a typed rejection, never a throw', () => {
    const verifier = new SeamWebhookVerifier(newWebhookSecret(), { clock });
    fc.assert(
      fc.property(rawBody, headers, (raw, h) => {
        const r = verifier.verify(raw, h);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect([
            'webhook_unsigned',
            'webhook_stale',
            'webhook_bad_signature',
            'webhook_malformed',
          ]).toContain(r.error.code);
          expect(typeof r.error.message).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the simulator’s verifyWebhook: random headers and bodies → not verified, never a throw', () => {
    const secret = newWebhookSecret();
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.dictionary(
          fc.constantFrom('svix-id', 'svix-timestamp', 'svix-signature', 'x-other'),
          fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
        ),
        (raw, h) => {
          const r = verifyWebhook(secret, h, raw, Date.UTC(2026, 2, 1) / 1000);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(['missing_headers', 'bad_timestamp', 'no_matching_signature']).toContain(r.code);
        },
      ),
      { numRuns: 300 },
    );
  });
});
