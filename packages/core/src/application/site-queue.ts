import type { SiteId } from '../domain/site.js';

/**
 * Runs work for one site at a time, in arrival order; work for different sites runs
 * concurrently. It orders grants within one process only: across processes, the store's
 * conditional save on the site's revision does (see `grant-admission.ts`).
 */
export class SiteQueue {
  /** The settled tail of each site's queue; removed once the site's queue drains. */
  private readonly tails = new Map<SiteId, Promise<unknown>>();

  /** Runs `work` after every earlier work of `siteId` has settled (fulfilled or rejected). */
  async run<T>(siteId: SiteId, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(siteId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.tails.set(siteId, settled);
    try {
      return await current;
    } finally {
      if (this.tails.get(siteId) === settled) this.tails.delete(siteId);
    }
  }

  /** Sites with work queued or running (for tests). */
  get busySites(): number {
    return this.tails.size;
  }
}
