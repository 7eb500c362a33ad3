import { describe, expect, it } from 'vitest';
import { lock, NOW, policy, request, site, state } from './decisions.test-helpers.js';
import { decideGrant, type GrantDecision } from './grant-decision.js';
import { SlotPlan } from './slot-plan.js';
import { DAY_MS, HOUR_MS } from './time.js';

/**
 * Every refusal of the grant rule with its exact code, fields and message (the numbers in the
 * message are the ones behind the decision), and the approval's numbers. The rule's boundaries
 * (exactly full, exactly the maximum length) are in policy.spec.ts.
 */

const refusal = (d: GrantDecision): unknown => (d.ok ? d : d.error);

/** A plan that holds `slots` slots from now on, for ever. */
const busy = (slots: number): SlotPlan =>
  new SlotPlan(slots > 0 ? [{ id: 'other', from: NOW, to: Number.POSITIVE_INFINITY, slots }] : []);

const NOT_FOUND =
  'was not found at the provider; check the lock id, or reconnect the Salto KS account in Seam.';
const ADVICE =
  "Revoke a grant, shorten the window, lower the reserve, or raise the site's Salto KS subscription plan.";

describe('decideGrant refusals, exactly', () => {
  it('refuses a request for another site than the state is for, before looking at the window', () => {
    const ended = { kind: 'scheduled' as const, startsAt: NOW - 2 * DAY_MS, endsAt: NOW - DAY_MS };
    expect(refusal(decideGrant(policy(), state(), request({ siteId: 'site-2', window: ended })))).toEqual({
      code: 'invalid_input',
      message: 'Invalid input: siteId: is "site-2" but the state is for site "site-1".',
      issues: [{ field: 'siteId', message: 'is "site-2" but the state is for site "site-1"' }],
    });
  });

  it('refuses a window that ended before now, saying when, before the duration and the locks', () => {
    const window = { kind: 'scheduled' as const, startsAt: NOW - 10 * DAY_MS, endsAt: NOW - 1 };
    const p = policy({ maxGrantDurationMs: HOUR_MS });
    expect(refusal(decideGrant(p, state({ locks: [] }), request({ window })))).toEqual({
      code: 'window_ended',
      message: `Grant "booking-1" ends before now (endsAt ${NOW - 1} ≤ now ${NOW}); give a window that ends in the future.`,
      endsAt: NOW - 1,
      now: NOW,
    });
  });

  it('refuses a scheduled grant over the maximum length with its length, before the locks', () => {
    const window = {
      kind: 'scheduled' as const,
      startsAt: NOW + HOUR_MS,
      endsAt: NOW + HOUR_MS + DAY_MS + 1,
    };
    const d = decideGrant(policy({ maxGrantDurationMs: DAY_MS }), state({ locks: [] }), request({ window }));
    expect(refusal(d)).toEqual({
      code: 'grant_too_long',
      message: `Grant "booking-1" lasts ${DAY_MS + 1} ms but the policy allows at most ${DAY_MS} ms; shorten the window or split it into several grants.`,
      durationMs: DAY_MS + 1,
      maxGrantDurationMs: DAY_MS,
    });
  });

  it('refuses an ongoing grant when the policy has a maximum length', () => {
    expect(refusal(decideGrant(policy({ maxGrantDurationMs: DAY_MS }), state(), request()))).toEqual({
      code: 'grant_too_long',
      message: `Grant "booking-1" is ongoing but the policy allows at most ${DAY_MS} ms; give a scheduled window of at most that length.`,
      durationMs: null,
      maxGrantDurationMs: DAY_MS,
    });
  });

  it('refuses the first lock (in request order) the provider did not return', () => {
    const d = decideGrant(policy(), state(), request({ lockIds: ['L2', 'L9', 'L8'] }));
    expect(refusal(d)).toEqual({ code: 'lock_not_found', lockId: 'L9', message: `Lock "L9" ${NOT_FOUND}` });
    // The lock is looked up by id, not taken by position.
    const reordered = decideGrant(policy(), state({ locks: [lock('L2'), lock('L1')] }), request());
    expect(reordered.ok && reordered.value.hold.slots).toBe(1);
  });

  it('refuses a lock of another site, naming both sites', () => {
    const d = decideGrant(policy(), state({ locks: [lock('L1'), lock('L2', { siteId: 'site-2' })] }), {
      ...request(),
      lockIds: ['L1', 'L2'],
    });
    expect(refusal(d)).toEqual({
      code: 'lock_on_other_site',
      lockId: 'L2',
      lockSiteId: 'site-2',
      message: 'Lock "L2" belongs to site "site-2", not "site-1"; make one grant per site.',
    });
  });

  it('refuses a lock without a PIN pad, by id and name', () => {
    const locks = [
      lock('L1', { name: 'Back door', capabilities: { remoteUnlock: true, accessCodes: false } }),
    ];
    expect(refusal(decideGrant(policy(), state({ locks }), request()))).toEqual({
      code: 'no_pin_pad',
      lockId: 'L1',
      message:
        'Lock "L1" (Back door) has no PIN pad, so it cannot take access codes; choose a lock with a keypad.',
    });
  });

  it('refuses a lock whose hub is offline under onOfflineHub "refuse"', () => {
    const locks = [lock('L1', { hubLink: 'offline' })];
    expect(refusal(decideGrant(policy({ onOfflineHub: 'refuse' }), state({ locks }), request()))).toEqual({
      code: 'hub_offline',
      lockId: 'L1',
      message:
        'The IQ hub of lock "L1" (Door L1) is offline, so no code can reach it; bring the hub back online and retry, or set the policy\'s onOfflineHub to "accept_and_retry".',
    });
  });

  it('refuses a lock with a weak hub link under onWeakHub "refuse", whatever comes after it', () => {
    const locks = [lock('L1', { hubLink: 'weak' })];
    const d = decideGrant(
      policy({ onWeakHub: 'refuse' }),
      state({ locks }),
      request({ lockIds: ['L1', 'L9'] }),
    );
    expect(refusal(d)).toEqual({
      code: 'hub_weak',
      lockId: 'L1',
      message:
        'The hub link of lock "L1" (Door L1) is weak, and the policy refuses weak hubs; move a BLUEnet repeater or the IQ closer to the lock, or set onWeakHub to "accept".',
    });
  });

  it('refuses one slot over a plan holding one: singular words, no other apps, nothing free', () => {
    const d = decideGrant(policy(), state({ site: site({ slotLimit: 1 }), plan: busy(1) }), request());
    expect(refusal(d)).toEqual({
      code: 'slot_limit_reached',
      message:
        'Site "Main office" (site-1) cannot hold 1 more user slot for grant "booking-1": at the busiest moment ' +
        "of the grant's window 1 slot is held by keyslot grants, of a limit of 1 with 0 kept in reserve (0 free). " +
        ADVICE,
      siteId: 'site-1',
      siteName: 'Main office',
      peak: 1,
      unmanagedHeld: 0,
      requested: 1,
      limit: 1,
      reserved: 0,
      available: 0,
      from: NOW,
      to: Number.POSITIVE_INFINITY,
    });
  });

  it('refuses two slots with plural words, the other apps, the reserve and what is still free', () => {
    const startsAt = NOW + 10 * DAY_MS;
    const window = { kind: 'scheduled' as const, startsAt, endsAt: startsAt + DAY_MS };
    const d = decideGrant(
      policy({ reservedSlots: 4 }),
      state({ plan: busy(3), unmanagedHeld: 2 }),
      request({ lockIds: ['L1', 'L2'], window }),
    );
    expect(refusal(d)).toEqual({
      code: 'slot_limit_reached',
      message:
        'Site "Main office" (site-1) cannot hold 2 more user slots for grant "booking-1": at the busiest moment ' +
        "of the grant's window 3 slots are held by keyslot grants and 2 by other apps, of a limit of 10 with 4 " +
        `kept in reserve (1 free). ${ADVICE}`,
      siteId: 'site-1',
      siteName: 'Main office',
      peak: 3,
      unmanagedHeld: 2,
      requested: 2,
      limit: 10,
      reserved: 4,
      available: 1,
      from: startsAt - 72 * HOUR_MS,
      to: startsAt + DAY_MS,
    });
  });

  it('says 0 slots and 0 free when the reserve alone is above the limit', () => {
    const d = decideGrant(policy({ reservedSlots: 3 }), state({ site: site({ slotLimit: 2 }) }), request());
    expect(d.ok ? null : d.error.message).toBe(
      'Site "Main office" (site-1) cannot hold 1 more user slot for grant "booking-1": at the busiest moment ' +
        "of the grant's window 0 slots are held by keyslot grants, of a limit of 2 with 3 kept in reserve (0 free). " +
        ADVICE,
    );
    expect(d).toMatchObject({ ok: false, error: { available: 0, peak: 0 } });
  });
});

