/** A fixed-capacity FIFO: pushing beyond capacity drops the oldest item. */
export class RingBuffer<T> {
  private buf: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    items: readonly T[] = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`RingBuffer: capacity must be a non-negative integer, got ${capacity}.`);
    this.buf = new Array<T | undefined>(capacity);
    for (const item of items) this.push(item);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.buf[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.buf[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.buf[(this.start + i) % this.capacity] as T);
    return out;
  }
}
