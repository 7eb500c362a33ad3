import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantsArb, holdArb, instantArb, siteArb } from '../testing/arbitraries.js';
import type { Grant } from './grant.js';
import type { Site } from './site.js';
import { holdingInterval } from './slot-holding.js';
import { type Hold, planForGrants, SlotPlan } from './slot-plan.js';
import { HOUR_MS, windowEnded } from './time.js';

/** The obviously-correct model: a list of holds, scanned. */
class Oracle {
  readonly holds = new Map<string, Hold>();
  heldAt(t: number): number {
    let n = 0;
    for (const h of this.holds.values()) if (h.from <= t && t < h.to) n += h.slots;
    return n;
  }
  /** held() only rises at a `from`, so its max over [from, to) is at `from` or at a hold start inside. */
  peak(from: number, to: number): number {
    if (!(to > from)) return 0;
    let best = this.heldAt(from);
    for (const h of this.holds.values())
      if (h.from > from && h.from < to) best = Math.max(best, this.heldAt(h.from));
    return best;
  }
  /** Every instant where held() can change, plus one before all. */
  eventPoints(): number[] {
    const pts = new Set<number>([-1]);
    for (const h of this.holds.values()) {
      pts.add(h.from);
      if (Number.isFinite(h.to)) pts.add(h.to);
    }
    return [...pts].sort((a, b) => a - b);
  }
}

const hold = (id: string, from: number, to: number, slots = 1): Hold => ({ id, from, to, slots });

