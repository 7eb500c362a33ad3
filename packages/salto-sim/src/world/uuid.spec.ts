import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUuid } from './uuid.js';

/** The world's original id formatting (string slicing), which `formatUuid` must reproduce exactly. */
function slicedUuid(a: number, b: number, c: number, d: number): string {
  const h = (n: number): string => n.toString(16).padStart(8, '0');
  const [sa, sb, sc, sd] = [h(a), h(b), h(c), h(d)];
  const variant = ((Number.parseInt(sc[0]!, 16) & 0x3) | 0x8).toString(16);
  return `${sa}-${sb.slice(0, 4)}-4${sb.slice(5, 8)}-${variant}${sc.slice(1, 4)}-${sc.slice(4)}${sd}`;
}

const u32 = fc.nat({ max: 0xffffffff });

describe('formatUuid', () => {
  it('gives the same id as the original slicing, UUID v4-shaped', () => {
    fc.assert(
      fc.property(u32, u32, u32, u32, (a, b, c, d) => {
        const id = formatUuid(a, b, c, d);
        expect(id).toBe(slicedUuid(a, b, c, d));
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });

  it('edge draws: all zero bits and all one bits', () => {
    expect(formatUuid(0, 0, 0, 0)).toBe('00000000-0000-4000-8000-000000000000');
    expect(formatUuid(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toBe(
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    );
  });
});
