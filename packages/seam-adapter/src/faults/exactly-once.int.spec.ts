/**
 * Exactly-once access under faults over the whole stack: core use cases → this Seam adapter →
 * the simulator's Seam-compatible HTTP server on 127.0.0.1 (issue "exactly-once", items 1–2).
 * Faults, hub links, the slot limit and time go through the server's `/_sim/*` routes; a crash
 * builds a fresh adapter and fresh use cases over the same `GrantStore`. The provider's state is
 * read from the server's world directly (same process), never through the faulted API.
 *
 * Runs: 60 in CI (fixed seed from vitest.setup.ts); `FC_NUM_RUNS` set (as `pnpm test:deep` does)
 * → 10× that; `KEYSLOT_FAULT_RUNS=<n>` overrides both.
 */
import {
  addStats,
  emptyStats,
  runExactlyOnceScenario,
  scenarioCommandsArb,
  scenarioSetupArb,
} from '@keyslot/core/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_TARGETS, httpFixture, MAX_LATENCY_MS } from './fixture.test-helpers.js';

const BASE_RUNS = 60;
const runs = (base: number): number =>
  process.env['KEYSLOT_FAULT_RUNS']
    ? Number(process.env['KEYSLOT_FAULT_RUNS'])
    : process.env['FC_NUM_RUNS']
      ? base * 10
      : base;

const total = emptyStats();
let runsDone = 0;
let passed = false;
const LATE_RUNS = 30;
const late = emptyStats();
let lateRuns = 0;
let latePassed = false;

describe('exactly-once access under faults: core → Seam adapter → simulator HTTP server', () => {
  it('nothing lost, nothing duplicated, the cap never exceeded, only typed outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        scenarioSetupArb(),
        scenarioCommandsArb({
          lockCount: 3,
          faultTargetCount: FAULT_TARGETS.length,
          maxLatencyMs: MAX_LATENCY_MS,
        }),
        async (seed, setup, commands) => {
          const fx = await httpFixture(seed, setup.slotLimit);
          try {
            addStats(total, await runExactlyOnceScenario(fx, setup, commands));
            runsDone++;
          } finally {
            await fx.close();
          }
        },
      ),
      { numRuns: runs(BASE_RUNS) },
    );
    expect(runsDone).toBeGreaterThanOrEqual(runs(BASE_RUNS));
    expect(total.faultsInjected).toBeGreaterThan(0);
    passed = true;
  }, 1_800_000);

  it('requests that outlive a crashed app land late: the cap holds at every step and the final state is exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        scenarioSetupArb(),
        scenarioCommandsArb({
          lockCount: 3,
          faultTargetCount: FAULT_TARGETS.length,
          maxLatencyMs: MAX_LATENCY_MS,
        }),
        async (seed, setup, commands) => {
          const fx = await httpFixture(seed, setup.slotLimit);
          try {
            addStats(late, await runExactlyOnceScenario(fx, setup, commands, { lateLanding: true }));
            lateRuns++;
          } finally {
            await fx.close();
          }
        },
      ),
      { numRuns: runs(LATE_RUNS) },
    );
    expect(lateRuns).toBeGreaterThanOrEqual(runs(LATE_RUNS));
    expect(late.crashes).toBeGreaterThan(0);
    // The mode is only worth its name if some dead app's request did land after the next one started.
    expect(late.lateLandings).toBeGreaterThan(0);
    latePassed = true;
  }, 1_800_000);
});

afterAll(() => {
  console.log(
    `[exactly-once over HTTP, late landings] runs ${lateRuns}, steps ${late.steps}, faults injected ${late.faultsInjected}, crashes ${late.crashes} (requests landing after the next instance started: ${late.lateLandings}), provider calls ${late.providerCalls}, violations ${latePassed ? 0 : '≥ 1 (see the failure)'}`,
  );
  console.log(
    `[exactly-once over HTTP] runs ${runsDone}, steps ${total.steps}, faults injected ${total.faultsInjected}, crashes ${total.crashes}, provider calls ${total.providerCalls}, codes refused at the limit ${total.refusedAtLimit}, violations ${passed ? 0 : '≥ 1 (see the failure)'}\n  outcomes ${JSON.stringify(total.outcomes)}`,
  );
});
