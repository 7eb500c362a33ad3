/**
 * fast-check arbitraries for keyslot's domain, shared by the property tests of every package.
 * Small value pools on purpose: collisions (same instant, same key, same lock) are where bugs live.
 */
import fc from 'fast-check';
import {
  type AccessCode,
  type AccessCodeIssue,
  type AccessCodeStatus,
  codeNameFor,
} from '../domain/access-code.js';
import type { Grant } from '../domain/grant.js';
import type { Site } from '../domain/site.js';
import type { Hold } from '../domain/slot-plan.js';
import type { AccessWindow, Instant } from '../domain/time.js';

/** Instants on a small integer grid, so that boundaries coincide often. */
export const instantArb = (max = 40): fc.Arbitrary<Instant> => fc.integer({ min: 0, max });

/** A well-formed window: ongoing, or scheduled `[startsAt, endsAt)` with `endsAt > startsAt`. */
export const accessWindowArb = (max = 40): fc.Arbitrary<AccessWindow> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<AccessWindow>({ kind: 'ongoing' }) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: max - 1 }), fc.integer({ min: 1, max }))
        .map(([a, len]): AccessWindow => ({ kind: 'scheduled', startsAt: a, endsAt: a + len })),
    },
  );

/** A hold `[from, to)` (sometimes `to = Infinity`) of 1..maxSlots slots; ids are not unique. */
export const holdArb = (
  opts: { max?: number; maxSlots?: number; ids?: readonly string[] } = {},
): fc.Arbitrary<Hold> => {
  const max = opts.max ?? 40;
  const ids = opts.ids ?? ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
  return fc
    .record({
      id: fc.constantFrom(...ids),
      from: fc.integer({ min: 0, max: max - 1 }),
      len: fc.option(fc.integer({ min: 1, max }), { freq: 5, nil: undefined }),
      slots: fc.integer({ min: 1, max: opts.maxSlots ?? 3 }),
    })
    .map(({ id, from, len, slots }) => ({
      id,
      from,
      to: len === undefined ? Number.POSITIVE_INFINITY : from + len,
      slots,
    }));
};

/** Grant keys from a small pool (so codes and grants collide), all valid per `GRANT_KEY_PATTERN`. */
export const grantKeyArb = (
  keys: readonly string[] = ['g-1', 'g-2', 'g-3', 'booking:4', 'm.5'],
): fc.Arbitrary<string> => fc.constantFrom(...keys);

export const lockIdArb = (locks: readonly string[] = ['lock-a', 'lock-b', 'lock-c']): fc.Arbitrary<string> =>
  fc.constantFrom(...locks);

export const siteArb = (overrides: Partial<Site> = {}): fc.Arbitrary<Site> =>
  fc
    .record({
      slotLimit: fc.integer({ min: 0, max: 12 }),
      slotLeadTimeMs: fc.integer({ min: 0, max: 10 }),
    })
    .map(({ slotLimit, slotLeadTimeMs }) => ({
      id: 'site-1',
      name: 'Site 1',
      slotLimit,
      timeZone: 'Europe/Madrid',
      slotLeadTimeMs,
      hasCustomPinSubscription: false,
      ...overrides,
    }));

/**
 * A list of grants with UNIQUE keys (as a store guarantees), each with 1..3 distinct locks from
 * the pool, maybe revoked, on `siteId` or occasionally another site.
 */
export const grantsArb = (
  opts: { siteId?: string; keys?: readonly string[]; locks?: readonly string[]; max?: number } = {},
): fc.Arbitrary<Grant[]> => {
  const siteId = opts.siteId ?? 'site-1';
  const locks = opts.locks ?? ['lock-a', 'lock-b', 'lock-c'];
  const max = opts.max ?? 40;
  const one = fc.record({
    key: grantKeyArb(opts.keys),
    lockIds: fc.uniqueArray(fc.constantFrom(...locks), { minLength: 1, maxLength: 3 }),
    window: accessWindowArb(max),
    createdAt: instantArb(max),
    revokedAt: fc.option(instantArb(max), { freq: 4, nil: null }),
    // For a revoked grant: cleanup confirmed at an instant, not yet (`null`), or never recorded
    // (absent, as stored before `cleanedUpAt` existed).
    cleanedUpAt: fc.oneof(instantArb(max), fc.constant(null), fc.constant(undefined)),
    foreignSite: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  });
  return fc.uniqueArray(one, { selector: (g) => g.key, maxLength: 8 }).map((gs) =>
    gs.map(
      (g): Grant => ({
        key: g.key,
        holder: `holder of ${g.key}`,
        siteId: g.foreignSite ? 'site-other' : siteId,
        lockIds: g.lockIds,
        window: g.window,
        createdAt: g.createdAt,
        revokedAt: g.revokedAt,
        ...(g.revokedAt !== null && g.cleanedUpAt !== undefined ? { cleanedUpAt: g.cleanedUpAt } : {}),
        version: 1,
      }),
    ),
  );
};

