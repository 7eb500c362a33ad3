// The simulator in process: access-code create+delete cycles per second on the simulated world
// (`SaltoKsWorld`, what the in-process gateway and the HTTP server drive), against Seam's own
// fake (`@seamapi/fake-seam-connect`) with its in-memory store driven directly — the cheapest
// way to use the fake. And the heap growth over 10^5 cycles on each, measured after 5000 warm-up
// cycles have filled the bounded buffers (the target: flat).
//
// The simulator does more per cycle than the fake: it generates ids from its seeded RNG, checks
// the slot limit, emits events, schedules the PIN assignment / programming / removal
// transitions, and — because its clock moves 10 s per cycle — runs the previous code's removal,
// so each cycle is the whole Salto lifecycle of a code. The fake appends and filters arrays.

import { createDefaultWorld } from '@keyslot/salto-sim';
import { createFake } from '@seamapi/fake-seam-connect';
import { measure } from '../harness.js';
import { settledHeapBytes } from '../lib/memory.js';

/** Virtual time per cycle: more than the longest removal delay (5 s), so nothing piles up. */
const STEP_MS = 10_000;

/**
 * A simulated world on a clock the benchmark moves by hand (synchronously, per cycle).
 */
function simSubject() {
  let t = Date.UTC(2026, 0, 1);
  const clock = { now: () => t, sleep: async () => {} };
  const { world, ids } = createDefaultWorld({ seed: 7, clock, config: { rateLimits: { enabled: false } } });
  const deviceId = ids.locks.frontDoor;
  /** @param {number} i */
  const cycle = (i) => {
    t += STEP_MS;
    const created = world.createAccessCode({ deviceId, name: `bench-${i}` });
    if (!created.ok) throw new Error(`simulator create failed: ${created.error.message}`);
    const deleted = world.deleteAccessCode(created.value.accessCodeId);
    if (!deleted.ok) throw new Error(`simulator delete failed: ${deleted.error.message}`);
    return created.value.accessCodeId.length;
  };
  const liveCodes = () => world.inspectAccessCodes().length;
  return { cycle, liveCodes, pending: () => world.pendingTransitions };
}

/** Seam's fake, seeded, its store driven directly (no HTTP). */
async function fakeBaseline() {
  const fake = await createFake();
  const seed = await fake.seed();
  const db = fake.database;
  /** @param {number} i */
  const cycle = (i) => {
    const code = db.addAccessCode({
      workspace_id: seed.seed_workspace_1,
      name: `bench-${i}`,
      code: String(100_000 + (i % 900_000)),
      device_id: seed.august_device_1,
    });
    db.deleteAccessCode(code.access_code_id);
    return code.access_code_id.length;
  };
  const liveCodes = () => fake.database.access_codes.length;
  return { cycle, liveCodes };
}

/** Cycles before the heap baseline is taken: fills the bounded buffers (event ring: 1000). */
const WARM_CYCLES = 5_000;

/**
 * Heap growth over `n` cycles after a warm-up (so bounded buffers are already full: "flat" means
 * no growth from there on), and the cycles per second while doing them.
 * @param {(i: number) => number} cycle
 * @param {number} n
 */
function heapGrowth(cycle, n) {
  let acc = 0;
  const fresh = settledHeapBytes();
  for (let i = 0; i < WARM_CYCLES; i++) acc += cycle(i);
  const before = settledHeapBytes();
  const t0 = performance.now();
  for (let i = WARM_CYCLES; i < WARM_CYCLES + n; i++) acc += cycle(i);
  const ms = performance.now() - t0;
  const after = settledHeapBytes();
  return { warm: before - fresh, bytes: after - before, perSec: (n * 1000) / ms, acc };
}

/** @param {number} bytes */
const kb = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} KB`;

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'Simulator in process',
  subject: 'SaltoKsWorld',
  baseline: "Seam's fake store",
  unit: 'create+delete',
  cases: [
    {
      label: 'create+delete',
      async open(options, log) {
        const memCycles = options.quick ? 10_000 : 100_000;
        log(`Simulator in process: heap over ${memCycles.toLocaleString('en-US')} cycles on each…`);
        const simMem = heapGrowth(simSubject().cycle, memCycles);
        const fakeMem = heapGrowth((await fakeBaseline()).cycle, memCycles);

        const sim = simSubject();
        const fake = await fakeBaseline();
        const sCursor = { next: 0 };
        const bCursor = { next: 0 };
        const roundMs = options.roundMs * 2;
        return {
          contenders: {
            simulator: async () => ({ 'cycles/s': measure(sim.cycle, roundMs, sCursor) }),
            'seam fake': async () => ({ 'cycles/s': measure(fake.cycle, roundMs, bCursor) }),
          },
          comparisons: [
            {
              label: 'cycles/s vs Seam fake store',
              subject: 'simulator',
              baseline: 'seam fake',
              metric: 'cycles/s',
              better: 'higher',
              minRatio: 30,
            },
          ],
          info: () => ({
            memCycles,
            simHeapWarmup: kb(simMem.warm),
            fakeHeapWarmup: kb(fakeMem.warm),
            simHeapGrowth: kb(simMem.bytes),
            fakeHeapGrowth: kb(fakeMem.bytes),
            simBytesPerCycle: Math.round(simMem.bytes / memCycles),
            fakeBytesPerCycle: Math.round(fakeMem.bytes / memCycles),
            simSustainedCyclesPerSec: Math.round(simMem.perSec),
            fakeSustainedCyclesPerSec: Math.round(fakeMem.perSec),
            simLiveCodesAfter: sim.liveCodes(),
            simPendingTransitionsAfter: sim.pending(),
            fakeLiveCodesAfter: fake.liveCodes(),
          }),
          close: async () => {},
        };
      },
    },
  ],
};
