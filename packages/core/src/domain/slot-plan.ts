import { type Grant, isRevoked } from './grant.js';
import type { Site } from './site.js';
import { type AccessWindow, type Instant, windowEnded } from './time.js';

/**
 * One claim on a site's user slots over the half-open interval `[from, to)`.
 * `to` may be `Infinity` (an ongoing code holds its slot until it is removed).
 */
export interface Hold {
  readonly id: string;
  readonly from: Instant;
  readonly to: Instant;
  /** How many slots are held: a positive integer (one per lock of the grant). */
  readonly slots: number;
}

// Node layout: everything about node i sits in one 64-byte block (one cache line) of a single
// ArrayBuffer, seen through a Float64Array `f` (doubles at f[8i + …]) and an Int32Array `w`
// (integers at w[16i + …]). Each node carries the aggregates of both its subtrees, so a query
// walk reads one line per level and never touches the children it skips; at a million holds
// the pool is far bigger than the CPU caches, so this is what makes queries fast. Node 0 is
// NIL (no node).
const KEY = 0; // f: the time point
const DELTA = 1; // f: sum of the hold contributions at this point
const LSUM = 2; // f: sum of DELTA over the left subtree (0 when empty)
const LBEST = 3; // f: best prefix sum over the left subtree, in time order (−∞ when empty)
const RSUM = 4; // f: the same for the right subtree
const RBEST = 5; // f
const LEFT = 12; // w: left child (earlier points)
const RIGHT = 13; // w: right child (later points)
const PRIO = 14; // w: treap priority (heap-ordered: a parent's is ≥ its children's)
const REFS = 15; // w: how many hold endpoints sit on this point; the node is freed at 0
const NODE_BYTES = 64;
const NIL = 0;
const INITIAL_NODES = 64;

/**
 * A site's slot plan: how many slots are held at every instant, for up to millions of holds.
 *
 * `heldAt(t)` and the feasibility query `peak(from, to)` are O(log n); `add` and `remove` are
 * O(log n) (expected).
 *
 * ## How it works
 * Every hold contributes `+slots` at `from` and `−slots` at `to` (nothing when `to` is `Infinity`).
 * The distinct time points are kept in a treap (a randomised balanced binary search tree) ordered
 * by time. Node x, for its point p, stores DELTA (the sum of the contributions at p) and, for
 * each of its subtrees, the sum of their DELTAs and their best prefix sum in time order (the
 * maximum of d1, d1 + d2, d1 + d2 + d3, …; −∞ for an empty subtree). Writing sum(x) and
 * best(x) for the whole subtree rooted at x, the invariant, restored bottom-up by `pull`, is
 *   LSUM[x] = sum(L), LBEST[x] = best(L), RSUM[x] = sum(R), RBEST[x] = best(R), where
 *   sum(x)  = LSUM[x] + DELTA[x] + RSUM[x]
 *   best(x) = max(LBEST[x], LSUM[x] + DELTA[x], LSUM[x] + DELTA[x] + RBEST[x])
 * `heldAt(t)` is the sum of DELTA over points ≤ t (one root-to-leaf walk). Since `held` only
 * changes at points, the peak over `[from, to)` is
 *   heldAt(from) + max(0, best prefix sum over the points strictly inside (from, to)),
 * computed in one descent to the highest in-range node and one walk down each range boundary,
 * reading whole subtrees off their aggregates.
 *
 * Priorities are a hash of an insertion counter, so the structure is deterministic (no
 * `Math.random`) yet balanced in expectation whatever the order of the time points.
 * Nodes live in one typed-array pool with a free list: a million holds take ~130 bytes each
 * (two points of 64 bytes) plus the id map, and queries allocate nothing.
 */
export class SlotPlan {
  /** The node pool as doubles and as 32-bit integers (same memory); see the layout above. */
  private f: Float64Array;
  private w: Int32Array;
  private nodeEnd = 1; // first never-used node (NIL is node 0)
  private freeNode = NIL; // free list threaded through LEFT
  private root = NIL;
  private counter = 0;

  // The holds themselves, by id (typed pool too, for memory at 10^6).
  private readonly index = new Map<string, number>();
  private holdFrom: Float64Array;
  private holdTo: Float64Array;
  private holdSlots: Float64Array;
  private holdCount = 0;
  private readonly freeHolds: number[] = [];

  constructor(holds: Iterable<Hold> = []) {
    const buffer = new ArrayBuffer(INITIAL_NODES * NODE_BYTES);
    this.f = new Float64Array(buffer);
    this.w = new Int32Array(buffer);
    this.holdFrom = new Float64Array(INITIAL_NODES);
    this.holdTo = new Float64Array(INITIAL_NODES);
    this.holdSlots = new Float64Array(INITIAL_NODES);
    for (const h of holds) this.add(h);
  }

