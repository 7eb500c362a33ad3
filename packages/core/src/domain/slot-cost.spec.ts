import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AccessGrantIssue } from './access-grant.js';
import { lock, site } from './decisions.test-helpers.js';
import type { Grant, GrantRequest } from './grant.js';
import { decideGrant } from './grant-decision.js';
import type { Lock } from './lock.js';
import { DEFAULT_POLICY } from './policy.js';
import type { Site } from './site.js';
import { accessGrantHoldsSlot, holdingInterval, slotsForGrant } from './slot-holding.js';
import { planForGrants } from './slot-plan.js';
import { type AccessWindow, HOUR_MS, type Instant } from './time.js';

/**
 * The two cost models side by side: the lock integration (one code, one slot, per lock, from the
 * lead time before the start) and the ACS path (one user, one slot, per grant, from the start).
 */

const lockSite: Site = site({ name: 'Hostel', timeZone: 'UTC' });
const acsSite: Site = { ...lockSite, slotCostModel: 'user_per_grant' };
const DOORS = ['D1', 'D2', 'D3', 'D4'];
const door = (id: string): Lock => lock(id, { capabilities: { remoteUnlock: false, accessCodes: true } });
const startsAt = 1000 * HOUR_MS;
const stay: AccessWindow = { kind: 'scheduled', startsAt, endsAt: startsAt + 48 * HOUR_MS };

describe('slot cost by path', () => {
  it('a grant over four doors costs 4 slots on the lock integration and 1 on the ACS path', () => {
    expect(slotsForGrant(lockSite, 4)).toBe(4);
    expect(slotsForGrant({ ...lockSite, slotCostModel: 'code_per_lock' }, 4)).toBe(4);
    expect(slotsForGrant(acsSite, 4)).toBe(1);
    expect(slotsForGrant(acsSite, 0)).toBe(0);
  });

  it('holds an ACS grant from its start (not the lead time before) until its end', () => {
    expect(holdingInterval(acsSite, stay, 0)).toEqual({ from: startsAt, to: stay.endsAt });
    expect(holdingInterval(lockSite, stay, 0)).toEqual({ from: startsAt - 72 * HOUR_MS, to: stay.endsAt });
    expect(holdingInterval(acsSite, stay, startsAt + 5)).toEqual({ from: startsAt + 5, to: stay.endsAt });
    expect(holdingInterval(acsSite, { kind: 'ongoing' }, 7)).toEqual({
      from: 7,
      to: Number.POSITIVE_INFINITY,
    });
  });

  it('the plan and the policy count a four-door ACS grant as one slot', () => {
    const grant: Grant = {
      key: 'stay-1',
      holder: 'Ana',
      siteId: 'site-1',
      lockIds: DOORS,
      window: stay,
      createdAt: 0,
      revokedAt: null,
      version: 1,
    };
    expect([...planForGrants(acsSite, [grant], 0).holds()]).toEqual([
      { id: 'stay-1', from: startsAt, to: stay.endsAt, slots: 1 },
    ]);
    expect([...planForGrants(lockSite, [grant], 0).holds()][0]?.slots).toBe(4);
    // A site with ONE free slot takes the four-door stay on the ACS path, not on the lock path.
    const request: GrantRequest = {
      key: 'stay-2',
      holder: 'Bo',
      siteId: 'site-1',
      lockIds: DOORS,
      window: stay,
    };
    const state = (site: Site) => ({
      site: { ...site, slotLimit: 2 },
      locks: DOORS.map(door),
      plan: planForGrants(site, [grant], 0),
      unmanagedHeld: 0,
      now: 0,
    });
    const acs = decideGrant(DEFAULT_POLICY, state(acsSite), request);
    expect(acs.ok && acs.value.hold.slots).toBe(1);
    const lock = decideGrant(DEFAULT_POLICY, state(lockSite), request);
    expect(lock).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', requested: 4, peak: 4 } });
  });

  it('refuses an unknown cost model by name instead of guessing', () => {
    const d = decideGrant(
      DEFAULT_POLICY,
      {
        site: { ...acsSite, slotCostModel: 'per_door' as never },
        locks: [door('D1')],
        plan: planForGrants(lockSite, [], 0),
        unmanagedHeld: 0,
        now: 0,
      },
      { key: 'k', holder: 'h', siteId: 'site-1', lockIds: ['D1'], window: stay },
    );
    expect(d).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!d.ok && d.error.code === 'invalid_input')
      expect(d.error.issues.map((i) => i.field)).toContain('site.slotCostModel');
  });
});

