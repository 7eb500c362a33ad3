/** Marks an entry whose deletion is deferred (see {@link LiveMap}). */
const GONE: unique symbol = Symbol('gone');

/** Tombstones kept at least up to this many before compacting. */
const MIN_TOMBSTONES = 64;

/**
 * A `Map` of string keys for records that come and go all the time (the world's access codes):
 * the same operations and iteration order (insertion order) as a `Map`, but `delete` overwrites
 * the entry with a tombstone instead of removing it, and the tombstones are swept all at once.
 *
 * Why: a create+delete cycle on a `Map` holding a handful of entries makes V8 rehash its small
 * table every few operations (a deletion leaves a hole that only a rehash reclaims); overwriting a
 * value in place never rehashes. Sweeping when the tombstones outnumber both the live entries and
 * {@link MIN_TOMBSTONES} keeps the cost amortized O(1) per operation and the memory bounded
 * (at most max(2 × live, live + 64) entries).
 *
 * Invariant: `tombstones` = number of entries whose value is `GONE`; every read skips them.
 */
export class LiveMap<V> {
  private map = new Map<string, V | typeof GONE>();
  private tombstones = 0;

  get size(): number {
    return this.map.size - this.tombstones;
  }

  get(key: string): V | undefined {
    const v = this.map.get(key);
    return v === GONE ? undefined : v;
  }

  has(key: string): boolean {
    const v = this.map.get(key);
    return v !== undefined && v !== GONE;
  }

  set(key: string, value: V): this {
    // A key deleted earlier goes to the end, as with a Map (delete + set). The world never
    // reuses a code id, so this costs one lookup only while tombstones exist.
    if (this.tombstones > 0 && this.map.get(key) === GONE) {
      this.map.delete(key);
      this.tombstones--;
    }
    this.map.set(key, value);
    return this;
  }

  delete(key: string): boolean {
    const v = this.map.get(key);
    if (v === undefined || v === GONE) return false;
    this.map.set(key, GONE);
    this.tombstones++;
    if (this.tombstones > MIN_TOMBSTONES && this.tombstones > this.map.size - this.tombstones) this.sweep();
    return true;
  }

  /** Live values in insertion order. */
  *values(): IterableIterator<V> {
    for (const v of this.map.values()) if (v !== GONE) yield v;
  }

  private sweep(): void {
    const live = new Map<string, V | typeof GONE>();
    for (const [k, v] of this.map) if (v !== GONE) live.set(k, v);
    this.map = live;
    this.tombstones = 0;
  }
}
