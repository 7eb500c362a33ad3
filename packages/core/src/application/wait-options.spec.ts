import { describe, expect, it } from 'vitest';
import { waitOptionIssues } from './wait-options.js';

describe('waitOptionIssues', () => {
  it.each([
    [0, 1],
    [30_000, 1_000],
    [0.5, 0.25],
  ])('accepts a timeout of %s ms polled every %s ms', (timeoutMs, pollMs) => {
    expect(waitOptionIssues(timeoutMs, pollMs)).toEqual([]);
  });

  it.each([-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, '100', null, undefined])(
    'names timeoutMs, and only it, for %s',
    (timeoutMs) => {
      expect(waitOptionIssues(timeoutMs, 500)).toEqual([
        { field: 'timeoutMs', message: 'must be a finite number of ms ≥ 0' },
      ]);
    },
  );

  it.each([0, -0, -5, Number.NaN, Number.POSITIVE_INFINITY, '500', null])(
    'names pollIntervalMs, and only it, for %s',
    (pollMs) => {
      expect(waitOptionIssues(1_000, pollMs)).toEqual([
        { field: 'pollIntervalMs', message: 'must be a finite number of ms > 0' },
      ]);
    },
  );

  it('names both fields in order when both are wrong', () => {
    expect(waitOptionIssues(-1, 0).map((i) => i.field)).toEqual(['timeoutMs', 'pollIntervalMs']);
  });
});
