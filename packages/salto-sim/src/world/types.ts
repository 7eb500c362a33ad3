/**
 * Public types of the simulated Salto KS world ("Salto KS behind Seam").
 *
 * Records are close to Seam's objects (connected account, device = lock, access code, action
 * attempt, event) but camelCased and with instants as epoch milliseconds, so a Seam-compatible
 * HTTP layer can project them to Seam JSON field by field (`deviceId` → `device_id`,
 * `startsAt` → ISO `starts_at`, …). Error, warning and event names are Seam's own strings.
 */
import type { HubLink, Instant, Result } from '@keyslot/core';

export type { HubLink } from '@keyslot/core';
export * from './acs/types.js';
export * from './config-types.js';

// ───────────────────────────── failures ─────────────────────────────

/**
 * Why a world call failed. The names are Seam's `error.type` strings for the same situations
 * (the world's records are close to Seam's objects); how a failure travels is not the world's
 * business: the server answers it with the HTTP status of its table (`server/failure-status.ts`),
 * the in-process gateway maps it to a core outcome (`gateway/map.ts`). Besides Seam's own names:
 * - `access_codes_not_supported`: the lock has no PIN pad (`capabilities.accessCodes` false).
 *   Seam does not document its answer here; we refuse instead of creating a code that can never work.
 * - `remote_unlock_not_supported` / `remote_lock_not_supported`: the lock lacks the
 *   remote-unlock capability (no Salto pass-through waiver, which covers lock and unlock).
 * - `rate_limit_exceeded`: per-device rate limit; `retryAfterMs` says when to retry.
 * - `internal_server_error` / `service_unavailable`: an injected server-error fault (500 / 503).
 * - `reply_lost`: fault injection only; the change WAS applied (`committed: true`) but the
 *   caller never got the answer.
 * A caller-chosen PIN on a site without custom-PIN subscription (Salto generates every PIN
 * unless the site pays for custom PINs) is `invalid_input` with
 * `data.reason === 'custom_pin_not_allowed'`.
 */
export type SimFailureType =
  | 'invalid_input'
  | 'connected_account_not_found'
  | 'site_not_found'
  | 'hub_not_found'
  | 'device_not_found'
  | 'access_code_not_found'
  | 'action_attempt_not_found'
  | 'acs_system_not_found'
  | 'acs_entrance_not_found'
  | 'acs_access_group_not_found'
  | 'acs_user_not_found'
  | 'acs_credential_not_found'
  | 'user_identity_not_found'
  | 'access_grant_not_found'
  | 'access_method_not_found'
  | 'duplicate_access_code'
  | 'duplicate_user_identity_key'
  | 'duplicate_access_grant_key'
  | 'access_codes_not_supported'
  | 'remote_unlock_not_supported'
  | 'remote_lock_not_supported'
  | 'rate_limit_exceeded'
  | 'internal_server_error'
  | 'service_unavailable'
  | 'reply_lost';

export interface SimFailure {
  readonly type: SimFailureType;
  /** Says what happened, to what, and what to do. Never contains a PIN. */
  readonly message: string;
  /** Extra machine-readable detail, Seam's `error.data` (e.g. `{ device_id }`, `{ reason }`). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** For rate limits: wait this long before trying again. */
  readonly retryAfterMs?: number;
  /** True when the operation's change was applied despite the failure (fault `reply_lost`). */
  readonly committed?: boolean;
}

export type SimResult<T> = Result<T, SimFailure>;

// ───────────────────────────── records ─────────────────────────────

export interface ConnectedAccountRecord {
  readonly connectedAccountId: string;
  /** Seam `account_type`; always `salto_ks` here. */
  readonly accountType: 'salto_ks';
  readonly displayName: string;
  readonly createdAt: Instant;
}

export interface SiteRecord {
  readonly siteId: string;
  readonly siteName: string;
  readonly connectedAccountId: string;
  /** Subscribed-user cap of the site's plan (non-negative integer). */
  readonly slotLimit: number;
  /** Caller-chosen PINs are accepted only when true. */
  readonly hasCustomPinSubscription: boolean;
  /** IANA time zone. */
  readonly timeZone: string;
  /** A time-bound code is loaded (and starts holding its slot) this long before `startsAt`. Default 72 h. */
  readonly slotLeadTimeMs: number;
  /** Length of generated PINs, 6–10. Default 6. */
  readonly pinLength: number;
  readonly createdAt: Instant;
}

