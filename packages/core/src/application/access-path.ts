import type { AccessGrantId } from '../domain/access-grant.js';
import type { Grant, GrantKey } from '../domain/grant.js';
import type { Lock, LockId } from '../domain/lock.js';
import type { Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import type { Instant } from '../domain/time.js';
import type { GatewayFailure, ProviderSlotUsage } from '../ports/lock-gateway.js';
import { AccessGrantPath } from './access-grant-path.js';
import type { AssignedPin, WaitingLock } from './await-pins.js';
import type { AnyPortDeps, PortDeps } from './deps.js';
import type { ProviderFailed } from './errors.js';
import type { LockProvisioning } from './grant-access.js';
import type { Sweep } from './grant-cleanup.js';
import { LockCodePath } from './lock-code-path.js';
import type { AppliedAction } from './reconcile-site.js';

/**
 * The one internal interface behind which the use cases meet the provider, whichever path reaches
 * the site: Seam's lock integration (`LockCodePath`, over a `LockGateway`: one access code per
 * lock) or its Salto KS access control system (`AccessGrantPath`, over an `AccessGrantGateway`:
 * one access grant per grant). Each use case keeps its one job (admission, rollback, the PIN
 * wait, the cleanup record, the report) and asks the path only what differs between the two, so
 * no use case branches on the path. Not exported from the package: the ports are the public seam.
 */
export interface AccessPath {
  listSites(): Promise<Result<readonly Site[], GatewayFailure>>;
  getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>>;
  /** The locks (doors) among `ids` that the provider knows, as the policy reads them; unknown ids are left out. */
  findLocks(ids: readonly LockId[]): Promise<Result<Lock[], ProviderFailed>>;
  /**
   * Makes sure `grant` exists at the provider, never creating blindly twice (`replay`: look first;
   * after a lost reply: look it up by grant key). A refusal at the limit leaves nothing holding a
   * slot behind (or reports the cleanup failure to the caller's sweep).
   */
  provision(grant: Grant, options: ProvisionOptions): Promise<Provisioning>;
  /**
   * Removes everything the provider holds for `grant` (its codes, or its access grant) and, when
   * nothing is left pending, records the cleanup on `recorded` (`cleanedUpAt`).
   */
  sweep(grant: Grant, recorded: Grant | null): Promise<Sweep>;
  /** The grant's PINs as the provider shows them now, per lock (door). */
  pins(grant: Grant): Promise<Result<PinLook, ProviderFailed>>;
  /**
   * Lists what the provider holds for the site's grants, applies the actions that converge it
   * (deletes first), and says what is left, so `ReconcileSite` can record cleanups.
   */
  reconcile(
    siteId: SiteId,
    grants: readonly Grant[],
    now: Instant,
  ): Promise<Result<PathReconcile, ProviderFailed>>;
}

export interface ProvisionOptions {
  /** A replay of a stored grant: look for what exists before creating anything. */
  readonly replay: boolean;
  /** The policy's `onOfflineHub` is `accept_and_retry`: a lock whose hub is offline is left pending. */
  readonly acceptOfflineHub: boolean;
}

export type Provisioning =
  /** At the provider. `accessGrantId` is set on the ACS path. */
  | {
      readonly kind: 'ready';
      readonly locks: readonly LockProvisioning[];
      readonly accessGrantId: AccessGrantId | null;
    }
  /** Salto refused a slot. `lockId`: the lock whose code was refused, `null` for a whole access grant. */
  | { readonly kind: 'refused_at_limit'; readonly lockId: LockId | null }
  /** The lock's hub is offline and the policy refuses that (lock path). */
  | { readonly kind: 'hub_offline'; readonly lockId: LockId; readonly failure: GatewayFailure }
  | {
      readonly kind: 'failed';
      readonly operation: string;
      readonly lockId: LockId | null;
      readonly failure: GatewayFailure;
    };

export interface PinLook {
  readonly ready: readonly AssignedPin[];
  readonly waiting: readonly WaitingLock[];
}

export interface PathReconcile {
  readonly actions: readonly AppliedAction[];
  /** Locks whose codes could not be listed: left alone (nothing is created blindly). */
  readonly skippedLocks: readonly { readonly lockId: LockId; readonly failure: GatewayFailure }[];
  /** Grant keys the provider still holds something for after the actions (`removing` codes aside). */
  readonly left: ReadonlySet<GrantKey>;
  /** Whether the listing covered all of `grant` (so "nothing left" proves its cleanup). */
  covered(grant: Grant): boolean;
}

/** The path the deps name: `accessGrants` → the ACS path, `gateway` → the lock path. */
export const accessPathFor = (deps: AnyPortDeps): AccessPath =>
  'accessGrants' in deps && deps.accessGrants !== undefined
    ? new AccessGrantPath(deps)
    : new LockCodePath(deps as PortDeps);
