import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../infrastructure/clock.js';
import {
  type AccessGrantContractFixture,
  describeAccessGrantGatewayContract,
} from '../testing/access-grant-gateway-contract.js';
import { FakeAccessGrantGateway, testDoor } from './testing-acs-gateway.test-helpers.js';
import { testSite } from './testing-gateway.test-helpers.js';

/**
 * Core's own ACS test gateway passes the same contract as the simulator's and the Seam adapter's,
 * so the use-case tests on the ACS path rely only on behaviour real providers show.
 */
describeAccessGrantGatewayContract(
  "FakeAccessGrantGateway (core's use-case tests)",
  async (): Promise<AccessGrantContractFixture> => {
    const clock = new VirtualClock(Date.UTC(2026, 5, 1));
    const gateway = new FakeAccessGrantGateway({ clock }).addSite(testSite(), [
      testDoor('D1'),
      testDoor('D2'),
      testDoor('D3'),
      testDoor('D4'),
    ]);
    return {
      gateway,
      siteId: 'site-1',
      doorIds: ['D1', 'D2', 'D3', 'D4'],
      control: {
        setSlotLimit: async (siteId, limit) => gateway.setSlotLimit(siteId, limit),
        now: async () => clock.now(),
        advance: (ms) => clock.advance(ms),
        settle: () => clock.advance(60_000),
      },
      cleanup: async () => {},
    };
  },
  { describe, it, expect, beforeEach, afterEach },
);
