/**
 * One interval of a {@link PeakTree}: `[from, to)` (`to` may be `Infinity`) carrying `weight`.
 */
export interface WeightedInterval {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly weight: number;
}

// The tree is a B+tree over the distinct time points. Every node has SLOTS entry slots and is one
// block of STRIDE doubles (512 bytes) in one buffer, seen as doubles (f) and as int32 words (w);
// entry j of node x, with b = x * STRIDE:
//   HI    f[b + j]            the largest time point in the entry (a leaf entry is one point: its time)
//   SUM   f[b + SUM + j]      the sum of the deltas of the points in the entry
//   BEST  f[b + BEST + j]     the best prefix sum of those points in time order (d1, d1 + d2, …;
//                             for a leaf entry, its delta)
//   LINK  w[2b + LINK + j]    internal node: the child's node id; leaf: how many interval endpoints
//                             sit on the point (the point is dropped when that count falls to 0)
//   COUNT w[2b + COUNT]       how many entries the node holds
// Entries of a node are sorted by time, and a child holds exactly the points in
// (HI[j − 1], HI[j]]. A node holds at most SLOTS − 1 entries between operations (it splits on
// reaching SLOTS) and, unless it is the root, at least MIN_FILL (it borrows from or merges with
// a sibling below that), so the height is O(log n) and every operation touches O(log n) nodes.
// One block per node, not one array per field: at a million intervals a query is bound by memory
// latency, and a node visited is then a few adjacent cache lines in one memory page instead of a
// cache and TLB miss in each of five arrays (1.3–1.4× the queries per CPU second of the parallel
// arrays on the loaded 2-core build machine; bench/benchmarks/slot-plan-peak.bench.js).
const SLOTS = 16;
const STRIDE = 4 * SLOTS;
const SUM = SLOTS;
const BEST = 2 * SLOTS;
const LINK = 6 * SLOTS; // in int32 words: right after BEST's doubles
const COUNT = 7 * SLOTS;
const MIN_FILL = SLOTS / 4;
const NONE = -1;
const INITIAL_NODES = 16;

/**
 * Weighted half-open intervals `[from, to)` on a number line, for up to millions of them: the
 * summed weight at a point (`valueAt`) and its maximum over a range (`peak`) in O(log n) time;
 * `insert` and `delete` O(log n) too. Queries allocate nothing. A data structure with no domain
 * meaning: `domain/slot-plan.ts` gives it one (holds of user slots over time).
 *
 * ## How it works
 * Every interval contributes `+weight` at `from` and `−weight` at `to` (nothing when `to` is
 * `Infinity`). The distinct time points and their summed contributions (deltas) are kept in a
 * B+tree ordered by time (layout above) whose entries carry the SUM and BEST prefix sum of
 * everything below them. The invariant, restored bottom-up after every change, is that an
 * internal entry's SUM / BEST / HI equal those of its child node, where for a node with
 * entries e1..em:
 *   sum(node)  = SUM[e1] + … + SUM[em]
 *   best(node) = max over j of (SUM[e1] + … + SUM[e(j−1)] + BEST[ej])
 *   hi(node)   = HI[em]
 * `valueAt(t)` is the sum of deltas over points ≤ t. It only changes at points, so the peak over
 * `[from, to)` is valueAt(from) + max(0, best prefix sum of the points strictly inside (from, to)).
 * One walk down the `from` boundary and one down the `to` boundary compute it: entries wholly
 * ≤ from add their SUM to valueAt(from), entries wholly inside are appended whole using their
 * SUM and BEST, and only the (at most two) entries straddling a boundary are opened.
 *
 * A wide node keeps a walk to a handful of levels, each reading a few consecutive cache lines,
 * which matters at a million intervals where the tree no longer fits in the CPU caches.
 */
export class PeakTree {
  /** The nodes as doubles (HI, SUM, BEST) and, over the same buffer, as int32 words (LINK, COUNT). */
  private f: Float64Array;
  private w: Int32Array;
  private root: number;
  /** Levels below the root: 0 when the root is a leaf. */
  private height = 0;
  private nodeEnd = 0; // first never-used node id
  private nodeCapacity = INITIAL_NODES;
  private readonly freeNodes: number[] = [];