const statusArb: fc.Arbitrary<AccessCodeStatus> = fc.constantFrom(
  'unset',
  'setting',
  'set',
  'removing',
  'unknown',
);

const notSubscribedIssue: AccessCodeIssue = {
  code: 'slot_limit_reached',
  providerCode: 'salto_site_user_not_subscribed',
  message: 'The Salto KS site has no free user slot.',
};
const otherIssue: AccessCodeIssue = {
  code: 'hub_offline',
  providerCode: 'salto_ks_hub_offline',
  message: 'The IQ hub is offline.',
};

/**
 * Access codes as a provider lists them: keyslot codes (names carrying a key from the pool,
 * sometimes with a label), foreign codes (other apps' names, including look-alikes with
 * invalid keys), in any status, some refused for the slot limit. Ids are unique.
 */
export const accessCodesArb = (
  opts: { keys?: readonly string[]; locks?: readonly string[]; max?: number } = {},
): fc.Arbitrary<AccessCode[]> => {
  const name = fc.oneof(
    { weight: 6, arbitrary: grantKeyArb(opts.keys).map((k) => codeNameFor(k)) },
    { weight: 1, arbitrary: grantKeyArb(opts.keys).map((k) => codeNameFor(k, 'Front desk')) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Cleaner',
        'keyslot:',
        'keyslot:bad!key',
        'Keyslot:g-1',
        'g-1',
        'keyslot g-1',
      ),
    },
  );
  const code = fc.record({
    lockId: lockIdArb(opts.locks),
    name,
    pinned: fc.boolean(),
    status: statusArb,
    window: accessWindowArb(opts.max ?? 40),
    issue: fc.constantFrom('none', 'none', 'none', 'not_subscribed', 'other'),
  });
  return fc.array(code, { maxLength: 12 }).map((cs) =>
    cs.map(
      (c, i): AccessCode => ({
        id: `ac-${String(i).padStart(3, '0')}`,
        lockId: c.lockId,
        name: c.name,
        pin: c.pinned ? `${100000 + i}` : null,
        status: c.status,
        window: c.window,
        issues: c.issue === 'none' ? [] : c.issue === 'not_subscribed' ? [notSubscribedIssue] : [otherIssue],
      }),
    ),
  );
};

/**
 * A reconcile situation: grants (→ desired codes at `now`) and the codes a provider lists, built
 * so that many codes match a desired code exactly (same key, lock and window; often several
 * times, in any status), mixed with stale, foreign and refused codes. Codes have unique ids.
 */
export const reconcileScenarioArb = (
  opts: { keys?: readonly string[]; locks?: readonly string[]; max?: number } = {},
): fc.Arbitrary<{ grants: Grant[]; now: Instant; actual: AccessCode[] }> => {
  const max = opts.max ?? 40;
  return fc
    .record({ grants: grantsArb(opts), now: instantArb(max), noise: accessCodesArb(opts) })
    .chain(({ grants, now, noise }) => {
      // Every (grant, lock), live or not: copies of revoked or ended ones are stale codes.
      const pairs = grants.flatMap((g) => g.lockIds.map((lockId) => ({ g, lockId })));
      const copy = fc.record({
        pick: fc.nat(),
        status: statusArb,
        pinned: fc.boolean(),
        issue: fc.constantFrom('none', 'none', 'not_subscribed', 'other'),
        labelled: fc.boolean(),
      });
      return fc
        .record({
          copies: fc.array(copy, { maxLength: pairs.length === 0 ? 0 : 10 }),
          order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        })
        .map(({ copies, order }) => {
          const derived = copies.map((c, i): AccessCode => {
            const { g, lockId } = pairs[c.pick % pairs.length]!;
            return {
              id: `ac-copy-${String(i).padStart(3, '0')}`,
              lockId,
              name: codeNameFor(g.key, c.labelled ? 'Guest' : undefined),
              pin: c.pinned ? `${200000 + i}` : null,
              status: c.status,
              window: g.window,
              issues:
                c.issue === 'none' ? [] : c.issue === 'not_subscribed' ? [notSubscribedIssue] : [otherIssue],
            };
          });
          // Interleave deterministically from the generated order, so listings are not sorted.
          const all = [...noise, ...derived];
          const actual = all
            .map((code, i) => ({ code, rank: order[i % order.length]! * 1000 + i }))
            .sort((a, b) => a.rank - b.rank)
            .map((x) => x.code);
          return { grants, now, actual };
        });
    });
};
