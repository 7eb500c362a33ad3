import type { AccessCode, AccessCodeId } from '../domain/access-code.js';
import type { Lock, LockId } from '../domain/lock.js';
import type { Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import type { AccessWindow } from '../domain/time.js';

/**
 * Why the provider refused or could not complete a call. Expected outcomes, returned, never thrown.
 *
 * - `lock_not_found`, `access_code_not_found`, `site_not_found`, `access_grant_not_found`: the id
 *   is unknown (or gone). On an `AccessGrantGateway` a door is a lock: an unknown door is
 *   `lock_not_found`.
 * - `access_grant_exists`: an access grant with this grant key already exists at the provider;
 *   find it by key instead of creating it again.
 * - `custom_pin_not_allowed`: a PIN was supplied but the site has no custom-PIN subscription.
 * - `capability_missing`: the lock cannot do this (no PIN pad, no remote-unlock waiver).
 * - `hub_offline`: the lock's IQ hub cannot be reached; nothing was changed.
 * - `privacy_mode`: the lock is in privacy mode and refuses remote unlocks.
 * - `rate_limited`: the provider's per-device limit was hit; `retryAfterMs` when known.
 * - `unavailable`: the provider failed (5xx, network) before acting; safe to try again.
 * - `outcome_unknown`: the request may or may not have been applied (reply lost, timeout after
 *   sending). Look the result up before repeating a create (find the code by its grant key).
 * - `invalid_input`: the provider refused the request's shape.
 * - `not_configured`: the adapter lacks configuration it needs for this call (e.g. a site's slot
 *   limit the provider does not report); the message names the option to set. Retrying never helps.
 * - `provider_issue`: anything else the provider reported; `providerCode` keeps its name.
 */
export type GatewayFailureCode =
  | 'lock_not_found'
  | 'access_code_not_found'
  | 'site_not_found'
  | 'access_grant_not_found'
  | 'access_grant_exists'
  | 'custom_pin_not_allowed'
  | 'capability_missing'
  | 'hub_offline'
  | 'privacy_mode'
  | 'rate_limited'
  | 'unavailable'
  | 'outcome_unknown'
  | 'invalid_input'
  | 'not_configured'
  | 'provider_issue';

export interface GatewayFailure {
  readonly code: GatewayFailureCode;
  readonly message: string;
  /** The provider's own error type (e.g. Seam's `error.type`), when there was one. */
  readonly providerCode?: string;
  /** Seam's `seam-request-id`, for support. */
  readonly requestId?: string;
  readonly retryAfterMs?: number;
}

/** Slot usage as the provider counts it (subscribed site users). */
export interface ProviderSlotUsage {
  readonly siteId: SiteId;
  readonly used: number;
  readonly limit: number;
}

export interface CreateAccessCodeInput {
  readonly lockId: LockId;
  /** Carries the grant key: see `codeNameFor`. */
  readonly name: string;
  readonly window: AccessWindow;
  /** Only for sites with a custom-PIN subscription; otherwise refused with `custom_pin_not_allowed`. */
  readonly pin?: string;
}

export type UnlockStatus = 'pending' | 'success' | 'error';

/** A remote unlock in flight (Seam's action attempt). */
export interface UnlockAttempt {
  readonly id: string;
  readonly lockId: LockId;
  readonly status: UnlockStatus;
  /** Set when `status` is `error`. */
  readonly error: { readonly providerCode: string; readonly message: string } | null;
}

/**
 * Everything keyslot needs from Salto KS locks behind Seam (or the simulator).
 *
 * Asynchrony is explicit: a created code may be `setting` with `pin: null`, and an unlock
 * returns a pending attempt that later succeeds or fails. Create, delete and unlock are never
 * retried blindly by an implementation: on `outcome_unknown` the caller looks the state up.
 */
export interface LockGateway {
  listSites(): Promise<Result<readonly Site[], GatewayFailure>>;
  getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>>;
  listLocks(siteId?: SiteId): Promise<Result<readonly Lock[], GatewayFailure>>;
  getLock(lockId: LockId): Promise<Result<Lock, GatewayFailure>>;

  /**
   * Creates a code. At the slot limit the provider still creates it, but it carries the issue
   * `slot_limit_reached` and holds no slot: the caller should delete it.
   */
  createAccessCode(input: CreateAccessCodeInput): Promise<Result<AccessCode, GatewayFailure>>;
  getAccessCode(id: AccessCodeId): Promise<Result<AccessCode, GatewayFailure>>;
  listAccessCodes(lockId: LockId): Promise<Result<readonly AccessCode[], GatewayFailure>>;
  /** Starts removal; the code is `removing` and later gone. Deleting a gone code is `access_code_not_found`. */
  deleteAccessCode(id: AccessCodeId): Promise<Result<void, GatewayFailure>>;

  unlock(lockId: LockId): Promise<Result<UnlockAttempt, GatewayFailure>>;
  getUnlockAttempt(id: string): Promise<Result<UnlockAttempt, GatewayFailure>>;
}

export const LOCK_GATEWAY = Symbol.for('keyslot.LockGateway');
