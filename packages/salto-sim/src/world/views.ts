import type { AttemptState, CodeState, LockState, Mutable, SiteState } from './state.js';
import type {
  AccessCodeRecord,
  AccountIssue,
  ActionAttemptRecord,
  ConnectedAccountRecord,
  ConnectedAccountView,
  DeviceIssue,
  DeviceView,
  SimIssue,
  SiteSlotCount,
  SiteView,
} from './types.js';

/**
 * The world's views: fresh plain records built from its state for every read (a view never
 * shares state with the world). Device and account issues are derived here, from the lock's
 * link and modes and its site's slot flags, at the time they are read.
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
  const errors: AccountIssue[] = [];
  const warnings: AccountIssue[] = [];
  const full = sites.filter((s) => s.limitReachedSince !== null);
  if (full.length > 0)
    errors.push({
      code: 'salto_ks_subscription_limit_exceeded',
      message: `Salto KS subscription limit reached on ${full.map((s) => s.siteName).join(', ')}: new access codes cannot be subscribed. Delete codes or raise the site's user limit.`,
      createdAt: Math.min(...full.map((s) => s.limitReachedSince!)),
      sites: full.map(count),
    });
  const almost = sites.filter((s) => s.almostReachedSince !== null);
  if (almost.length > 0)
    warnings.push({
      code: 'salto_ks_subscription_limit_almost_reached',
      message: `Salto KS sites above 80 % of their user limit: ${almost.map((s) => s.siteName).join(', ')}.`,
      createdAt: Math.min(...almost.map((s) => s.almostReachedSince!)),
      sites: almost.map(count),
    });
  return { ...a, errors, warnings };
}

export function deviceView(sites: ReadonlyMap<string, SiteState>, l: LockState): DeviceView {
  const site = sites.get(l.siteId)!;
  const errors: DeviceIssue[] = [];
  const warnings: SimIssue[] = [];
  if (l.hubLink === 'offline')
    errors.push({
      code: 'hub_disconnected',
      message: `The IQ hub of ${l.name} is offline: remote unlock and code changes wait until it reconnects.`,
      createdAt: l.hubLinkSince,
      isDeviceError: true,
      isConnectedAccountError: false,
    });
  if (site.limitReachedSince !== null)
    errors.push({
      code: 'salto_ks_subscription_limit_exceeded',
      message: `Site ${site.siteName} reached its Salto KS user limit (${site.slotLimit}): new access codes cannot be subscribed.`,
      createdAt: site.limitReachedSince,
      isDeviceError: false,
      isConnectedAccountError: true,
    });
  if (l.hubLink === 'weak')
    warnings.push({
      code: 'device_has_flaky_connection',
      message: `${l.name} has a weak link to its IQ hub: operations are slow and may fail.`,
      createdAt: l.hubLinkSince,
    });
  if (l.privacyMode)
    warnings.push({
      code: 'salto_ks_privacy_mode',
      message: `${l.name} is in privacy mode: access codes and remote unlocks will not open the door.`,
      createdAt: l.privacyModeSince,
    });
  if (l.officeMode)
    warnings.push({
      code: 'salto_ks_office_mode',
      message: `${l.name} is in office mode: access codes will not unlock the door (it is already free).`,
      createdAt: l.officeModeSince,
    });
  if (site.almostReachedSince !== null)
    warnings.push({
      code: 'salto_ks_subscription_limit_almost_reached',
      message: `Site ${site.siteName} is above 80 % of its Salto KS user limit.`,
      createdAt: site.almostReachedSince,
    });
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
