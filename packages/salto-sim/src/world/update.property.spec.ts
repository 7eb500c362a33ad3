import { VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCodeRecord, SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

/**
 * Random sequences of create / update / delete / keypad / hub-link / clock steps on a small
 * site (limit 3, custom PINs from a tiny pool so duplicates happen). After every step the slot
 * invariants hold, and the same steps on the same seed give the same world.
 */

const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;
const LEAD = 10 * H;
const LIMIT = 3;
const PINS = ['111111', '222222', '333333', '444444'];

type Window = { kind: 'ongoing' } | { kind: 'bound'; start: number; length: number };
type Step =
  | { op: 'create'; lock: number; window: Window; pin: number | null }
  | {
      op: 'update';
      code: number;
      name?: string;
      pin?: number;
      window?: Window | 'start' | 'end';
      shift: number;
    }
  | { op: 'delete'; code: number }
  | { op: 'keypad'; lock: number; code: number }
  | { op: 'link'; lock: number; link: 'good' | 'weak' | 'offline' }
  | { op: 'advance'; ms: number };

const windowArb: fc.Arbitrary<Window> = fc.oneof(
  fc.constant<Window>({ kind: 'ongoing' }),
  fc.record({
    kind: fc.constant('bound' as const),
    start: fc.integer({ min: -2 * H, max: 3 * LEAD }),
    length: fc.integer({ min: 1, max: 20 * H }),
  }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('create' as const),
      lock: fc.nat(1),
      window: windowArb,
      pin: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.nat(PINS.length - 1) },
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('update' as const),
      code: fc.nat(7),
      name: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
      pin: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.nat(PINS.length - 1) },
      ),
      window: fc.option(fc.oneof(windowArb, fc.constantFrom('start' as const, 'end' as const)), {
        nil: undefined,
        freq: 6,
      }),
      shift: fc.integer({ min: -5 * H, max: 2 * LEAD }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), code: fc.nat(7) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('keypad' as const), lock: fc.nat(1), code: fc.nat(7) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('link' as const),
      lock: fc.nat(1),
      link: fc.constantFrom('good' as const, 'weak' as const, 'offline' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 2 * LEAD })),
    }),
  },
);

function must<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function build(seed: number) {
  const w = new SaltoKsWorld({ seed, clock: new VirtualClock(T0) });
  w.setRateLimitsEnabled(false);
  const acc = must(w.addConnectedAccount()).connectedAccountId;
  const site = must(
    w.addSite({
      connectedAccountId: acc,
      siteName: 'S',
      slotLimit: LIMIT,
      hasCustomPinSubscription: true,
      slotLeadTimeMs: LEAD,
    }),
  );
  const hub = must(w.addHub({ siteId: site.siteId }));
  const locks = [
    must(w.addLock({ hubId: hub.hubId, name: 'A' })).deviceId,
    must(w.addLock({ hubId: hub.hubId, name: 'B' })).deviceId,
  ];
  return { w, siteId: site.siteId, locks };
}

const windowParams = (win: Window, now: number) =>
  win.kind === 'ongoing' ? {} : { startsAt: now + win.start, endsAt: now + win.start + win.length };

