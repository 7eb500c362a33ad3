import type { AccessCodeId } from '../domain/access-code.js';
import { GRANT_KEY_PATTERN, type Grant, type GrantKey } from '../domain/grant.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from '../domain/result.js';
import { type AccessPath, accessPathFor } from './access-path.js';
import type { AnyPortDeps } from './deps.js';
import { type GrantNotFound, grantNotFound } from './errors.js';
import type { CleanupPending } from './grant-cleanup.js';
import {
  catchStoreFailure,
  guardStore,
  type StoreFailed,
  storeFailed,
  whenStoreAllows,
} from './store-failures.js';

export interface RevokeAccessSuccess {
  /** `revoked`: revoked now. `already_revoked`: it was revoked before (codes were swept again). */
  readonly code: 'revoked' | 'already_revoked';
  readonly grant: Grant;
  /** Codes (on the ACS path: the access grant) deleted by this call. */
  readonly deleted: readonly AccessCodeId[];
  /**
   * Locks whose codes could not be listed or deleted now. The grant is revoked regardless, so
   * `ReconcileSite` (or calling `RevokeAccess` again) removes them later. Until then the grant
   * keeps holding its planned slots (`grant.cleanedUpAt` stays unset); when this is empty the
   * cleanup is confirmed and `grant.cleanedUpAt` is set.
   */
  readonly cleanupPending: readonly CleanupPending[];
}

export interface RevokeConflict {
  readonly code: 'revoke_conflict';
  readonly message: string;
  readonly key: GrantKey;
}

export type RevokeAccessError = InvalidInput | GrantNotFound | RevokeConflict | StoreFailed;
export type RevokeAccessResult = Result<RevokeAccessSuccess, RevokeAccessError>;

/**
 * Revokes a grant: records the revocation first (so nothing can bring its codes back), then
 * deletes every code on the grant's locks whose name carries the key (on the ACS path: the access
 * grant carrying the key, which frees its one slot at once), and once none is left
 * records it (`cleanedUpAt`): until then the revoked grant keeps holding its planned slots, since
 * a leftover code still takes its slot at the provider. Idempotent: revoking again changes
 * nothing else and retries any cleanup that failed before. When the grant store fails, the
 * outcome is `store_failed`, saying how far it got (revoking again is always safe).
 */
export class RevokeAccess {
  private readonly path: AccessPath;

  /** Either path: `{ gateway, … }` (lock integration) or `{ accessGrants, … }` (ACS). */
  private readonly deps: AnyPortDeps;

  constructor(deps: AnyPortDeps) {
    this.deps = { ...deps, store: guardStore(deps.store) };
    this.path = accessPathFor(this.deps);
  }

  async execute(key: unknown): Promise<RevokeAccessResult> {
    const { logger } = this.deps;
    if (typeof key !== 'string' || !GRANT_KEY_PATTERN.test(key)) {
      logger.log('info', 'revoke refused: invalid input', { outcome: 'invalid_input', fields: ['key'] });
      return err(
        invalidInput([
          { field: 'key', message: 'must be 1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":"' },
        ]),
      );
    }
    // Set once the revocation is recorded: a store failure after that point says so.
    const progress: { revoked?: true } = {};
    return catchStoreFailure(
      () => this.revoke(key, progress),
      (e) => {
        const r = err(
          storeFailed(
            e,
            `Grant "${key}" could not be revoked`,
            progress.revoked
              ? 'after its revocation was recorded: it is revoked, but what the provider holds for it may not all be deleted or its cleanup recorded, so it holds its planned slots until that is done.'
              : e.operation === 'save'
                ? 'while recording its revocation, which may or may not have been kept; nothing was deleted at the provider.'
                : 'before anything was changed.',
            `Revoke it again ${whenStoreAllows(e)} (that is safe), or let ReconcileSite finish it.`,
            { grantKey: key },
          ),
        );
        logger.log('error', 'revoke failed: grant store', {
          outcome: r.error.code,
          grantKey: key,
          reason: r.error.message,
        });
        return r;
      },
    );
  }

  private async revoke(key: GrantKey, progress: { revoked?: true }): Promise<RevokeAccessResult> {
    const { store, clock, logger } = this.deps;
    let grant = await store.get(key);
    if (!grant) {
      logger.log('info', 'revoke refused: unknown grant', { outcome: 'grant_not_found', grantKey: key });
      return err(grantNotFound(key));
    }
    const wasRevoked = grant.revokedAt !== null;
    // Compare-and-set on the version; re-read on a concurrent change.
    for (let attempt = 0; grant.revokedAt === null; attempt++) {
      if (attempt === 5) {
        logger.log('warn', 'revoke: grant keeps changing', { outcome: 'revoke_conflict', grantKey: key });
        return err({
          code: 'revoke_conflict',
          message: `Grant "${key}" kept changing while it was being revoked; try again.`,
          key,
        });
      }
      const saved = await store.save({ ...grant, revokedAt: clock.now() }, grant.version);
      const next = saved.ok ? saved.value : await store.get(key);
      if (!next) return err(grantNotFound(key));
      grant = next;
    }
    progress.revoked = true;

    const sweep = await this.path.sweep(grant, grant);
    grant = sweep.grant ?? grant;
    const { deleted, pending: cleanupPending } = sweep;
    const code = wasRevoked ? 'already_revoked' : 'revoked';
    logger.log(cleanupPending.length > 0 ? 'warn' : 'info', 'grant revoked', {
      outcome: code,
      grantKey: key,
      deleted,
      cleanedUp: (grant.cleanedUpAt ?? null) !== null,
      cleanupPending: cleanupPending.map((p) => ({ lockId: p.lockId, failure: p.failure.code })),
    });
    return ok({ code, grant, deleted, cleanupPending });
  }
}
