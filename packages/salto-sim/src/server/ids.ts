import { randomUUID } from 'node:crypto';

/**
 * A source of UUID-shaped ids without a random draw per id: a random v4 prefix (version and
 * variant included, so Seam's uuid checks accept them) and then a 48-bit counter. Unique within
 * one source; two sources (or processes) differ by their random prefix.
 */
export function uuidSequence(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let n = 0;
  return () => {
    n = (n + 1) % 0x1000000000000;
    return prefix + n.toString(16).padStart(12, '0');
  };
}