/** A Salto IQ hub (gateway between the locks and the Salto KS cloud). */
export interface HubRecord {
  readonly hubId: string;
  readonly siteId: string;
  readonly name: string;
  readonly createdAt: Instant;
}

export interface LockCapabilityFlags {
  /** Seam `can_remotely_unlock` (needs Salto's pass-through waiver). */
  readonly remoteUnlock: boolean;
  /** Seam `can_program_online_access_codes` (needs a PIN pad). */
  readonly accessCodes: boolean;
}

/** A Salto KS lock: a Seam device of type `salto_lock` (reported `unknown` while its hub link is weak). */
export interface LockRecord {
  readonly deviceId: string;
  readonly siteId: string;
  readonly hubId: string;
  readonly connectedAccountId: string;
  /** Salto `customer_reference`, Seam `display_name`. */
  readonly name: string;
  /** Salto's own lock id (`salto_ks_metadata.lock_id`), e.g. `lock_3`. */
  readonly saltoLockId: string;
  /** `salto_ks_metadata.lock_type` / `model`, e.g. `wall_reader_pin`, `escutcheon`, `cylinder`. */
  readonly lockType: string;
  readonly capabilities: LockCapabilityFlags;
  readonly hubLink: HubLink;
  readonly privacyMode: boolean;
  readonly officeMode: boolean;
  /** 0..1 (Seam `battery_level`). */
  readonly batteryLevel: number;
  readonly locked: boolean;
  readonly createdAt: Instant;
}

/** Seam's access-code statuses (`unknown` is never produced by the simulator). */
export type SimAccessCodeStatus = 'unset' | 'setting' | 'set' | 'removing';

export interface SimIssue {
  /** Seam `error_code` / `warning_code`. */
  readonly code: string;
  readonly message: string;
  readonly createdAt: Instant;
}

export interface AccessCodeRecord {
  readonly accessCodeId: string;
  readonly deviceId: string;
  readonly siteId: string;
  readonly name: string | null;
  /** The PIN; `null` until Salto assigns it. Never log it. */
  readonly code: string | null;
  readonly type: 'ongoing' | 'time_bound';
  readonly startsAt: Instant | null;
  readonly endsAt: Instant | null;
  readonly status: SimAccessCodeStatus;
  readonly createdAt: Instant;
  /** Seam `is_waiting_for_code_assignment`. */
  readonly isWaitingForCodeAssignment: boolean;
  /** Seam `is_scheduled_on_device`: a time-bound code preloaded onto the lock before `startsAt`. */
  readonly isScheduledOnDevice: boolean;
  /** The code currently holds one of its site's user slots (see README "slot accounting"). */
  readonly holdsSlot: boolean;
  /** The code has been loaded (time-bound: lead time reached; ongoing: at creation). */
  readonly loaded: boolean;
  /** Access-code errors (e.g. the not-subscribed error). Device errors are not copied in. */
  readonly errors: readonly SimIssue[];
  /** Access-code warnings (e.g. `delay_in_setting_on_device`). */
  readonly warnings: readonly SimIssue[];
}

export type ActionAttemptStatus = 'pending' | 'success' | 'error';

export interface ActionAttemptRecord {
  readonly actionAttemptId: string;
  readonly actionType: 'UNLOCK_DOOR' | 'LOCK_DOOR';
  readonly deviceId: string;
  readonly status: ActionAttemptStatus;
  readonly createdAt: Instant;
  readonly completedAt: Instant | null;
  /** Seam `error: { type, message }` when `status` is `error`. */
  readonly error: { readonly type: string; readonly message: string } | null;
}

