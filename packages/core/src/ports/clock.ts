import type { Instant } from '../domain/time.js';

/** Time, injected. Virtual in the simulator and tests, real in production. */
export interface Clock {
  now(): Instant;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const CLOCK = Symbol.for('keyslot.Clock');
