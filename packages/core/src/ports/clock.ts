import type { Instant } from '../domain/time.js';

/** Time, injected. Virtual in the simulator and tests, real in production. */
export interface Clock {
  now(): Instant;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const CLOCK = Symbol.for('keyslot.Clock');

/** A clock whose time moves only when told (core's `VirtualClock`, a simulator's test clock). */
export interface AdvanceableClock extends Clock {
  /** Moves time forward by `ms` (≥ 0), waking sleepers that became due. */
  advance(ms: number): Promise<void>;
}

/** The one answer to "can this clock be advanced?": it has an `advance` method. */
export const isAdvanceableClock = (clock: Clock): clock is AdvanceableClock =>
  typeof (clock as Partial<AdvanceableClock>).advance === 'function';
