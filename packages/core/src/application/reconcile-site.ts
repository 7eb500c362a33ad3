import { type AccessCode, type AccessCodeId, grantKeyOf } from '../domain/access-code.js';
import { type GrantKey, isCleanupPending, isRevoked } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import { desiredCodes, type ReconcileAction, reconcile } from '../domain/reconcile.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import type { PortDeps } from './deps.js';
import { type ProviderFailed, providerFailed, type SiteNotFound, siteNotFound } from './errors.js';
import { deleteCodeTolerant } from './gateway-queries.js';
import { markCleanedUp } from './grant-cleanup.js';
import { ensureCode } from './provisioning.js';

/** One action and what came of it. */
export type AppliedAction = ReconcileAction & {
  /**
   * `done`; `refused_at_limit` (create: Salto refused the slot, the refused code was deleted);
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

export type ReconcileSiteError = InvalidInput | SiteNotFound | ProviderFailed;
export type ReconcileSiteResult = Result<ReconcileReport, ReconcileSiteError>;

/**
 * Makes the codes at the provider match the grants of one site: lists the codes on every lock of
 * the site (and every lock a grant names), computes the actions with the pure `reconcile`, and
 * applies deletes first (freeing slots), then creates. Then it records `cleanedUpAt` on each
 * revoked grant whose codes are now confirmed gone, so it stops holding planned slots.
 * Idempotent: a second run with nothing changed does nothing. Codes of other apps are never touched.
 */
export class ReconcileSite {
  constructor(private readonly deps: PortDeps) {}

  async execute(siteId: unknown): Promise<ReconcileSiteResult> {
    const r = await this.run(siteId);
    const { logger } = this.deps;
    if (r.ok) {
      const count = (result: AppliedAction['result']) =>
        r.value.actions.filter((a) => a.result === result).length;
      logger.log(r.value.converged ? 'info' : 'warn', 'site reconciled', {
        outcome: r.value.code,
        siteId: r.value.siteId,
        converged: r.value.converged,
        deletes: r.value.actions.filter((a) => a.kind === 'delete').length,
        creates: r.value.actions.filter((a) => a.kind === 'create').length,
        failed: count('failed'),
        refusedAtLimit: count('refused_at_limit'),
        skippedLocks: r.value.skippedLocks.map((s) => s.lockId),
      });
    } else {
      logger.log(r.error.code === 'provider_failed' ? 'error' : 'info', 'reconcile refused', {
        outcome: r.error.code,
        siteId: typeof siteId === 'string' ? siteId : null,
        reason: r.error.message,
      });
    }
    return r;
  }

  private async run(siteIdIn: unknown): Promise<ReconcileSiteResult> {
    const { gateway, store, clock, logger } = this.deps;
    if (typeof siteIdIn !== 'string' || siteIdIn.trim() === '') {
      return err(invalidInput([{ field: 'siteId', message: 'must be a non-empty string' }]));
    }
    const siteId: SiteId = siteIdIn;
    const sites = await gateway.listSites();
    if (!sites.ok) return err(providerFailed('listSites', sites.error, { siteId }));
    if (!sites.value.some((s) => s.id === siteId)) return err(siteNotFound(siteId));
    const siteLocks = await gateway.listLocks(siteId);
    if (!siteLocks.ok) return err(providerFailed('listLocks', siteLocks.error, { siteId }));

    const grants = await store.listBySite(siteId);
    const lockIds = [...new Set([...siteLocks.value.map((l) => l.id), ...grants.flatMap((g) => g.lockIds)])];
    const actual: AccessCode[] = [];
    const listed = new Set<LockId>();
    const skippedLocks: { lockId: LockId; failure: GatewayFailure }[] = [];
    for (const lockId of lockIds) {
      const codes = await gateway.listAccessCodes(lockId);
      if (codes.ok) {
        actual.push(...codes.value);
        listed.add(lockId);
      } else {
        skippedLocks.push({ lockId, failure: codes.error });
      }
    }

    const now = clock.now();
    // Only locks whose codes we saw: creating on a lock we could not list might duplicate a code.
    const desired = desiredCodes(grants, now).filter((d) => listed.has(d.lockId));
    const actions = reconcile(desired, actual, now);
    const applied: AppliedAction[] = [];
    for (const a of actions) {
      if (a.kind === 'delete') {
        const del = await deleteCodeTolerant(gateway, a.accessCodeId);
        applied.push(del.ok ? { ...a, result: 'done' } : { ...a, result: 'failed', failure: del.error });
        continue;
      }
      // A create whose reply is lost is looked up by grant key, never blindly repeated.
      const made = await ensureCode(gateway, logger, {
        key: a.grantKey,
        lockId: a.lockId,
        window: a.window,
        lookFirst: false,
      });
      applied.push(
        made.kind === 'ready'
          ? { ...a, result: 'done' }
          : made.kind === 'refused_at_limit'
            ? {
                ...a,
                result: 'refused_at_limit',
                ...(made.cleanupFailure ? { failure: made.cleanupFailure } : {}),
              }
            : { ...a, result: 'failed', failure: made.failure },
      );
    }

    // Revoked grants whose codes are confirmed gone stop holding their planned slots. A lock that
    // no longer exists holds no code; a lock that could not be listed proves nothing.
    const deleted = new Set<AccessCodeId>(
      applied.flatMap((a) => (a.kind === 'delete' && a.result === 'done' ? [a.accessCodeId] : [])),
    );
    const gone = new Set(
      skippedLocks.filter((s) => s.failure.code === 'lock_not_found').map((s) => s.lockId),
    );
    const left = new Set<GrantKey>();
    for (const c of actual) {
      const key = grantKeyOf(c.name);
      if (key !== null && c.status !== 'removing' && !deleted.has(c.id)) left.add(key);
    }
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
      if (!isCleanupPending(g) || left.has(g.key)) continue;
      if (!g.lockIds.every((l) => listed.has(l) || gone.has(l))) continue;
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
