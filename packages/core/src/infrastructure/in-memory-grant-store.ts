import { type Grant, type GrantKey, holdsPlannedSlots } from '../domain/grant.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { GrantStore, SaveCondition, SiteChanged, VersionConflict } from '../ports/grant-store.js';

/**
 * The default GrantStore: a Map. Saves are atomic (each check-and-write runs without an `await`
 * in between), so two app instances sharing one instance get compare-and-set semantics on each
 * grant's version and, with a `siteRevision` condition, on each site's set of grants.
 */
export class InMemoryGrantStore implements GrantStore {
  private readonly grants = new Map<GrantKey, Grant>();
  private readonly revisions = new Map<SiteId, number>();

  async get(key: GrantKey): Promise<Grant | null> {
    return this.grants.get(key) ?? null;
  }

  async listBySite(siteId: SiteId): Promise<readonly Grant[]> {
    return [...this.grants.values()].filter((g) => g.siteId === siteId);
  }

  async listHoldingBySite(siteId: SiteId): Promise<readonly Grant[]> {
    return [...this.grants.values()].filter((g) => g.siteId === siteId && holdsPlannedSlots(g));
  }

  async listSites(): Promise<readonly SiteId[]> {
    return [...new Set([...this.grants.values()].map((g) => g.siteId))];
  }

  async siteRevision(siteId: SiteId): Promise<number> {
    return this.revisions.get(siteId) ?? 0;
  }

  async save(
    grant: Grant,
    expectedVersion: number,
    condition?: SaveCondition,
  ): Promise<Result<Grant, VersionConflict | SiteChanged>> {
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
    const revision = this.revisions.get(grant.siteId) ?? 0;
    if (condition !== undefined && condition.siteRevision !== revision) {
      return err({
        code: 'site_changed',
        message: `Another grant of site "${grant.siteId}" was saved meanwhile (expected site revision ${condition.siteRevision}, found ${revision}); re-read the site's grants and decide again.`,
        siteId: grant.siteId,
        expectedRevision: condition.siteRevision,
        actualRevision: revision,
      });
    }
    const saved: Grant = { ...grant, lockIds: [...grant.lockIds], version: actual + 1 };
    this.grants.set(grant.key, saved);
    this.revisions.set(grant.siteId, revision + 1);
    if (current && current.siteId !== grant.siteId)
      this.revisions.set(current.siteId, (this.revisions.get(current.siteId) ?? 0) + 1);
    return ok(saved);
  }

  /** Everything, for snapshots and tests. */
  all(): readonly Grant[] {
    return [...this.grants.values()];
  }
}
