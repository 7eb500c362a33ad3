/**
 * Seam wire objects → keyslot domain values. One function per entity; everything the adapter
 * knows about Seam's error/warning names lives here (and in `failures.ts` for HTTP errors).
 */
import type {
  AccessCode,
  AccessCodeIssue,
  AccessCodeStatus,
  AccessWindow,
  CreateAccessCodeInput,
  HubLink,
  Lock,
  SiteId,
  UnlockAttempt,
} from '@keyslot/core';
import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core';
import { scrubProviderText } from './redaction.js';
import type { WireAccessCode, WireActionAttempt, WireDevice } from './wire.js';

/**
 * The names Seam has used for "this code's Salto site user is not subscribed" — core's one list
 * (`NOT_SUBSCRIBED_PROVIDER_CODES`), as a set for lookups.
 */
export const NOT_SUBSCRIBED_ERROR_CODES: ReadonlySet<string> = new Set(NOT_SUBSCRIBED_PROVIDER_CODES);

/** Device / account errors meaning the lock cannot be reached from the cloud. */
export const OFFLINE_ERROR_CODES: ReadonlySet<string> = new Set([
  'device_offline',
  'device_disconnected',
  'hub_disconnected',
  'account_disconnected',
  'bridge_disconnected',
]);
const WEAK_LINK_WARNING_CODES: ReadonlySet<string> = new Set([
  'device_has_flaky_connection',
  'device_communication_degraded',
  'salto_unknown_device_type',
]);
export const PRIVACY_MODE_CODES: ReadonlySet<string> = new Set([
  'salto_ks_privacy_mode',
  'salto_privacy_mode',
  'privacy_mode',
]);
const OFFICE_MODE_CODES: ReadonlySet<string> = new Set(['salto_ks_office_mode', 'salto_office_mode']);

export const SUBSCRIPTION_LIMIT_EXCEEDED = 'salto_ks_subscription_limit_exceeded';
export const SUBSCRIPTION_LIMIT_ALMOST_REACHED = 'salto_ks_subscription_limit_almost_reached';

/** Cheap pre-check on an unvalidated device: is it a Salto KS lock (or one with a weak hub link)? */
export function looksLikeSaltoKsLock(raw: unknown, isSaltoAccount: (accountId: string) => boolean): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const d = raw as Record<string, unknown>;
  if (d['device_type'] === 'salto_lock') return true;
  if (d['device_type'] !== 'unknown') return false;
  // Seam shows a Salto lock with a weak IQ link as device type "unknown".
  const props = (d['properties'] ?? {}) as Record<string, unknown>;
  const manufacturer = (d['device_manufacturer'] as Record<string, unknown> | undefined)?.['manufacturer'];
  return (
    manufacturer === 'salto' ||
    props['salto_ks_metadata'] !== undefined ||
    props['salto_metadata'] !== undefined ||
    (typeof d['connected_account_id'] === 'string' && isSaltoAccount(d['connected_account_id']))
  );
}

export const saltoMeta = (d: WireDevice) => d.properties.salto_ks_metadata ?? d.properties.salto_metadata;

export function siteIdOf(d: WireDevice): SiteId {
  return saltoMeta(d)?.site_id ?? d.connected_account_id;
}

export function hubLinkOf(d: WireDevice): HubLink {
  if (d.properties.online === false || d.errors.some((e) => OFFLINE_ERROR_CODES.has(e.error_code))) {
    return 'offline';
  }
  if (d.device_type === 'unknown' || d.warnings.some((w) => WEAK_LINK_WARNING_CODES.has(w.warning_code))) {
    return 'weak';
  }
  return 'good';
}

