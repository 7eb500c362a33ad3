/**
 * Exactly-once access under faults, core → in-process simulator (issue "exactly-once", items 1–2;
 * issue 14 for the ACS path). Random grant/revoke/unlock/reconcile sequences with injected faults,
 * hub links dropping, limit changes and app crashes (between steps and in the middle of an
 * operation); then reconcile to quiescence and check the provider's own records (see
 * `runExactlyOnceScenario`). Both paths: the lock integration (`SaltoKsSimulator`, one code per
 * lock) and the access control system (`SaltoKsAcsSimulator`, one Access Grant per grant, checked
 * against the ACS cost: one per live grant, none for revoked ones, no orphan holding a slot).
 *
 * Runs: 200 per path in CI (fixed seed from vitest.setup.ts); `FC_NUM_RUNS` set (as
 * `pnpm test:deep` does) → 10× that; `KEYSLOT_FAULT_RUNS=<n>` overrides both.
 */
import {
  addStats,
  emptyStats,
  faultRuns,
  runExactlyOnceScenario,
  scenarioCommandsArb,
  scenarioSetupArb,
} from '@keyslot/core/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACS_FAULT_TARGETS,
  FAULT_TARGETS,
  inProcessAcsFixture,
  inProcessFixture,
} from './fixture.test-helpers.js';

const BASE_RUNS = 200;

const PATHS = [
  { label: 'in-process', what: 'codes', targets: FAULT_TARGETS, fixture: inProcessFixture },
  {
    label: 'in-process, ACS path',
    what: 'access grants',
    targets: ACS_FAULT_TARGETS,
    fixture: inProcessAcsFixture,
  },
] as const;

for (const path of PATHS) {
  const total = emptyStats();
  let runsDone = 0;
  let passed = false;

  describe(`exactly-once access under faults: core → simulator (${path.label})`, () => {
    it('nothing lost, nothing duplicated, the cap never exceeded, only typed outcomes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          scenarioSetupArb(),
          scenarioCommandsArb({
            lockCount: 3,
            faultTargetCount: path.targets.length,
            maxLatencyMs: 20 * 60_000,
          }),
          async (seed, setup, commands) => {
            const stats = await runExactlyOnceScenario(path.fixture(seed, setup.slotLimit), setup, commands);
            addStats(total, stats);
            runsDone++;
          },
        ),
        { numRuns: faultRuns(BASE_RUNS) },
      );
      expect(runsDone).toBeGreaterThanOrEqual(faultRuns(BASE_RUNS));
      expect(total.faultsInjected).toBeGreaterThan(0);
      expect(total.outcomes['grant:granted'] ?? 0).toBeGreaterThan(0);
      passed = true;
    }, 600_000);
  });

  afterAll(() => {
    console.log(
      `[exactly-once ${path.label}] runs ${runsDone}, steps ${total.steps}, faults injected ${total.faultsInjected}, crashes ${total.crashes}, provider calls ${total.providerCalls}, ${path.what} refused at the limit ${total.refusedAtLimit}, violations ${passed ? 0 : '≥ 1 (see the failure)'}\n  outcomes ${JSON.stringify(total.outcomes)}`,
    );
  });
}