describe('SlotPlan', () => {
  it('is empty at first', () => {
    const plan = new SlotPlan();
    expect(plan.size).toBe(0);
    expect(plan.heldAt(0)).toBe(0);
    expect(plan.peak(0, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('treats holds as half-open [from, to)', () => {
    const plan = new SlotPlan();
    plan.add(hold('a', 10, 20, 2));
    expect(plan.heldAt(9)).toBe(0);
    expect(plan.heldAt(10)).toBe(2);
    expect(plan.heldAt(19.5)).toBe(2);
    expect(plan.heldAt(20)).toBe(0);
    expect(plan.peak(0, 10)).toBe(0); // ends just before the hold starts
    expect(plan.peak(20, 30)).toBe(0); // starts when the hold ends
    expect(plan.peak(0, 10.001)).toBe(2);
    expect(plan.peak(19, 20)).toBe(2);
  });

  it('lets back-to-back holds share a slot', () => {
    const plan = new SlotPlan([hold('a', 0, 10), hold('b', 10, 20)]);
    expect(plan.heldAt(10)).toBe(1);
    expect(plan.peak(0, 20)).toBe(1);
  });

  it('counts holds starting at the same instant together', () => {
    const plan = new SlotPlan([hold('a', 5, 15, 1), hold('b', 5, 8, 3), hold('c', 5, 6, 2)]);
    expect(plan.heldAt(5)).toBe(6);
    expect(plan.heldAt(6)).toBe(4);
    expect(plan.heldAt(8)).toBe(1);
    expect(plan.peak(0, 100)).toBe(6);
    expect(plan.peak(6, 100)).toBe(4);
  });

  it('keeps an Infinity hold until it is removed', () => {
    const plan = new SlotPlan([hold('ongoing', 100, Number.POSITIVE_INFINITY, 2), hold('b', 0, 200, 1)]);
    expect(plan.heldAt(1e15)).toBe(2);
    expect(plan.peak(200, Number.POSITIVE_INFINITY)).toBe(2);
    expect(plan.peak(0, Number.POSITIVE_INFINITY)).toBe(3);
    expect(plan.peak(0, 100)).toBe(1);
    expect(plan.remove('ongoing')).toBe(true);
    expect(plan.peak(0, Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('answers 0 for an empty or reversed range', () => {
    const plan = new SlotPlan([hold('a', 0, 10, 4)]);
    expect(plan.peak(5, 5)).toBe(0);
    expect(plan.peak(7, 3)).toBe(0);
  });

  it('finds a peak strictly inside the range that is higher than at its start', () => {
    const plan = new SlotPlan([hold('a', 0, 100), hold('b', 40, 50, 5), hold('c', 60, 70, 2)]);
    expect(plan.peak(0, 100)).toBe(6);
    expect(plan.peak(50, 100)).toBe(3);
    expect(plan.peak(45, 55)).toBe(6);
  });

  it('removes and re-adds the same id, including on shared time points', () => {
    const plan = new SlotPlan([hold('a', 0, 10, 2), hold('b', 10, 20, 1)]);
    expect(plan.remove('a')).toBe(true);
    expect(plan.has('a')).toBe(false);
    expect(plan.size).toBe(1);
    expect(plan.heldAt(5)).toBe(0);
    expect(plan.heldAt(10)).toBe(1); // b's start survives a's end leaving the shared point
    expect(plan.remove('a')).toBe(false);
    plan.add(hold('a', 5, 15, 3));
    expect(plan.get('a')).toEqual(hold('a', 5, 15, 3));
    expect(plan.peak(0, 20)).toBe(4);
    expect(plan.remove('b')).toBe(true);
    expect(plan.remove('a')).toBe(true);
    expect(plan.size).toBe(0);
    expect(plan.peak(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('refuses programmer errors with a RangeError naming the hold', () => {
    const plan = new SlotPlan([hold('a', 0, 10)]);
    expect(() => plan.add(hold('a', 20, 30))).toThrow(/"a" is already in the plan/);
    expect(() => plan.add(hold('b', 10, 10))).toThrow(RangeError);
    expect(() => plan.add(hold('b', 10, 5))).toThrow(/"to" after "from"/);
    expect(() => plan.add(hold('b', Number.NaN, 5))).toThrow(/finite "from"/);
    expect(() => plan.add(hold('b', Number.NEGATIVE_INFINITY, 5))).toThrow(RangeError);
    expect(() => plan.add(hold('b', 0, Number.NaN))).toThrow(RangeError);
    expect(() => plan.add(hold('b', 0, 5, 0))).toThrow(/positive integer number of slots/);
    expect(() => plan.add(hold('b', 0, 5, -1))).toThrow(RangeError);
    expect(() => plan.add(hold('b', 0, 5, 1.5))).toThrow(RangeError);
    expect(() => plan.peak(Number.NaN, 5)).toThrow(RangeError);
    expect(() => plan.heldAt(Number.NaN)).toThrow(RangeError);
    // Nothing half-written: the plan is unchanged after the refusals.
    expect(plan.size).toBe(1);
    expect(plan.peak(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('says exactly what is wrong with a refused hold or query', () => {
    const plan = new SlotPlan([hold('a', 0, 10)]);
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return e instanceof RangeError ? e.message : `not a RangeError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(refusal(() => plan.add({ ...hold('a', 0, 1), id: 7 as unknown as string }))).toBe(
      'SlotPlan.add: hold id must be a string, got number.',
    );
    expect(refusal(() => plan.add(hold('a', 20, 30)))).toBe(
      'SlotPlan.add: a hold with id "a" is already in the plan; remove it first.',
    );
    expect(refusal(() => plan.add(hold('b', Number.POSITIVE_INFINITY, 5)))).toBe(
      'SlotPlan.add: hold "b" needs a finite "from" instant, got Infinity.',
    );
    expect(refusal(() => plan.add(hold('b', 10, 10)))).toBe(
      'SlotPlan.add: hold "b" needs "to" after "from" (or Infinity), got [10, 10).',
    );
    expect(refusal(() => plan.add(hold('b', 10, Number.NaN)))).toBe(
      'SlotPlan.add: hold "b" needs "to" after "from" (or Infinity), got [10, NaN).',
    );
    expect(refusal(() => plan.add(hold('b', 0, 5, 2.5)))).toBe(
      'SlotPlan.add: hold "b" needs a positive integer number of slots, got 2.5.',
    );
    expect(refusal(() => plan.heldAt(Number.NaN))).toBe(
      'SlotPlan.heldAt: the instant is NaN; pass a number.',
    );
    expect(refusal(() => plan.peak(0, Number.NaN))).toBe(
      'SlotPlan.peak: the range [0, NaN) contains NaN; pass numbers.',
    );
    expect(refusal(() => plan.peak(Number.NaN, 3))).toBe(
      'SlotPlan.peak: the range [NaN, 3) contains NaN; pass numbers.',
    );
    expect(plan.get('b')).toBeUndefined();
    expect(plan.get('a')).toEqual(hold('a', 0, 10));
    expect([...plan.holds()]).toEqual([hold('a', 0, 10)]);
  });

  it('stays balanced and exact for many holds added in time order', () => {
    // Sorted insertion is the worst case for an unbalanced tree; this would blow the stack.
    const plan = new SlotPlan();
    const n = 200_000;
    for (let i = 0; i < n; i++) plan.add(hold(`h${i}`, i, i + 3));
    expect(plan.size).toBe(n);
    expect(plan.heldAt(1000)).toBe(3);
    expect(plan.peak(0, n + 10)).toBe(3);
    expect(plan.checkInvariants()).toBeNull();
    for (let i = 0; i < n; i += 2) plan.remove(`h${i}`);
    expect(plan.checkInvariants()).toBeNull();
    expect(plan.heldAt(1001)).toBe(2); // h999 and h1001 remain over 1001 (h1000 removed)
    expect(plan.heldAt(1000)).toBe(1); // h999 only (h998 and h1000 removed)
  });

  it('shrinks back to empty when every hold is removed, in any order', () => {
    const plan = new SlotPlan();
    const n = 5000;
    // A permutation of 0..n-1 (7919 is prime, so i * 7919 mod n visits every index once).
    for (let i = 0; i < n; i++) plan.add(hold(`h${i}`, i * 10, i * 10 + 25, 1 + (i % 3)));
    for (let i = 0; i < n; i++) {
      expect(plan.remove(`h${(i * 7919) % n}`)).toBe(true);
      if (i % 499 === 0) expect(plan.checkInvariants()).toBeNull();
    }
    expect(plan.size).toBe(0);
    expect(plan.peak(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(0);
    plan.add(hold('again', 5, 6, 2));
    expect(plan.peak(0, 10)).toBe(2);
  });

  it('agrees with the oracle on trees several levels deep (node splits, borrows and merges)', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `h${i}`);
    const bigCmd = fc.oneof(
      { weight: 3, arbitrary: holdArb({ max: 600, ids }).map((h): Cmd => ({ kind: 'add', hold: h })) },
      { weight: 2, arbitrary: fc.constantFrom(...ids).map((id): Cmd => ({ kind: 'remove', id })) },
    );
    fc.assert(
      fc.property(
        fc.array(bigCmd, { minLength: 100, maxLength: 700 }),
        fc.array(fc.tuple(fc.integer({ min: -5, max: 1300 }), fc.integer({ min: -5, max: 1300 })), {
          minLength: 40,
          maxLength: 40,
        }),
        fc.array(fc.nat(1000), { minLength: 400, maxLength: 400 }),
        (cmds, queries, removal) => {
          const plan = new SlotPlan();
          const oracle = new Oracle();
          for (const [i, c] of cmds.entries()) {
            if (c.kind === 'add') {
              if (oracle.holds.has(c.hold.id)) continue;
              plan.add(c.hold);
              oracle.holds.set(c.hold.id, c.hold);
            } else if (c.kind === 'remove') {
              expect(plan.remove(c.id)).toBe(oracle.holds.delete(c.id));
            }
            if (i % 25 === 24) {
              expect(plan.checkInvariants()).toBeNull();
              const [a, b] = queries[Math.floor(i / 25) % queries.length]!;
              expect(plan.peak(a, b)).toBe(oracle.peak(a, b));
            }
          }
          expect(plan.checkInvariants()).toBeNull();
          for (const t of oracle.eventPoints()) expect(plan.heldAt(t)).toBe(oracle.heldAt(t));
          for (const [a, b] of queries) {
            expect(plan.peak(a, b)).toBe(oracle.peak(a, b));
            expect(plan.peak(a, Number.POSITIVE_INFINITY)).toBe(oracle.peak(a, Number.POSITIVE_INFINITY));
          }
          // Then drain it in the order of `removal`, so nodes underflow everywhere.
          const remaining = [...oracle.holds.keys()].sort(
            (x, y) => removal[Number(x.slice(1))]! - removal[Number(y.slice(1))]! || (x < y ? -1 : 1),
          );
          for (const [i, id] of remaining.entries()) {
            expect(plan.remove(id)).toBe(true);
            oracle.holds.delete(id);
            if (i % 20 === 19) {
              expect(plan.checkInvariants()).toBeNull();
              const [a, b] = queries[i % queries.length]!;
              expect(plan.peak(a, b)).toBe(oracle.peak(a, b));
            }
          }
          expect(plan.checkInvariants()).toBeNull();
          expect(plan.peak(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps nodes within their fill bounds under clustered churn (full neighbours, underflows)', () => {
    // Single-point holds (to = Infinity) in narrow bursts: some nodes fill up to the brim while
    // their neighbours are drained, which exercises splits, borrows in both directions and merges.
    const burst = fc.record({
      add: fc.boolean(),
      center: fc.integer({ min: 0, max: 400 }),
      width: fc.integer({ min: 1, max: 40 }),
      n: fc.integer({ min: 1, max: 60 }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(burst, { minLength: 5, maxLength: 40 }), (bursts) => {
        const plan = new SlotPlan();
        const oracle = new Oracle();
        for (const b of bursts) {
          for (let i = 0; i < b.n; i++) {
            const key = b.center + ((b.seed + i * 7) % b.width);
            const id = `p${key}`;
            if (b.add && !oracle.holds.has(id)) {
              const h = hold(id, key, Number.POSITIVE_INFINITY, 1 + (key % 2));
              plan.add(h);
              oracle.holds.set(id, h);
            } else if (!b.add) {
              expect(plan.remove(id)).toBe(oracle.holds.delete(id));
            }
          }
          expect(plan.checkInvariants()).toBeNull();
          expect(plan.heldAt(b.center)).toBe(oracle.heldAt(b.center));
        }
        for (const t of oracle.eventPoints()) expect(plan.heldAt(t)).toBe(oracle.heldAt(t));
      }),
      { numRuns: 60 },
    );
  });

  it('refills an underflowing last node from a full left neighbour', () => {
    // Points 0..39 inserted in order leave leaves of 8: [0..7] … [32..39]. Seven more points fill
    // [24..31] to 15; draining [32..39] to 3 points then makes it borrow from that full leaf.
    const plan = new SlotPlan();
    const oracle = new Oracle();
    const put = (id: string, at: number) => {
      const h = hold(id, at, Number.POSITIVE_INFINITY, 1);
      plan.add(h);
      oracle.holds.set(id, h);
    };
    for (let k = 0; k < 40; k++) put(`p${k}`, k);
    for (let k = 24; k < 31; k++) put(`q${k}`, k + 0.5);
    for (const k of [32, 33, 34, 35, 36]) {
      expect(plan.remove(`p${k}`)).toBe(true);
      oracle.holds.delete(`p${k}`);
      expect(plan.checkInvariants()).toBeNull();
    }
    for (const t of oracle.eventPoints()) expect(plan.heldAt(t)).toBe(oracle.heldAt(t));
    expect(plan.peak(30, 40)).toBe(oracle.peak(30, 40));
  });

  type Cmd =
    | { kind: 'add'; hold: Hold }
    | { kind: 'remove'; id: string }
    | { kind: 'query'; from: number; to: number };
  const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 4, arbitrary: holdArb().map((h): Cmd => ({ kind: 'add', hold: h })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('h0', 'h1', 'h2', 'h3', 'h4').map((id): Cmd => ({ kind: 'remove', id })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.integer({ min: -2, max: 42 }),
          fc.option(fc.integer({ min: -2, max: 42 }), { nil: undefined }),
        )
        .map(([from, to]): Cmd => ({ kind: 'query', from, to: to ?? Number.POSITIVE_INFINITY })),
    },
  );

  it('agrees with a brute-force oracle on any sequence of add/remove/query', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 60 }), (cmds) => {
        const plan = new SlotPlan();
        const oracle = new Oracle();
        for (const c of cmds) {
          if (c.kind === 'add') {
            if (oracle.holds.has(c.hold.id)) {
              expect(() => plan.add(c.hold)).toThrow(RangeError);
            } else {
              plan.add(c.hold);
              oracle.holds.set(c.hold.id, c.hold);
            }
          } else if (c.kind === 'remove') {
            expect(plan.remove(c.id)).toBe(oracle.holds.delete(c.id));
          } else {
            expect(plan.peak(c.from, c.to)).toBe(oracle.peak(c.from, c.to));
          }
          expect(plan.size).toBe(oracle.holds.size);
        }
        expect(plan.checkInvariants()).toBeNull();
        for (const t of [...oracle.eventPoints(), 0.5, 41.5, 1e9]) {
          expect(plan.heldAt(t)).toBe(oracle.heldAt(t));
        }
        const pts = oracle.eventPoints();
        for (const a of pts) {
          for (const b of [...pts, Number.POSITIVE_INFINITY]) expect(plan.peak(a, b)).toBe(oracle.peak(a, b));
        }
      }),
    );
  });

  it('never admits a hold that would take held over the capacity at any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(holdArb({ ids: Array.from({ length: 30 }, (_, i) => `h${i}`) }), { maxLength: 40 }),
        (capacity, candidates) => {
          const plan = new SlotPlan();
          const oracle = new Oracle();
          let admitted = 0;
          for (const h of candidates) {
            if (plan.has(h.id)) continue;
            const fits = plan.peak(h.from, h.to) + h.slots <= capacity;
            // The admission check is exact: it refuses only holds that would really overflow.
            oracle.holds.set(h.id, h);
            const overflows = oracle.eventPoints().some((t) => oracle.heldAt(t) > capacity);
            oracle.holds.delete(h.id);
            expect(fits).toBe(!overflows);
            if (fits) {
              plan.add(h);
              oracle.holds.set(h.id, h);
              admitted++;
            }
          }
          for (const t of oracle.eventPoints()) expect(oracle.heldAt(t)).toBeLessThanOrEqual(capacity);
          expect(plan.size).toBe(admitted);
        },
      ),
    );
  });
});

describe('holdingInterval', () => {
  const site: Site = {
    id: 's',
    name: 'S',
    slotLimit: 10,
    timeZone: 'UTC',
    slotLeadTimeMs: 72 * HOUR_MS,
    hasCustomPinSubscription: false,
  };

  it('holds an ongoing code from creation for ever', () => {
    expect(holdingInterval(site, { kind: 'ongoing' }, 1000)).toEqual({
      from: 1000,
      to: Number.POSITIVE_INFINITY,
    });
  });

  it('holds a scheduled code from the lead time before it starts until it ends', () => {
    const startsAt = 1000 * HOUR_MS;
    const endsAt = startsAt + 24 * HOUR_MS;
    expect(holdingInterval(site, { kind: 'scheduled', startsAt, endsAt }, 0)).toEqual({
      from: startsAt - 72 * HOUR_MS,
      to: endsAt,
    });
  });

  it('holds a scheduled code from its creation when created inside the lead time', () => {
    const startsAt = 1000 * HOUR_MS;
    const createdAt = startsAt - HOUR_MS;
    expect(
      holdingInterval(site, { kind: 'scheduled', startsAt, endsAt: startsAt + HOUR_MS }, createdAt),
    ).toEqual({ from: createdAt, to: startsAt + HOUR_MS });
  });
});

/** A site on the lock integration (cost model absent) or on the ACS path. */
const siteOnEitherPathArb = siteArb().chain((s) =>
  fc.constantFrom(
    s,
    { ...s, slotCostModel: 'code_per_lock' as const },
    { ...s, slotCostModel: 'user_per_grant' as const },
  ),
);

describe('planForGrants', () => {
  const site: Site = {
    id: 'site-1',
    name: 'S',
    slotLimit: 10,
    timeZone: 'UTC',
    slotLeadTimeMs: 5,
    hasCustomPinSubscription: false,
  };
  const grant = (over: Partial<Grant>): Grant => ({
    key: 'g',
    holder: 'h',
    siteId: 'site-1',
    lockIds: ['l1'],
    window: { kind: 'ongoing' },
    createdAt: 0,
    revokedAt: null,
    version: 1,
    ...over,
  });

  it('holds one slot per lock of each live grant of the site, keyed by grant key', () => {
    const plan = planForGrants(
      site,
      [
        grant({ key: 'a', lockIds: ['l1', 'l2'], window: { kind: 'scheduled', startsAt: 20, endsAt: 30 } }),
        grant({ key: 'b', createdAt: 3 }),
        grant({ key: 'revoked', revokedAt: 4, cleanedUpAt: 5 }),
        grant({ key: 'ended', window: { kind: 'scheduled', startsAt: 1, endsAt: 10 } }),
        grant({ key: 'elsewhere', siteId: 'site-2' }),
      ],
      10,
    );
    expect([...plan.holds()].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
      { id: 'a', from: 15, to: 30, slots: 2 },
      { id: 'b', from: 3, to: Number.POSITIVE_INFINITY, slots: 1 },
    ]);
  });

  it('a revoked grant keeps holding its slots until its codes are confirmed gone (cleanedUpAt)', () => {
    const scheduled = { kind: 'scheduled', startsAt: 40, endsAt: 50 } as const;
    const plan = planForGrants(
      site,
      [
        // Revoked, but a code may still be at the provider: it loads at 35 and takes its slot.
        grant({ key: 'pending', revokedAt: 4, cleanedUpAt: null, window: scheduled }),
        grant({ key: 'legacy', revokedAt: 4, createdAt: 2 }), // stored before cleanedUpAt existed
        grant({ key: 'cleaned', revokedAt: 4, cleanedUpAt: 6, window: scheduled }),
        grant({
          key: 'pending-ended',
          revokedAt: 4,
          cleanedUpAt: null,
          window: { kind: 'scheduled', startsAt: 1, endsAt: 10 },
        }),
      ],
      10,
    );
    expect([...plan.holds()].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
      { id: 'legacy', from: 2, to: Number.POSITIVE_INFINITY, slots: 1 },
      { id: 'pending', from: 35, to: 50, slots: 1 },
    ]);
    expect(plan.peak(10, 35)).toBe(1);
    expect(plan.peak(35, 50)).toBe(2);
  });

  it('matches the grants one by one for any set of grants', () => {
    fc.assert(
      fc.property(siteOnEitherPathArb, grantsArb(), instantArb(), (s, grants, now) => {
        const plan = planForGrants(s, grants, now);
        // Live grants, and revoked ones whose codes are not confirmed gone yet.
        const live = grants.filter(
          (g) =>
            g.siteId === s.id &&
            (g.revokedAt === null || g.cleanedUpAt === null || g.cleanedUpAt === undefined) &&
            !windowEnded(g.window, now),
        );
        const expected = live
          .map((g) => ({
            id: g.key,
            ...holdingInterval(s, g.window, g.createdAt),
            slots: s.slotCostModel === 'user_per_grant' ? 1 : g.lockIds.length,
          }))
          .filter((h) => h.to > h.from);
        expect(plan.size).toBe(expected.length);
        for (const h of expected) expect(plan.get(h.id)).toEqual(h);
      }),
    );
  });
});
