import { checkUnlockInputs } from './decision-inputs.js';
import type { Grant, GrantKey } from './grant.js';
import type { LockRefusalBase } from './grant-decision.js';
import type { HubLink, Lock, LockId } from './lock.js';
import type { AccessPolicy } from './policy.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import { type Instant, windowContains } from './time.js';

export interface UnlockState {
  /** The lock as the provider returned it; `null` when it was not found. */
  readonly lock: Lock | null;
  /**
   * Grants to find the holder's active one among (the holder's, or all of the lock's site: only the
   * holder's own count); needed when `remoteUnlock` is `active_grant_holders`.
   */
  readonly grantsOfHolder?: readonly Grant[];
  readonly now: Instant;
}

export interface UnlockRequest {
  readonly lockId: LockId;
  readonly holder?: string;
}

export interface UnlockPermit {
  readonly lockId: LockId;
  readonly holder: string | null;
  /** The active grant that allows it, under `active_grant_holders`. */
  readonly grantKey: GrantKey | null;
  readonly hubLink: HubLink;
}

export type UnlockRefusal =
  | InvalidInput
  | { readonly code: 'remote_unlock_not_allowed'; readonly message: string; readonly lockId: LockId }
  | {
      readonly code: 'no_active_grant';
      readonly message: string;
      readonly lockId: LockId;
      readonly holder: string | null;
    }
  | (LockRefusalBase & { readonly code: 'lock_not_found' })
  | (LockRefusalBase & { readonly code: 'capability_missing' })
  | (LockRefusalBase & { readonly code: 'hub_offline' })
  | (LockRefusalBase & { readonly code: 'hub_weak' })
  | (LockRefusalBase & { readonly code: 'privacy_mode' });

export type UnlockRefusalCode = UnlockRefusal['code'];
export type UnlockDecision = Result<UnlockPermit, UnlockRefusal>;

/**
 * An active grant for (holder, lock) at `now`: not revoked, window contains now, lists the lock.
 * No holder (`null`) has none: a grant's holder is always a string.
 */
export function activeGrantFor(
  grants: readonly Grant[],
  holder: string | null,
  lockId: LockId,
  now: Instant,
): Grant | null {
  return (
    grants.find(
      (g) =>
        g.holder === holder &&
        g.revokedAt === null &&
        g.lockIds.includes(lockId) &&
        windowContains(g.window, now),
    ) ?? null
  );
}

/**
 * Decides whether a remote unlock may be sent. Who may ask comes first (policy), then what the
 * lock can do (capability, privacy mode, hub link). Total: never throws (the inputs' shapes are checked
 * first, in `decision-inputs.ts`).
 */
export function decideUnlock(
  policy: AccessPolicy,
  state: UnlockState,
  request: UnlockRequest,
): UnlockDecision {
  const checked = checkUnlockInputs(policy, state, request);
  if (!checked.ok) return checked;
  return evaluateUnlock(checked.value.policy, checked.value.state, checked.value.request);
}

/**
 * The unlock rule itself, over well-typed values. It checks no shapes: callers holding untrusted
 * values use {@link decideUnlock}.
 */
export function evaluateUnlock(
  policy: AccessPolicy,
  state: UnlockState,
  request: UnlockRequest,
): UnlockDecision {
  const id = request.lockId;
  const holder = request.holder ?? null;
  const lock = state.lock ?? null;
  if (lock === null) {
    return err({
      code: 'lock_not_found',
      lockId: id,
      message: `Lock "${id}" was not found at the provider; check the lock id.`,
    });
  }
  if (lock.id !== id) {
    return err(
      invalidInput([{ field: 'lock.id', message: `is "${lock.id}" but the request is for "${id}"` }]),
    );
  }

  if (policy.remoteUnlock === 'nobody') {
    return err({
      code: 'remote_unlock_not_allowed',
      lockId: id,
      message: `Remote unlock of lock "${id}" is disabled by the policy (remoteUnlock: "nobody"); use a PIN or change the policy.`,
    });
  }
  let grantKey: GrantKey | null = null;
  if (policy.remoteUnlock === 'active_grant_holders') {
    const grant = activeGrantFor(state.grantsOfHolder ?? [], holder, id, state.now);
    if (!grant) {
      return err({
        code: 'no_active_grant',
        lockId: id,
        holder,
        message:
          holder === null
            ? `Remote unlock of lock "${id}" is only for holders of an active grant, and no holder was given; pass the holder.`
            : `Holder "${holder}" has no active grant on lock "${id}" right now; grant access first, or wait for the grant's window to start.`,
      });
    }
    grantKey = grant.key;
  }
  if (!lock.capabilities.remoteUnlock) {
    return err({
      code: 'capability_missing',
      lockId: id,
      message: `Lock "${id}" (${lock.name}) cannot be unlocked remotely (no remote-opening waiver on its IQ hub); ask Salto to enable remote opening for the site.`,
    });
  }
  if (lock.modes.privacy) {
    return err({
      code: 'privacy_mode',
      lockId: id,
      message: `Lock "${id}" (${lock.name}) is in privacy mode and refuses remote unlocks; it can only be opened from inside until privacy mode ends.`,
    });
  }
  if (lock.hubLink === 'offline') {
    return err({
      code: 'hub_offline',
      lockId: id,
      message: `The IQ hub of lock "${id}" (${lock.name}) is offline, so no remote unlock can reach it; check the hub's power and internet link, or use a PIN.`,
    });
  }
  if (lock.hubLink === 'weak' && policy.onWeakHub === 'refuse') {
    return err({
      code: 'hub_weak',
      lockId: id,
      message: `The hub link of lock "${id}" (${lock.name}) is weak, and the policy refuses weak hubs; use a PIN, or set onWeakHub to "accept".`,
    });
  }
  return ok({ lockId: id, holder, grantKey, hubLink: lock.hubLink });
}
