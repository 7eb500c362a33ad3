import type { RandomSource } from '../ports/random-source.js';

/**
 * A small, fast, seedable PRNG (sfc32, seeded through splitmix32). The same seed gives the
 * same sequence on every platform, so a simulator run replays exactly.
 */
export class SeededRandom implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new TypeError(`SeededRandom: seed must be a finite number, got ${seed}.`);
    let s = Math.trunc(seed) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** The generator's state, for snapshots. */
  getState(): [number, number, number, number] {
    // Unsigned, as setState stores them: a state read back and written again is the same numbers.
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  setState(state: readonly [number, number, number, number]): void {
    [this.a, this.b, this.c, this.d] = state.map((x) => x >>> 0) as [number, number, number, number];
  }
}

/** Uniform integer in [min, max] (inclusive) from any RandomSource. */
export function randomInt(random: RandomSource, min: number, max: number): number {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
    throw new RangeError(`randomInt: need integers min ≤ max, got [${min}, ${max}].`);
  }
  const span = max - min + 1;
  if (span > 0x100000000) {
    const hi = random.nextUint32() * 0x100000000 + random.nextUint32();
    return min + (hi % span);
  }
  // Rejection sampling: no modulo bias.
  const limit = 0x100000000 - (0x100000000 % span);
  let x = random.nextUint32();
  while (x >= limit) x = random.nextUint32();
  return min + (x % span);
}

/** A string of `length` decimal digits (leading zeros allowed). */
export function randomDigits(random: RandomSource, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(random, 0, 9));
  return s;
}

/** True with probability p. */
export function chance(random: RandomSource, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return random.nextUint32() / 0x100000000 < p;
}
