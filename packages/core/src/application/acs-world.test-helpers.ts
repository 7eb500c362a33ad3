import { type AccessPolicy, DEFAULT_POLICY } from '../domain/policy.js';
import type { Site } from '../domain/site.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import { AwaitPins } from './await-pins.js';
import { GrantAccess } from './grant-access.js';
import { ReconcileSite } from './reconcile-site.js';
import { ReportSlotUsage } from './report-slot-usage.js';
import { RevokeAccess } from './revoke-access.js';
import { FakeAccessGrantGateway, testDoor } from './testing-acs-gateway.test-helpers.js';
import { testSite } from './testing-gateway.test-helpers.js';
import { NOW } from './use-cases.test-helpers.js';

/** The use cases over the ACS path (`{ accessGrants }`), for the tests: the ACS twin of `makeWorld`. */

export const DOORS = ['D1', 'D2', 'D3', 'D4'];

/** One site with doors D1..D4 on a fake ACS, an in-memory store, a self-advancing virtual clock. */
export function acsWorld(options: { policy?: Partial<AccessPolicy>; site?: Partial<Site> } = {}) {
  const clock = new VirtualClock(NOW, { autoAdvance: true });
  const accessGrants = new FakeAccessGrantGateway({ clock }).addSite(
    testSite(options.site),
    DOORS.map((d) => testDoor(d)),
  );
  const deps = {
    accessGrants,
    store: new InMemoryGrantStore(),
    clock,
    logger: new MemoryLogger(),
    policy: { ...DEFAULT_POLICY, ...options.policy },
  };
  return {
    ...deps,
    grant: new GrantAccess(deps),
    revoke: new RevokeAccess(deps),
    awaitPins: new AwaitPins(deps),
    reconcile: new ReconcileSite(deps),
    report: new ReportSlotUsage(deps),
  };
}

/** A grant request over every door. */
export const stay = (over: Record<string, unknown> = {}) => ({
  key: 'stay-1',
  holder: 'Ana García',
  siteId: 'site-1',
  lockIds: DOORS,
  window: { kind: 'ongoing' },
  ...over,
});