  // Query accumulators: held at `from`, and the running sum / best prefix of the points inside.
  private qBase = 0;
  private qSum = 0;
  private qBest = Number.NEGATIVE_INFINITY;

  // The intervals themselves, by id (typed pool too, for memory at 10^6).
  private readonly index = new Map<string, number>();
  private ivFrom: Float64Array;
  private ivTo: Float64Array;
  private ivWeight: Float64Array;
  private ivCount = 0;
  private readonly freeIntervals: number[] = [];

  constructor() {
    this.f = new Float64Array(INITIAL_NODES * STRIDE);
    this.w = new Int32Array(this.f.buffer);
    this.root = this.allocNode();
    this.ivFrom = new Float64Array(INITIAL_NODES);
    this.ivTo = new Float64Array(INITIAL_NODES);
    this.ivWeight = new Float64Array(INITIAL_NODES);
  }

  /** Number of intervals in the tree. */
  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** The interval with this id, or `undefined`. */
  get(id: string): WeightedInterval | undefined {
    const h = this.index.get(id);
    if (h === undefined) return undefined;
    return { id, from: this.ivFrom[h]!, to: this.ivTo[h]!, weight: this.ivWeight[h]! };
  }

  /** The ids of every interval, in no particular order. */
  ids(): IterableIterator<string> {
    return this.index.keys();
  }

  /**
   * Adds interval `id` = `[from, to)` of `weight`. Preconditions (the caller checks them): `id` is
   * not in the tree, `from` is finite, `to > from` (`Infinity` allowed), `weight` is finite.
   */
  insert(id: string, from: number, to: number, weight: number): void {
    const h = this.allocInterval();
    this.ivFrom[h] = from;
    this.ivTo[h] = to;
    this.ivWeight[h] = weight;
    this.index.set(id, h);
    this.insertPoint(from, weight);
    if (to !== Number.POSITIVE_INFINITY) this.insertPoint(to, -weight);
  }

  /** Removes interval `id`; `false` when there is none. */
  delete(id: string): boolean {
    const h = this.index.get(id);
    if (h === undefined) return false;
    const from = this.ivFrom[h]!;
    const to = this.ivTo[h]!;
    const weight = this.ivWeight[h]!;
    this.erasePoint(from, weight);
    if (to !== Number.POSITIVE_INFINITY) this.erasePoint(to, -weight);
    this.index.delete(id);
    this.freeIntervals.push(h);
    return true;
  }

  /** The summed weight of the intervals containing `t` (half-open: counted at `from`, not at `to`). `t` is not NaN. */
  valueAt(t: number): number {
    const { f, w } = this;
    let x = this.root;
    let acc = 0;
    for (let level = this.height; ; level--) {
      const b = x * STRIDE;
      const end = b + w[2 * b + COUNT]!;
      let e = b;
      while (e < end && f[e]! <= t) acc += f[SUM + e++]!;
      if (level === 0 || e === end) return acc;
      x = w[b + LINK + e]!; // the child straddling t (2b + LINK + j, with e = b + j)
    }
  }

  /**
   * The largest `valueAt(t)` over `t` in `[from, to)`; `to` may be `Infinity`; 0 for an empty
   * range. Neither bound is NaN.
   */
  peak(from: number, to: number): number {
    if (!(to > from)) return 0;
    this.qBase = 0;
    this.qSum = 0;
    this.qBest = Number.NEGATIVE_INFINITY;
    this.visit(this.root, this.height, from, to, false);
    return this.qBest > 0 ? this.qBase + this.qBest : this.qBase;
  }

