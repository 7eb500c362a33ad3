import type { Instant } from '@keyslot/core/domain';
import type { AttemptError, LockState, SiteState } from './state.js';
import type { NotSubscribedErrorCode, SimIssue } from './types.js';

/**
 * The issues the world keeps on its records, in one place: the error and warning codes (Seam's
 * names for Salto situations, as the stored records carry them) and their texts, for access codes
 * and action attempts. A room decides THAT something is wrong (a code was refused a slot, the hub
 * is offline); this file says how it is reported. Issues derived at read time (devices, accounts,
 * the ACS side) are worded in `seam/issues.ts` from the facts of `conditions.ts`.
 */

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
