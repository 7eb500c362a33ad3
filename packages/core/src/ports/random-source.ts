/** Randomness, injected. Seeded in the simulator and tests. */
export interface RandomSource {
  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number;
}

export const RANDOM_SOURCE = Symbol.for('keyslot.RandomSource');
