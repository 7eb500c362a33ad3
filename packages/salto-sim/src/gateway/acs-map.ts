import type {
  AccessGrantIssue,
  AccessMethod,
  AccessWindow,
  Door,
  ProviderAccessGrant,
  Site,
} from '@keyslot/core';
import { grantKeyOfAccessGrantKey } from '@keyslot/core/domain';
import type {
  AccessGrantRecord,
  AccessMethodRecord,
  AcsEntranceView,
  AcsSystemView,
  AcsUserRecord,
  SimIssue,
} from '../world/types.js';

/**
 * World ACS records → core's ACS values (the simulator's side of `AccessGrantGateway`), as the Seam
 * adapter maps Seam's `acs_*` / `access_grant` objects. A site is named by its ACS system id.
 */

export const acsSiteOf = (system: AcsSystemView): Site => ({
  id: system.acsSystemId,
  name: system.name,
  slotLimit: system.slotLimit,
  timeZone: system.timeZone,
  // An ACS user is subscribed at its schedule's start: nothing is loaded ahead.
  slotLeadTimeMs: 0,
  hasCustomPinSubscription: false,
  slotCostModel: 'user_per_grant',
});

export const doorOf = (e: AcsEntranceView): Door => ({
  id: e.acsEntranceId,
  siteId: e.acsSystemId,
  name: e.name,
  hubLink: e.online ? 'good' : 'offline',
  capabilities: { remoteUnlock: false, accessCodes: e.canUnlockWithCode },
  modes: { privacy: e.privacyMode, office: false },
  accessMethods: [
    ...(e.canUnlockWithCode ? (['code'] as const) : []),
    ...(e.canUnlockWithMobileKey ? (['mobile_key'] as const) : []),
  ],
});

const issueOf = (i: SimIssue): AccessGrantIssue => ({
  code:
    i.code === 'salto_ks_subscription_limit_exceeded'
      ? 'slot_limit_reached'
      : i.code === 'salto_ks_user_not_subscribed'
        ? 'not_subscribed'
        : 'provider_issue',
  providerCode: i.code,
  message: i.message,
});

const methodOf = (m: AccessMethodRecord): AccessMethod => ({
  id: m.accessMethodId,
  mode: m.mode,
  pin: m.mode === 'code' ? m.code : null,
  issued: m.isIssued,
});

/**
 * An Access Grant with its access methods and its ACS user(s) (one per site) → a
 * `ProviderAccessGrant`. Its issues are its users' errors and warnings (the limit error, the
 * not-subscribed warning); no end → an ongoing window; refused at the limit → no PIN.
 */
export function accessGrantOf(
  g: AccessGrantRecord,
  methods: readonly AccessMethodRecord[],
  users: readonly AcsUserRecord[],
): ProviderAccessGrant {
  const issues = users.flatMap((u) => [...u.errors, ...u.warnings]).map(issueOf);
  // A refused person's PIN opens nothing: never hand it out (as the Seam adapter does).
  const refused = issues.some((i) => i.code === 'slot_limit_reached');
  const window: AccessWindow =
    g.endsAt === null ? { kind: 'ongoing' } : { kind: 'scheduled', startsAt: g.startsAt, endsAt: g.endsAt };
  return {
    id: g.accessGrantId,
    key: grantKeyOfAccessGrantKey(g.accessGrantKey),
    siteId: users[0]?.acsSystemId ?? '',
    doorIds: [...g.acsEntranceIds],
    window,
    methods: methods.map((m) => (refused ? { ...methodOf(m), pin: null } : methodOf(m))),
    issues,
  };
}
