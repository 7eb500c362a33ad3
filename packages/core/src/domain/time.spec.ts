import { describe, expect, it } from 'vitest';
import { windowIssues } from './time.js';

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
});
