/**
 * The simulator side of the exactly-once fault scenarios: a one-site world (3 locks, PIN pad and
 * remote unlock) on a virtual clock shared with the app, faults injected through the world's
 * control surface, and the provider view read with the world's `inspect*` (never faulted).
 */
import { DEFAULT_SLOT_LEAD_TIME_MS, VirtualClock } from '@keyslot/core';
import type { ExactlyOnceFixture } from '@keyslot/core/testing';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import { providerView } from '../testing/provider-view.js';
import type { SimOperation, SimResult } from '../world/types.js';
import { SaltoKsWorld } from '../world/world.js';

const T0 = Date.UTC(2026, 2, 1);

export const FAULT_TARGETS: readonly SimOperation[] = [
  'create_access_code',
  'delete_access_code',
  'list_access_codes',
  'get_device',
  'list_devices',
  'get_site',
  'list_sites',
  'unlock_door',
  'get_action_attempt',
];

function must<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
  return r.value;
}

export function inProcessFixture(
  seed: number,
  slotLimit: number,
): ExactlyOnceFixture & { world: SaltoKsWorld } {
  const clock = new VirtualClock(T0, { autoAdvance: true });
  const world = new SaltoKsWorld({ seed, clock });
  const account = must(world.addConnectedAccount({ displayName: 'Faults account' }));
  const site = must(
    world.addSite({ connectedAccountId: account.connectedAccountId, siteName: 'Faults site', slotLimit }),
  );
  const hub = must(world.addHub({ siteId: site.siteId, name: 'IQ' }));
  const lockIds = ['A', 'B', 'C'].map(
    (name) => must(world.addLock({ hubId: hub.hubId, name, lockType: 'wall_reader_pin' })).deviceId,
  );
  return {
    world,
    siteId: site.siteId,
    lockIds,
    clock,
    slotLeadTimeMs: DEFAULT_SLOT_LEAD_TIME_MS,
    faultTargets: FAULT_TARGETS,
    maxLatencyMs: 20 * 60_000,
    newGateway: () => new SaltoKsSimulator({ world }),
    injectFault: async (fault, target, count) => {
      const operations = [target as SimOperation];
      must(
        world.injectFault(
          fault.kind === 'latency'
            ? { kind: 'latency', latencyMs: fault.ms, count, operations }
            : fault.kind === 'server_error'
              ? { kind: 'server_error', status: fault.status, count, operations }
              : { kind: fault.kind, count, operations },
        ),
      );
    },
    clearFaults: async () => world.clearFaults(),
    setHubLink: async (lockId, link) => void must(world.setHubLink(lockId, link)),
    setSlotLimit: async (limit) => void must(world.setSlotLimit(site.siteId, limit)),
    advance: async (ms) => void must(await world.advance(ms)),
    inspect: () => providerView(world, site.siteId),
  };
}
