/**
 * The one place where simulated-world records become Seam JSON (Seam API as of the newest
 * `@seamapi/types`, 1.977.0; tests validate every body against it). Everything the HTTP server
 * answers goes through these functions.
 *
 * Two documented deviations from Seam's typed schema, following Seam's Salto guide instead:
 * - a lock whose IQ hub link is weak reports `device_type: "unknown"` (the schema has no such type);
 * - the per-code "user not subscribed" error is named `salto_site_user_not_subscribed` by default
 *   (configurable to `salto_ks_user_not_subscribed`, the 1.724 schema's name, or the newest
 *   schema's `access_code_inactive`).
 */
import type {
  AccessCodeRecord,
  AccountIssue,
  ActionAttemptRecord,
  ConnectedAccountView,
  DeviceIssue,
  DeviceView,
  SimEvent,
  SimIssue,
  SiteRecord,
  SiteSlotCount,
} from '../world/types.js';
import { batteryStatus } from '../world/views.js';

/** The simulator's one Seam workspace. */
export const SIM_WORKSPACE_ID = '5a170000-0000-4000-8000-00000000c0de';

const isoCache = new Map<number, string>();

/**
 * ISO 8601 of an instant. Records keep their instants, so lists format the same few thousand
 * values over and over: a bounded cache makes that a lookup.
 */
export function iso(ms: number): string {
  let s = isoCache.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString();
    if (isoCache.size >= 50_000) isoCache.clear();
    isoCache.set(ms, s);
  }
  return s;
}

export type Json = Record<string, unknown>;

// ───────────── devices ─────────────

/** Salto's own battery word (`salto_ks_metadata.battery_level`); Seam's docs show `fresh`. */
const saltoBatteryWord = (level: number): string =>
  level >= 0.5 ? 'fresh' : level >= 0.2 ? 'low' : 'very_low';

