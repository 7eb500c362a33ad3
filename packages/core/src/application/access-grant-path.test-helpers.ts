import type { Grant } from '../domain/grant.js';
import type { Site } from '../domain/site.js';
import { AccessGrantPath } from './access-grant-path.js';
import { acsWorld, DOORS } from './acs-world.test-helpers.js';
import { logsFrom, NOW } from './use-cases.test-helpers.js';

/** `AccessGrantPath` on its own, over `acsWorld`'s fake ACS (doors D1..D4 of site-1), for its specs. */

export function pathWorld(options: { site?: Partial<Site> } = {}) {
  const w = acsWorld(options);
  const calls = w.accessGrants.calls;
  const callStart = calls.length;
  return {
    ...w,
    path: new AccessGrantPath(w),
    /** The provider calls made since the world was built, in order. */
    calls: () => calls.slice(callStart),
    /** The log records written since the world was built. */
    logs: logsFrom(w),
  };
}

export type PathWorld = ReturnType<typeof pathWorld>;

/** Stay `stay-1` of Ana García on every door, from now with no end, as the store holds it. */
export const grantOf = (over: Partial<Grant> = {}): Grant => ({
  key: 'stay-1',
  holder: 'Ana García',
  siteId: 'site-1',
  lockIds: DOORS,
  window: { kind: 'ongoing' },
  createdAt: NOW,
  revokedAt: null,
  version: 1,
  ...over,
});