  /**
   * Checks the tree's structural invariants and returns the first violation found, or `null`.
   * O(n); for tests and debugging only.
   */
  checkInvariants(): string | null {
    const { f } = this;
    const intervalPoints = 2 * this.index.size;
    let endpoints = 0;
    let lastKey = Number.NEGATIVE_INFINITY;
    const walk = (x: number, level: number, isRoot: boolean): string | null => {
      const n = this.count(x);
      if (n >= SLOTS) return `node ${x} holds ${n} entries (max ${SLOTS - 1})`;
      if (!isRoot && n < MIN_FILL) return `node ${x} holds ${n} entries (min ${MIN_FILL})`;
      if (isRoot && level > 0 && n < 2) return `internal root ${x} holds ${n} entries`;
      for (let j = 0; j < n; j++) {
        const e = x * STRIDE + j;
        if (level === 0) {
          if (!(f[e]! > lastKey)) return `point ${f[e]} is not after ${lastKey}`;
          lastKey = f[e]!;
          if (f[BEST + e] !== f[SUM + e]) return `point ${f[e]}: best ${f[BEST + e]} ≠ delta ${f[SUM + e]}`;
          if (!(this.link(x, j) > 0)) return `point ${f[e]} has ${this.link(x, j)} references`;
          endpoints += this.link(x, j);
          continue;
        }
        const child = this.link(x, j);
        const problem = walk(child, level - 1, false);
        if (problem) return problem;
        let cs = 0;
        let cb = Number.NEGATIVE_INFINITY;
        for (let i = child * STRIDE; i < child * STRIDE + this.count(child); i++) {
          cb = Math.max(cb, cs + f[BEST + i]!);
          cs += f[SUM + i]!;
        }
        if (f[e] !== lastKey) return `entry of node ${child}: hi ${f[e]} ≠ its last point ${lastKey}`;
        if (f[SUM + e] !== cs || f[BEST + e] !== cb) return `entry of node ${child}: stale sum/best`;
      }
      return null;
    };
    const problem = walk(this.root, this.height, true);
    if (problem) return problem;
    let finite = 0;
    for (const h of this.index.values()) if (this.ivTo[h] !== Number.POSITIVE_INFINITY) finite++;
    const expected = intervalPoints - (this.index.size - finite);
    return endpoints === expected
      ? null
      : `${endpoints} endpoint references for ${expected} interval endpoints`;
  }

  // ------------------------------------------------------------------------------------------
  // Query

  /**
   * Accumulates node x's points into the query: those ≤ from into qBase, those in (from, to)
   * appended to (qSum, qBest). `afterFrom`: every point of x is known to be > from. Returns
   * true once a point ≥ to has been met (nothing further right matters).
   */
  private visit(x: number, level: number, from: number, to: number, afterFrom: boolean): boolean {
    const { f, w } = this;
    const b = x * STRIDE;
    const end = b + w[2 * b + COUNT]!;
    const links = b + LINK; // entry e's LINK is w[links + e]
    let e = b;
    if (!afterFrom) {
      while (e < end && f[e]! <= from) this.qBase += f[SUM + e++]!;
      if (e === end) return false;
      if (level > 0) {
        // This child holds points on both sides of `from` (and maybe of `to`): open it.
        if (this.visit(w[links + e]!, level - 1, from, to, false)) return true;
        e++;
      }
    }
    let qSum = this.qSum;
    let qBest = this.qBest;
    for (; e < end; e++) {
      if (f[e]! < to) {
        // Wholly inside (from, to): append the entry whole.
        const c = qSum + f[BEST + e]!;
        if (c > qBest) qBest = c;
        qSum += f[SUM + e]!;
      } else if (level === 0) {
        break; // a point ≥ to
      } else {
        // Straddles `to`: open it, then stop.
        this.qSum = qSum;
        this.qBest = qBest;
        this.visit(w[links + e]!, level - 1, from, to, true);
        return true;
      }
    }
    this.qSum = qSum;
    this.qBest = qBest;
    return e < end;
  }

  // ------------------------------------------------------------------------------------------
  // Updates

  private count(x: number): number {
    return this.w[2 * x * STRIDE + COUNT]!;
  }