const lockTypeDisplay = (lockType: string): string =>
  lockType
    .split('_')
    .map((w) => (w === 'pin' ? 'PIN' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');

export function deviceErrorJson(e: DeviceIssue): Json {
  return {
    error_code: e.code,
    message: e.message,
    created_at: iso(e.createdAt),
    is_device_error: e.isDeviceError,
    ...(e.isConnectedAccountError ? { is_connected_account_error: true } : {}),
  };
}

const warningJson = (w: SimIssue): Json => ({
  warning_code: w.code,
  message: w.message,
  created_at: iso(w.createdAt),
});

/** A Salto KS lock as a Seam device (`/devices/*`, `/locks/*`). */
export function deviceJson(d: DeviceView, site: SiteRecord | undefined): Json {
  const pinPad = d.capabilities.accessCodes;
  const online = d.online;
  const saltoMetadata = {
    lock_id: d.saltoLockId,
    customer_reference: d.name,
    lock_type: d.lockType,
    battery_level: saltoBatteryWord(d.batteryLevel),
    locked_state: d.locked ? 'locked' : 'unlocked',
    model: d.lockType,
  };
  return {
    device_id: d.deviceId,
    device_type: d.deviceType,
    space_ids: [],
    display_name: d.name,
    capabilities_supported: pinPad ? ['access_code', 'lock'] : ['lock'],
    properties: {
      online,
      name: d.name,
      appearance: { name: d.name },
      model: {
        display_name: lockTypeDisplay(d.lockType),
        manufacturer_display_name: 'Salto',
        has_built_in_keypad: pinPad,
        can_connect_accessory_keypad: false,
        online_access_codes_supported: pinPad,
        offline_access_codes_supported: false,
      },
      manufacturer: 'salto',
      locked: d.locked,
      battery_level: d.batteryLevel,
      battery: { level: d.batteryLevel, status: batteryStatus(d.batteryLevel) },
      has_direct_power: d.lockType.startsWith('wall_reader'),
      ...(pinPad
        ? {
            supported_code_lengths: [site?.pinLength ?? 6],
            max_active_codes_supported: site?.slotLimit ?? 0,
            online_access_codes_enabled: online,
            code_constraints: [{ constraint_type: 'pin_code_matches_existing_set' }],
          }
        : {}),
      offline_access_codes_enabled: false,
      salto_ks_metadata: {
        ...saltoMetadata,
        has_custom_pin_subscription: d.hasCustomPinSubscription,
        // Sent by Seam since 2026-02-19 (types after 1.724.0): which Salto KS site the lock is on.
        ...(site ? { site_id: site.siteId, site_name: site.siteName } : {}),
      },
      // Deprecated in Seam's types but still shown in Seam's Salto guide.
      salto_metadata: saltoMetadata,
    },
    location: site ? { location_name: site.siteName, timezone: site.timeZone } : null,
    connected_account_id: d.connectedAccountId,
    workspace_id: SIM_WORKSPACE_ID,
    errors: d.errors.map(deviceErrorJson),
    warnings: d.warnings.map(warningJson),
    created_at: iso(d.createdAt),
    is_managed: true,
    custom_metadata: {},
    device_provider: {
      provider_category: 'stable',
      device_provider_name: 'salto_ks',
      display_name: 'Salto KS',
    },
    device_manufacturer: { manufacturer: 'salto', display_name: 'Salto' },
    can_remotely_unlock: d.capabilities.remoteUnlock,
    can_remotely_lock: d.capabilities.remoteUnlock,
    can_program_online_access_codes: pinPad,
    can_program_offline_access_codes: false,
    can_unlock_with_code: pinPad,
    can_simulate_connection: true,
    can_simulate_disconnection: true,
    can_simulate_hub_connection: true,
    can_simulate_hub_disconnection: true,
    can_simulate_removal: false,
  };
}

// ───────────── access codes ─────────────

/**
 * A managed access code. Its `errors` carry the code's own errors (`is_access_code_error`) and,
 * as Seam does, its device's own errors (e.g. `hub_disconnected`). Account-level errors copied
 * onto devices (`salto_ks_subscription_limit_exceeded`) are not repeated on codes: a code that
 * holds its slot is fine even when its site is full, and only the refused code says so.
 */
export function accessCodeJson(c: AccessCodeRecord, device: DeviceView | undefined): Json {
  return {
    access_code_id: c.accessCodeId,
    device_id: c.deviceId,
    workspace_id: SIM_WORKSPACE_ID,
    name: c.name,
    code: c.code,
    common_code_key: null,
    type: c.type,
    ...(c.type === 'time_bound' && c.startsAt !== null && c.endsAt !== null
      ? { starts_at: iso(c.startsAt), ends_at: iso(c.endsAt) }
      : {}),
    status: c.status,
    created_at: iso(c.createdAt),
    errors: [
      ...c.errors.map((e) => ({
        error_code: e.code,
        message: e.message,
        is_access_code_error: true,
        created_at: iso(e.createdAt),
      })),
      ...(device?.errors ?? []).filter((e) => e.isDeviceError).map(deviceErrorJson),
    ],
    warnings: c.warnings.map(warningJson),
    is_managed: true,
    is_scheduled_on_device: c.isScheduledOnDevice,
    is_waiting_for_code_assignment: c.isWaitingForCodeAssignment,
    is_backup_access_code_available: false,
    is_external_modification_allowed: false,
    is_one_time_use: false,
    is_offline_access_code: false,
    // Required since @seamapi/types 1.7xx: changes Seam is still applying to the lock. The
    // simulator reports its progress through `status` instead (see the README's deviations).
    pending_mutations: [],
  };
}

// ───────────── action attempts ─────────────

export function actionAttemptJson(a: ActionAttemptRecord): Json {
  return {
    action_attempt_id: a.actionAttemptId,
    action_type: a.actionType,
    status: a.status,
    result: a.status === 'success' ? {} : null,
    error:
      a.status === 'error'
        ? (a.error ?? { type: 'uncategorized_error', message: 'The action failed.' })
        : null,
  };
}

// ───────────── connected accounts ─────────────

const sitesJson = (sites: readonly SiteSlotCount[] | undefined): Json | undefined =>
  sites
    ? {
        salto_ks_metadata: {
          sites: sites.map((s) => ({
            site_id: s.siteId,
            site_name: s.siteName,
            subscribed_site_user_count: s.subscribedSiteUserCount,
            site_user_subscription_limit: s.siteUserSubscriptionLimit,
          })),
        },
      }
    : undefined;

export function connectedAccountJson(a: ConnectedAccountView): Json {
  return {
    connected_account_id: a.connectedAccountId,
    created_at: iso(a.createdAt),
    account_type: a.accountType,
    account_type_display_name: 'Salto KS',
    display_name: a.displayName,
    user_identifier: { username: a.displayName, exclusive: true },
    errors: a.errors.map((e: AccountIssue) => ({
      error_code: e.code,
      message: e.message,
      created_at: iso(e.createdAt),
      is_connected_account_error: true,
      ...sitesJson(e.sites),
    })),
    warnings: a.warnings.map((w: AccountIssue) => ({
      warning_code: w.code,
      message: w.message,
      created_at: iso(w.createdAt),
      ...sitesJson(w.sites),
    })),
    custom_metadata: {},
    automatically_manage_new_devices: true,
    accepted_capabilities: ['lock'],
  };
}

// ───────────── events ─────────────

/** A world event as a Seam event (`/events/list` item and webhook payload). */
export function eventJson(e: SimEvent): Json {
  const base: Json = {
    event_id: e.eventId,
    event_type: e.eventType,
    workspace_id: SIM_WORKSPACE_ID,
    created_at: iso(e.createdAt),
    occurred_at: iso(e.occurredAt),
    connected_account_id: e.connectedAccountId,
    ...(e.deviceId !== undefined ? { device_id: e.deviceId } : {}),
    ...(e.accessCodeId !== undefined ? { access_code_id: e.accessCodeId } : {}),
    ...(e.actionAttemptId !== undefined ? { action_attempt_id: e.actionAttemptId } : {}),
  };
  // Fields Seam requires on some event types, when the world did not say.
  if (e.eventType.startsWith('action_attempt.unlock_door.')) {
    base['action_type'] = 'UNLOCK_DOOR';
    base['status'] = e.eventType.endsWith('.succeeded') ? 'success' : 'error';
  }
  if (e.eventType === 'lock.unlocked' || e.eventType === 'lock.locked') {
    base['method'] = e.actionAttemptId !== undefined ? 'remote' : 'unknown';
  }
  const data = e.data ?? {};
  // An access method can serve several grants: Seam lists them (the world names its one grant).
  if (e.eventType.startsWith('access_method.') && typeof data['access_grant_id'] === 'string') {
    const { access_grant_id, access_grant_key, ...rest } = data;
    return {
      ...base,
      ...rest,
      access_grant_ids: [access_grant_id],
      ...(typeof access_grant_key === 'string' ? { access_grant_keys: [access_grant_key] } : {}),
    };
  }
  return { ...base, ...data };
}
