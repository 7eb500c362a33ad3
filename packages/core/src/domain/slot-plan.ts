import { PeakTree } from '../structures/peak-tree.js';
import { type Grant, holdsPlannedSlots } from './grant.js';
import type { Site } from './site.js';
import { holdingInterval, slotsForGrant } from './slot-holding.js';
import { type Instant, windowEnded } from './time.js';

/**
 * One claim on a site's user slots over the half-open interval `[from, to)`.
 * `to` may be `Infinity` (an ongoing code holds its slot until it is removed).
 */
export interface Hold {
  readonly id: string;
  readonly from: Instant;
  readonly to: Instant;
  /** How many slots are held: a positive integer (`slotsForGrant`: one per lock, or one per grant on an ACS site). */
  readonly slots: number;
}

/**
 * A site's slot plan: how many slots are held at every instant, for up to millions of holds.
 * `heldAt(t)` and the feasibility query `peak(from, to)` take O(log n) time; `add` and `remove`
 * O(log n) too; queries allocate nothing. The holds are kept in a {@link PeakTree}
 * (`structures/peak-tree.ts`, a B+tree over typed arrays); this class gives it its domain
 * meaning and refuses holds that break the plan's rules.
 */
export class SlotPlan {
  private readonly tree = new PeakTree();

  constructor(holds: Iterable<Hold> = []) {
    for (const h of holds) this.add(h);
  }

  /** Number of holds in the plan. */
  get size(): number {
    return this.tree.size;
  }

  has(id: string): boolean {
    return this.tree.has(id);
  }

  /** The hold with this id, or `undefined`. */
  get(id: string): Hold | undefined {
    const iv = this.tree.get(id);
    return iv === undefined ? undefined : { id, from: iv.from, to: iv.to, slots: iv.weight };
  }

  /**
   * Adds a hold. Throws `RangeError` for a programmer error: an id already in the plan, a `from`
   * that is not finite, a `to` that is NaN or not after `from`, or `slots` that is not a positive
   * integer. Feasibility is the caller's decision: check `peak(from, to) + slots` first.
   */
  add(hold: Hold): void {
    const { id, from, to, slots } = hold;
    if (typeof id !== 'string')
      throw new RangeError(`SlotPlan.add: hold id must be a string, got ${typeof id}.`);
    if (this.tree.has(id)) {
      throw new RangeError(`SlotPlan.add: a hold with id "${id}" is already in the plan; remove it first.`);
    }
    if (!Number.isFinite(from)) {
      throw new RangeError(`SlotPlan.add: hold "${id}" needs a finite "from" instant, got ${from}.`);
    }
    // `!(to > from)` is also true for a NaN `to`.
    if (!(to > from)) {
      throw new RangeError(
        `SlotPlan.add: hold "${id}" needs "to" after "from" (or Infinity), got [${from}, ${to}).`,
      );
    }
    if (!Number.isSafeInteger(slots) || slots <= 0) {
      throw new RangeError(
        `SlotPlan.add: hold "${id}" needs a positive integer number of slots, got ${slots}.`,
      );
    }
    this.tree.insert(id, from, to, slots);
  }

  /** Removes the hold with this id; `false` when there is none. */
  remove(id: string): boolean {
    return this.tree.delete(id);
  }

  /** Slots held at instant `t` (holds are half-open: held at `from`, no longer at `to`). */
  heldAt(t: Instant): number {
    if (Number.isNaN(t)) throw new RangeError('SlotPlan.heldAt: the instant is NaN; pass a number.');
    return this.tree.valueAt(t);
  }

  /**
   * The most slots held at any instant of `[from, to)`; `to` may be `Infinity`; 0 for an empty
   * range. A new hold of `s` slots fits under a cap `c` over `[from, to)` iff `peak(from, to) + s ≤ c`.
   */
  peak(from: Instant, to: Instant): number {
    if (Number.isNaN(from) || Number.isNaN(to)) {
      throw new RangeError(`SlotPlan.peak: the range [${from}, ${to}) contains NaN; pass numbers.`);
    }
    return this.tree.peak(from, to);
  }

  /** All holds, in no particular order (for snapshots and debugging). */
  *holds(): IterableIterator<Hold> {
    for (const id of this.tree.ids()) yield this.get(id)!;
  }

  /**
   * Checks the underlying tree's structural invariants and returns the first violation found, or
   * `null`. O(n); for tests and debugging only.
   */
  checkInvariants(): string | null {
    return this.tree.checkInvariants();
  }
}

/**
 * The slot plan of `site` from its grants: one hold per grant of that site whose window has not
 * ended at `now` and that is either not revoked, or revoked with its cleanup still pending
 * (`cleanedUpAt` unset: some code of it may still be at the provider, and a scheduled one that
 * has not loaded yet takes its slot when it does). How many slots and from when come from the
 * site's cost model (`slotsForGrant`, `holdingInterval` in `slot-holding.ts`): one per lock from
 * the lead time before the start on the lock integration, one per grant from the start on an ACS
 * site; `id` = the grant key. Grants with no locks or an empty holding interval hold nothing and
 * are left out.
 * Throws `RangeError` if two grants share a key (the store guarantees they do not).
 */
export function planForGrants(site: Site, grants: readonly Grant[], now: Instant): SlotPlan {
  const plan = new SlotPlan();
  for (const g of grants) {
    if (g.siteId !== site.id || !holdsPlannedSlots(g) || windowEnded(g.window, now) || g.lockIds.length === 0)
      continue;
    const { from, to } = holdingInterval(site, g.window, g.createdAt);
    if (!(to > from)) continue;
    plan.add({ id: g.key, from, to, slots: slotsForGrant(site, g.lockIds.length) });
  }
  return plan;
}