  private setCount(x: number, n: number): void {
    this.w[2 * x * STRIDE + COUNT] = n;
  }

  /** Entry j's LINK in node x. */
  private link(x: number, j: number): number {
    return this.w[2 * x * STRIDE + LINK + j]!;
  }

  /** Adds `d` at point `k`, creating the point if needed. */
  private insertPoint(k: number, d: number): void {
    this.reserveNodes(this.height + 2);
    const sibling = this.insertInto(this.root, this.height, k, d);
    if (sibling !== NONE) {
      const r = this.allocNode();
      this.setCount(r, 2);
      this.setEntry(r, 0, this.root);
      this.setEntry(r, 1, sibling);
      this.root = r;
      this.height++;
    }
  }

  /** Inserts into the subtree of x (at `level`); returns the new right sibling if x split. */
  private insertInto(x: number, level: number, k: number, d: number): number {
    const { f, w } = this; // reserveNodes ran first: the buffer does not move during an insert
    const b = x * STRIDE;
    const n = this.count(x);
    // First entry whose HI ≥ k: the point itself (leaf) or the child whose range takes k.
    let j = 0;
    while (j < n && f[b + j]! < k) j++;
    if (level === 0) {
      const e = b + j;
      if (j < n && f[e] === k) {
        f[SUM + e]! += d;
        f[BEST + e] = f[SUM + e]!;
        w[b + LINK + e]! += 1;
        return NONE;
      }
      this.shiftRight(x, j, 1);
      f[e] = k;
      f[SUM + e] = d;
      f[BEST + e] = d;
      w[b + LINK + e] = 1;
    } else {
      if (j === n) j = n - 1; // beyond every point: the last child takes it
      const child = this.link(x, j);
      const sibling = this.insertInto(child, level - 1, k, d);
      this.setEntry(x, j, child);
      if (sibling !== NONE) {
        this.shiftRight(x, j + 1, 1);
        this.setEntry(x, j + 1, sibling);
      }
    }
    return this.count(x) === SLOTS ? this.split(x) : NONE;
  }

  /** Takes `d` back from point `k`, which must exist; drops the point when unreferenced. */
  private erasePoint(k: number, d: number): void {
    this.eraseFrom(this.root, this.height, k, d);
    while (this.height > 0 && this.count(this.root) === 1) {
      const old = this.root;
      this.root = this.link(old, 0);
      this.height--;
      this.freeNode(old);
    }
  }

  private eraseFrom(x: number, level: number, k: number, d: number): void {
    const { f, w } = this;
    const b = x * STRIDE;
    const n = this.count(x);
    let j = 0;
    while (j < n && f[b + j]! < k) j++;
    if (j === n || (level === 0 && f[b + j] !== k)) {
      throw new Error(`PeakTree: internal error, time point ${k} is missing from the tree.`);
    }
    const e = b + j;
    if (level === 0) {
      f[SUM + e]! -= d;
      f[BEST + e] = f[SUM + e]!;
      w[b + LINK + e]! -= 1;
      if (w[b + LINK + e] === 0) this.shiftLeft(x, j, 1);
      return;
    }
    const child = this.link(x, j);
    this.eraseFrom(child, level - 1, k, d);
    const left = this.count(child);
    if (left === 0) {
      this.shiftLeft(x, j, 1);
      this.freeNode(child);
    } else if (left < MIN_FILL && n > 1) {
      this.rebalance(x, j === n - 1 ? j - 1 : j);
    } else {
      this.setEntry(x, j, child);
    }
  }

