import type { ProviderView } from '@keyslot/core/testing';
import type { SaltoKsWorld } from '../world/world.js';

/**
 * The simulator's own view of one site for `runExactlyOnceScenario` (core's exactly-once fault
 * runner): read with the world's `inspect*` calls, which no injected fault or rate limit touches.
 */
export function providerView(world: SaltoKsWorld, siteId: string): ProviderView {
  const site = world.inspectSite(siteId);
  if (!site) throw new Error(`providerView: no site ${siteId} in the world.`);
  return {
    slotLimit: site.slotLimit,
    used: site.used,
    codes: world.inspectAccessCodes({ siteId }).map((c) => ({
      id: c.accessCodeId,
      lockId: c.deviceId,
      name: c.name,
      status: c.status,
      pin: c.code,
      window:
        c.startsAt !== null && c.endsAt !== null
          ? { kind: 'scheduled' as const, startsAt: c.startsAt, endsAt: c.endsAt }
          : { kind: 'ongoing' as const },
      holdsSlot: c.holdsSlot,
      notSubscribed: c.errors.some((e) => e.code === world.config.notSubscribedErrorCode),
    })),
  };
}
