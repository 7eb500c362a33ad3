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

/** Index 0 is the null node: its aggregates are the neutral elements (sum 0, best prefix −∞). */
const NIL = 0;
const INITIAL_CAPACITY = 64;

/**
 * A site's slot plan: how many slots are held at every instant, for up to millions of holds.
 *
 * `heldAt(t)` and the feasibility query `peak(from, to)` are O(log n); `add` and `remove` are
 * O(log n) (expected).
 *
 * ## How it works
 * Every hold contributes `+slots` at `from` and `−slots` at `to` (nothing when `to` is `Infinity`).
 * The distinct time points are kept in a treap (a randomised balanced binary search tree) ordered
 * by time. Each node stores, for its point `p`:
 *   - `delta[p]`   — the sum of the contributions at `p`;
 *   - `sum[x]`     — the sum of `delta` over the node's whole subtree;
 *   - `best[x]`    — the maximum prefix sum over the subtree's points in time order
 *                    (the maximum of `delta[p1]`, `delta[p1] + delta[p2]`, …), −∞ when empty.
 * Invariant, restored bottom-up after every change by `pull`:
 *   sum[x]  = sum[L] + delta[x] + sum[R]
 *   best[x] = max(best[L], sum[L] + delta[x], sum[L] + delta[x] + best[R])
 * Then `heldAt(t)` is the sum of `delta` over points `≤ t` (one root-to-leaf walk), and because
 * `held` only changes at points, the peak over `[from, to)` is
 *   heldAt(from) + max(0, best prefix sum over the points strictly inside (from, to)),
 * which two more walks compute from the subtree aggregates.
 *
 * Priorities are a hash of an insertion counter, so the structure is deterministic (no
 * `Math.random`) yet balanced in expectation whatever the order of the time points.
 * Nodes live in a struct-of-arrays pool of typed arrays with a free list, which keeps a million
 * holds at a few tens of bytes each and the hot loops free of allocation.
 */
export class SlotPlan {
  // ---- the treap of time points (struct of arrays; index 0 = NIL) ----
  private key: Float64Array;
  private delta: Float64Array;
  private sum: Float64Array;
  private best: Float64Array;
  private left: Int32Array;
  private right: Int32Array;
  private prio: Uint32Array;
  /** How many hold endpoints sit on this point; the node is freed when it drops to 0. */
  private refs: Int32Array;
  private nodeCount = 1; // slots used in the pool, including NIL
  private freeNode = NIL; // free list threaded through `left`
  private root = NIL;
  private counter = 0;

  // ---- the holds themselves, by id (typed pool too, for memory at 10^6) ----
  private readonly index = new Map<string, number>();
  private holdFrom: Float64Array;
  private holdTo: Float64Array;
  private holdSlots: Float64Array;
  private holdCount = 0;
  private readonly freeHolds: number[] = [];

  constructor(holds: Iterable<Hold> = []) {
    this.key = new Float64Array(INITIAL_CAPACITY);
    this.delta = new Float64Array(INITIAL_CAPACITY);
    this.sum = new Float64Array(INITIAL_CAPACITY);
    this.best = new Float64Array(INITIAL_CAPACITY);
    this.left = new Int32Array(INITIAL_CAPACITY);
    this.right = new Int32Array(INITIAL_CAPACITY);
    this.prio = new Uint32Array(INITIAL_CAPACITY);
    this.refs = new Int32Array(INITIAL_CAPACITY);
    this.best[NIL] = Number.NEGATIVE_INFINITY;
    this.holdFrom = new Float64Array(INITIAL_CAPACITY);
    this.holdTo = new Float64Array(INITIAL_CAPACITY);
    this.holdSlots = new Float64Array(INITIAL_CAPACITY);
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
    return this.prefixAtMost(t);
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
    const atFrom = this.prefixAtMost(from);
    const rise = this.bestPrefixInside(from, to);
    return rise > 0 ? atFrom + rise : atFrom;
  }

  /** All holds, in no particular order (for snapshots and debugging). */
  *holds(): IterableIterator<Hold> {
    for (const id of this.index.keys()) yield this.get(id)!;
  }

  // ------------------------------------------------------------------------------------------
  // Queries

  /** Sum of `delta` over the points `≤ t`. */
  private prefixAtMost(t: number): number {
    const { key, delta, sum, left, right } = this;
    let x = this.root;
    let acc = 0;
    while (x !== NIL) {
      if (key[x]! <= t) {
        acc += sum[left[x]!]! + delta[x]!;
        x = right[x]!;
      } else {
        x = left[x]!;
      }
    }
    return acc;
  }