export function toLock(d: WireDevice, siteId: SiteId): Lock {
  const meta = saltoMeta(d);
  const name =
    d.display_name ??
    d.nickname ??
    d.properties.appearance?.name ??
    d.properties.name ??
    meta?.customer_reference;
  return {
    id: d.device_id,
    siteId,
    name: name ?? d.device_id,
    hubLink: hubLinkOf(d),
    capabilities: {
      remoteUnlock: d.can_remotely_unlock === true,
      accessCodes:
        d.can_program_online_access_codes ?? d.capabilities_supported?.includes('access_code') ?? false,
    },
    modes: {
      privacy: d.warnings.some((w) => PRIVACY_MODE_CODES.has(w.warning_code)),
      office: d.warnings.some((w) => OFFICE_MODE_CODES.has(w.warning_code)),
    },
  };
}

export const hasCustomPinSubscription = (d: WireDevice): boolean =>
  saltoMeta(d)?.has_custom_pin_subscription === true;

const STATUSES: ReadonlySet<string> = new Set(['unset', 'setting', 'set', 'removing', 'unknown']);

function accessCodeIssue(code: string, seamMessage: string | undefined): AccessCodeIssue | null {
  const message = (fallback: string) => (seamMessage ? scrubProviderText(seamMessage) : fallback);
  if (NOT_SUBSCRIBED_ERROR_CODES.has(code)) {
    return {
      code: 'slot_limit_reached',
      providerCode: code,
      message: message(
        'The Salto KS site user behind this code is not subscribed (the site is at its user limit). ' +
          'Delete the code, free a slot, then create it again.',
      ),
    };
  }
  if (code === SUBSCRIPTION_LIMIT_EXCEEDED) return null; // a site-wide notice copied onto every code
  if (OFFLINE_ERROR_CODES.has(code)) {
    return { code: 'hub_offline', providerCode: code, message: message('The lock cannot be reached.') };
  }
  if (code === 'failed_to_set_on_device') {
    return { code: 'failed_to_set', providerCode: code, message: message('The code could not be set.') };
  }
  if (code === 'failed_to_remove_from_device') {
    return {
      code: 'failed_to_remove',
      providerCode: code,
      message: message('The code could not be removed.'),
    };
  }
  return { code: 'provider_issue', providerCode: code, message: message(`Seam reports ${code}.`) };
}

export function toAccessCode(c: WireAccessCode): AccessCode {
  const window: AccessWindow =
    c.starts_at != null && c.ends_at != null && c.type !== 'ongoing'
      ? { kind: 'scheduled', startsAt: Date.parse(c.starts_at), endsAt: Date.parse(c.ends_at) }
      : { kind: 'ongoing' };
  const issues: AccessCodeIssue[] = [];
  for (const e of c.errors) {
    const issue = accessCodeIssue(e.error_code, e.message);
    if (issue && !issues.some((i) => i.providerCode === issue.providerCode)) issues.push(issue);
  }
  return {
    id: c.access_code_id,
    lockId: c.device_id,
    name: c.name ?? '',
    pin: c.code,
    status: STATUSES.has(c.status) ? (c.status as AccessCodeStatus) : 'unknown',
    window,
    issues,
  };
}

/** The `/access_codes/create` body. `code` is sent only for sites with a custom-PIN subscription. */
export function toCreateAccessCodeBody(input: CreateAccessCodeInput, allowCustomPin: boolean) {
  return {
    device_id: input.lockId,
    name: input.name,
    ...(input.window.kind === 'scheduled'
      ? {
          starts_at: new Date(input.window.startsAt).toISOString(),
          ends_at: new Date(input.window.endsAt).toISOString(),
        }
      : {}),
    ...(allowCustomPin && input.pin !== undefined ? { code: input.pin } : {}),
  };
}

export function toUnlockAttempt(a: WireActionAttempt, lockId: string): UnlockAttempt {
  return {
    id: a.action_attempt_id,
    lockId: a.device_id ?? lockId,
    status: a.status,
    error:
      a.status === 'error'
        ? {
            providerCode: a.error?.type ?? 'unknown_error',
            message: a.error?.message
              ? scrubProviderText(a.error.message)
              : 'Seam reports the unlock failed without a reason.',
          }
        : null,
  };
}
