import type { GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { SiteId } from '../domain/site.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';

/**
 * The failures several use cases share, each with its builder: what happened, to what, and
 * what to do. Use-case-specific outcomes stay with their use case.
 */

/**
 * The provider failed in a way that is not a business outcome of the use case (5xx, rate limit,
 * lost reply on a read…). `failure` keeps the gateway's code and request id for support.
 */
export interface ProviderFailed {
  readonly code: 'provider_failed';
  readonly message: string;
  /** The gateway method that failed, e.g. `listSites`, `createAccessCode`. */
  readonly operation: string;
  readonly failure: GatewayFailure;
  readonly siteId?: SiteId;
  readonly lockId?: LockId;
}

export function providerFailed(
  operation: string,
  failure: GatewayFailure,
  target: { siteId?: SiteId; lockId?: LockId } = {},
  todo = 'retry later; nothing was half-done',
): ProviderFailed {
  const on = target.lockId
    ? ` for lock "${target.lockId}"`
    : target.siteId
      ? ` for site "${target.siteId}"`
      : '';
  if (failure.code === 'not_configured') {
    // A configuration problem, not a failure of the provider: say what to set, never "retry".
    return {
      code: 'provider_failed',
      message: `The lock provider is not configured for ${operation}${on}: ${failure.message}`,
      operation,
      failure,
      ...target,
    };
  }
  return {
    code: 'provider_failed',
    message: `The lock provider failed ${operation}${on} (${failure.code}: ${failure.message}); ${todo}.`,
    operation,
    failure,
    ...target,
  };
}

export interface SiteNotFound {
  readonly code: 'site_not_found';
  readonly message: string;
  readonly siteId: SiteId;
}

export const siteNotFound = (siteId: SiteId): SiteNotFound => ({
  code: 'site_not_found',
  message: `Site "${siteId}" is not one of the Salto KS sites the provider knows; check the site id, or connect the site's Salto KS account in Seam.`,
  siteId,
});

export interface GrantNotFound {
  readonly code: 'grant_not_found';
  readonly message: string;
  readonly key: GrantKey;
}

export const grantNotFound = (key: GrantKey): GrantNotFound => ({
  code: 'grant_not_found',
  message: `No grant has the key "${key}"; check the key (grants are found by the key given when access was granted).`,
  key,
});

/**
 * Thrown for a policy that fails `parsePolicy` (a configuration error): by `createKeyslotContainer`,
 * and by the use cases that apply a policy when built with one by hand.
 */
export class InvalidPolicyError extends Error {
  readonly code = 'invalid_policy';
  constructor(
    message: string,
    readonly issues: readonly { readonly field: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'InvalidPolicyError';
  }
}