/** Applies `steps`; calls `check` after each. Returns the outcome of every call, for determinism. */
async function run(
  seed: number,
  steps: readonly Step[],
  check: (w: SaltoKsWorld, siteId: string, deleted: ReadonlySet<string>) => void,
) {
  const { w, siteId, locks } = build(seed);
  const deleted = new Set<string>();
  const outcomes: unknown[] = [];
  /** The i-th live code (mod their number): steps aim at codes that exist. */
  const codeAt = (i: number) => {
    const live = w.inspectAccessCodes();
    return live.length ? live[i % live.length]!.accessCodeId : 'no-such-code';
  };
  for (const s of steps) {
    const now = w.now();
    switch (s.op) {
      case 'create': {
        const r = w.createAccessCode({
          deviceId: locks[s.lock]!,
          ...windowParams(s.window, now),
          ...(s.pin !== null ? { code: PINS[s.pin]! } : {}),
        });
        outcomes.push(r);
        break;
      }
      case 'update': {
        const win = s.window;
        const windowChange =
          win === undefined
            ? {}
            : win === 'start'
              ? { startsAt: now + s.shift }
              : win === 'end'
                ? { endsAt: now + s.shift }
                : win.kind === 'ongoing'
                  ? { type: 'ongoing' as const }
                  : windowParams(win, now);
        outcomes.push(
          w.updateAccessCode({
            accessCodeId: codeAt(s.code),
            ...(s.name !== undefined ? { name: s.name } : {}),
            ...(s.pin !== undefined ? { code: PINS[s.pin]! } : {}),
            ...windowChange,
          }),
        );
        break;
      }
      case 'delete': {
        const r = w.deleteAccessCode(codeAt(s.code));
        if (r.ok) deleted.add(r.value.accessCodeId);
        outcomes.push(r);
        break;
      }
      case 'keypad': {
        const pin = w.inspectAccessCodes().find((c) => c.accessCodeId === codeAt(s.code))?.code ?? '000000';
        outcomes.push(w.enterKeypadCode(locks[s.lock]!, pin));
        break;
      }
      case 'link':
        outcomes.push(w.setHubLink(locks[s.lock]!, s.link).ok);
        break;
      case 'advance':
        outcomes.push(await w.advance(s.ms));
        break;
    }
    check(w, siteId, deleted);
  }
  return { outcomes, snapshot: JSON.stringify(w.toJSON()) };
}

/** Last seen state of every code, to tell a code that ended from one lost too early. */
function invariants() {
  const lastSeen = new Map<string, AccessCodeRecord>();
  return (w: SaltoKsWorld, siteId: string, deleted: ReadonlySet<string>): void => {
    checkInvariants(w, siteId);
    const now = w.now();
    const live = new Map(w.inspectAccessCodes({ siteId }).map((c) => [c.accessCodeId, c]));
    const ended = (c: AccessCodeRecord) =>
      deleted.has(c.accessCodeId) || (c.type === 'time_bound' && now >= c.endsAt!);
    for (const c of live.values()) {
      // Removed only when deleted or at (the latest) end of its window.
      if (c.status === 'removing') expect(ended(c), `${c.accessCodeId} removed too early`).toBe(true);
      lastSeen.set(c.accessCodeId, c);
    }
    for (const [id, c] of lastSeen) {
      if (live.has(id)) continue;
      expect(ended(c), `${id} vanished`).toBe(true);
      lastSeen.delete(id);
    }
  };
}

function checkInvariants(w: SaltoKsWorld, siteId: string): void {
  const now = w.now();
  const site = w.inspectSite(siteId)!;
  const codes: AccessCodeRecord[] = w.inspectAccessCodes({ siteId });
  const holders = codes.filter((c) => c.holdsSlot);
  expect(site.used).toBeLessThanOrEqual(site.slotLimit);
  expect(site.used).toBe(holders.length);
  const pins = codes.map((c) => c.code).filter((p) => p !== null);
  expect(new Set(pins).size).toBe(pins.length);
  for (const c of codes) {
    const inHoldingInterval =
      c.type === 'ongoing' || (now >= c.startsAt! - site.slotLeadTimeMs && now < c.endsAt!);
    // Holds a slot only inside its holding interval…
    if (c.holdsSlot)
      expect(inHoldingInterval, `${c.accessCodeId} holds a slot outside its interval`).toBe(true);
    // …and inside it, unless being removed, it holds one or carries the not-subscribed error (no lost slot).
    if (inHoldingInterval && c.status !== 'removing' && !c.holdsSlot)
      expect(c.errors.map((e) => e.code)).toContain('salto_site_user_not_subscribed');
    if (c.status === 'set') expect(c.holdsSlot).toBe(true);
    if (c.type === 'time_bound') expect(c.endsAt!).toBeGreaterThan(c.startsAt!);
  }
}

describe('updateAccessCode (property)', () => {
  it('keeps used ≤ limit, used = slot holders, unique PINs, no lost slot; same seed and steps ⇒ same world', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(stepArb, { minLength: 5, maxLength: 40 }),
        async (seed, steps) => {
          const first = await run(seed, steps, invariants());
          const again = await run(seed, steps, () => {});
          expect(again.snapshot).toBe(first.snapshot);
          expect(JSON.stringify(again.outcomes)).toBe(JSON.stringify(first.outcomes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
