import { accountIssues, deviceIssues } from '../seam/issues.js';
import { lockConditions, siteConditions } from './conditions.js';
import type { AttemptState, CodeState, LockState, Mutable, SiteState } from './state.js';
import type {
  AccessCodeRecord,
  ActionAttemptRecord,
  ConnectedAccountRecord,
  ConnectedAccountView,
  DeviceView,
  SimIssue,
  SiteSlotCount,
  SiteView,
} from './types.js';

/**
 * The world's views: fresh plain records built from its state for every read (a view never
 * shares state with the world). Device and account issues are derived here, at the time they are
 * read: the lock's and its site's conditions (`conditions.ts`), named and worded as Seam does
 * (`seam/issues.ts`), since the world's public records are Seam-shaped.
 */

/** Battery level below which a lock reports `device.low_battery`. */
export const LOW_BATTERY = 0.2;

/** The battery status word of a level in [0, 1] (events' `battery_status`, devices' `battery.status`). */
export const batteryStatus = (level: number): 'critical' | 'low' | 'good' | 'full' =>
  level < 0.1 ? 'critical' : level < LOW_BATTERY ? 'low' : level < 0.9 ? 'good' : 'full';

export function siteView(s: SiteState): SiteView {
  return {
    siteId: s.siteId,
    siteName: s.siteName,
    connectedAccountId: s.connectedAccountId,
    slotLimit: s.slotLimit,
    hasCustomPinSubscription: s.hasCustomPinSubscription,
    timeZone: s.timeZone,
    slotLeadTimeMs: s.slotLeadTimeMs,
    pinLength: s.pinLength,
    createdAt: s.createdAt,
    used: s.used,
    almostReached: s.almostReachedSince !== null,
    limitReached: s.limitReachedSince !== null,
  };
}

export function accountView(
  allSites: ReadonlyMap<string, SiteState>,
  a: Mutable<ConnectedAccountRecord>,
): ConnectedAccountView {
  const sites = [...allSites.values()].filter((s) => s.connectedAccountId === a.connectedAccountId);
  const count = (s: SiteState): SiteSlotCount => ({
    siteId: s.siteId,
    siteName: s.siteName,
    subscribedSiteUserCount: s.used,
    siteUserSubscriptionLimit: s.slotLimit,
  });
  const { errors, warnings } = accountIssues(
    sites.map((s) => ({ siteName: s.siteName, conditions: siteConditions(s), count: count(s) })),
  );
  return { ...a, errors, warnings };
}

export function deviceView(sites: ReadonlyMap<string, SiteState>, l: LockState): DeviceView {
  const site = sites.get(l.siteId)!;
  const { errors, warnings } = deviceIssues(
    { lockName: l.name, siteName: site.siteName, slotLimit: site.slotLimit },
    lockConditions(l),
    siteConditions(site),
  );
  return {
    deviceId: l.deviceId,
    siteId: l.siteId,
    hubId: l.hubId,
    connectedAccountId: l.connectedAccountId,
    name: l.name,
    saltoLockId: l.saltoLockId,
    lockType: l.lockType,
    capabilities: { ...l.capabilities },
    hubLink: l.hubLink,
    privacyMode: l.privacyMode,
    officeMode: l.officeMode,
    batteryLevel: l.batteryLevel,
    locked: l.locked,
    createdAt: l.createdAt,
    deviceType: l.hubLink === 'weak' ? 'unknown' : 'salto_lock',
    online: l.hubLink !== 'offline',
    hasCustomPinSubscription: site.hasCustomPinSubscription,
    errors,
    warnings,
  };
}

/** Fresh copies of `issues` (views never share state with the world). Usually empty: no callback then. */
const copyIssues = (issues: readonly SimIssue[]): SimIssue[] =>
  issues.length === 0 ? [] : issues.map((i) => ({ ...i }));

export function codeView(c: CodeState): AccessCodeRecord {
  return {
    accessCodeId: c.accessCodeId,
    deviceId: c.deviceId,
    siteId: c.siteId,
    name: c.name,
    code: c.code,
    type: c.type,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    status: c.status,
    createdAt: c.createdAt,
    isWaitingForCodeAssignment: c.isWaitingForCodeAssignment,
    isScheduledOnDevice: c.isScheduledOnDevice,
    holdsSlot: c.holdsSlot,
    loaded: c.loaded,
    errors: copyIssues(c.errors),
    warnings: copyIssues(c.warnings),
  };
}

export function attemptView(a: AttemptState): ActionAttemptRecord {
  return {
    actionAttemptId: a.actionAttemptId,
    actionType: a.actionType,
    deviceId: a.deviceId,
    status: a.status,
    createdAt: a.createdAt,
    completedAt: a.completedAt,
    error: a.error ? { ...a.error } : null,
  };
}