  /** The best prefix sum of the points strictly inside `(lo, hi)`, in time order (−∞ if none). */
  private bestPrefixInside(lo: number, hi: number): number {
    const { key, delta, sum, best, left, right } = this;
    // 1. Find the highest node inside the range: every other in-range node is below it.
    let s = this.root;
    while (s !== NIL) {
      const k = key[s]!;
      if (k <= lo) s = right[s]!;
      else if (k >= hi) s = left[s]!;
      else break;
    }
    if (s === NIL) return Number.NEGATIVE_INFINITY;
    // 2. Left of s: the points > lo of its left subtree. Walking down, each piece found
    //    ([x] + x's right subtree) comes BEFORE what was found so far: prepend.
    let lSum = 0;
    let lBest = Number.NEGATIVE_INFINITY;
    let x = left[s]!;
    while (x !== NIL) {
      if (key[x]! > lo) {
        const r = right[x]!;
        const pieceSum = delta[x]! + sum[r]!;
        const pieceBest = Math.max(delta[x]!, delta[x]! + best[r]!);
        lBest = Math.max(pieceBest, pieceSum + lBest);
        lSum += pieceSum;
        x = left[x]!;
      } else {
        x = right[x]!;
      }
    }
    // 3. s itself, appended.
    let tBest = Math.max(lBest, lSum + delta[s]!);
    let tSum = lSum + delta[s]!;
    // 4. Right of s: the points < hi of its right subtree. Each piece (x's left subtree + [x])
    //    comes AFTER what was found so far: append.
    x = right[s]!;
    while (x !== NIL) {
      if (key[x]! < hi) {
        const l = left[x]!;
        const pieceBest = Math.max(best[l]!, sum[l]! + delta[x]!);
        const pieceSum = sum[l]! + delta[x]!;
        tBest = Math.max(tBest, tSum + pieceBest);
        tSum += pieceSum;
        x = right[x]!;
      } else {
        x = left[x]!;
      }
    }
    return tBest;
  }

  // ------------------------------------------------------------------------------------------
  // Treap maintenance

  /** Restores the invariant of node x from its children. */
  private pull(x: number): void {
    const { sum, best, delta } = this;
    const l = this.left[x]!;
    const r = this.right[x]!;
    const upToX = sum[l]! + delta[x]!;
    sum[x] = upToX + sum[r]!;
    best[x] = Math.max(best[l]!, upToX, upToX + best[r]!);
  }

  /** Adds `d` at point `k` (creating the node if needed); returns the new subtree root. */
  private insert(t: number, k: number, d: number): number {
    if (t === NIL) return this.allocNode(k, d);
    const kt = this.key[t]!;
    if (k === kt) {
      this.delta[t]! += d;
      this.refs[t]! += 1;
    } else if (k < kt) {
      const c = this.insert(this.left[t]!, k, d);
      this.left[t] = c;
      if (this.prio[c]! > this.prio[t]!) return this.rotateRight(t);
    } else {
      const c = this.insert(this.right[t]!, k, d);
      this.right[t] = c;
      if (this.prio[c]! > this.prio[t]!) return this.rotateLeft(t);
    }
    this.pull(t);
    return t;
  }

  /** Takes `d` back from point `k` (which must exist); frees the node when nothing refers to it. */
  private erase(t: number, k: number, d: number): number {
    if (t === NIL) throw new Error(`SlotPlan: internal error, time point ${k} is missing from the tree.`);
    const kt = this.key[t]!;
    if (k === kt) {
      this.delta[t]! -= d;
      this.refs[t]! -= 1;
      if (this.refs[t]! === 0) {
        const merged = this.merge(this.left[t]!, this.right[t]!);
        this.releaseNode(t);
        return merged;
      }
    } else if (k < kt) {
      this.left[t] = this.erase(this.left[t]!, k, d);
    } else {
      this.right[t] = this.erase(this.right[t]!, k, d);
    }
    this.pull(t);
    return t;
  }

  /** Joins two treaps where every key of `a` is below every key of `b`. */
  private merge(a: number, b: number): number {
    if (a === NIL) return b;
    if (b === NIL) return a;
    if (this.prio[a]! > this.prio[b]!) {
      this.right[a] = this.merge(this.right[a]!, b);
      this.pull(a);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b]!);
    this.pull(b);
    return b;
  }

  /** t's left child becomes the subtree root (children of t already pulled). */
  private rotateRight(t: number): number {
    const l = this.left[t]!;
    this.left[t] = this.right[l]!;
    this.right[l] = t;
    this.pull(t);
    this.pull(l);
    return l;
  }

  private rotateLeft(t: number): number {
    const r = this.right[t]!;
    this.right[t] = this.left[r]!;
    this.left[r] = t;
    this.pull(t);
    this.pull(r);
    return r;
  }

  private allocNode(k: number, d: number): number {
    let x = this.freeNode;
    if (x !== NIL) {
      this.freeNode = this.left[x]!;
    } else {
      if (this.nodeCount === this.key.length) this.growNodes();
      x = this.nodeCount++;
    }
    this.key[x] = k;
    this.delta[x] = d;
    this.sum[x] = d;
    this.best[x] = d;
    this.left[x] = NIL;
    this.right[x] = NIL;
    this.refs[x] = 1;
    this.prio[x] = hash32(++this.counter);
    return x;
  }

  private releaseNode(x: number): void {
    this.right[x] = NIL;
    this.left[x] = this.freeNode;
    this.freeNode = x;
  }

  private growNodes(): void {
    const n = this.key.length * 2;
    this.key = grow(this.key, new Float64Array(n));
    this.delta = grow(this.delta, new Float64Array(n));
    this.sum = grow(this.sum, new Float64Array(n));
    this.best = grow(this.best, new Float64Array(n));
    this.left = grow(this.left, new Int32Array(n));
    this.right = grow(this.right, new Int32Array(n));
    this.prio = grow(this.prio, new Uint32Array(n));
    this.refs = grow(this.refs, new Int32Array(n));
  }

  private allocHold(): number {
    const reused = this.freeHolds.pop();
    if (reused !== undefined) return reused;
    if (this.holdCount === this.holdFrom.length) {
      const n = this.holdFrom.length * 2;
      this.holdFrom = grow(this.holdFrom, new Float64Array(n));
      this.holdTo = grow(this.holdTo, new Float64Array(n));
      this.holdSlots = grow(this.holdSlots, new Float64Array(n));
    }
    return this.holdCount++;
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from as never);
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
