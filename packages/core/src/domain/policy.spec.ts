import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { grant, lock, NOW, policy, request, site, state } from './decisions.test-helpers.js';
import type { Grant, GrantRequest } from './grant.js';
import { decideGrant, type GrantState } from './grant-decision.js';
import type { Lock } from './lock.js';
import { type AccessPolicy, DEFAULT_POLICY, parsePolicy, reservedFor } from './policy.js';
import { SlotPlan } from './slot-plan.js';
import { DAY_MS, HOUR_MS } from './time.js';
import { decideUnlock } from './unlock-decision.js';

describe('parsePolicy', () => {
  it('fills missing fields from DEFAULT_POLICY', () => {
    expect(parsePolicy({})).toEqual({ ok: true, value: DEFAULT_POLICY });
    expect(parsePolicy(undefined)).toEqual({ ok: true, value: DEFAULT_POLICY });
    const r = parsePolicy({ reservedSlots: 2, reservedSlotsBySite: { s2: 5 }, remoteUnlock: 'nobody' });
    expect(r.ok && r.value).toMatchObject({
      reservedSlots: 2,
      reservedSlotsBySite: { s2: 5 },
      remoteUnlock: 'nobody',
    });
  });

  it('names every bad field: negative, NaN, non-integer, unknown rule', () => {
    const r = parsePolicy({
      reservedSlots: -1,
      reservedSlotsBySite: { a: Number.NaN, b: 1.5, c: 3 },
      maxGrantDurationMs: 0,
      onWeakHub: 'maybe',
      onOfflineHub: 'retry',
      remoteUnlock: 'everyone',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.issues.map((i) => i.field)).toEqual([
      'reservedSlots',
      'reservedSlotsBySite.a',
      'reservedSlotsBySite.b',
      'maxGrantDurationMs',
      'onWeakHub',
      'onOfflineHub',
      'remoteUnlock',
    ]);
    expect(r.error.message).toContain('reservedSlots: must be a non-negative integer, got -1');
    // Each message says what is expected and what was given.
    expect(r.error.issues.map((i) => i.message)).toEqual([
      'must be a non-negative integer, got -1',
      'must be a non-negative integer, got NaN',
      'must be a non-negative integer, got 1.5',
      'must be a positive integer of milliseconds or null (unlimited), got 0',
      'must be one of "accept", "refuse"',
      'must be one of "refuse", "accept_and_retry"',
      'must be one of "anyone", "active_grant_holders", "nobody"',
    ]);
  });

  it('names reservedSlotsBySite when it is not an object of site id → slots', () => {
    for (const bad of ['x', 3, null, [2]]) {
      const r = parsePolicy({ reservedSlotsBySite: bad });
      expect(r.ok ? null : r.error.issues).toEqual([
        { field: 'reservedSlotsBySite', message: 'must be an object of site id → slots' },
      ]);
    }
  });

  it('refuses a non-object', () => {
    for (const bad of [null, 3, 'x', []]) {
      const r = parsePolicy(bad);
      expect(r.ok ? null : r.error.issues).toEqual([{ field: 'policy', message: 'must be an object' }]);
    }
  });

  it('uses the per-site override of the reserve, else the default', () => {
    const p = policy({ reservedSlots: 2, reservedSlotsBySite: { big: 7, none: 0 } });
    expect(reservedFor(p, 'big')).toBe(7);
    expect(reservedFor(p, 'none')).toBe(0);
    expect(reservedFor(p, 'other')).toBe(2);
    expect(reservedFor(p, 'toString')).toBe(2);
  });
});

describe('decideGrant', () => {
  it('approves a feasible grant with its hold over the holding interval', () => {
    const startsAt = NOW + 10 * DAY_MS;
    const d = decideGrant(
      policy(),
      state(),
      request({ lockIds: ['L1', 'L2'], window: { kind: 'scheduled', startsAt, endsAt: startsAt + DAY_MS } }),
    );
    expect(d).toEqual({
      ok: true,
      value: {
        hold: { id: 'booking-1', from: startsAt - 72 * HOUR_MS, to: startsAt + DAY_MS, slots: 2 },
        peak: 0,
        unmanagedHeld: 0,
        limit: 10,
        reserved: 0,
        headroomAfter: 8,
        pendingLocks: [],
        weakLocks: [],
      },
    });
  });

  it('is feasible exactly up to limit − reserved, counting planned peak and unmanaged slots', () => {
    const plan = new SlotPlan([{ id: 'other', from: NOW, to: Number.POSITIVE_INFINITY, slots: 5 }]);
    const p = policy({ reservedSlots: 2 });
    // 5 planned + 1 unmanaged + 2 requested = 8 = 10 − 2: fits exactly.
    const fits = decideGrant(p, state({ plan, unmanagedHeld: 1 }), request({ lockIds: ['L1', 'L2'] }));
    expect(fits.ok && fits.value.headroomAfter).toBe(0);
    // One more unmanaged slot tips it over.
    const full = decideGrant(p, state({ plan, unmanagedHeld: 2 }), request({ lockIds: ['L1', 'L2'] }));
    expect(full).toMatchObject({
      ok: false,
      error: {
        code: 'slot_limit_reached',
        siteId: 'site-1',
        siteName: 'Main office',
        peak: 5,
        unmanagedHeld: 2,
        requested: 2,
        limit: 10,
        reserved: 2,
        available: 1,
      },
    });
    if (full.ok) return;
    expect(full.error.message).toContain('Main office');
    expect(full.error.message).toMatch(
      /Revoke a grant, shorten the window.*raise the site's Salto KS subscription/,
    );
  });

  it('only counts the plan during the grant\u2019s own holding interval', () => {
    // The site is full next month, but free now: a grant ending before the busy period fits.
    const busyFrom = NOW + 30 * DAY_MS;
    const plan = new SlotPlan([{ id: 'busy', from: busyFrom, to: busyFrom + DAY_MS, slots: 10 }]);
    const before = request({ window: { kind: 'scheduled', startsAt: NOW, endsAt: busyFrom } });
    expect(decideGrant(policy(), state({ plan }), before).ok).toBe(true);
    const overlapping = request({ window: { kind: 'scheduled', startsAt: NOW, endsAt: busyFrom + 1 } });
    expect(decideGrant(policy(), state({ plan }), overlapping)).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached', peak: 10 },
    });
    // An ongoing grant holds for ever, so it collides with the busy period too.
    expect(decideGrant(policy(), state({ plan }), request())).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached' },
    });
  });

  it('uses the per-site reserve', () => {
    const p = policy({ reservedSlots: 0, reservedSlotsBySite: { 'site-1': 10 } });
    expect(decideGrant(p, state(), request())).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached', reserved: 10 },
    });
  });

  it('refuses a lock the provider did not return, with its id', () => {
    expect(decideGrant(policy(), state(), request({ lockIds: ['L1', 'L9'] }))).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', lockId: 'L9' },
    });
  });

  it('refuses a lock of another site', () => {
    const d = decideGrant(policy(), state({ locks: [lock('L1', { siteId: 'site-2' })] }), request());
    expect(d).toMatchObject({
      ok: false,
      error: { code: 'lock_on_other_site', lockId: 'L1', lockSiteId: 'site-2' },
    });
  });

  it('refuses a lock without a PIN pad', () => {
    const locks = [lock('L1', { capabilities: { remoteUnlock: true, accessCodes: false } })];
    expect(decideGrant(policy(), state({ locks }), request())).toMatchObject({
      ok: false,
      error: { code: 'no_pin_pad', lockId: 'L1' },
    });
  });

  it('follows onOfflineHub: refuse, or accept and report the lock as pending', () => {
    const locks = [lock('L1', { hubLink: 'offline' }), lock('L2')];
    const req = request({ lockIds: ['L1', 'L2'] });
    expect(decideGrant(policy({ onOfflineHub: 'refuse' }), state({ locks }), req)).toMatchObject({
      ok: false,
      error: { code: 'hub_offline', lockId: 'L1' },
    });
    const accepted = decideGrant(policy({ onOfflineHub: 'accept_and_retry' }), state({ locks }), req);
    expect(accepted.ok && accepted.value.pendingLocks).toEqual(['L1']);
  });

  it('follows onWeakHub: accept (and say so), or refuse', () => {
    const locks = [lock('L1', { hubLink: 'weak' })];
    const accepted = decideGrant(policy({ onWeakHub: 'accept' }), state({ locks }), request());
    expect(accepted.ok && accepted.value.weakLocks).toEqual(['L1']);
    expect(decideGrant(policy({ onWeakHub: 'refuse' }), state({ locks }), request())).toMatchObject({
      ok: false,
      error: { code: 'hub_weak', lockId: 'L1' },
    });
  });

  it('refuses a grant longer than maxGrantDurationMs, and any ongoing grant under a maximum', () => {
    const p = policy({ maxGrantDurationMs: DAY_MS });
    const exactly = request({ window: { kind: 'scheduled', startsAt: NOW, endsAt: NOW + DAY_MS } });
    expect(decideGrant(p, state(), exactly).ok).toBe(true);
    const longer = request({ window: { kind: 'scheduled', startsAt: NOW, endsAt: NOW + DAY_MS + 1 } });
    expect(decideGrant(p, state(), longer)).toMatchObject({
      ok: false,
      error: { code: 'grant_too_long', durationMs: DAY_MS + 1, maxGrantDurationMs: DAY_MS },
    });
    expect(decideGrant(p, state(), request())).toMatchObject({
      ok: false,
      error: { code: 'grant_too_long', durationMs: null },
    });
  });

  it('refuses a window that has already ended', () => {
    const ended = request({ window: { kind: 'scheduled', startsAt: NOW - 2, endsAt: NOW } });
    expect(decideGrant(policy(), state(), ended)).toMatchObject({
      ok: false,
      error: { code: 'window_ended', endsAt: NOW, now: NOW },
    });
  });

  it('names the bad field for bad input instead of throwing', () => {
    const fields = (d: ReturnType<typeof decideGrant>): string[] =>
      d.ok || d.error.code !== 'invalid_input' ? [] : d.error.issues.map((i) => i.field);
    expect(fields(decideGrant(policy(), state(), request({ lockIds: [] })))).toEqual(['lockIds']);
    expect(
      fields(
        decideGrant(
          policy(),
          state(),
          request({ window: { kind: 'scheduled', startsAt: NOW + 5, endsAt: NOW + 5 } }),
        ),
      ),
    ).toEqual(['window.endsAt']);
    expect(
      fields(
        decideGrant(
          policy(),
          state(),
          request({ window: { kind: 'scheduled', startsAt: Number.NaN, endsAt: NOW } }),
        ),
      ),
    ).toEqual(['window.startsAt']);
    expect(fields(decideGrant(policy({ reservedSlots: -1 }), state(), request()))).toEqual([
      'policy.reservedSlots',
    ]);
    expect(fields(decideGrant(policy(), state({ site: site({ slotLimit: -3 }) }), request()))).toEqual([
      'site.slotLimit',
    ]);
    expect(fields(decideGrant(policy(), state({ now: Number.NaN }), request()))).toEqual(['now']);
    expect(fields(decideGrant(policy(), state({ unmanagedHeld: -1 }), request()))).toEqual(['unmanagedHeld']);
    expect(fields(decideGrant(policy(), state(), request({ siteId: 'site-2' })))).toEqual(['siteId']);
  });
});

