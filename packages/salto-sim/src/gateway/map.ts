import type {
  AccessCode,
  AccessCodeIssue,
  AccessCodeIssueCode,
  AccessWindow,
  GatewayFailure,
  GatewayFailureCode,
  Lock,
  Site,
  UnlockAttempt,
} from '@keyslot/core';
import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core/domain';
import { deviceIssueCode } from '../seam/issues.js';
import type {
  AccessCodeRecord,
  ActionAttemptRecord,
  DeviceView,
  SimFailure,
  SiteView,
} from '../world/types.js';

/** Every Seam/Salto name of the "site user not subscribed" error: core's one list, as a set. */
export const NOT_SUBSCRIBED_CODES: ReadonlySet<string> = new Set(NOT_SUBSCRIBED_PROVIDER_CODES);

/**
 * World failure → core `GatewayFailure`:
 * `device_not_found` → `lock_not_found`; `access_code_not_found`, `site_not_found` as is;
 * (ACS) `acs_system_not_found` → `site_not_found`, `acs_entrance_not_found` → `lock_not_found`,
 * `access_grant_not_found` as is, `duplicate_access_grant_key` → `access_grant_exists`;
 * `invalid_input` with `data.reason: custom_pin_not_allowed` → `custom_pin_not_allowed`;
 * `access_codes_not_supported` / `remote_unlock_not_supported` → `capability_missing`;
 * `rate_limit_exceeded` → `rate_limited` (+ `retryAfterMs`); `internal_server_error` /
 * `service_unavailable` → `unavailable`; `reply_lost` → `outcome_unknown`; other `invalid_input`s →
 * `invalid_input`; anything else → `provider_issue`. By the failure's type, never an HTTP status
 * (the world has none; statuses are the server's, `server/failure-status.ts`).
 */
export function toGatewayFailure(f: SimFailure): GatewayFailure {
  const code = ((): GatewayFailureCode => {
    switch (f.type) {
      case 'device_not_found':
        return 'lock_not_found';
      case 'access_code_not_found':
        return 'access_code_not_found';
      case 'site_not_found':
      case 'acs_system_not_found':
        return 'site_not_found';
      case 'acs_entrance_not_found':
        return 'lock_not_found';
      case 'access_grant_not_found':
        return 'access_grant_not_found';
      case 'duplicate_access_grant_key':
        return 'access_grant_exists';
      case 'access_codes_not_supported':
      case 'remote_unlock_not_supported':
        return 'capability_missing';
      case 'rate_limit_exceeded':
        return 'rate_limited';
      case 'internal_server_error':
      case 'service_unavailable':
        return 'unavailable';
      case 'reply_lost':
        return 'outcome_unknown';
      case 'invalid_input':
        return f.data?.['reason'] === 'custom_pin_not_allowed' ? 'custom_pin_not_allowed' : 'invalid_input';
      default:
        return 'provider_issue';
    }
  })();
  return {
    code,
    message: f.message,
    providerCode: f.type,
    ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
  };
}

export const toSite = (s: SiteView): Site => ({
  id: s.siteId,
  name: s.siteName,
  slotLimit: s.slotLimit,
  timeZone: s.timeZone,
  slotLeadTimeMs: s.slotLeadTimeMs,
  hasCustomPinSubscription: s.hasCustomPinSubscription,
});

export const toLock = (d: DeviceView): Lock => ({
  id: d.deviceId,
  siteId: d.siteId,
  name: d.name,
  hubLink: d.hubLink,
  capabilities: { remoteUnlock: d.capabilities.remoteUnlock, accessCodes: d.capabilities.accessCodes },
  modes: { privacy: d.privacyMode, office: d.officeMode },
});

function issueCode(providerCode: string): AccessCodeIssueCode {
  if (NOT_SUBSCRIBED_CODES.has(providerCode)) return 'slot_limit_reached';
  if (providerCode === 'failed_to_set_on_device') return 'failed_to_set';
  if (providerCode === 'failed_to_remove_from_device') return 'failed_to_remove';
  return 'provider_issue';
}

/**
 * World code → core `AccessCode`. Issues: the code's errors (not-subscribed → `slot_limit_reached`),
 * plus `hub_offline` while its lock's hub is offline and the code still waits for the lock.
 */
export function toAccessCode(c: AccessCodeRecord, device: DeviceView | null): AccessCode {
  const window: AccessWindow =
    c.type === 'time_bound' && c.startsAt !== null && c.endsAt !== null
      ? { kind: 'scheduled', startsAt: c.startsAt, endsAt: c.endsAt }
      : { kind: 'ongoing' };
  const issues: AccessCodeIssue[] = c.errors.map((e) => ({
    code: issueCode(e.code),
    providerCode: e.code,
    message: e.message,
  }));
  const waitingForLock =
    c.holdsSlot && c.loaded && (c.status === 'setting' || (c.status === 'unset' && !c.isScheduledOnDevice));
  if (device && !device.online && (waitingForLock || c.status === 'removing')) {
    issues.push({
      code: 'hub_offline',
      providerCode: deviceIssueCode('hub_offline'),
      message: `The IQ hub of lock ${device.name} is offline; the change reaches the lock when it reconnects.`,
    });
  }
  return {
    id: c.accessCodeId,
    lockId: c.deviceId,
    name: c.name ?? '',
    pin: c.code,
    status: c.status,
    window,
    issues,
  };
}

export const toUnlockAttempt = (a: ActionAttemptRecord): UnlockAttempt => ({
  id: a.actionAttemptId,
  lockId: a.deviceId,
  status: a.status,
  error: a.error ? { providerCode: a.error.type, message: a.error.message } : null,
});
