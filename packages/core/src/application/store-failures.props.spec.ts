/**
 * The grant store failing at any call: every store method, at every call position of a random
 * sequence of use cases, failing before it acts or after (the write kept, the reply lost), once or
 * for a few calls in a row. No use case throws; the one that met the failure says `store_failed`
 * (which call, the store's failure, whether a retry can help) and no other does; a grant whose
 * admission failed is saved whole or not at all and has no code; the provider is never pushed
 * over its limit; no secret in the store's error reaches an outcome or a log; and once the store
 * is back, reconcile converges to exactly the stored live grants.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { StoreFailure } from '../ports/grant-store.js';
import { FAILURES, FailingStore, SECRET, type StoreFault } from './failing-store.test-helpers.js';
import {
  advanceCmd,
  ambushCmd,
  anyFaultCmd,
  type Command,
  createFaultCmd,
  expectReconcileConverges,
  grantCmd,
  hubCmd,
  KEYS,
  LOCKS,
  reconcileCmd,
  revokeCmd,
  run,
  setupArb,
  world,
} from './use-case-commands.test-helpers.js';
import { ourCodes, type World } from './use-cases.test-helpers.js';

/**
 * Where the failure strikes. The healthy run's calls are grouped by where they are made — the use
 * case, the method, and how many calls of that method the use case made before (so a grant's
 * admission save and its rollback's save are different places) — and the failure strikes the
 * `position`-th call of the `place`-th group: every place is as likely as any other.
 */
type StoreFaultChoice = Omit<StoreFault, 'at'> & { readonly place: number; readonly position: number };

type Extra =
  | { readonly t: 'pins'; readonly key: string }
  | { readonly t: 'unlock'; readonly lockId: string; readonly holder: string }
  | { readonly t: 'report' };
type Step = Command | Extra;

