import { VirtualClock } from '@keyslot/core';
import { type AccessGrantContractFixture, describeAccessGrantGatewayContract } from '@keyslot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SaltoKsAcsSimulator } from './acs-simulator.js';

/** The default world's Casa Sol Apartments as an ACS: four online doors that take codes. */
export function acsSimulatorFixture(
  seed = 11,
): AccessGrantContractFixture & { simulator: SaltoKsAcsSimulator } {
  const { simulator, ids } = SaltoKsAcsSimulator.withDefaultWorld({ seed, clock: new VirtualClock() });
  const door = (deviceId: string) => simulator.world.acs.acsEntranceIdOf(deviceId);
  const must = (r: { ok: boolean; error?: { message: string } }): void => {
    if (!r.ok) throw new Error(r.error?.message);
  };
  return {
    simulator,
    gateway: simulator,
    siteId: simulator.world.acs.acsSystemIdOf(ids.sites.apartments),
    doorIds: [
      door(ids.locks.frontDoor),
      door(ids.locks.apartment1),
      door(ids.locks.apartment2),
      door(ids.locks.gym),
    ],
    control: {
      setSlotLimit: async (siteId, limit) => must(simulator.setSlotLimit(siteId, limit)),
      now: async () => simulator.world.clock.now(),
      advance: async (ms) => must(await simulator.advance(ms)),
      settle: () => simulator.settle(),
    },
    cleanup: async () => {},
  };
}

describeAccessGrantGatewayContract(
  'SaltoKsAcsSimulator (in process, default world)',
  async () => acsSimulatorFixture(),
  { describe, it, expect, beforeEach, afterEach },
);
