import { describe, expect, it } from 'vitest';
import { slotUsage } from './slot-usage.js';

describe('slotUsage', () => {
  it('gives the headroom left after the reserve and the used slots', () => {
    expect(slotUsage('site-1', 3, 10, 2)).toEqual({
      siteId: 'site-1',
      used: 3,
      limit: 10,
      reserved: 2,
      headroom: 5,
      almostReached: false,
      limitReached: false,
    });
    expect(slotUsage('site-1', 3, 10).reserved).toBe(0);
    expect(slotUsage('site-1', 3, 10).headroom).toBe(7);
    // Never negative, even when the reserve and the used slots are above the limit.
    expect(slotUsage('site-1', 10, 10, 1).headroom).toBe(0);
  });

  it('is almost reached above 80 % of the limit (not at 80 %), and reached at the limit', () => {
    const flags = (used: number, limit: number) => {
      const u = slotUsage('s', used, limit);
      return [u.almostReached, u.limitReached];
    };
    expect(flags(8, 10)).toEqual([false, false]);
    expect(flags(9, 10)).toEqual([true, false]);
    expect(flags(10, 10)).toEqual([true, true]);
    expect(flags(11, 10)).toEqual([true, true]);
    // A site with no slots: reached at once, almost reached only once something is used.
    expect(flags(0, 0)).toEqual([false, true]);
    expect(flags(1, 0)).toEqual([true, true]);
  });
});
