import type { SimEvent } from './types.js';
import { formatUuid } from './uuid.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The world's bounded event log: a fixed-capacity FIFO of events (pushing beyond capacity drops
 * the oldest) that formats each event's id only when the event is read.
 *
 * Most events are never read (the log is a ring; webhooks need a listener), yet formatting an
 * id was a fifth of a create+delete cycle. So {@link push} takes the event with `eventId: ''`
 * and the four generator draws its id is made of (drawn by the caller at emit time, in order, so
 * the random stream and the id are exactly what formatting at once would give), and
 * {@link toArray} fills in `eventId` before any event leaves. Invariant: an event in the log has
 * `eventId === ''` iff its id is still pending, and then its draws are at its ring slot in
 * `draws`. Events handed out (to listeners, readers, snapshots) always carry their id.
 */
export class EventLog {
  private readonly buf: (Mutable<SimEvent> | undefined)[];
  /** Four id draws per ring slot, valid while the slot's event has `eventId === ''`. */
  private readonly draws: Uint32Array;
  private start = 0;
  private count = 0;

  /** Starts with `events` (oldest first; the log takes them over, as with {@link push}). */
  constructor(
    readonly capacity: number,
    events: readonly Mutable<SimEvent>[] = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`EventLog: capacity must be a non-negative integer, got ${capacity}.`);
    this.buf = new Array<Mutable<SimEvent> | undefined>(capacity);
    this.draws = new Uint32Array(capacity * 4);
    for (const e of events) this.push(e);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Appends `event`. With `eventId: ''`, its id is `formatUuid(a, b, c, d)`, formatted when read;
   * otherwise the draws are ignored.
   */
  push(event: Mutable<SimEvent>, a = 0, b = 0, c = 0, d = 0): void {
    const cap = this.capacity;
    if (cap === 0) return;
    let slot: number;
    if (this.count < cap) {
      slot = this.start + this.count;
      if (slot >= cap) slot -= cap;
      this.count++;
    } else {
      slot = this.start;
      this.start = slot + 1 === cap ? 0 : slot + 1;
    }
    this.buf[slot] = event;
    if (event.eventId === '') {
      const w = this.draws;
      const i = slot * 4;
      w[i] = a;
      w[i + 1] = b;
      w[i + 2] = c;
      w[i + 3] = d;
    }
  }

  /** The logged events, oldest first, each with its id (the log's own objects, not copies). */
  toArray(): SimEvent[] {
    const out: SimEvent[] = new Array(this.count);
    const cap = this.capacity;
    const w = this.draws;
    for (let k = 0; k < this.count; k++) {
      let slot = this.start + k;
      if (slot >= cap) slot -= cap;
      const e = this.buf[slot]!;
      if (e.eventId === '') {
        const i = slot * 4;
        e.eventId = formatUuid(w[i]!, w[i + 1]!, w[i + 2]!, w[i + 3]!);
      }
      out[k] = e;
    }
    return out;
  }
}
