import { ALMOST_REACHED_RATIO } from '@keyslot/core/domain';
import type { AcsUserState } from './acs/state.js';
import type { CodeState, SiteState, WorldState } from './state.js';

/**
 * Whether a loaded code was refused a slot (the site was at its limit when it loaded, or the limit
 * was lowered under it): it carries the not-subscribed error and never holds a slot again.
 */
export const isRefused = (code: CodeState): boolean => code.loaded && !code.holdsSlot;

/**
 * The slot ledger: the ONLY code that writes a site's used count (`site.used`), whether a code
 * holds a slot (`code.holdsSlot`) and the site's limit flags (`limitReachedSince`,
 * `almostReachedSince`); an architecture test keeps it so.
 *
 * Salto's rule: per site, `used` = Salto users holding a slot — lock-integration codes (each code
 * is its own Salto user) and subscribed ACS users (one per person, however many entrances): one
 * pool per site. A code takes one when it loads
 * (ongoing: at creation; time-bound: `startsAt − slotLeadTimeMs`) if one is free; else it gets
 * the not-subscribed error and holds none, even after slots free up (delete it and create a new
 * one, as with Salto). It gives its slot back when deleted, when it expires, or when an update
 * moves its window beyond the lead time. Lowering the limit below `used` unsubscribes the newest
 * holders, so `used ≤ slotLimit` always holds.
 */
export class SlotLedger {
  constructor(private readonly s: WorldState) {}

  /** Starts counting a new site (its flags at `used` = 0: a limit of 0 is reached at once). */
  openSite(site: SiteState): void {
    this.refresh(site);
  }

  /**
   * A code loads: takes a slot if one is free (returns true), else records the not-subscribed
   * error on the code (returns false).
   */
  take(code: CodeState, site: SiteState): boolean {
    if (site.used < site.slotLimit) {
      code.holdsSlot = true;
      site.used++;
      this.refresh(site);
      return true;
    }
    code.errors.push({ kind: 'not_subscribed', since: this.s.nowMs });
    return false;
  }

  /**
   * An ACS user should hold a slot now (schedule started, not suspended): subscribes it if a slot
   * is free (returns true), else records the refusal (`limitRefusedAt`; the user carries
   * `salto_ks_subscription_limit_exceeded` until it is subscribed or stops asking).
   */
  subscribe(user: AcsUserState, site: SiteState): boolean {
    if (user.isSubscribed) return true;
    if (site.used < site.slotLimit) {
      user.isSubscribed = true;
      user.limitRefusedAt = null;
      site.used++;
      this.refresh(site);
      return true;
    }
    user.limitRefusedAt ??= this.s.nowMs;
    return false;
  }

  /** An ACS user stops holding its slot (suspended, schedule ended, deleted), or stops asking for one. */
  unsubscribe(user: AcsUserState, site: SiteState): void {
    user.limitRefusedAt = null;
    if (!user.isSubscribed) return;
    user.isSubscribed = false;
    user.notSubscribedSince = this.s.nowMs;
    site.used--;
    this.refresh(site);
  }

  /** A code gives its slot back (deleted, expired), if it held one. */
  release(code: CodeState, site: SiteState): void {
    if (!code.holdsSlot) return;
    code.holdsSlot = false;
    site.used--;
    this.refresh(site);
  }

  /**
   * A code's definition changes (see `Lifecycle.redefine`): it gives its slot back without the
   * site's flags moving yet, since it is loaded again at once or scheduled; `settle` follows.
   */
  releaseForReload(code: CodeState, site: SiteState): void {
    if (!code.holdsSlot) return;
    code.holdsSlot = false;
    site.used--;
  }

  /** Brings the site's limit flags up to date after `releaseForReload` and the reload. */
  settle(site: SiteState): void {
    this.refresh(site);
  }

  /**
   * Sets the site's limit. Raising it never subscribes codes or users that were refused; lowering
   * it below `used` unsubscribes the newest subscribed ACS users, then the newest code holders (they get the not-subscribed error; one not yet on
   * the lock will never be programmed: `setting` → `unset`) until `used` = limit.
   */
  setLimit(site: SiteState, limit: number): void {
    const t = this.s.nowMs;
    site.slotLimit = limit;
    // ACS users first (newest first): they are refused like a user created at the limit.
    if (site.used > limit) {
      const users = [...this.s.acs.users.values()].filter((u) => u.siteId === site.siteId && u.isSubscribed);
      for (let i = users.length - 1; i >= 0 && site.used > limit; i--) {
        const u = users[i]!;
        u.isSubscribed = false;
        u.notSubscribedSince = t;
        u.limitRefusedAt = t;
        site.used--;
      }
    }
    if (site.used > limit) {
      const holders = [...this.s.codes.values()].filter((c) => c.siteId === site.siteId && c.holdsSlot);
      for (let i = holders.length - 1; i >= 0 && site.used > limit; i--) {
        const c = holders[i]!;
        c.holdsSlot = false;
        site.used--;
        c.errors.push({ kind: 'not_subscribed', since: t });
        if (c.status === 'setting') c.status = 'unset';
      }
    }
    this.refresh(site);
  }

  private refresh(site: SiteState): void {
    const now = this.s.nowMs;
    const reached = site.used >= site.slotLimit;
    const almost = site.slotLimit > 0 ? site.used / site.slotLimit > ALMOST_REACHED_RATIO : site.used > 0;
    if (reached && site.limitReachedSince === null) site.limitReachedSince = now;
    if (!reached) site.limitReachedSince = null;
    if (almost && site.almostReachedSince === null) site.almostReachedSince = now;
    if (!almost) site.almostReachedSince = null;
  }
}