describe('decideGrant approval, exactly', () => {
  it('gives the hold, the numbers and the headroom left, with pending and weak locks apart', () => {
    const locks = [lock('L1', { hubLink: 'offline' }), lock('L2', { hubLink: 'weak' }), lock('L3')];
    const d = decideGrant(
      policy({ onOfflineHub: 'accept_and_retry', onWeakHub: 'accept', reservedSlots: 1 }),
      state({ locks, plan: busy(2), unmanagedHeld: 1, site: site({ slotLimit: 12 }) }),
      request({ lockIds: ['L1', 'L2', 'L3'] }),
    );
    expect(d).toEqual({
      ok: true,
      value: {
        hold: { id: 'booking-1', from: NOW, to: Number.POSITIVE_INFINITY, slots: 3 },
        peak: 2,
        unmanagedHeld: 1,
        limit: 12,
        reserved: 1,
        // 12 − 1 reserved − 2 planned − 1 unmanaged − 3 requested
        headroomAfter: 5,
        pendingLocks: ['L1'],
        weakLocks: ['L2'],
      },
    });
  });

  it('returns the input issues unchanged when a shape is wrong', () => {
    expect(refusal(decideGrant(policy(), state({ unmanagedHeld: -1 }), request()))).toEqual({
      code: 'invalid_input',
      message: 'Invalid input: unmanagedHeld: must be a non-negative integer, got -1.',
      issues: [{ field: 'unmanagedHeld', message: 'must be a non-negative integer, got -1' }],
    });
  });
});