  /** Number of holds in the plan. */
  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** The hold with this id, or `undefined`. */
  get(id: string): Hold | undefined {
    const h = this.index.get(id);
    if (h === undefined) return undefined;
    return { id, from: this.holdFrom[h]!, to: this.holdTo[h]!, slots: this.holdSlots[h]! };
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
    if (this.index.has(id)) {
      throw new RangeError(`SlotPlan.add: a hold with id "${id}" is already in the plan; remove it first.`);
    }
    if (!Number.isFinite(from)) {
      throw new RangeError(`SlotPlan.add: hold "${id}" needs a finite "from" instant, got ${from}.`);
    }
    if (Number.isNaN(to) || !(to > from)) {
      throw new RangeError(
        `SlotPlan.add: hold "${id}" needs "to" after "from" (or Infinity), got [${from}, ${to}).`,
      );
    }
    if (!Number.isSafeInteger(slots) || slots <= 0) {
      throw new RangeError(
        `SlotPlan.add: hold "${id}" needs a positive integer number of slots, got ${slots}.`,
      );
    }
    // Room for two new points first: the recursive insert keeps the pool in locals.
    this.reserveNodes(2);
    const h = this.allocHold();
    this.holdFrom[h] = from;
    this.holdTo[h] = to;
    this.holdSlots[h] = slots;
    this.index.set(id, h);
    this.root = this.insert(this.root, from, slots);
    if (to !== Number.POSITIVE_INFINITY) this.root = this.insert(this.root, to, -slots);
  }

  /** Removes the hold with this id; `false` when there is none. */
  remove(id: string): boolean {
    const h = this.index.get(id);
    if (h === undefined) return false;
    const from = this.holdFrom[h]!;
    const to = this.holdTo[h]!;
    const slots = this.holdSlots[h]!;
    this.root = this.erase(this.root, from, slots);
    if (to !== Number.POSITIVE_INFINITY) this.root = this.erase(this.root, to, -slots);
    this.index.delete(id);
    this.freeHolds.push(h);
    return true;
  }

  /** Slots held at instant `t` (holds are half-open: held at `from`, no longer at `to`). */
  heldAt(t: Instant): number {
    if (Number.isNaN(t)) throw new RangeError('SlotPlan.heldAt: the instant is NaN; pass a number.');
    const { f, w } = this;
    let x = this.root;
    let acc = 0;
    while (x !== NIL) {
      const xf = x << 3;
      if (f[xf + KEY]! <= t) {
        acc += f[xf + LSUM]! + f[xf + DELTA]!;
        x = w[(x << 4) + RIGHT]!;
      } else {
        x = w[(x << 4) + LEFT]!;
      }
    }
    return acc;
  }

  /**
   * The most slots held at any instant of `[from, to)`; `to` may be `Infinity`; 0 for an empty
   * range. A new hold of `s` slots fits under a cap `c` over `[from, to)` iff `peak(from, to) + s ≤ c`.
   */
  peak(from: Instant, to: Instant): number {
    if (Number.isNaN(from) || Number.isNaN(to)) {
      throw new RangeError(`SlotPlan.peak: the range [${from}, ${to}) contains NaN; pass numbers.`);
    }
    if (!(to > from)) return 0;
    const { f, w } = this;
    // `base` collects heldAt(from): every point ≤ from that the walks step past on their left.
    let base = 0;
    // 1. Descend to the highest node strictly inside (from, to): all in-range nodes are below it.
    let s = this.root;
    while (s !== NIL) {
      const sf = s << 3;
      const k = f[sf + KEY]!;
      if (k <= from) {
        base += f[sf + LSUM]! + f[sf + DELTA]!;
        s = w[(s << 4) + RIGHT]!;
      } else if (k >= to) {
        s = w[(s << 4) + LEFT]!;
      } else {
        break;
      }
    }
    if (s === NIL) return base; // no point inside: held is constant over the range
    // 2. Left of s: the points > from of its left subtree. Walking down, each piece found
    //    (x, then x's right subtree) comes BEFORE what was found so far, so it is prepended.
    let sum = 0;
    let best = Number.NEGATIVE_INFINITY;
    let x = w[(s << 4) + LEFT]!;
    while (x !== NIL) {
      const xf = x << 3;
      const d = f[xf + DELTA]!;
      if (f[xf + KEY]! > from) {
        const pieceSum = d + f[xf + RSUM]!;
        const pieceBest = Math.max(d, d + f[xf + RBEST]!);
        best = Math.max(pieceBest, pieceSum + best);
        sum += pieceSum;
        x = w[(x << 4) + LEFT]!;
      } else {
        base += f[xf + LSUM]! + d;
        x = w[(x << 4) + RIGHT]!;
      }
    }
    // 3. s itself, appended.
    const ds = f[(s << 3) + DELTA]!;
    best = Math.max(best, sum + ds);
    sum += ds;
    // 4. Right of s: the points < to of its right subtree. Each piece (x's left subtree, then x)
    //    comes AFTER what was found so far, so it is appended.
    x = w[(s << 4) + RIGHT]!;
    while (x !== NIL) {
      const xf = x << 3;
      if (f[xf + KEY]! < to) {
        const upToX = f[xf + LSUM]! + f[xf + DELTA]!;
        best = Math.max(best, sum + f[xf + LBEST]!, sum + upToX);
        sum += upToX;
        x = w[(x << 4) + RIGHT]!;
      } else {
        x = w[(x << 4) + LEFT]!;
      }
    }
    return best > 0 ? base + best : base;
  }

