import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOT_LEAD_TIME_MS } from './site.js';
import {
  type AccessWindow,
  DAY_MS,
  HOUR_MS,
  isFiniteInstant,
  ONGOING,
  sameWindow,
  windowContains,
  windowEnded,
  windowIssues,
} from './time.js';

const WINDOW_SHAPE = 'must be { kind: "ongoing" } or { kind: "scheduled", startsAt, endsAt }';
const NOT_FINITE = 'must be a finite instant (ms since epoch), not NaN';
const scheduled = (startsAt: number, endsAt: number): AccessWindow => ({
  kind: 'scheduled',
  startsAt,
  endsAt,
});

describe('windowIssues', () => {
  it('accepts an ongoing window and a well-ordered scheduled one', () => {
    expect(windowIssues({ kind: 'ongoing' })).toEqual([]);
    expect(windowIssues({ kind: 'scheduled', startsAt: 1, endsAt: 2 })).toEqual([]);
  });
  it('names endsAt when it is not after startsAt', () => {
    expect(windowIssues({ kind: 'scheduled', startsAt: 5, endsAt: 5 })).toEqual([
      { field: 'window.endsAt', message: 'must be after window.startsAt' },
    ]);
  });
  it('names both bounds when they are NaN', () => {
    const fields = windowIssues({ kind: 'scheduled', startsAt: Number.NaN, endsAt: Number.NaN }).map(
      (i) => i.field,
    );
    expect(fields).toEqual(['window.startsAt', 'window.endsAt']);
  });
  it('refuses a value that is not an object, under the given field name', () => {
    for (const bad of [null, undefined, 'ongoing', 3]) {
      expect(windowIssues(bad)).toEqual([{ field: 'window', message: WINDOW_SHAPE }]);
      expect(windowIssues(bad, 'stay')).toEqual([{ field: 'stay', message: WINDOW_SHAPE }]);
    }
  });
  it('names an unknown kind', () => {
    for (const w of [{}, { kind: 'weekly' }, { kind: null, startsAt: 1, endsAt: 2 }]) {
      expect(windowIssues(w, 'w')).toEqual([
        { field: 'w.kind', message: 'must be "ongoing" or "scheduled"' },
      ]);
    }
  });
  it('names each bound that is not a finite number, and does not compare them then', () => {
    expect(windowIssues({ kind: 'scheduled', startsAt: '10', endsAt: 5 })).toEqual([
      { field: 'window.startsAt', message: NOT_FINITE },
    ]);
    expect(windowIssues({ kind: 'scheduled', startsAt: 1, endsAt: Number.POSITIVE_INFINITY }, 'x')).toEqual([
      { field: 'x.endsAt', message: NOT_FINITE },
    ]);
    expect(windowIssues({ kind: 'scheduled', startsAt: 9 }, 'x')).toEqual([
      { field: 'x.endsAt', message: NOT_FINITE },
    ]);
    expect(windowIssues({ kind: 'scheduled', startsAt: 9, endsAt: 3 }, 'x')).toEqual([
      { field: 'x.endsAt', message: 'must be after window.startsAt' },
    ]);
  });
});

describe('window rules', () => {
  it('isFiniteInstant takes finite numbers only, without coercion', () => {
    expect([0, -1, 1.5, 1_780_272_000_000].every(isFiniteInstant)).toBe(true);
    expect([Number.NaN, Number.POSITIVE_INFINITY, '5', null, undefined, [1]].some(isFiniteInstant)).toBe(
      false,
    );
  });

  it('sameWindow compares kind and both bounds', () => {
    expect(sameWindow(ONGOING, { kind: 'ongoing' })).toBe(true);
    expect(sameWindow(ONGOING, scheduled(1, 2))).toBe(false);
    expect(sameWindow(scheduled(1, 2), ONGOING)).toBe(false);
    expect(sameWindow(scheduled(1, 2), scheduled(1, 2))).toBe(true);
    expect(sameWindow(scheduled(1, 2), scheduled(0, 2))).toBe(false);
    expect(sameWindow(scheduled(1, 2), scheduled(1, 3))).toBe(false);
  });

  it('windowContains is half-open: from startsAt, until before endsAt; ongoing always', () => {
    expect(windowContains(ONGOING, -1e15)).toBe(true);
    expect([9, 10, 19, 20].map((t) => windowContains(scheduled(10, 20), t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('windowEnded from endsAt on; an ongoing window never ends', () => {
    expect(windowEnded(ONGOING, 1e15)).toBe(false);
    expect([19, 20, 21].map((t) => windowEnded(scheduled(10, 20), t))).toEqual([false, true, true]);
  });

  it('has the constants it says', () => {
    expect(ONGOING).toEqual({ kind: 'ongoing' });
    expect([HOUR_MS, DAY_MS, DEFAULT_SLOT_LEAD_TIME_MS]).toEqual([3_600_000, 86_400_000, 259_200_000]);
  });
});
