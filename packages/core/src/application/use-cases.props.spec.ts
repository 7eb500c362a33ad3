import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { grantKeyOf, isNotSubscribed } from '../domain/access-code.js';
import { reservedFor } from '../domain/policy.js';
import { planForGrants } from '../domain/slot-plan.js';
import {
  advanceCmd,
  ambushCmd,
  anyFaultCmd,
  createFaultCmd,
  expectNoLeak,
  expectReconcileConverges,
  grantCmd,
  hubCmd,
  KEYS,
  reconcileCmd,
  revokeCmd,
  run,
  setupArb,
  tamperCmd,
  world,
} from './use-case-commands.test-helpers.js';
import { ourCodes, type World } from './use-cases.test-helpers.js';

/** keyslot's plan never promises more than limit − reserve minus what other apps hold. */
async function expectPlanWithinLimit(w: World, slotLimit: number): Promise<void> {
  const now = w.clock.now();
  const foreign = w.gateway
    .allCodes()
    .filter((c) => grantKeyOf(c.name) === null && !isNotSubscribed(c)).length;
  const site = {
    id: 'site-1',
    name: 'Main office',
    slotLimit,
    timeZone: 'UTC',
    slotLeadTimeMs: 72 * 3_600_000,
    hasCustomPinSubscription: false,
  };
  const plan = planForGrants(site, await w.store.listBySite('site-1'), now);
  const peak = plan.peak(now, Number.POSITIVE_INFINITY);
  if (peak > 0) expect(peak + foreign).toBeLessThanOrEqual(slotLimit - reservedFor(w.policy, 'site-1'));
}

describe('use-case properties (scripted fake provider)', () => {
  test.prop(
    [
      setupArb,
      fc.array(
        fc.oneof(grantCmd, grantCmd, revokeCmd, reconcileCmd, advanceCmd, hubCmd, createFaultCmd, ambushCmd),
        {
          maxLength: 25,
        },
      ),
    ],
    { numRuns: 150 },
  )(
    'no sequence of grants, revokes, reconciles, lost replies and races leaks a slot or takes the provider over its limit',
    async (setup, cmds) => {
      const w = world(setup);
      const ambushed = cmds.some((c) => c.t === 'ambush');
      for (const c of cmds) {
        await run(w, c);
        expect(w.gateway.used('site-1')).toBeLessThanOrEqual(setup.slotLimit);
        await expectNoLeak(w);
        if (!ambushed) await expectPlanWithinLimit(w, setup.slotLimit);
      }
    },
  );

  test.prop(
    [
      setupArb,
      fc.array(fc.oneof(grantCmd, grantCmd, revokeCmd, advanceCmd, createFaultCmd, ambushCmd), {
        maxLength: 20,
      }),
      fc.constantFrom(...KEYS),
    ],
    { numRuns: 100 },
  )('revoke is idempotent: a second revoke changes nothing and deletes nothing', async (setup, cmds, key) => {
    const w = world(setup);
    for (const c of cmds) await run(w, c);
    const first = await w.revoke.execute(key);
    const grantsAfterFirst = w.store.all();
    const codesAfterFirst = w.gateway.allCodes();
    const second = await w.revoke.execute(key);
    expect(w.store.all()).toEqual(grantsAfterFirst);
    expect(w.gateway.allCodes()).toEqual(codesAfterFirst);
    if (first.ok) {
      expect(second).toMatchObject({
        ok: true,
        value: { code: 'already_revoked', deleted: [], cleanupPending: [] },
      });
    } else {
      expect(second).toEqual(first);
    }
    expect(ourCodes(w, key)).toEqual([]);
  });

  test.prop(
    [
      setupArb,
      fc.array(fc.oneof(grantCmd, grantCmd, revokeCmd, advanceCmd, hubCmd, createFaultCmd, ambushCmd), {
        maxLength: 20,
      }),
    ],
    { numRuns: 100 },
  )(
    'grant then revoke leaves no code: revoking every grant empties the provider of keyslot codes',
    async (setup, cmds) => {
      const w = world(setup);
      for (const c of cmds) await run(w, c);
      for (const key of KEYS) await w.revoke.execute(key);
      expect(ourCodes(w)).toEqual([]);
      expect(w.gateway.used('site-1')).toBe(w.gateway.allCodes().filter((c) => !isNotSubscribed(c)).length);
    },
  );

  test.prop(
    [
      fc.array(
        fc.oneof(grantCmd, grantCmd, revokeCmd, reconcileCmd, advanceCmd, hubCmd, anyFaultCmd, tamperCmd),
        {
          maxLength: 25,
        },
      ),
    ],
    { numRuns: 100 },
  )('reconcile converges once the provider behaves, and a second run does nothing', async (cmds) => {
    // Room for everything, so convergence is never blocked by the slot limit.
    const w = world({ slotLimit: 100, reservedSlots: 0, foreign: 1 });
    for (const c of cmds) await run(w, c);
    await expectReconcileConverges(w);
    expect(w.gateway.allCodes().filter((c) => grantKeyOf(c.name) === null)).toHaveLength(1);
  });
});