const extraCmd: fc.Arbitrary<Extra> = fc.oneof(
  fc.record({ t: fc.constant('pins' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({
    t: fc.constant('unlock' as const),
    lockId: fc.constantFrom(...LOCKS),
    holder: fc.constantFrom('h', 'someone-else'),
  }),
  fc.constant({ t: 'report' as const }),
);

const stepsArb = (faultCmd: fc.Arbitrary<Command>) =>
  fc.array(
    fc.oneof(
      { arbitrary: grantCmd, weight: 4 },
      { arbitrary: revokeCmd, weight: 2 },
      { arbitrary: reconcileCmd, weight: 2 },
      { arbitrary: advanceCmd, weight: 1 },
      { arbitrary: hubCmd, weight: 1 },
      { arbitrary: faultCmd, weight: 2 },
      { arbitrary: extraCmd, weight: 2 },
    ),
    { minLength: 1, maxLength: 20 },
  );

const storeFaultArb: fc.Arbitrary<StoreFaultChoice> = fc.record({
  place: fc.nat(),
  position: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  count: fc.integer({ min: 1, max: 3 }),
  phase: fc.constantFrom('before' as const, 'after' as const),
  failure: fc.constantFrom(...FAILURES),
});

async function step(w: World, s: Step): Promise<unknown> {
  switch (s.t) {
    case 'pins':
      return w.awaitPins.execute(s.key, { timeoutMs: 0 });
    case 'unlock':
      return w.unlock.execute({ lockId: s.lockId, holder: s.holder, timeoutMs: 5_000 });
    case 'report':
      return w.report.execute('site-1');
    default:
      return run(w, s);
  }
}

/**
 * Runs the steps once with a healthy store to count its calls, then again (the same world: all is
 * deterministic) with the failure striking at the chosen call, checking each outcome. Returns the
 * second world and its store.
 */
async function runWithFailingStore(
  setup: Parameters<typeof world>[0],
  choice: StoreFaultChoice,
  steps: readonly Step[],
  remoteUnlock: 'anyone' | 'active_grant_holders',
) {
  let counted: FailingStore | undefined;
  const dry = world(
    { ...setup, remoteUnlock },
    {
      wrapStore: (inner) => {
        counted = new FailingStore(inner, null);
        return counted;
      },
    },
  );
  for (const c of steps) {
    counted!.startStep(c.t);
    await step(dry, c);
  }
  const { place, position, ...rest } = choice;
  const places = [...new Set(counted!.places)].sort();
  const chosen = places[place % Math.max(1, places.length)];
  const calls = counted!.places.flatMap((p, i) => (p === chosen ? [i] : []));
  const fault: StoreFault = { ...rest, at: calls[Math.floor(position * calls.length)] ?? 0 };
  let store: FailingStore | undefined;
  const w = world(
    { ...setup, remoteUnlock },
    {
      wrapStore: (inner) => {
        store = new FailingStore(inner, fault);
        return store;
      },
    },
  );
  const s = store!;
  for (const c of steps) {
    s.startStep(c.t);
    const failedBefore = s.failed.length;
    const storedBefore = c.t === 'grant' ? await w.store.get(c.key) : null;
    const outcome = (await step(w, c)) as
      | undefined
      | { ok: true; value: { code: string } }
      | { ok: false; error: { code: string; message: string; [k: string]: unknown } };
    const failedHere = s.failed.slice(failedBefore);
    if (outcome === undefined) {
      expect(failedHere).toEqual([]);
      continue;
    }
    expect(typeof (outcome.ok ? outcome.value.code : outcome.error.code)).toBe('string');
    if (failedHere.length === 0) {
      expect(outcome.ok || outcome.error.code !== 'store_failed').toBe(true);
    } else {
      // The first failed call ended the use case, with a typed outcome naming it.
      expect(failedHere).toHaveLength(1);
      expect(outcome.ok).toBe(false);
      const e = (outcome as { ok: false; error: Record<string, unknown> }).error;
      expect(e['code']).toBe('store_failed');
      expect(e['operation']).toBe(failedHere[0]!.operation);
      const expected = fault.failure === 'foreign' ? 'store_error' : fault.failure.code;
      expect((e['failure'] as StoreFailure).code).toBe(expected);
      expect(e['retryable']).toBe(fault.failure === 'foreign' ? false : fault.failure.retryable);
      expect(String(e['message'])).toMatch(/the grant store failed/);
      expect(JSON.stringify(e)).not.toContain(SECRET);
      if (c.t === 'grant' && storedBefore === null) {
        const kept = await w.store.get(c.key);
        if (String(e['message']).startsWith(`Grant "${c.key}" could not be admitted`)) {
          // Admission: nothing was made at the provider, and the grant is kept whole or not at all.
          expect(ourCodes(w, c.key)).toEqual([]);
          if (failedHere[0]!.operation === 'save' && fault.phase === 'after') {
            expect(kept).toMatchObject({ key: c.key, version: 1, revokedAt: null });
          } else expect(kept).toBeNull();
        } else {
          // A rollback: the grant was saved before its codes were made (left for ReconcileSite).
          expect(kept).not.toBeNull();
        }
      }
    }
    expect(w.gateway.used('site-1')).toBeLessThanOrEqual(setup.slotLimit);
  }
  // The same calls as the dry run up to the chosen one: the failure struck.
  if (counted!.calls > 0) expect(s.failed[0]?.call).toBe(fault.at);
  expect(JSON.stringify(w.logger.entries)).not.toContain(SECRET);
  return { w, store: s };
}

describe('store failures in the use cases (scripted fake provider, failing in-memory store)', () => {
  test.prop(
    [
      setupArb,
      storeFaultArb,
      stepsArb(fc.oneof(createFaultCmd, anyFaultCmd, ambushCmd)),
      fc.constantFrom('anyone' as const, 'active_grant_holders' as const),
    ],
    { numRuns: 300 },
  )(
    'every store call failing, before or after it acts: a typed store_failed from that use case only, nothing half-written, the cap kept, no secret shown',
    async (setup, fault, steps, policy) => {
      await runWithFailingStore(setup, fault, steps, policy);
    },
  );

  test.prop(
    [storeFaultArb, stepsArb(fc.oneof(createFaultCmd, anyFaultCmd)), fc.constantFrom('anyone' as const)],
    { numRuns: 200 },
  )(
    'once the store is back, reconcile converges to exactly the stored live grants (what a failure left is left for it)',
    async (fault, steps, policy) => {
      // Room for everything, so convergence is never blocked by the slot limit.
      const { w, store } = await runWithFailingStore(
        { slotLimit: 100, reservedSlots: 0, foreign: 0 },
        fault,
        steps,
        policy,
      );
      store.heal();
      await expectReconcileConverges(w);
      // Revoked grants end cleaned up: none holds planned slots for codes that are gone.
      expect(w.store.all().filter((g) => g.revokedAt !== null && (g.cleanedUpAt ?? null) === null)).toEqual(
        [],
      );
    },
  );
});
