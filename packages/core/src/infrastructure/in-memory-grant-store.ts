import type { Grant, GrantKey } from '../domain/grant.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { GrantStore, VersionConflict } from '../ports/grant-store.js';

/**
 * The default GrantStore: a Map. Saves are atomic (JavaScript runs one at a time), so two app
 * instances sharing one instance get compare-and-set semantics on each grant's version.
 */
export class InMemoryGrantStore implements GrantStore {
  private readonly grants = new Map<GrantKey, Grant>();

  async get(key: GrantKey): Promise<Grant | null> {
    return this.grants.get(key) ?? null;
  }

  async listBySite(siteId: SiteId): Promise<readonly Grant[]> {
    return [...this.grants.values()].filter((g) => g.siteId === siteId);
  }

  async listSites(): Promise<readonly SiteId[]> {
    return [...new Set([...this.grants.values()].map((g) => g.siteId))];
  }

  async save(grant: Grant, expectedVersion: number): Promise<Result<Grant, VersionConflict>> {
    const current = this.grants.get(grant.key);
    const actual = current?.version ?? 0;
    if (actual !== expectedVersion) {
      return err({
        code: 'version_conflict',
        message: `Grant "${grant.key}" was changed by someone else (expected version ${expectedVersion}, found ${actual}); reload it and try again.`,
        key: grant.key,
        expectedVersion,
        actualVersion: current ? actual : null,
      });
    }
    const saved: Grant = { ...grant, lockIds: [...grant.lockIds], version: actual + 1 };
    this.grants.set(grant.key, saved);
    return ok(saved);
  }

  /** Everything, for snapshots and tests. */
  all(): readonly Grant[] {
    return [...this.grants.values()];
  }
}