  /** Children j and j + 1 of x: merge them if they fit in one node, else share evenly. */
  private rebalance(x: number, j: number): void {
    const a = this.link(x, j);
    const b = this.link(x, j + 1);
    const na = this.count(a);
    const nb = this.count(b);
    if (na + nb < SLOTS) {
      this.copyEntries(b, 0, a, na, nb);
      this.setCount(a, na + nb);
      this.freeNode(b);
      this.shiftLeft(x, j + 1, 1);
      this.setEntry(x, j, a);
      return;
    }
    const keep = (na + nb) >> 1;
    if (na > keep) {
      // Move a's last na − keep entries to the front of b.
      const move = na - keep;
      this.shiftRight(b, 0, move);
      this.copyEntries(a, keep, b, 0, move);
    } else {
      // Move b's first keep − na entries to the end of a.
      const move = keep - na;
      this.copyEntries(b, 0, a, na, move);
      this.shiftLeft(b, 0, move);
    }
    this.setCount(a, keep);
    this.setCount(b, na + nb - keep);
    this.setEntry(x, j, a);
    this.setEntry(x, j + 1, b);
  }

  /** Moves the upper half of a full node x into a new node; returns it. */
  private split(x: number): number {
    const y = this.allocNode();
    const half = SLOTS >> 1;
    this.copyEntries(x, half, y, 0, SLOTS - half);
    this.setCount(x, half);
    this.setCount(y, SLOTS - half);
    return y;
  }

  /** Sets entry j of node x to summarise node `child` (the invariant). */
  private setEntry(x: number, j: number, child: number): void {
    const { f } = this;
    const base = child * STRIDE;
    const end = base + this.count(child);
    let s = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = base; i < end; i++) {
      const c = s + f[BEST + i]!;
      if (c > best) best = c;
      s += f[SUM + i]!;
    }
    const e = x * STRIDE + j;
    f[e] = f[end - 1]!;
    f[SUM + e] = s;
    f[BEST + e] = best;
    this.w[2 * x * STRIDE + LINK + j] = child;
  }

  /** Shifts entries j.. of node x right by `by`; count grows by `by`. */
  private shiftRight(x: number, j: number, by: number): void {
    const n = this.count(x);
    this.copyEntries(x, j, x, j + by, n - j);
    this.setCount(x, n + by);
  }

  /** Drops `by` entries at position j of node x, shifting the rest left. */
  private shiftLeft(x: number, j: number, by: number): void {
    const n = this.count(x);
    this.copyEntries(x, j + by, x, j, n - j - by);
    this.setCount(x, n - by);
  }

  /** Copies `len` entries from position i of node x to position j of node y (overlap allowed). */
  private copyEntries(x: number, i: number, y: number, j: number, len: number): void {
    const src = x * STRIDE + i;
    const dst = y * STRIDE + j;
    for (const field of [0, SUM, BEST]) this.f.copyWithin(dst + field, src + field, src + field + len);
    this.w.copyWithin(dst + y * STRIDE + LINK, src + x * STRIDE + LINK, src + x * STRIDE + LINK + len);
  }

  /** Makes sure `n` nodes can be allocated without growing the buffer (so none moves mid-update). */
  private reserveNodes(n: number): void {
    const needed = this.nodeEnd + Math.max(0, n - this.freeNodes.length);
    if (needed <= this.nodeCapacity) return;
    let size = this.nodeCapacity * 2;
    while (size < needed) size *= 2;
    const f = new Float64Array(size * STRIDE);
    const w = new Int32Array(f.buffer);
    w.set(this.w); // word by word: every bit pattern is copied as it is
    this.f = f;
    this.w = w;
    this.nodeCapacity = size;
  }

  private allocNode(): number {
    const x = this.freeNodes.pop() ?? this.nodeEnd++;
    this.setCount(x, 0);
    return x;
  }

  private freeNode(x: number): void {
    this.setCount(x, 0);
    this.freeNodes.push(x);
  }

  private allocInterval(): number {
    const reused = this.freeIntervals.pop();
    if (reused !== undefined) return reused;
    if (this.ivCount === this.ivFrom.length) {
      const size = this.ivFrom.length * 2;
      this.ivFrom = growF64(this.ivFrom, size);
      this.ivTo = growF64(this.ivTo, size);
      this.ivWeight = growF64(this.ivWeight, size);
    }
    return this.ivCount++;
  }
}

function growF64(from: Float64Array, size: number): Float64Array {
  const to = new Float64Array(size);
  to.set(from);
  return to;
}