/** Seam `event_type` names the world emits (reference §5.2). */
export type SimEventType =
  | 'connected_account.connected'
  | 'connect_webview.login_succeeded'
  | 'connected_account.created'
  | 'connected_account.completed_first_sync'
  | 'device.added'
  | 'device.connected'
  | 'device.disconnected'
  | 'device.connection_became_flaky'
  | 'device.connection_stabilized'
  | 'device.low_battery'
  | 'device.battery_status_changed'
  | 'device.salto.privacy_mode_activated'
  | 'device.salto.privacy_mode_deactivated'
  | 'access_code.created'
  | 'access_code.changed'
  | 'access_code.scheduled_on_device'
  | 'access_code.set_on_device'
  | 'access_code.delay_in_setting_on_device'
  | 'access_code.failed_to_set_on_device'
  | 'access_code.removed_from_device'
  | 'access_code.delay_in_removing_from_device'
  | 'access_code.deleted'
  | 'lock.unlocked'
  | 'lock.locked'
  | 'lock.access_denied'
  | 'action_attempt.unlock_door.succeeded'
  | 'action_attempt.unlock_door.failed'
  | 'action_attempt.lock_door.succeeded'
  | 'action_attempt.lock_door.failed'
  | 'acs_user.created'
  | 'acs_user.deleted'
  | 'acs_credential.issued'
  | 'acs_credential.deleted'
  | 'access_grant.created'
  | 'access_grant.deleted'
  | 'access_grant.access_granted_to_door'
  | 'access_grant.access_to_door_lost'
  | 'access_method.created'
  | 'access_method.issued'
  | 'access_method.revoked'
  | 'access_method.deleted';

