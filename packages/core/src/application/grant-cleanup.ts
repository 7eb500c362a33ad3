import type { AccessCodeId } from '../domain/access-code.js';
import { type Grant, isCleanupPending } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { GatewayFailure, LockGateway } from '../ports/lock-gateway.js';
import { codesOfGrantOnLock, deleteCodeTolerant } from './gateway-queries.js';

/**
 * Removing a revoked grant's codes from the provider and recording when they are all gone
 * (`Grant.cleanedUpAt`): shared by `RevokeAccess`, `GrantAccess`'s rollback and `ReconcileSite`.
 */

/**
 * Records that every code of revoked grant `grant` is confirmed gone (`cleanedUpAt = now`), so it
 * stops holding its planned slots. A versioned save; on a version conflict the grant is re-read
 * and, if it still waits for cleanup, saved once more. Returns the grant as stored afterwards
 * (`null` if it vanished, or was `null` to begin with: nothing to record). Whatever this cannot
 * record, the next revoke or reconcile does.
 */
export async function markCleanedUp(
  store: Pick<GrantStore, 'save' | 'get'>,
  clock: Clock,
  grant: Grant | null,
): Promise<Grant | null> {
  let current = grant;
  for (let attempt = 0; attempt < 2 && current !== null && isCleanupPending(current); attempt++) {
    const saved = await store.save({ ...current, cleanedUpAt: clock.now() }, current.version);
    current = saved.ok ? saved.value : await store.get(current.key);
  }
  return current;
}

/** A lock whose codes could not be listed or deleted now. */
export interface CleanupPending {
  readonly lockId: LockId;
  readonly failure: GatewayFailure;
}

export interface Sweep {
  /** The grant as stored afterwards (`cleanedUpAt` set when nothing was left pending). */
  readonly grant: Grant | null;
  readonly deleted: readonly AccessCodeId[];
  readonly pending: readonly CleanupPending[];
}

/**
 * Deletes every code carrying `grant`'s key on its locks (a lock that no longer exists holds no
 * code), and when nothing is left pending records the cleanup on `recorded` — the grant as
 * stored, which must already be revoked for the record to be made (see `markCleanedUp`).
 */
export async function sweepGrantCodes(
  ports: {
    readonly gateway: Pick<LockGateway, 'listAccessCodes' | 'deleteAccessCode'>;
    readonly store: Pick<GrantStore, 'save' | 'get'>;
    readonly clock: Clock;
  },
  grant: Grant,
  recorded: Grant | null,
): Promise<Sweep> {
  const { gateway, store, clock } = ports;
  const deleted: AccessCodeId[] = [];
  const pending: CleanupPending[] = [];
  for (const lockId of grant.lockIds) {
    const codes = await codesOfGrantOnLock(gateway, lockId, grant.key);
    if (!codes.ok) {
      if (codes.error.code !== 'lock_not_found') pending.push({ lockId, failure: codes.error });
      continue;
    }
    for (const c of codes.value) {
      const del = await deleteCodeTolerant(gateway, c.id);
      if (del.ok) deleted.push(c.id);
      else pending.push({ lockId, failure: del.error });
    }
  }
  const after = pending.length === 0 ? await markCleanedUp(store, clock, recorded) : recorded;
  return { grant: after, deleted, pending };
}
