import type { Instant } from '@keyslot/core/domain';
import type { AttemptError, LockState, SiteState } from './state.js';
import type { AccountIssue, DeviceIssue, NotSubscribedErrorCode, SimIssue, SiteSlotCount } from './types.js';

/**
 * The issues the world reports, in one place: the error and warning codes (Seam's names for Salto
 * situations, as the world's records carry them) and their texts, for devices, connected
 * accounts, access codes and action attempts. A room decides THAT something is wrong (the hub is
 * offline, the site is full, a code was refused a slot); this file says how it is reported.
 */

// ───────────── devices and accounts (derived at read time) ─────────────

/** A lock's errors (hub offline; its site at the limit) and warnings (weak link, modes, site above 80 %). */
export function deviceIssues(site: SiteState, l: LockState): { errors: DeviceIssue[]; warnings: SimIssue[] } {
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
  return { errors, warnings };
}

/** An account's subscription error (some site at its limit) and warning (some site above 80 %). */
export function accountIssues(
  sites: readonly SiteState[],
  count: (s: SiteState) => SiteSlotCount,
): { errors: AccountIssue[]; warnings: AccountIssue[] } {
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
  return { errors, warnings };
}

// ───────────── access codes (kept on the code) ─────────────

/** The code's site user is not subscribed: the site was at its limit when it loaded, or the limit dropped. */
export const notSubscribedIssue = (code: NotSubscribedErrorCode, t: Instant): SimIssue => ({
  code,
  message:
    'The Salto KS site user behind this code is not subscribed: the site reached its user-slot limit. Delete this code, free a slot, or raise the site limit, then create it again.',
  createdAt: t,
});

/** Salto found no free PIN of the site's length. */
export const noFreePinIssue = (site: SiteState, t: Instant): SimIssue => ({
  code: 'failed_to_set_on_device',
  message: `Salto could not generate a free ${site.pinLength}-digit PIN on site ${site.siteId}; delete unused codes.`,
  createdAt: t,
});

export const DELAY_IN_SETTING = 'delay_in_setting_on_device';
export const DELAY_IN_REMOVING = 'delay_in_removing_from_device';

/** Programming waits: the hub is offline (until it reconnects) or the weak link failed (retried). */
export const delayInSettingIssue = (why: 'offline' | 'weak', t: Instant): SimIssue => ({
  code: DELAY_IN_SETTING,
  message:
    why === 'offline'
      ? `The lock's IQ hub is offline; the code is programmed once it reconnects.`
      : `The lock's link to its IQ hub is weak; programming is being retried.`,
  createdAt: t,
});

/** Removal waits for the offline hub. */
export const delayInRemovingIssue = (t: Instant): SimIssue => ({
  code: DELAY_IN_REMOVING,
  message: `The lock's IQ hub is offline; the code is removed once it reconnects.`,
  createdAt: t,
});

// ───────────── action attempts (kept on the attempt) ─────────────

export const hubOfflineAttemptError = (lock: LockState): AttemptError => ({
  type: 'hub_disconnected',
  message: `Lock ${lock.deviceId} (${lock.name}) could not be reached: its IQ hub is offline. Check the hub's power and network.`,
});

export const privacyModeAttemptError = (lock: LockState): AttemptError => ({
  type: 'salto_ks_privacy_mode',
  message: `Lock ${lock.deviceId} (${lock.name}) is in privacy mode and refuses remote unlocks until it is turned off.`,
});

export const weakLinkAttemptError = (lock: LockState, unlock: boolean): AttemptError => ({
  type: 'uncategorized_error',
  message: `Lock ${lock.deviceId} (${lock.name}) did not confirm the ${unlock ? 'unlock' : 'lock'}: its link to the IQ hub is weak. Try again or check the hub's placement.`,
});
