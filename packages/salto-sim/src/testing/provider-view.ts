import { grantKeyOfAccessGrantKey } from '@keyslot/core/domain';
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

/**
 * The same for the site's ACS side (the exactly-once runner's ACS path): its Access Grants, each
 * with its shared PIN and whether its ACS user holds a slot or was refused one at the limit.
 */
export function acsProviderView(world: SaltoKsWorld, siteId: string): ProviderView {
  const site = world.inspectSite(siteId);
  if (!site) throw new Error(`acsProviderView: no site ${siteId} in the world.`);
  const accessGrants = world.accessGrants.inspectAccessGrants().flatMap((g) => {
    const users = g.acsUserIds
      .flatMap((id) => world.acs.inspectUser(id) ?? [])
      .filter((u) => u.siteId === siteId);
    if (users.length === 0) return [];
    const code = world.accessGrants.inspectAccessMethods(g.accessGrantId).find((m) => m.mode === 'code');
    return [
      {
        id: g.accessGrantId,
        key: grantKeyOfAccessGrantKey(g.accessGrantKey),
        doorIds: g.acsEntranceIds,
        window:
          g.endsAt === null
            ? { kind: 'ongoing' as const }
            : { kind: 'scheduled' as const, startsAt: g.startsAt, endsAt: g.endsAt },
        pin: code?.code ?? null,
        holdsSlot: users.some((u) => u.isSubscribed),
        notSubscribed: users.some((u) =>
          u.errors.some((e) => e.code === 'salto_ks_subscription_limit_exceeded'),
        ),
      },
    ];
  });
  return { slotLimit: site.slotLimit, used: site.used, codes: [], accessGrants };
}