describe('accessGrantHoldsSlot (a grant seen at an ACS provider)', () => {
  const issue = (code: AccessGrantIssue['code']): AccessGrantIssue => ({
    code,
    providerCode: code,
    message: '',
  });
  it('holds inside its window unless refused at the limit or not subscribed', () => {
    expect(accessGrantHoldsSlot({ window: stay, issues: [] }, startsAt - 1)).toBe(false);
    expect(accessGrantHoldsSlot({ window: stay, issues: [] }, startsAt)).toBe(true);
    expect(accessGrantHoldsSlot({ window: stay, issues: [] }, stay.endsAt)).toBe(false);
    expect(accessGrantHoldsSlot({ window: { kind: 'ongoing' }, issues: [] }, 0)).toBe(true);
    expect(accessGrantHoldsSlot({ window: stay, issues: [issue('slot_limit_reached')] }, startsAt)).toBe(
      false,
    );
    expect(accessGrantHoldsSlot({ window: stay, issues: [issue('not_subscribed')] }, startsAt)).toBe(false);
    expect(accessGrantHoldsSlot({ window: stay, issues: [issue('provider_issue')] }, startsAt)).toBe(true);
  });
});

// ─────────────── properties ───────────────

interface Ask {
  readonly doors: readonly string[];
  readonly window: AccessWindow;
  /** Time passing before this request. */
  readonly waitMs: number;
}

const askArb: fc.Arbitrary<Ask> = fc.record({
  doors: fc.subarray(DOORS, { minLength: 1 }),
  window: fc.oneof(
    { weight: 1, arbitrary: fc.constant<AccessWindow>({ kind: 'ongoing' }) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }))
        .map(([s, len]): AccessWindow => ({ kind: 'scheduled', startsAt: s, endsAt: s + len })),
    },
  ),
  waitMs: fc.integer({ min: 0, max: 20 }),
});

/** Independently of the plan: how many admitted ACS grants hold their one slot at `t`. */
const heldByAcsGrants = (grants: readonly Grant[], t: Instant): number =>
  grants.filter((g) =>
    g.window.kind === 'ongoing'
      ? g.createdAt <= t
      : Math.max(g.createdAt, g.window.startsAt) <= t && t < g.window.endsAt,
  ).length;

describe('slot cost properties', () => {
  test.prop([fc.integer({ min: 0, max: 6 }), fc.nat(2), fc.array(askArb, { maxLength: 30 })])(
    'under the ACS model, grants admitted one after another never take the site over limit − reserved',
    (slotLimit, reserved, asks) => {
      const site: Site = { ...acsSite, slotLimit, slotLeadTimeMs: 30 };
      const policy = { ...DEFAULT_POLICY, reservedSlots: reserved };
      const admitted: Grant[] = [];
      let now = 0;
      for (const [i, ask] of asks.entries()) {
        now += ask.waitMs;
        const req: GrantRequest = {
          key: `g${i}`,
          holder: 'h',
          siteId: site.id,
          lockIds: ask.doors,
          window: ask.window,
        };
        const d = decideGrant(
          policy,
          { site, locks: DOORS.map(door), plan: planForGrants(site, admitted, now), unmanagedHeld: 0, now },
          req,
        );
        if (!d.ok) {
          expect(['slot_limit_reached', 'window_ended']).toContain(d.error.code);
          continue;
        }
        expect(d.value.hold.slots).toBe(1);
        admitted.push({ ...req, createdAt: now, revokedAt: null, version: 1 });
      }
      const instants = admitted.flatMap((g) =>
        g.window.kind === 'ongoing' ? [g.createdAt] : [g.createdAt, g.window.startsAt, g.window.endsAt],
      );
      for (const t of instants)
        expect(heldByAcsGrants(admitted, t)).toBeLessThanOrEqual(Math.max(0, slotLimit - reserved));
    },
  );

  test.prop([fc.array(askArb, { minLength: 1, maxLength: 12 })])(
    'an ACS site fits exactly as many overlapping stays as it has slots, whatever their doors',
    (asks) => {
      const site: Site = { ...acsSite, slotLimit: asks.length };
      const admitted: Grant[] = [];
      for (const [i, ask] of asks.entries()) {
        const req: GrantRequest = {
          key: `g${i}`,
          holder: 'h',
          siteId: site.id,
          lockIds: ask.doors,
          window: { kind: 'ongoing' },
        };
        const d = decideGrant(
          DEFAULT_POLICY,
          { site, locks: DOORS.map(door), plan: planForGrants(site, admitted, 0), unmanagedHeld: 0, now: 0 },
          req,
        );
        expect(d.ok).toBe(true);
        admitted.push({ ...req, createdAt: 0, revokedAt: null, version: 1 });
      }
      const oneMore = decideGrant(
        DEFAULT_POLICY,
        { site, locks: DOORS.map(door), plan: planForGrants(site, admitted, 0), unmanagedHeld: 0, now: 0 },
        { key: 'extra', holder: 'h', siteId: site.id, lockIds: ['D1'], window: { kind: 'ongoing' } },
      );
      expect(oneMore).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', requested: 1 } });
    },
  );
});
