/**
 * Model-based tests of the simulator (docs/ARCHITECTURE.md, 'The simulator's determinism'). The model, its commands and the
 * invariants checked after every command live in `../testing/model.ts` (published as
 * `@keyslot/salto-sim/testing`, also used by the benchmarks). A failing run prints the seed and
 * the shrunk command list (each command has a toString).
 */
import { type HubLink, ONGOING } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import {
  expectOk,
  hubLinkArb,
  MODEL_LOCKS,
  modelLockArb,
  modelProperty,
  setupModel,
} from '../testing/model.js';

describe('simulator model', () => {
  it('keeps every invariant over random command sequences', async () => {
    await fc.assert(modelProperty({ maxCommands: 60 }), { numRuns: 100 });
  });

  it('concurrent creates at limit − 1 never both take the slot (scheduler-controlled interleaving)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        async (s, limit, concurrent) => {
          const { real } = setupModel(17, limit);
          const sim = new SaltoKsSimulator({
            world: real.world,
            beforeCall: (op) => s.schedule(Promise.resolve(), op),
          });
          for (let i = 0; i < limit - 1; i++)
            expectOk(real.world.createAccessCode({ deviceId: real.locks[i % MODEL_LOCKS]! }));
          const results = Array.from({ length: concurrent }, (_, i) =>
            sim.createAccessCode({
              lockId: real.locks[i % MODEL_LOCKS]!,
              name: `keyslot:race${i}`,
              window: ONGOING,
            }),
          );
          const usage = sim.getSlotUsage(real.siteId);
          await s.waitIdle();
          const created = await Promise.all(results);
          const subscribed = created.filter(
            (c) => c.ok && !c.value.issues.some((i) => i.code === 'slot_limit_reached'),
          );
          expect(created.every((c) => c.ok)).toBe(true);
          expect(subscribed).toHaveLength(1);
          const u = await usage;
          expect(u.ok && u.value.used).toBeLessThanOrEqual(limit);
          expect(real.world.inspectSite(real.siteId)!.used).toBe(limit);
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ─── determinism: the same seed and the same calls give byte-identical event logs ───

type Op =
  | { op: 'create'; lock: number; timeBound: boolean }
  | { op: 'delete'; pick: number }
  | { op: 'unlock'; lock: number }
  | { op: 'link'; lock: number; link: HubLink }
  | { op: 'limit'; n: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), lock: modelLockArb, timeBound: fc.boolean() }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat(20) }),
  fc.record({ op: fc.constant('unlock' as const), lock: modelLockArb }),
  fc.record({
    op: fc.constant('link' as const),
    lock: modelLockArb,
    link: hubLinkArb,
  }),
  fc.record({ op: fc.constant('limit' as const), n: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 100 * 3_600_000 }) }),
);

async function replay(seed: number, ops: readonly Op[]): Promise<string> {
  const { real } = setupModel(seed, 3);
  const w = real.world;
  for (const o of ops) {
    switch (o.op) {
      case 'create':
        w.createAccessCode({
          deviceId: real.locks[o.lock]!,
          ...(o.timeBound ? { startsAt: w.now() + 10 * 3_600_000, endsAt: w.now() + 80 * 3_600_000 } : {}),
        });
        break;
      case 'delete': {
        const codes = w.inspectAccessCodes();
        const c = codes[o.pick % Math.max(1, codes.length)];
        if (c) w.deleteAccessCode(c.accessCodeId);
        break;
      }
      case 'unlock':
        w.unlockDoor(real.locks[o.lock]!);
        break;
      case 'link':
        w.setHubLink(real.locks[o.lock]!, o.link);
        break;
      case 'limit':
        w.setSlotLimit(real.siteId, o.n);
        break;
      case 'advance':
        await w.advance(o.ms);
        break;
    }
  }
  return JSON.stringify(expectOk(w.listEvents()));
}

describe('simulator determinism', () => {
  it('same seed and calls ⇒ byte-identical event log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(opArb, { maxLength: 40 }),
        async (seed, ops) => {
          expect(await replay(seed, ops)).toBe(await replay(seed, ops));
        },
      ),
      { numRuns: 50 },
    );
  });
});
