import { type GrantKey, isCleanupPending, isRevoked } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { ReconcileAction } from '../domain/reconcile.js';
import type { AccessGrantAction } from '../domain/reconcile-access-grants.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import { type AccessPath, accessPathFor } from './access-path.js';
import type { AnyPortDeps } from './deps.js';
import { type ProviderFailed, providerFailed, type SiteNotFound, siteNotFound } from './errors.js';
import { markCleanedUp } from './grant-cleanup.js';
import {
  catchStoreFailure,
  guardStore,
  type StoreFailed,
  storeFailed,
  whenStoreAllows,
} from './store-failures.js';

/**
 * One action and what came of it: on the lock path a code created or deleted on a lock
 * (`create` / `delete`), on the ACS path an access grant (`create_access_grant` /
 * `delete_access_grant`, see `reconcileAccessGrants`).
 */
export type AppliedAction = (ReconcileAction | AccessGrantAction) & {
  /**
   * `done`; `refused_at_limit` (create: Salto refused the slot, the refused code or access grant was deleted);
   * `failed` (see `failure`; the next run tries again).
   */
  readonly result: 'done' | 'refused_at_limit' | 'failed';
  readonly failure?: GatewayFailure;
};

export interface ReconcileReport {
  readonly code: 'reconciled';
  readonly siteId: SiteId;
  readonly actions: readonly AppliedAction[];
  /** Locks whose codes could not be listed: left alone this run (nothing is created blindly). */
  readonly skippedLocks: readonly { readonly lockId: LockId; readonly failure: GatewayFailure }[];
  /** True when every action succeeded and no lock was skipped. */
  readonly converged: boolean;
  /**
   * Revoked grants whose codes this run confirmed gone (every lock of the grant listed, or no
   * longer existing, and no code carrying the key left but `removing` ones): their `cleanedUpAt`
   * was recorded, so they stop holding planned slots.
   */
  readonly cleanedUp: readonly GrantKey[];
}

export type ReconcileSiteError = InvalidInput | SiteNotFound | ProviderFailed | StoreFailed;
export type ReconcileSiteResult = Result<ReconcileReport, ReconcileSiteError>;

/**
 * Makes what the provider holds match the grants of one site, on the site's path: on the lock
 * integration it lists the codes on every lock of the site (and every lock a grant names) and
 * applies the pure `reconcile`'s actions; on the ACS path it lists the site's access grants and
 * applies `reconcileAccessGrants`' — deletes first (freeing slots), then creates. Then it records
 * `cleanedUpAt` on each revoked grant whose codes (or access grant) are now confirmed gone, so it
 * stops holding planned slots. Idempotent: a second run with nothing changed does nothing. What
 * belongs to other apps is never touched. When the grant store fails, the outcome is
 * `store_failed` (running it again is safe).
 */
export class ReconcileSite {
  private readonly path: AccessPath;

  /** Either path: `{ gateway, … }` (lock integration) or `{ accessGrants, … }` (ACS). */
  private readonly deps: AnyPortDeps;

  constructor(deps: AnyPortDeps) {
    this.deps = { ...deps, store: guardStore(deps.store) };
    this.path = accessPathFor(this.deps);
  }

  async execute(siteId: unknown): Promise<ReconcileSiteResult> {
    const r =
      typeof siteId !== 'string' || siteId.trim() === ''
        ? err(invalidInput([{ field: 'siteId', message: 'must be a non-empty string' }]))
        : await this.runOrStoreFailed(siteId);
    const { logger } = this.deps;
    if (r.ok) {
      const count = (result: AppliedAction['result']) =>
        r.value.actions.filter((a) => a.result === result).length;
      logger.log(r.value.converged ? 'info' : 'warn', 'site reconciled', {
        outcome: r.value.code,
        siteId: r.value.siteId,
        converged: r.value.converged,
        deletes: r.value.actions.filter((a) => a.kind === 'delete' || a.kind === 'delete_access_grant')
          .length,
        creates: r.value.actions.filter((a) => a.kind === 'create' || a.kind === 'create_access_grant')
          .length,
        failed: count('failed'),
        refusedAtLimit: count('refused_at_limit'),
        skippedLocks: r.value.skippedLocks.map((s) => s.lockId),
      });
    } else {
      const fault = r.error.code === 'provider_failed' || r.error.code === 'store_failed';
      logger.log(fault ? 'error' : 'info', 'reconcile refused', {
        outcome: r.error.code,
        siteId: typeof siteId === 'string' ? siteId : null,
        reason: r.error.message,
      });
    }
    return r;
  }

  /** `run`, with a failure of the grant store turned into `store_failed` (running it again is safe). */
  private runOrStoreFailed(siteId: SiteId): Promise<ReconcileSiteResult> {
    return catchStoreFailure(
      () => this.run(siteId),
      (e): ReconcileSiteResult =>
        err(
          storeFailed(
            e,
            `Site "${siteId}" could not be reconciled`,
            e.operation === 'listBySite'
              ? 'while reading its grants: nothing was changed.'
              : 'while recording which revoked grants are cleaned up; what it did at the provider is kept.',
            `Run it again ${whenStoreAllows(e)}: it is idempotent.`,
            { siteId },
          ),
        ),
    );
  }

  private async run(siteId: SiteId): Promise<ReconcileSiteResult> {
    const { store, clock, logger } = this.deps;
    const sites = await this.path.listSites();
    if (!sites.ok) return err(providerFailed('listSites', sites.error, { siteId }));
    if (!sites.value.some((s) => s.id === siteId)) return err(siteNotFound(siteId));

    const grants = await store.listBySite(siteId);
    const done = await this.path.reconcile(siteId, grants, clock.now());
    if (!done.ok) return done;
    const { actions: applied, skippedLocks, left, covered } = done.value;

    // Revoked grants whose codes (or access grant) are confirmed gone stop holding their planned slots.
    const cleanedUp: GrantKey[] = [];
    for (const g of grants) {
      if (isRevoked(g) && !isCleanupPending(g) && left.has(g.key)) {
        // A code of a grant recorded as cleaned up is back (a create sent by a crashed instance
        // landed late) and could not be deleted now: count the grant in the plan again until it is.
        const reopened = await store.save({ ...g, cleanedUpAt: null }, g.version);
        logger.log('warn', 'revoked grant has a code again; its slots count until it is deleted', {
          siteId,
          grantKey: g.key,
          recorded: reopened.ok,
        });
        continue;
      }
      if (!isCleanupPending(g) || left.has(g.key) || !covered(g)) continue;
      const saved = await markCleanedUp(store, clock, g);
      if (saved !== null && (saved.cleanedUpAt ?? null) !== null) cleanedUp.push(g.key);
    }
    if (cleanedUp.length > 0)
      logger.log('info', 'revoked grants cleaned up', { siteId, grantKeys: cleanedUp });

    return ok({
      code: 'reconciled',
      siteId,
      actions: applied,
      skippedLocks,
      converged: skippedLocks.length === 0 && applied.every((a) => a.result === 'done'),
      cleanedUp,
    });
  }
}
