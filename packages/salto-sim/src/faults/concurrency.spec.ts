/**
 * Two app instances sharing one GrantStore grant on the same site at limit − 1 (issue
 * "exactly-once", item 3). The guarantee (core README, "Two app instances"): when their slot
 * holding intervals overlap, exactly one is granted and the other is refused by keyslot's plan
 * (`slot_limit_reached`, `detectedBy: 'plan'`) before anything reaches the provider — so the site
 * is never pushed over its limit, not even for a scheduled grant whose code the provider would
 * only refuse days later, when it loads. `fc.scheduler` orders every store and provider call of
 * both instances.
 */
import {
  DEFAULT_POLICY,
  GrantAccess,
  type GrantAccessResult,
  type GrantStore,
  HOUR_MS,
  holdingInterval,
  InMemoryGrantStore,
  silentLogger,
  VirtualClock,
} from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import type { SimResult } from '../world/types.js';
import { SaltoKsWorld } from '../world/world.js';

const T0 = Date.UTC(2026, 2, 1);

function must<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
  return r.value;
}

type WindowChoice = 'ongoing' | 'soon' | 'later';
const windowOf = (w: WindowChoice) =>
  w === 'ongoing'
    ? ({ kind: 'ongoing' } as const)
    : w === 'soon'
      ? ({ kind: 'scheduled', startsAt: T0 + HOUR_MS, endsAt: T0 + 5 * HOUR_MS } as const)
      : // Loads 72 h before it starts: the provider cannot refuse it before then.
        ({ kind: 'scheduled', startsAt: T0 + 100 * HOUR_MS, endsAt: T0 + 110 * HOUR_MS } as const);

/** Every call of `port` waits for the scheduler first. */
function scheduled<T extends object>(port: T, s: fc.Scheduler, who: string): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(`${who}.${String(prop)}`));
        return v.apply(target, args);
      };
    },
  });
}

describe('two app instances sharing one GrantStore at limit − 1', () => {
  it('never both take the last slot: one is granted, the other refused by the plan before any provider call', async () => {
    let races = 0;
    let bothOverlapping = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<WindowChoice>('ongoing', 'soon', 'later'),
        fc.constantFrom<WindowChoice>('ongoing', 'soon', 'later'),
        fc.nat(2),
        fc.nat(2),
        async (s, limit, wa, wb, la, lb) => {
          const clock = new VirtualClock(T0, { autoAdvance: true });
          const world = new SaltoKsWorld({ seed: limit, clock });
          const account = must(world.addConnectedAccount());
          const site = must(
            world.addSite({
              connectedAccountId: account.connectedAccountId,
              siteName: 'S',
              slotLimit: limit,
            }),
          );
          const hub = must(world.addHub({ siteId: site.siteId }));
          const locks = ['A', 'B', 'C'].map(
            (name) => must(world.addLock({ hubId: hub.hubId, name })).deviceId,
          );
          const store = new InMemoryGrantStore();
          const deps = (gateway: SaltoKsSimulator, st: GrantStore) => ({
            gateway,
            store: st,
            clock,
            logger: silentLogger,
            policy: DEFAULT_POLICY,
          });
          // Fill the site to limit − 1 with ongoing grants.
          const setup = new GrantAccess(deps(new SaltoKsSimulator({ world }), store));
          for (let i = 0; i < limit - 1; i++) {
            const r = await setup.execute({
              key: `pre-${i}`,
              holder: 'staff',
              siteId: site.siteId,
              lockIds: [locks[i % 3]!],
              window: { kind: 'ongoing' },
            });
            expect(r.ok).toBe(true);
          }

          // Two instances: their own gateway adapter and use case, one shared store; the scheduler
          // interleaves every call either makes.
          const refusedCodes = () =>
            world
              .inspectAccessCodes({ siteId: site.siteId })
              .filter((c) => c.errors.some((e) => e.code === world.config.notSubscribedErrorCode)).length;
          const instance = (who: string) => {
            const gateway = new SaltoKsSimulator({
              world,
              beforeCall: async (op) => {
                await s.schedule(Promise.resolve(`${who}.${op}`));
                if (op === 'create_access_code') createsBy.set(who, (createsBy.get(who) ?? 0) + 1);
                expect(world.inspectSite(site.siteId)!.used).toBeLessThanOrEqual(limit);
              },
            });
            return new GrantAccess(deps(gateway, scheduled(store, s, who)));
          };
          const createsBy = new Map<string, number>();
          const [a, b] = [instance('A'), instance('B')];
          const req = (key: string, w: WindowChoice, lock: number) => ({
            key,
            holder: key,
            siteId: site.siteId,
            lockIds: [locks[lock]!],
            window: windowOf(w),
          });
          const results: [GrantAccessResult, GrantAccessResult] = await s.waitFor(
            Promise.all([a.execute(req('A', wa, la)), b.execute(req('B', wb, lb))]),
          );
          races++;

          const asSite = {
            id: site.siteId,
            name: site.siteName,
            slotLimit: limit,
            timeZone: site.timeZone,
            slotLeadTimeMs: site.slotLeadTimeMs,
            hasCustomPinSubscription: false,
          };
          const ia = holdingInterval(asSite, windowOf(wa), T0);
          const ib = holdingInterval(asSite, windowOf(wb), T0);
          const overlap = ia.from < ib.to && ib.from < ia.to;
          const granted = results.filter((r) => r.ok);
          if (overlap) {
            bothOverlapping++;
            expect(granted.length).toBe(1);
            const loser = results.find((r) => !r.ok)!;
            expect(loser.ok ? null : loser.error).toMatchObject({
              code: 'slot_limit_reached',
              detectedBy: 'plan',
            });
            // The loser never sent a create: it was refused before reaching the provider.
            expect(createsBy.get(results[0].ok ? 'B' : 'A') ?? 0).toBe(0);
          } else {
            expect(granted.length).toBe(2);
          }
          expect(refusedCodes()).toBe(0);
          // Later, when every scheduled code has loaded, still nothing is refused.
          must(await world.advance(120 * HOUR_MS));
          expect(refusedCodes()).toBe(0);
          expect(world.inspectSite(site.siteId)!.used).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 150 },
    );
    expect(bothOverlapping).toBeGreaterThan(0);
    expect(races).toBeGreaterThan(bothOverlapping);
  }, 120_000);
});
