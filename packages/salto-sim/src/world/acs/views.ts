import { acsEntranceWarnings, acsSystemIssues, acsUserIssues } from '../../seam/issues.js';
import { lockConditions, siteConditions } from '../conditions.js';
import type { LockState, SiteState, WorldState } from '../state.js';
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

/**
 * The ACS side's views: fresh plain records for every read, issues derived when read (the facts
 * here, Seam's codes and texts for them in `seam/issues.ts`).
 */

export function acsSystemView(s: WorldState, site: SiteState): AcsSystemView {
  const { errors, warnings } = acsSystemIssues(
    { siteName: site.siteName, used: site.used, slotLimit: site.slotLimit },
    siteConditions(site),
  );
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
  const warnings = acsEntranceWarnings(lock.name, lockConditions(lock));
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

export function acsUserView(s: WorldState, u: AcsUserState): AcsUserRecord {
  const reason = notSubscribedReason(u, s.nowMs);
  const { errors, warnings } = acsUserIssues(
    { fullName: u.fullName, siteName: s.sites.get(u.siteId)?.siteName ?? u.siteId },
    reason === null ? null : { reason, since: u.notSubscribedSince },
    u.limitRefusedAt,
  );
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