  /** All holds, in no particular order (for snapshots and debugging). */
  *holds(): IterableIterator<Hold> {
    for (const id of this.index.keys()) yield this.get(id)!;
  }

  // ------------------------------------------------------------------------------------------
  // Treap maintenance. The pool only grows in `reserveNodes`, called before any recursion, so
  // the recursive helpers may keep `this.f`/`this.w` in locals.

  /** Restores the invariant of node x from its children (whose own invariants hold). */
  private pull(x: number): void {
    const { f, w } = this;
    const xf = x << 3;
    const l = w[(x << 4) + LEFT]!;
    const r = w[(x << 4) + RIGHT]!;
    if (l === NIL) {
      f[xf + LSUM] = 0;
      f[xf + LBEST] = Number.NEGATIVE_INFINITY;
    } else {
      const lf = l << 3;
      const upToL = f[lf + LSUM]! + f[lf + DELTA]!;
      f[xf + LSUM] = upToL + f[lf + RSUM]!;
      f[xf + LBEST] = Math.max(f[lf + LBEST]!, upToL, upToL + f[lf + RBEST]!);
    }
    if (r === NIL) {
      f[xf + RSUM] = 0;
      f[xf + RBEST] = Number.NEGATIVE_INFINITY;
    } else {
      const rf = r << 3;
      const upToR = f[rf + LSUM]! + f[rf + DELTA]!;
      f[xf + RSUM] = upToR + f[rf + RSUM]!;
      f[xf + RBEST] = Math.max(f[rf + LBEST]!, upToR, upToR + f[rf + RBEST]!);
    }
  }

  /** Adds `d` at point `k` (creating the node if needed); returns the new subtree root. */
  private insert(x: number, k: number, d: number): number {
    if (x === NIL) return this.allocNode(k, d);
    const { f, w } = this;
    const xw = x << 4;
    const kx = f[(x << 3) + KEY]!;
    if (k === kx) {
      f[(x << 3) + DELTA]! += d;
      w[xw + REFS]! += 1;
    } else if (k < kx) {
      const c = this.insert(w[xw + LEFT]!, k, d);
      w[xw + LEFT] = c;
      if (w[(c << 4) + PRIO]! > w[xw + PRIO]!) return this.rotateRight(x);
    } else {
      const c = this.insert(w[xw + RIGHT]!, k, d);
      w[xw + RIGHT] = c;
      if (w[(c << 4) + PRIO]! > w[xw + PRIO]!) return this.rotateLeft(x);
    }
    this.pull(x);
    return x;
  }

  /** Takes `d` back from point `k` (which must exist); frees the node when nothing refers to it. */
  private erase(x: number, k: number, d: number): number {
    if (x === NIL) throw new Error(`SlotPlan: internal error, time point ${k} is missing from the tree.`);
    const { f, w } = this;
    const xw = x << 4;
    const kx = f[(x << 3) + KEY]!;
    if (k === kx) {
      f[(x << 3) + DELTA]! -= d;
      w[xw + REFS]! -= 1;
      if (w[xw + REFS]! === 0) {
        const merged = this.merge(w[xw + LEFT]!, w[xw + RIGHT]!);
        this.releaseNode(x);
        return merged;
      }
    } else if (k < kx) {
      w[xw + LEFT] = this.erase(w[xw + LEFT]!, k, d);
    } else {
      w[xw + RIGHT] = this.erase(w[xw + RIGHT]!, k, d);
    }
    this.pull(x);
    return x;
  }

  /** Joins two treaps where every key of `a` is below every key of `b`. */
  private merge(a: number, b: number): number {
    if (a === NIL) return b;
    if (b === NIL) return a;
    const w = this.w;
    if (w[(a << 4) + PRIO]! > w[(b << 4) + PRIO]!) {
      w[(a << 4) + RIGHT] = this.merge(w[(a << 4) + RIGHT]!, b);
      this.pull(a);
      return a;
    }
    w[(b << 4) + LEFT] = this.merge(a, w[(b << 4) + LEFT]!);
    this.pull(b);
    return b;
  }

