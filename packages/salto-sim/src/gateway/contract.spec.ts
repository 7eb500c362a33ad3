import { VirtualClock } from '@keyslot/core';
import { describeLockGatewayContract, type GatewayContractFixture } from '@keyslot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SaltoKsSimulator } from './salto-ks-simulator.js';

async function simulatorFixture(): Promise<GatewayContractFixture> {
  const { simulator, ids } = SaltoKsSimulator.withDefaultWorld({ seed: 11, clock: new VirtualClock() });
  const must = (r: { ok: boolean; error?: { message: string } }): void => {
    if (!r.ok) throw new Error(r.error?.message);
  };
  return {
    gateway: simulator,
    siteId: ids.sites.apartments,
    lockIds: [ids.locks.frontDoor, ids.locks.apartment1],
    control: {
      setSlotLimit: async (siteId, limit) => must(simulator.setSlotLimit(siteId, limit)),
      setHubLink: async (lockId, link) => must(simulator.setHubLink(lockId, link)),
      settle: () => simulator.settle(),
    },
    cleanup: async () => {},
  };
}

describeLockGatewayContract('SaltoKsSimulator (in process, default world)', simulatorFixture, {
  describe,
  it,
  expect,
  beforeEach,
  afterEach,
});
