import type { Grant, GrantKey } from '../domain/grant.js';
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
 * Grants, the application's intent. The store assigns versions: `save` succeeds only when the
 * stored version equals `expectedVersion` (0 = must not exist yet), and returns the grant with
 * its new version. This is what lets two app instances share one store safely.
 *
 * Site-level admission: every successful save of a grant of a site bumps that site's revision.
 * A save with `condition.siteRevision` also fails (`site_changed`) when the site's revision is no
 * longer that number — the check and the write are one atomic step. `GrantAccess` reads the
 * revision, then the site's grants, decides, and saves on that condition, so two app instances
 * sharing a store can never both admit a grant into the same last slot.
 */
export interface GrantStore {
  get(key: GrantKey): Promise<Grant | null>;
  listBySite(siteId: SiteId): Promise<readonly Grant[]>;
  listSites(): Promise<readonly SiteId[]>;
  /** The site's revision: 0 before any grant of it was saved; +1 on every successful save of one. */
  siteRevision(siteId: SiteId): Promise<number>;
  save(
    grant: Grant,
    expectedVersion: number,
    condition?: SaveCondition,
  ): Promise<Result<Grant, VersionConflict | SiteChanged>>;
}

export const GRANT_STORE = Symbol.for('keyslot.GrantStore');
