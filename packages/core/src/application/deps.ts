import type { AccessCode, AccessCodeId } from '../domain/access-code.js';
import { grantKeyOf } from '../domain/access-code.js';
import { type Grant, type GrantKey, isCleanupPending } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { AccessPolicy } from '../domain/policy.js';
import type { Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { GatewayFailure, LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';

/** What every use case is built from: the ports and the policy. */
export interface CoreDeps {
  readonly gateway: LockGateway;
  readonly store: GrantStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: AccessPolicy;
}

/** DI token of the `AccessPolicy` value (a plain symbol: core never imports inversify). */
export const ACCESS_POLICY = Symbol.for('keyslot.AccessPolicy');

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

/** The live keyslot codes of grant `key` on one lock (codes being removed are left out). */
export async function codesOfGrantOnLock(
  gateway: LockGateway,
  lockId: LockId,
  key: GrantKey,
): Promise<Result<AccessCode[], GatewayFailure>> {
  const listed = await gateway.listAccessCodes(lockId);
  if (!listed.ok) return listed;
  return {
    ok: true,
    value: listed.value.filter((c) => grantKeyOf(c.name) === key && c.status !== 'removing'),
  };
}

/** Deletes a code, treating "already gone" as done. */
export async function deleteCodeTolerant(
  gateway: LockGateway,
  id: AccessCodeId,
): Promise<Result<void, GatewayFailure>> {
  const r = await gateway.deleteAccessCode(id);
  return !r.ok && r.error.code === 'access_code_not_found' ? { ok: true, value: undefined } : r;
}

/**
 * Records that every code of revoked grant `grant` is confirmed gone (`cleanedUpAt = now`), so it
 * stops holding its planned slots. A versioned save; on a version conflict the grant is re-read
 * and, if it still waits for cleanup, saved once more. Returns the grant as stored afterwards
 * (`null` if it vanished). Whatever this cannot record, the next revoke or reconcile does.
 */
export async function markCleanedUp(store: GrantStore, clock: Clock, grant: Grant): Promise<Grant | null> {
  let current: Grant | null = grant;
  for (let attempt = 0; attempt < 2 && current !== null && isCleanupPending(current); attempt++) {
    const saved = await store.save({ ...current, cleanedUpAt: clock.now() }, current.version);
    current = saved.ok ? saved.value : await store.get(grant.key);
  }
  return current;
}
