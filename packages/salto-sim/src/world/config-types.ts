/**
 * Public types of the world's configuration (timings, weak links, rate limits, the
 * not-subscribed error name) and of fault injection. Re-exported by `types.ts`.
 */

import type { NotSubscribedProviderCode } from '@keyslot/core';

// ───────────────────────────── configuration ─────────────────────────────

/** An inclusive range of milliseconds; each delay is drawn uniformly from it (seeded). */
export type DelayRange = readonly [min: number, max: number];

/** Which name the world uses for the per-code "user not subscribed" error (core's list of them). */
export type NotSubscribedErrorCode = NotSubscribedProviderCode;

/** Operations that count against Seam's per-device rate limits and that faults can target. */
export type RateLimitedOperation =
  | 'create_access_code'
  | 'update_access_code'
  | 'delete_access_code'
  | 'unlock_door'
  | 'lock_door';

/**
 * ACS mutations that count against the simulator's per-ACS-system rate limits (Seam does not
 * publish ACS limits; see `ACS_RATE_LIMITS`).
 */
export type AcsRateLimitedOperation =
  | 'create_acs_user'
  | 'update_acs_user'
  | 'delete_acs_user'
  | 'create_acs_credential'
  | 'delete_acs_credential'
  | 'create_access_grant'
  | 'delete_access_grant';

/** ACS reads and user-identity calls (faults can target them; no rate limit). */
export type AcsReadOperation =
  | 'list_acs_systems'
  | 'get_acs_system'
  | 'list_acs_entrances'
  | 'get_acs_entrance'
  | 'list_acs_access_groups'
  | 'get_acs_access_group'
  | 'list_acs_users'
  | 'get_acs_user'
  | 'list_acs_credentials'
  | 'get_acs_credential'
  | 'create_user_identity'
  | 'list_user_identities'
  | 'get_user_identity'
  | 'list_access_grants'
  | 'get_access_grant'
  | 'list_access_methods'
  | 'get_access_method';

/** Every API operation of the world; faults can target any of them. */
export type SimOperation =
  | RateLimitedOperation
  | AcsRateLimitedOperation
  | AcsReadOperation
  | 'list_connected_accounts'
  | 'get_connected_account'
  | 'list_sites'
  | 'get_site'
  | 'list_devices'
  | 'get_device'
  | 'list_access_codes'
  | 'get_access_code'
  | 'get_action_attempt'
  | 'list_events';

export interface SimTimings {
  /** Salto cloud generates the PIN this long after the code enters programming. Default 1–3 s. */
  readonly pinAssignmentMs: DelayRange;
  /** Programming a code onto the lock through the IQ hub. Default 1–5 s. */
  readonly programmingMs: DelayRange;
  /** Removing a code from the lock. Default 1–5 s. */
  readonly removalMs: DelayRange;
  /** A remote unlock's (or lock's) action attempt completes after this. Default 1–6 s. */
  readonly unlockMs: DelayRange;
  /** After a successful remote unlock the lock relocks after this (Salto open time, default 7 s). */
  readonly relockMs: number;
}

export interface WeakLinkBehaviour {
  /** Hub-bound delays (programming, removal, unlock) are multiplied by this. Default 3. */
  readonly slowdownFactor: number;
  /** Probability that one hub-bound step fails (programming is retried, unlock ends in error). Default 0.25. */
  readonly failureProbability: number;
}

export interface RateLimitConfig {
  readonly enabled: boolean;
  /** Sliding window length. Default 60 000 ms. */
  readonly windowMs: number;
  /** Calls allowed per device per window. Defaults: create 10, update 10, delete 20, unlock 15, lock 15 (Seam's limits). */
  readonly perDevice: Readonly<Record<RateLimitedOperation, number>>;
}

export interface WorldConfig {
  readonly timings: SimTimings;
  readonly weakLink: WeakLinkBehaviour;
  readonly rateLimits: RateLimitConfig;
  /** Default `salto_site_user_not_subscribed` (the name Seam's Salto guide uses). */
  readonly notSubscribedErrorCode: NotSubscribedErrorCode;
  /** Events kept in the ring buffer; older ones are dropped. Default 1000. */
  readonly eventLogCapacity: number;
  /** Finished action attempts kept for `getActionAttempt`; older ones are forgotten (404). Default 1000. */
  readonly actionAttemptRetention: number;
}

export interface WorldConfigInput {
  readonly timings?: Partial<SimTimings>;
  readonly weakLink?: Partial<WeakLinkBehaviour>;
  readonly rateLimits?: {
    readonly enabled?: boolean;
    readonly windowMs?: number;
    readonly perDevice?: Partial<Record<RateLimitedOperation, number>>;
  };
  readonly notSubscribedErrorCode?: NotSubscribedErrorCode;
  readonly eventLogCapacity?: number;
  readonly actionAttemptRetention?: number;
}

// ───────────────────────────── faults ─────────────────────────────

/**
 * A fault on demand, consumed by the next `count` matching calls.
 * - `server_error`: fails before acting with 500 `internal_server_error` or 503 `service_unavailable`.
 * - `rate_limited`: fails before acting with 429 `rate_limit_exceeded`.
 * - `latency`: the call is delayed by `latencyMs` of clock time (applied by the async caller —
 *   see `SaltoKsWorld.takeLatency`), then proceeds normally.
 * - `reply_lost`: the call is applied, then answered with 504 `reply_lost` (`committed: true`).
 */
export type FaultSpec =
  | { readonly kind: 'server_error'; readonly status?: 500 | 503 }
  | { readonly kind: 'rate_limited'; readonly retryAfterMs?: number }
  | { readonly kind: 'latency'; readonly latencyMs: number }
  | { readonly kind: 'reply_lost' };

export type FaultInput = FaultSpec & {
  /** How many calls it affects. Default 1. */
  readonly count?: number;
  /** Only these operations; default: any operation. */
  readonly operations?: readonly SimOperation[];
};

export interface ActiveFault {
  readonly faultId: number;
  readonly spec: FaultSpec;
  readonly remaining: number;
  readonly operations: readonly SimOperation[] | null;
}
