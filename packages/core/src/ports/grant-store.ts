import { type Grant, type GrantKey, holdsPlannedSlots } from '../domain/grant.js';
import type { Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';

export interface VersionConflict {
  readonly code: 'version_conflict';
  readonly message: string;
  readonly key: GrantKey;
  readonly expectedVersion: number;
  readonly actualVersion: number | null;
}

/** A conditional save lost a race: another grant of the site was saved since the caller read it. */
export interface SiteChanged {
  readonly code: 'site_changed';
  readonly message: string;
  readonly siteId: SiteId;
  readonly expectedRevision: number;
  readonly actualRevision: number;
}

/** Extra condition of a save: the grant's site is still at this revision (see `siteRevision`). */
export interface SaveCondition {
  readonly siteRevision: number;
}

/**
 * What went wrong with the store itself — not an outcome of the grant (those are the results of
 * `save`), but a fault of where grants are kept. `retryable` says whether the same call may
 * succeed later without anyone fixing anything.
 */
export type StoreFailureCode =
  /** The database cannot be reached, or the connection was lost: retry once it is back. */
  | 'store_unavailable'
  /** Concurrent work kept conflicting (after the store's own retries): retry shortly. */
  | 'store_busy'
  /** The stored data cannot be read (a damaged database): restore it; retrying does not help. */
  | 'store_corrupted'
  /** The store cannot be used as set up (closed, held by another process, migrated by a newer version, misconfigured): fix that; retrying does not help. */
  | 'store_unusable'
  /** A value the store cannot keep (e.g. a NUL character in a holder): nothing was written; change the value. */
  | 'store_rejected_value'
  /** Anything else the store reported. */
  | 'store_error';

export interface StoreFailure {
  readonly code: StoreFailureCode;
  /** Whether the same call may succeed later as it is (the store came back, the contention passed). */
  readonly retryable: boolean;
  /** What happened and what to do. Never a password or a connection string. */
  readonly message: string;
  /** The store's own, finer code when it has one (e.g. `@keyslot/postgres-store`'s `store_in_use`). */
  readonly detail?: string;
}

/**
 * How a `GrantStore` method reports a `StoreFailure`: it throws this (its results carry only the
 * outcomes of a save). The use cases catch it and return `store_failed` instead of throwing; a
 * store that throws anything else is reported as `store_error` without its text (which might
 * carry a secret), so stores should throw this.
 */
export class StoreFailureError extends Error {
  override readonly name: string = 'StoreFailureError';
  constructor(readonly failure: StoreFailure) {
    super(failure.message);
  }
}

/**
 * Grants, the application's intent. The store assigns versions: `save` succeeds only when the
 * stored version equals `expectedVersion` (0 = must not exist yet), and returns the grant with
 * its new version. This is what lets two app instances share one store safely.
 *
 * Site-level admission: every successful save of a grant of a site bumps that site's revision.
 * A save with `condition.siteRevision` also fails (`site_changed`) when the site's revision is no
 * longer that number — the check and the write are one atomic step. `GrantAccess` reads the
 * revision, then the site's grants, decides, and saves on that condition, so two app instances
 * sharing a store can never both admit a grant into the same last slot.
 *
 * A store may fail (a database gone, damaged or busy): its methods then throw a
 * `StoreFailureError`, after which nothing of a failed `save` is kept — or, when the failure came
 * as the save committed (a lost reply), all of it. The use cases turn it into `store_failed`.
 */
export interface GrantStore {
  get(key: GrantKey): Promise<Grant | null>;
  listBySite(siteId: SiteId): Promise<readonly Grant[]>;
  /**
   * Optional: the site's grants that still count toward its slots — not revoked, or revoked and
   * not yet cleaned up (`holdsPlannedSlots`) — i.e. `listBySite` without the finished history.
   * `GrantAccess` and `ReportSlotUsage` plan with these, so a site with 10^5 grants in its past
   * costs what its live ones cost. Without it keyslot filters `listBySite` (see `holdingGrants`).
   */
  listHoldingBySite?(siteId: SiteId): Promise<readonly Grant[]>;
  listSites(): Promise<readonly SiteId[]>;
  /** The site's revision: 0 before any grant of it was saved; +1 on every successful save of one. */
  siteRevision(siteId: SiteId): Promise<number>;
  save(
    grant: Grant,
    expectedVersion: number,
    condition?: SaveCondition,
  ): Promise<Result<Grant, VersionConflict | SiteChanged>>;
}

/** The site's grants that still count toward its slots: `store.listHoldingBySite`, or `listBySite` filtered. */
export async function holdingGrants(store: GrantStore, siteId: SiteId): Promise<readonly Grant[]> {
  if (store.listHoldingBySite) return store.listHoldingBySite(siteId);
  return (await store.listBySite(siteId)).filter(holdsPlannedSlots);
}

export const GRANT_STORE = Symbol.for('keyslot.GrantStore');
