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

/**
 * Grants, the application's intent. The store assigns versions: `save` succeeds only when the
 * stored version equals `expectedVersion` (0 = must not exist yet), and returns the grant with
 * its new version. This is what lets two app instances share one store safely.
 */
export interface GrantStore {
  get(key: GrantKey): Promise<Grant | null>;
  listBySite(siteId: SiteId): Promise<readonly Grant[]>;
  listSites(): Promise<readonly SiteId[]>;
  save(grant: Grant, expectedVersion: number): Promise<Result<Grant, VersionConflict>>;
}

export const GRANT_STORE = Symbol.for('keyslot.GrantStore');
