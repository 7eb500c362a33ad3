import type { Instant } from '../domain/time.js';
import type { AdvanceableClock, Clock } from '../ports/clock.js';

/** Wall-clock time. */
export class SystemClock implements Clock {
  now(): Instant {
    return Date.now();
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

interface Sleeper {
  readonly due: Instant;
  readonly seq: number;
  readonly resolve: () => void;
}

const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Virtual time: it moves only when told. `sleep` resolves when `advance` passes its deadline,
 * in deadline order (ties in call order), so anything waiting on the clock runs deterministically.
 */
export class VirtualClock implements AdvanceableClock {
  private t: Instant;
  private seq = 0;
  private sleepers: Sleeper[] = [];
  /** When set, a sleep with no one advancing moves time itself (handy for use cases in tests). */
  private readonly autoAdvance: boolean;

  constructor(start: Instant = Date.UTC(2026, 0, 1), options: { autoAdvance?: boolean } = {}) {
    if (!Number.isFinite(start))
      throw new TypeError(`VirtualClock: start must be a finite instant, got ${start}.`);
    this.t = start;
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): Instant {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    const due = this.t + Math.max(0, Number.isFinite(ms) ? ms : 0);
    if (this.autoAdvance) {
      this.t = Math.max(this.t, due);
      return flushMicrotasks();
    }
    return new Promise((resolve) => {
      this.sleepers.push({ due, seq: this.seq++, resolve });
    });
  }

  /** Moves time forward by `ms`, waking sleepers in order; awaits what they schedule next. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`VirtualClock.advance: ms must be ≥ 0, got ${ms}.`);
    await this.advanceTo(this.t + ms);
  }

  async advanceTo(target: Instant): Promise<void> {
    if (!Number.isFinite(target))
      throw new RangeError(`VirtualClock.advanceTo: target must be finite, got ${target}.`);
    for (;;) {
      await flushMicrotasks();
      let next: Sleeper | undefined;
      for (const s of this.sleepers) {
        if (s.due <= target && (!next || s.due < next.due || (s.due === next.due && s.seq < next.seq)))
          next = s;
      }
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.t = Math.max(this.t, next.due);
      next.resolve();
    }
    this.t = Math.max(this.t, target);
  }

  /** Number of pending sleeps (for tests). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}