  /** x's left child becomes the subtree root. */
  private rotateRight(x: number): number {
    const w = this.w;
    const l = w[(x << 4) + LEFT]!;
    w[(x << 4) + LEFT] = w[(l << 4) + RIGHT]!;
    w[(l << 4) + RIGHT] = x;
    this.pull(x);
    this.pull(l);
    return l;
  }

  /** x's right child becomes the subtree root. */
  private rotateLeft(x: number): number {
    const w = this.w;
    const r = w[(x << 4) + RIGHT]!;
    w[(x << 4) + RIGHT] = w[(r << 4) + LEFT]!;
    w[(r << 4) + LEFT] = x;
    this.pull(x);
    this.pull(r);
    return r;
  }

  /** Makes sure `count` nodes can be allocated without growing the pool. */
  private reserveNodes(count: number): void {
    let free = 0;
    for (let x = this.freeNode; x !== NIL && free < count; x = this.w[(x << 4) + LEFT]!) free++;
    const needed = this.nodeEnd + count - free;
    const capacity = this.f.length >> 3;
    if (needed <= capacity) return;
    let size = capacity * 2;
    while (size < needed) size *= 2;
    // Node ids are shifted left by 4 to index `w`: stay within int32.
    if (size > 1 << 26) throw new RangeError('SlotPlan: more than 2^26 time points; split the plan.');
    const buffer = new ArrayBuffer(size * NODE_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buffer);
    this.w = new Int32Array(buffer);
  }

  private allocNode(k: number, d: number): number {
    const { f, w } = this;
    let x = this.freeNode;
    if (x !== NIL) {
      this.freeNode = w[(x << 4) + LEFT]!;
    } else {
      x = this.nodeEnd++;
    }
    const xf = x << 3;
    const xw = x << 4;
    f[xf + KEY] = k;
    f[xf + DELTA] = d;
    f[xf + LSUM] = 0;
    f[xf + LBEST] = Number.NEGATIVE_INFINITY;
    f[xf + RSUM] = 0;
    f[xf + RBEST] = Number.NEGATIVE_INFINITY;
    w[xw + LEFT] = NIL;
    w[xw + RIGHT] = NIL;
    w[xw + PRIO] = hash32(++this.counter) | 0;
    w[xw + REFS] = 1;
    return x;
  }

  private releaseNode(x: number): void {
    this.w[(x << 4) + RIGHT] = NIL;
    this.w[(x << 4) + LEFT] = this.freeNode;
    this.freeNode = x;
  }

  private allocHold(): number {
    const reused = this.freeHolds.pop();
    if (reused !== undefined) return reused;
    if (this.holdCount === this.holdFrom.length) {
      const size = this.holdFrom.length * 2;
      this.holdFrom = grow(this.holdFrom, size);
      this.holdTo = grow(this.holdTo, size);
      this.holdSlots = grow(this.holdSlots, size);
    }
    return this.holdCount++;
  }
}

function grow(from: Float64Array, size: number): Float64Array {
  const to = new Float64Array(size);
  to.set(from);
  return to;
}

/** A 32-bit integer mix (murmur3's finaliser): well-spread, deterministic treap priorities. */
function hash32(n: number): number {
  let z = n >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * When a code for `window`, created at `createdAt`, holds its slot:
 * - ongoing: `[createdAt, Infinity)` — from creation until removal;
 * - scheduled: `[max(createdAt, startsAt − site.slotLeadTimeMs), endsAt)` — Salto loads a
 *   time-bound code up to the lead time before it starts and frees the slot at its end.
 * The interval is empty (`from ≥ to`) when the window ended before `createdAt`.
 */
export function holdingInterval(
  site: Site,
  window: AccessWindow,
  createdAt: Instant,
): { from: Instant; to: Instant } {
  if (window.kind === 'ongoing') return { from: createdAt, to: Number.POSITIVE_INFINITY };
  return { from: Math.max(createdAt, window.startsAt - site.slotLeadTimeMs), to: window.endsAt };
}

/**
 * The slot plan of `site` from its grants: one hold per grant of that site that is not revoked
 * and whose window has not ended at `now`; `slots` = number of locks, `id` = the grant key.
 * Grants with no locks or an empty holding interval hold nothing and are left out.
 * Throws `RangeError` if two grants share a key (the store guarantees they do not).
 */
export function planForGrants(site: Site, grants: readonly Grant[], now: Instant): SlotPlan {
  const plan = new SlotPlan();
  for (const g of grants) {
    if (g.siteId !== site.id || isRevoked(g) || windowEnded(g.window, now) || g.lockIds.length === 0)
      continue;
    const { from, to } = holdingInterval(site, g.window, g.createdAt);
    if (!(to > from)) continue;
    plan.add({ id: g.key, from, to, slots: g.lockIds.length });
  }
  return plan;
}
