import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../infrastructure/clock.js';
import { describeLockGatewayContract, type GatewayContractFixture } from '../testing/gateway-contract.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';

/**
 * Core's own test gateway passes the same contract as the simulator and the Seam adapter, so the
 * use-case tests cannot drift into relying on behaviour no real provider shows.
 */
for (const scheduledLoading of [false, true]) {
  describeLockGatewayContract(
    `FakeLockGateway (core's use-case tests, scheduledLoading: ${scheduledLoading})`,
    async (): Promise<GatewayContractFixture> => {
      const clock = new VirtualClock(Date.UTC(2026, 5, 1));
      const gateway = new FakeLockGateway({ clock, scheduledLoading }).addSite(testSite(), [
        testLock('L1'),
        testLock('L2'),
      ]);
      return {
        gateway,
        siteId: 'site-1',
        lockIds: ['L1', 'L2'],
        control: {
          setSlotLimit: async (siteId, limit) => gateway.setSlotLimit(siteId, limit),
          setHubLink: async (lockId, link) => gateway.setHubLink(lockId, link),
          settle: () => clock.advance(60_000),
        },
        cleanup: async () => {},
      };
    },
    { describe, it, expect, beforeEach, afterEach },
  );
}
