import type { LockState, SiteState, WorldState } from '../state.js';
import type { SimIssue } from '../types.js';
import { acsEntranceIdOf, acsSystemIdOf } from './ids.js';
import type {
  AccessGrantState,
  AccessGroupState,
  AccessMethodState,
  AcsCredentialState,
  AcsUserState,
  UserIdentityState,
} from './state.js';
import type {
  AccessGrantRecord,
  AccessGroupRecord,
  AccessMethodRecord,
  AcsCredentialRecord,
  AcsEntranceView,
  AcsSystemView,
  AcsUserRecord,
  NotSubscribedReason,
  UserIdentityRecord,
} from './types.js';

/** The ACS side's views: fresh plain records for every read, issues derived when read. */

export function acsSystemView(s: WorldState, site: SiteState): AcsSystemView {
  const errors: SimIssue[] = [];
  const warnings: SimIssue[] = [];
  if (site.limitReachedSince !== null)
    errors.push({
      code: 'salto_ks_subscription_limit_exceeded',
      message: `Site ${site.siteName} reached its Salto KS user limit (${site.used}/${site.slotLimit}): new users stay unsubscribed. Delete or suspend users (or access codes), or raise the limit.`,
      createdAt: site.limitReachedSince,
    });
  if (site.almostReachedSince !== null)
    warnings.push({
      code: 'salto_ks_subscription_limit_almost_reached',
      message: `Site ${site.siteName} is above 80 % of its Salto KS user limit (${site.used}/${site.slotLimit}).`,
      createdAt: site.almostReachedSince,
    });
  let users = 0;
  for (const u of s.acs.users.values()) if (u.siteId === site.siteId) users++;
  let groups = 0;
  for (const g of s.acs.groups.values()) if (g.siteId === site.siteId) groups++;
  return {
    acsSystemId: acsSystemIdOf(site.siteId),
    siteId: site.siteId,
    connectedAccountId: site.connectedAccountId,
    name: site.siteName,
    timeZone: site.timeZone,
    createdAt: site.createdAt,
    acsUserCount: users,
    accessGroupCount: groups,
    subscribedUserCount: site.used,
    slotLimit: site.slotLimit,
    errors,
    warnings,
  };
}

export function acsEntranceView(lock: LockState): AcsEntranceView {
  const warnings: SimIssue[] = [];
  if (lock.privacyMode)
    warnings.push({
      code: 'salto_ks_privacy_mode',
      message: `${lock.name} is in privacy mode: credentials will not open it.`,
      createdAt: lock.privacyModeSince,
    });
  return {
    acsEntranceId: acsEntranceIdOf(lock.deviceId),
    acsSystemId: acsSystemIdOf(lock.siteId),
    deviceId: lock.deviceId,
    siteId: lock.siteId,
    connectedAccountId: lock.connectedAccountId,
    name: lock.name,
    lockType: lock.lockType,
    online: lock.hubLink !== 'offline',
    locked: lock.locked,
    batteryLevel: lock.batteryLevel,
    privacyMode: lock.privacyMode,
    canUnlockWithCode: lock.capabilities.accessCodes,
    canUnlockWithMobileKey: true,
    createdAt: lock.createdAt,
    warnings,
  };
}

export const accessGroupView = (g: AccessGroupState): AccessGroupRecord => ({
  ...g,
  entranceIds: [...g.entranceIds],
});

/** Why `u` holds no slot, or `null` when it does. */
export function notSubscribedReason(u: AcsUserState, now: number): NotSubscribedReason | null {
  if (u.isSubscribed) return null;
  if (u.isSuspended) return 'suspended';
  if (u.accessSchedule && now < u.accessSchedule.startsAt) return 'schedule_not_started';
  if (u.accessSchedule?.endsAt != null && now >= u.accessSchedule.endsAt) return 'schedule_ended';
  return 'site_at_limit';
}

const NOT_SUBSCRIBED_TEXT: Record<NotSubscribedReason, string> = {
  suspended: 'it is suspended; unsuspend it to subscribe it again',
  schedule_not_started: 'its access schedule has not started; it is subscribed at starts_at',
  schedule_ended: 'its access schedule has ended',
  site_at_limit:
    "the site reached its user-slot limit; free a slot (delete or suspend a user or code) or raise the limit, then unsuspend or update the user's schedule",
};

export function acsUserView(s: WorldState, u: AcsUserState): AcsUserRecord {
  const reason = notSubscribedReason(u, s.nowMs);
  const errors: SimIssue[] = [];
  const warnings: SimIssue[] = [];
  if (reason !== null)
    warnings.push({
      code: 'salto_ks_user_not_subscribed',
      message: `The Salto KS user ${u.fullName} is not subscribed (holds no user slot and cannot unlock): ${NOT_SUBSCRIBED_TEXT[reason]}.`,
      createdAt: u.notSubscribedSince,
    });
  if (u.limitRefusedAt !== null)
    errors.push({
      code: 'salto_ks_subscription_limit_exceeded',
      message: `Site ${s.sites.get(u.siteId)?.siteName ?? u.siteId} is at its Salto KS user limit, so this user could not be subscribed.`,
      createdAt: u.limitRefusedAt,
    });
  return {
    acsUserId: u.acsUserId,
    acsSystemId: u.acsSystemId,
    siteId: u.siteId,
    connectedAccountId: u.connectedAccountId,
    fullName: u.fullName,
    emailAddress: u.emailAddress,
    phoneNumber: u.phoneNumber,
    userIdentityId: u.userIdentityId,
    accessSchedule: u.accessSchedule ? { ...u.accessSchedule } : null,
    isSuspended: u.isSuspended,
    isSubscribed: u.isSubscribed,
    notSubscribedReason: reason,
    accessGroupIds: [...u.accessGroupIds],
    entranceIds: [...u.entranceIds],
    accessGrantId: u.accessGrantId,
    createdAt: u.createdAt,
    errors,
    warnings,
  };
}

export const acsCredentialView = (c: AcsCredentialState): AcsCredentialRecord => ({ ...c });

export function userIdentityView(s: WorldState, i: UserIdentityState): UserIdentityRecord {
  const acsUserIds: string[] = [];
  for (const u of s.acs.users.values())
    if (u.userIdentityId === i.userIdentityId) acsUserIds.push(u.acsUserId);
  return { ...i, acsUserIds };
}

export const accessGrantView = (g: AccessGrantState): AccessGrantRecord => ({
  ...g,
  acsEntranceIds: [...g.acsEntranceIds],
  requestedAccessMethods: g.requestedAccessMethods.map((r) => ({
    ...r,
    accessMethodIds: [...r.accessMethodIds],
  })),
  accessMethodIds: [...g.accessMethodIds],
  acsUserIds: [...g.acsUserIds],
});

export function accessMethodView(s: WorldState, m: AccessMethodState): AccessMethodRecord {
  return {
    accessMethodId: m.accessMethodId,
    accessGrantId: m.accessGrantId,
    accessGrantKey: s.acs.grants.get(m.accessGrantId)?.accessGrantKey ?? null,
    mode: m.mode,
    code: m.code,
    isIssued: m.isIssued,
    issuedAt: m.issuedAt,
    acsCredentialIds: [...m.acsCredentialIds],
    createdAt: m.createdAt,
  };
}
