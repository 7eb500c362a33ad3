/**
 * The simulator side of the exactly-once fault scenarios: a one-site world (3 locks, PIN pad and
 * remote unlock) on a virtual clock shared with the app, faults injected through the world's
 * control surface, and the provider view read with the world's `inspect*` (never faulted).
 */
import { DEFAULT_SLOT_LEAD_TIME_MS, VirtualClock } from '@keyslot/core';
import type { AcsExactlyOnceFixture, ExactlyOnceFixture, InjectedFault } from '@keyslot/core/testing';
import { SaltoKsAcsSimulator } from '../gateway/acs-simulator.js';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import { acsProviderView, providerView } from '../testing/provider-view.js';
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

/** One site, three locks (PIN pad, remote unlock) on a virtual clock shared with the app. */
function faultsWorld(seed: number, slotLimit: number) {
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
  const controls = {
    clock,
    maxLatencyMs: 20 * 60_000,
    injectFault: async (fault: InjectedFault, target: string, count: number) => {
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
    setSlotLimit: async (limit: number) => void must(world.setSlotLimit(site.siteId, limit)),
    advance: async (ms: number) => void must(await world.advance(ms)),
  };
  return { world, site, lockIds, controls };
}

export function inProcessFixture(
  seed: number,
  slotLimit: number,
): ExactlyOnceFixture & { world: SaltoKsWorld } {
  const { world, site, lockIds, controls } = faultsWorld(seed, slotLimit);
  return {
    ...controls,
    world,
    siteId: site.siteId,
    lockIds,
    slotLeadTimeMs: DEFAULT_SLOT_LEAD_TIME_MS,
    faultTargets: FAULT_TARGETS,
    newGateway: () => new SaltoKsSimulator({ world }),
    setHubLink: async (lockId, link) => void must(world.setHubLink(lockId, link)),
    inspect: () => providerView(world, site.siteId),
  };
}

/** ACS operations a fault may target on the ACS path. */
export const ACS_FAULT_TARGETS: readonly SimOperation[] = [
  'create_access_grant',
  'delete_access_grant',
  'get_access_grant',
  'list_access_grants',
  'list_acs_entrances',
  'get_acs_system',
  'list_acs_systems',
];

/** The same world reached as a Salto KS access control system: doors are the locks' entrances. */
export function inProcessAcsFixture(
  seed: number,
  slotLimit: number,
): AcsExactlyOnceFixture & { world: SaltoKsWorld } {
  const { world, site, lockIds, controls } = faultsWorld(seed, slotLimit);
  const deviceOf = new Map(lockIds.map((id) => [world.acs.acsEntranceIdOf(id), id]));
  return {
    ...controls,
    path: 'access_grants',
    world,
    siteId: world.acs.acsSystemIdOf(site.siteId),
    lockIds: [...deviceOf.keys()],
    slotLeadTimeMs: 0,
    faultTargets: ACS_FAULT_TARGETS,
    newAccessGrants: () => new SaltoKsAcsSimulator({ world }),
    setHubLink: async (doorId, link) => void must(world.setHubLink(deviceOf.get(doorId) ?? doorId, link)),
    inspect: () => acsProviderView(world, site.siteId),
  };
}
