/**
 * Bad input at the public entry points on the in-process side (issue "exactly-once", item 4): the
 * use cases' `execute(unknown)`, the in-process gateway, and the CLI's argument parser. Generated
 * malformed inputs never throw, never change state (the world's snapshot and the store are
 * unchanged), and yield typed errors naming the problem.
 */
import {
  AwaitPins,
  DEFAULT_POLICY,
  GRANT_KEY_PATTERN,
  GrantAccess,
  InMemoryGrantStore,
  ReconcileSite,
  ReportSlotUsage,
  RevokeAccess,
  silentLogger,
  UnlockDoor,
  VirtualClock,
  windowIssues,
} from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import { parseCli } from '../server/cli-args.js';
import { createDefaultWorld } from '../world/default-world.js';

const isTypedFailure = (r: unknown): boolean => {
  const x = r as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  return x?.ok === false && typeof x.error?.code === 'string' && typeof x.error.message === 'string';
};

/** Values no field of a request accepts as they are. */
const junk = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, true, '', '   ', [], {}),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

/** What `parseGrantRequest` accepts for `lockIds`: a non-empty list of distinct non-empty strings. */
const wellFormedLockIds = (v: unknown): boolean =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((x) => typeof x === 'string' && x.trim() !== '') &&
  new Set(v).size === v.length;

function setup() {
  // No autoAdvance: a use case that slept on bad input would hang (and time the test out).
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  const { world, ids } = createDefaultWorld({ seed: 3, clock });
  const gateway = new SaltoKsSimulator({ world });
  const store = new InMemoryGrantStore();
  const deps = { gateway, store, clock, logger: silentLogger, policy: DEFAULT_POLICY };
  const before = JSON.stringify(world.toJSON());
  const unchanged = () => {
    expect(JSON.stringify(world.toJSON())).toBe(before);
    expect(store.all()).toEqual([]);
  };
  return { ids, gateway, deps, unchanged };
}

describe('malformed input at the use cases (core → in-process simulator)', () => {
  it('GrantAccess: a valid request with any field broken → invalid_input naming that field; nothing made', async () => {
    const { ids, deps, unchanged } = setup();
    const grant = new GrantAccess(deps);
    const valid = {
      key: 'booking-1',
      holder: 'ana@example.com',
      siteId: ids.sites.office,
      lockIds: [ids.locks.officeEntrance],
      window: { kind: 'ongoing' },
    };
    const badField = fc.oneof(
      fc.record({
        field: fc.constant('key'),
        value: fc.oneof(
          junk,
          fc.string().filter((s) => !GRANT_KEY_PATTERN.test(s)),
        ),
      }),
      fc.record({ field: fc.constant('holder'), value: junk }),
      fc.record({ field: fc.constant('siteId'), value: junk }),
      fc.record({
        field: fc.constant('lockIds'),
        value: fc.oneof(
          // Junk that happens to be a well-formed list of ids (e.g. ["!"]) is not malformed: it is
          // an unknown lock (see the example below), so it is left out here.
          junk.filter((v) => !wellFormedLockIds(v)),
          fc.constant(['']),
          fc.constant([ids.locks.officeEntrance, ids.locks.officeEntrance]),
        ),
      }),
      fc.record({
        field: fc.constant('window'),
        value: fc.anything().filter((w) => windowIssues(w).length > 0),
      }),
    );
    await fc.assert(
      fc.asyncProperty(badField, async ({ field, value }) => {
        const r = await grant.execute({ ...valid, [field]: value });
        expect(isTypedFailure(r)).toBe(true);
        expect(r.ok ? null : r.error.code).toBe('invalid_input');
        const fields = !r.ok && r.error.code === 'invalid_input' ? r.error.issues.map((i) => i.field) : [];
        expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
        unchanged();
      }),
      { numRuns: 200 },
    );
  });

  it('GrantAccess: a well-formed but unknown lock id (deep run seed -47183066: ["!"]) → lock_not_found; nothing made', async () => {
    const { ids, deps, unchanged } = setup();
    const r = await new GrantAccess(deps).execute({
      key: 'booking-1',
      holder: 'ana@example.com',
      siteId: ids.sites.office,
      lockIds: ['!'],
      window: { kind: 'ongoing' },
    });
    expect(r.ok ? null : r.error.code).toBe('lock_not_found');
    unchanged();
  });

  it('every use case given anything at all returns a typed failure and changes nothing', async () => {
    const { deps, unchanged } = setup();
    const cases = {
      grant: (x: unknown) => new GrantAccess(deps).execute(x),
      revoke: (x: unknown) => new RevokeAccess(deps).execute(x),
      unlock: (x: unknown) => new UnlockDoor(deps).execute(x),
      reconcile: (x: unknown) => new ReconcileSite(deps).execute(x),
      report: (x: unknown) => new ReportSlotUsage(deps).execute(x ?? 0),
      awaitPins: (x: unknown, o: unknown) => new AwaitPins(deps).execute(x, o as never),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(cases) as (keyof typeof cases)[])),
        fc.anything(),
        fc.oneof(
          fc.constant(undefined),
          fc.record({ timeoutMs: junk, pollIntervalMs: junk }, { requiredKeys: [] }),
        ),
        async (which, input, options) => {
          const r = await cases[which](input, options);
          expect(isTypedFailure(r), `${which}(${fc.stringify(input)}) → ${JSON.stringify(r)}`).toBe(true);
          unchanged();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('malformed input at the in-process gateway', () => {
  it('bad ids, windows and NaN never throw and never change the world', async () => {
    const { ids, gateway, unchanged } = setup();
    const badId = fc.oneof(junk, fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badId.map((id) => ['getLock', id] as const),
          badId.map((id) => ['getSlotUsage', id] as const),
          badId.map((id) => ['listAccessCodes', id] as const),
          badId.map((id) => ['getAccessCode', id] as const),
          badId.map((id) => ['deleteAccessCode', id] as const),
          badId.map((id) => ['unlock', id] as const),
          badId.map((id) => ['getUnlockAttempt', id] as const),
          fc
            .record({
              lockId: fc.oneof(badId, fc.constant(ids.locks.frontDoor)),
              name: fc.oneof(junk, fc.string()),
              window: fc.anything().filter((w) => windowIssues(w).length > 0),
              pin: fc.oneof(fc.constant(undefined), junk),
            })
            .map((input) => ['createAccessCode', input] as const),
        ),
        async ([method, arg]) => {
          const call = (gateway as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!;
          const r = await call.call(gateway, arg);
          expect(isTypedFailure(r), `${method}(${fc.stringify(arg)}) → ${JSON.stringify(r)}`).toBe(true);
          unchanged();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('malformed input at the CLI (keyslot-sim argument parsing)', () => {
  it('any argv and environment → a typed result, never a throw', () => {
    const token = fc.oneof(
      fc.constantFrom(
        'serve',
        '--port',
        '--seed',
        '--clock',
        '--world',
        '--rate-limits',
        '--host',
        '--api-key',
        '--help',
        '-h',
        '--quiet',
        '--not-subscribed-error',
        '--version',
        '--',
        '-',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 8 }),
        fc.dictionary(
          fc.constantFrom('PORT', 'SEAM_API_KEY', 'KEYSLOT_SIM_RATE_LIMITS', 'OTHER'),
          fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        ),
        (argv, env) => {
          const r = parseCli(argv, env);
          if (!r.ok) {
            expect(r.error.code).toBe('invalid_arguments');
            expect(r.error.message).toMatch(/keyslot-sim --help/);
          } else {
            expect(['help', 'version', 'serve']).toContain(r.value.command);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