export interface SimEvent {
  readonly eventId: string;
  /** Strictly increasing per world; use it to page through the log. */
  readonly sequence: number;
  readonly eventType: SimEventType;
  readonly occurredAt: Instant;
  readonly createdAt: Instant;
  readonly connectedAccountId: string;
  readonly deviceId?: string;
  readonly accessCodeId?: string;
  readonly actionAttemptId?: string;
  /** Extra Seam fields of the event (e.g. `code`, `method`, `error_code`, `battery_level`), snake_case as in Seam. */
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

// ───────────────────────────── views ─────────────────────────────

/** Per-site slot counts, Seam's `salto_ks_metadata.sites[]` item. */
export interface SiteSlotCount {
  readonly siteId: string;
  readonly siteName: string;
  readonly subscribedSiteUserCount: number;
  readonly siteUserSubscriptionLimit: number;
}

export interface SiteView extends SiteRecord {
  /** Codes holding a slot right now. Always ≤ `slotLimit`. */
  readonly used: number;
  /** used / limit > 80 %. */
  readonly almostReached: boolean;
  /** used ≥ limit: new codes get the not-subscribed error. */
  readonly limitReached: boolean;
}

export interface AccountIssue extends SimIssue {
  /** Present on the two subscription issues: the sites concerned. */
  readonly sites?: readonly SiteSlotCount[];
}

export interface ConnectedAccountView extends ConnectedAccountRecord {
  /** `salto_ks_subscription_limit_exceeded` while some site has used ≥ limit. */
  readonly errors: readonly AccountIssue[];
  /** `salto_ks_subscription_limit_almost_reached` while some site has used/limit > 0.8. */
  readonly warnings: readonly AccountIssue[];
}

export interface DeviceIssue extends SimIssue {
  readonly isDeviceError: boolean;
  readonly isConnectedAccountError: boolean;
}

export interface DeviceView extends LockRecord {
  /** `salto_lock`, or `unknown` while the hub link is weak (Seam's troubleshooting note). */
  readonly deviceType: 'salto_lock' | 'unknown';
  /** Seam `properties.online`: false while the hub link is offline. */
  readonly online: boolean;
  readonly hasCustomPinSubscription: boolean;
  /**
   * `hub_disconnected` (device error) while offline; `salto_ks_subscription_limit_exceeded`
   * (connected-account error copy) while the lock's site is at its limit.
   */
  readonly errors: readonly DeviceIssue[];
  /**
   * `salto_ks_privacy_mode`, `salto_ks_office_mode`, `device_has_flaky_connection` (weak link),
   * `salto_ks_subscription_limit_almost_reached` (site above 80 %).
   */
  readonly warnings: readonly SimIssue[];
}

// ───────────────────────────── inputs ─────────────────────────────

export interface CreateAccessCodeParams {
  readonly deviceId: string;
  readonly name?: string | null;
  /** Caller-chosen PIN: only for sites with a custom-PIN subscription (6–10 digits). */
  readonly code?: string;
  /** Both or neither: both ⇒ time-bound, neither ⇒ ongoing. */
  readonly startsAt?: Instant;
  readonly endsAt?: Instant;
}

/**
 * A change to a live access code (Seam `/access_codes/update`). Absent fields keep their value.
 * The window: `type: 'ongoing'` makes the code permanent (then no `startsAt`/`endsAt`);
 * a time-bound code takes a new `startsAt` and/or `endsAt`; an ongoing code becomes time-bound
 * only with both (`type: 'time_bound'` optional then).
 */
export interface UpdateAccessCodeParams {
  readonly accessCodeId: string;
  /** When given, must be the code's own device (a code cannot move to another lock). */
  readonly deviceId?: string;
  readonly name?: string | null;
  /** New caller-chosen PIN: only for sites with a custom-PIN subscription (6–10 digits). */
  readonly code?: string;
  readonly type?: 'ongoing' | 'time_bound';
  readonly startsAt?: Instant;
  readonly endsAt?: Instant;
}

/** Why a PIN typed on a lock's keypad did not open it. */
export type KeypadDenialReason =
  /** No access code of this lock has that PIN. */
  | 'unknown_code'
  /** The code is not on the lock yet (PIN pending, programming, preloaded before its start) or is being removed. */
  | 'code_not_set'
  /** Now is outside the code's `[startsAt, endsAt)` window. */
  | 'outside_window'
  /** The code holds no user slot (the site reached its limit): Salto refuses unsubscribed users. */
  | 'not_subscribed'
  /** The lock is in privacy mode. */
  | 'privacy_mode'
  /** The lock's weak link to its IQ hub dropped the PIN check (a weak-link failure draw). */
  | 'hub_unreachable';

/** What happened at the keypad (`SaltoKsWorld.enterKeypadCode`). */
export type KeypadEntryResult =
  /** A valid code opened the lock: `lock.unlocked` (`method: keycode`) was emitted, it relocks after `relockMs`. */
  | { readonly outcome: 'unlocked'; readonly accessCodeId: string }
  /** Office mode: the door is already free; no PIN is needed and nothing is emitted. */
  | { readonly outcome: 'already_free'; readonly accessCodeId: string | null }
  /** Refused: `lock.access_denied` was emitted (with `accessCodeId` when the PIN matched a code of this lock). */
  | {
      readonly outcome: 'denied';
      readonly reason: KeypadDenialReason;
      readonly accessCodeId: string | null;
      /** Says why, never contains the PIN. */
      readonly message: string;
    };

export interface ListAccessCodesParams {
  readonly deviceId?: string;
  readonly accessCodeIds?: readonly string[];
}

export interface ListDevicesParams {
  readonly connectedAccountId?: string;
  readonly siteId?: string;
  readonly deviceIds?: readonly string[];
}

export interface ListEventsParams {
  /** Events with `occurredAt >= since`. */
  readonly since?: Instant;
  /** Events with `from < occurredAt < to` (Seam's exclusive `between`). */
  readonly between?: readonly [Instant, Instant];
  /** Events with `sequence > afterSequence` (simulator-only cursor). */
  readonly afterSequence?: number;
  readonly deviceId?: string;
  readonly accessCodeId?: string;
  readonly connectedAccountId?: string;
  readonly eventTypes?: readonly string[];
  /** Newest-last; at most this many (the oldest matching first). Default: all kept. */
  readonly limit?: number;
}

export interface AddConnectedAccountParams {
  readonly displayName?: string;
  /** Fixed id instead of a generated one. */
  readonly connectedAccountId?: string;
  /** The Connect Webview the account was connected through (named in its events). */
  readonly connectWebviewId?: string;
}

export interface AddSiteParams {
  readonly connectedAccountId: string;
  readonly siteName: string;
  readonly slotLimit: number;
  readonly hasCustomPinSubscription?: boolean;
  readonly timeZone?: string;
  readonly slotLeadTimeMs?: number;
  readonly pinLength?: number;
  readonly siteId?: string;
}

export interface AddHubParams {
  readonly siteId: string;
  readonly name?: string;
  readonly hubId?: string;
}

export interface AddLockParams {
  readonly hubId: string;
  readonly name: string;
  readonly lockType?: string;
  readonly capabilities?: Partial<LockCapabilityFlags>;
  readonly hubLink?: HubLink;
  readonly privacyMode?: boolean;
  readonly officeMode?: boolean;
  readonly batteryLevel?: number;
  readonly deviceId?: string;
}