describe('decideUnlock', () => {
  const active = grant({ lockIds: ['L1'] });

  it('lets anyone unlock under "anyone"', () => {
    expect(
      decideUnlock(policy({ remoteUnlock: 'anyone' }), { lock: lock('L1'), now: NOW }, { lockId: 'L1' }),
    ).toEqual({
      ok: true,
      value: { lockId: 'L1', holder: null, grantKey: null, hubLink: 'good' },
    });
  });

  it('lets nobody unlock under "nobody"', () => {
    const d = decideUnlock(
      policy({ remoteUnlock: 'nobody' }),
      { lock: lock('L1'), grantsOfHolder: [active], now: NOW },
      { lockId: 'L1', holder: 'alice' },
    );
    expect(d).toMatchObject({ ok: false, error: { code: 'remote_unlock_not_allowed', lockId: 'L1' } });
  });

  it('under "active_grant_holders" needs an active grant of that holder on that lock', () => {
    const p = policy({ remoteUnlock: 'active_grant_holders' });
    const ask = (grants: Grant[], holder?: string, now = NOW) =>
      decideUnlock(
        p,
        { lock: lock('L1'), grantsOfHolder: grants, now },
        { lockId: 'L1', ...(holder ? { holder } : {}) },
      );
    expect(ask([active], 'alice')).toMatchObject({
      ok: true,
      value: { grantKey: 'booking-1', holder: 'alice' },
    });
    expect(ask([active])).toMatchObject({ ok: false, error: { code: 'no_active_grant', holder: null } });
    expect(ask([active], 'bob')).toMatchObject({
      ok: false,
      error: { code: 'no_active_grant', holder: 'bob' },
    });
    expect(ask([grant({ lockIds: ['L2'] })], 'alice')).toMatchObject({
      ok: false,
      error: { code: 'no_active_grant' },
    });
    expect(ask([grant({ revokedAt: NOW - 1 })], 'alice')).toMatchObject({
      ok: false,
      error: { code: 'no_active_grant' },
    });
    const later = grant({ window: { kind: 'scheduled', startsAt: NOW + 1, endsAt: NOW + DAY_MS } });
    expect(ask([later], 'alice')).toMatchObject({ ok: false, error: { code: 'no_active_grant' } });
    expect(ask([later], 'alice', NOW + 1).ok).toBe(true);
  });

  it('refuses what the lock cannot do: capability, privacy mode, offline hub, weak hub when refused', () => {
    const p = policy({ remoteUnlock: 'anyone' });
    const ask = (l: Lock, pol = p) => decideUnlock(pol, { lock: l, now: NOW }, { lockId: 'L1' });
    expect(ask(lock('L1', { capabilities: { remoteUnlock: false, accessCodes: true } }))).toMatchObject({
      ok: false,
      error: { code: 'capability_missing' },
    });
    expect(ask(lock('L1', { modes: { privacy: true, office: false } }))).toMatchObject({
      ok: false,
      error: { code: 'privacy_mode' },
    });
    expect(ask(lock('L1', { hubLink: 'offline' }))).toMatchObject({
      ok: false,
      error: { code: 'hub_offline' },
    });
    expect(ask(lock('L1', { hubLink: 'weak' })).ok).toBe(true);
    expect(
      ask(lock('L1', { hubLink: 'weak' }), policy({ remoteUnlock: 'anyone', onWeakHub: 'refuse' })),
    ).toMatchObject({
      ok: false,
      error: { code: 'hub_weak' },
    });
  });

  it('reports a missing lock and names bad fields', () => {
    const p = policy({ remoteUnlock: 'anyone' });
    expect(decideUnlock(p, { lock: null, now: NOW }, { lockId: 'L1' })).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', lockId: 'L1' },
    });
    const bad = decideUnlock(p, { lock: lock('L1'), now: Number.NaN }, { lockId: '' });
    expect(bad.ok ? [] : bad.error.code === 'invalid_input' && bad.error.issues.map((i) => i.field)).toEqual([
      'now',
      'lockId',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const policyArb: fc.Arbitrary<AccessPolicy> = fc.record({
  reservedSlots: fc.nat(5),
  reservedSlotsBySite: fc.dictionary(fc.constantFrom('site-1', 'site-2'), fc.nat(5)),
  maxGrantDurationMs: fc.option(fc.integer({ min: 1, max: 30 * DAY_MS }), { nil: null }),
  onWeakHub: fc.constantFrom('accept', 'refuse'),
  onOfflineHub: fc.constantFrom('refuse', 'accept_and_retry'),
  remoteUnlock: fc.constantFrom('anyone', 'active_grant_holders', 'nobody'),
});

const lockArb = (id: string): fc.Arbitrary<Lock> =>
  fc.record({
    id: fc.constant(id),
    siteId: fc.constantFrom('site-1', 'site-1', 'site-1', 'site-2'),
    name: fc.constant(`Door ${id}`),
    hubLink: fc.constantFrom('good', 'good', 'weak', 'offline'),
    capabilities: fc.record({ remoteUnlock: fc.boolean(), accessCodes: fc.boolean() }),
    modes: fc.record({ privacy: fc.boolean(), office: fc.boolean() }),
  });

const windowArb = fc.oneof(
  fc.constant({ kind: 'ongoing' as const }),
  fc
    .tuple(fc.integer({ min: -5 * DAY_MS, max: 20 * DAY_MS }), fc.integer({ min: 1, max: 10 * DAY_MS }))
    .map(([s, len]) => ({ kind: 'scheduled' as const, startsAt: NOW + s, endsAt: NOW + s + len })),
);

const holdArb = fc
  .tuple(
    fc.integer({ min: -3 * DAY_MS, max: 20 * DAY_MS }),
    fc.option(fc.integer({ min: 1, max: 10 * DAY_MS })),
    fc.integer({ min: 1, max: 4 }),
  )
  .map(([from, len, slots]) => ({
    from: NOW + from,
    to: len === null ? Number.POSITIVE_INFINITY : NOW + from + len,
    slots,
  }));

const validStateArb: fc.Arbitrary<GrantState> = fc.record({
  site: fc.record({
    id: fc.constant('site-1'),
    name: fc.constant('Main office'),
    slotLimit: fc.nat(15),
    timeZone: fc.constant('UTC'),
    slotLeadTimeMs: fc.constantFrom(0, HOUR_MS, 72 * HOUR_MS),
    hasCustomPinSubscription: fc.boolean(),
  }),
  locks: fc.tuple(lockArb('L1'), lockArb('L2'), lockArb('L3')).map((ls) => [...ls]),
  plan: fc
    .array(holdArb, { maxLength: 8 })
    .map((hs) => new SlotPlan(hs.map((h, i) => ({ ...h, id: `h${i}` })))),
  unmanagedHeld: fc.nat(4),
  now: fc.constant(NOW),
});

const validRequestArb: fc.Arbitrary<GrantRequest> = fc.record({
  key: fc.constant('booking-x'),
  holder: fc.constant('alice'),
  siteId: fc.constant('site-1'),
  lockIds: fc.subarray(['L1', 'L2', 'L3', 'L4'], { minLength: 1 }),
  window: windowArb,
});

/** Arbitrary values, and valid ones with one field replaced by garbage (the interesting case). */
const garbage = fc.anything({ withBoxedValues: true, withSparseArray: true, withNullPrototype: true });
const corrupt = <T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    garbage,
    arb,
    fc.tuple(arb, fc.string({ maxLength: 20 }), garbage).map(([v, k, g]) => {
      const keys = Object.keys(v);
      const key = keys.length > 0 ? (keys[k.length % keys.length] as string) : k;
      return { ...v, [key]: g };
    }),
  );

describe('policy properties', () => {
  test.prop([corrupt(policyArb), corrupt(validStateArb), corrupt(validRequestArb)], { numRuns: 300 })(
    'decideGrant is total: any input gives a decision with a known code, never a throw',
    (p, s, r) => {
      const d = decideGrant(p as AccessPolicy, s as GrantState, r as GrantRequest);
      if (!d.ok) {
        expect([
          'slot_limit_reached',
          'lock_not_found',
          'lock_on_other_site',
          'no_pin_pad',
          'hub_offline',
          'hub_weak',
          'grant_too_long',
          'window_ended',
          'invalid_input',
        ]).toContain(d.error.code);
        expect(typeof d.error.message).toBe('string');
      }
    },
  );

  test.prop(
    [
      corrupt(policyArb),
      corrupt(fc.record({ lock: fc.option(lockArb('L1'), { nil: null }), now: fc.constant(NOW) })),
      corrupt(fc.record({ lockId: fc.constant('L1'), holder: fc.constant('alice') })),
    ],
    { numRuns: 300 },
  )('decideUnlock is total: any input gives a decision with a known code, never a throw', (p, s, r) => {
    const d = decideUnlock(p as AccessPolicy, s as never, r as never);
    if (!d.ok) {
      expect([
        'remote_unlock_not_allowed',
        'no_active_grant',
        'lock_not_found',
        'capability_missing',
        'hub_offline',
        'hub_weak',
        'privacy_mode',
        'invalid_input',
      ]).toContain(d.error.code);
    }
  });

  test.prop([policyArb, validStateArb, validRequestArb])(
    'an approved grant keeps the site within limit − reserved over its whole holding interval',
    (p, s, r) => {
      const d = decideGrant(p, s, r);
      if (!d.ok) return;
      const { hold } = d.value;
      s.plan.add(hold);
      expect(s.plan.peak(hold.from, hold.to) + s.unmanagedHeld).toBeLessThanOrEqual(
        s.site.slotLimit - reservedFor(p, s.site.id),
      );
    },
  );

  test.prop([policyArb, validStateArb, validRequestArb])(
    'with good locks and no duration cap, the slot rule alone decides: ok iff peak + unmanaged + slots ≤ limit − reserved',
    (p0, s0, r) => {
      const p = { ...p0, maxGrantDurationMs: null };
      const s = { ...s0, locks: ['L1', 'L2', 'L3', 'L4'].map((id) => lock(id)) };
      const d = decideGrant(p, s, r);
      if (r.window.kind === 'scheduled' && r.window.endsAt <= NOW) {
        expect(d).toMatchObject({ ok: false, error: { code: 'window_ended' } });
        return;
      }
      const from =
        r.window.kind === 'ongoing' ? NOW : Math.max(NOW, r.window.startsAt - s.site.slotLeadTimeMs);
      const to = r.window.kind === 'ongoing' ? Number.POSITIVE_INFINITY : r.window.endsAt;
      const fits =
        s.plan.peak(from, to) + s.unmanagedHeld + r.lockIds.length <=
        s.site.slotLimit - reservedFor(p, 'site-1');
      expect(d.ok ? 'ok' : d.error.code).toBe(fits ? 'ok' : 'slot_limit_reached');
    },
  );
});
