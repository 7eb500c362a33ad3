import {
  type AttemptNames,
  accountIssues,
  attemptError,
  type CodeNames,
  codeIssue,
  deviceIssues,
} from '../seam/issues.js';
import { type AttemptFailure, type CodeIssue, lockConditions, siteConditions } from './conditions.js';
import type { AttemptState, CodeState, LockState, Mutable, SiteState, WorldState } from './state.js';
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

/** What a code's kept issues name (`undefined` only for a code whose site is unknown: a raw snapshot). */
export function codeNames(s: WorldState, c: { readonly siteId: string }): CodeNames | undefined {
  const site = s.sites.get(c.siteId);
  return (
    site && {
      notSubscribedCode: s.config.notSubscribedErrorCode,
      siteId: c.siteId,
      pinLength: site.pinLength,
    }
  );
}

/** What an attempt's error names (`undefined` only for an attempt whose lock is unknown: a raw snapshot). */
export function attemptNames(
  s: WorldState,
  a: { readonly deviceId: string; readonly actionType: 'UNLOCK_DOOR' | 'LOCK_DOOR' },
): AttemptNames | undefined {
  const lock = s.locks.get(a.deviceId);
  return lock && { deviceId: a.deviceId, lockName: lock.name, actionType: a.actionType };
}

/** A code's kept issues as Seam words them, fresh. Usually none: no callback then. */
export function codeIssues(s: WorldState, c: CodeState, issues: readonly CodeIssue[]): SimIssue[] {
  if (issues.length === 0) return [];
  const n = codeNames(s, c)!;
  return issues.map((i) => codeIssue(i, n));
}

/** An attempt's failure as Seam's action-attempt error, fresh. */
export const attemptErrorOf = (
  s: WorldState,
  a: AttemptState,
  f: AttemptFailure | null,
): { type: string; message: string } | null => (f === null ? null : attemptError(f, attemptNames(s, a)!));

export function codeView(s: WorldState, c: CodeState): AccessCodeRecord {
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
    errors: codeIssues(s, c, c.errors),
    warnings: codeIssues(s, c, c.warnings),
  };
}

export function attemptView(s: WorldState, a: AttemptState): ActionAttemptRecord {
  return {
    actionAttemptId: a.actionAttemptId,
    actionType: a.actionType,
    deviceId: a.deviceId,
    status: a.status,
    createdAt: a.createdAt,
    completedAt: a.completedAt,
    error: attemptErrorOf(s, a, a.error),
  };
}
