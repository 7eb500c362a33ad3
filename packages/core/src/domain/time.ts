import type { FieldIssue } from './result.js';

/** An instant as milliseconds since the Unix epoch (UTC). The domain never reads a clock. */
export type Instant = number;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** When access applies: for ever (until revoked), or the half-open interval [startsAt, endsAt). */
export type AccessWindow =
  | { readonly kind: 'ongoing' }
  | { readonly kind: 'scheduled'; readonly startsAt: Instant; readonly endsAt: Instant };

export const ONGOING: AccessWindow = { kind: 'ongoing' };

/** A finite number (`Number.isFinite` is false for anything that is not a number: no coercion). */
export const isFiniteInstant = (x: unknown): x is Instant => Number.isFinite(x);

/** Field issues of a window; empty when it is well formed. */
export function windowIssues(window: unknown, field = 'window'): FieldIssue[] {
  if (typeof window !== 'object' || window === null) {
    return [{ field, message: 'must be { kind: "ongoing" } or { kind: "scheduled", startsAt, endsAt }' }];
  }
  const w = window as Record<string, unknown>;
  if (w['kind'] === 'ongoing') return [];
  if (w['kind'] !== 'scheduled') {
    return [{ field: `${field}.kind`, message: 'must be "ongoing" or "scheduled"' }];
  }
  const issues: FieldIssue[] = [];
  if (!isFiniteInstant(w['startsAt'])) {
    issues.push({
      field: `${field}.startsAt`,
      message: 'must be a finite instant (ms since epoch), not NaN',
    });
  }
  if (!isFiniteInstant(w['endsAt'])) {
    issues.push({ field: `${field}.endsAt`, message: 'must be a finite instant (ms since epoch), not NaN' });
  }
  if (issues.length === 0 && (w['endsAt'] as number) <= (w['startsAt'] as number)) {
    issues.push({ field: `${field}.endsAt`, message: 'must be after window.startsAt' });
  }
  return issues;
}

export const sameWindow = (a: AccessWindow, b: AccessWindow): boolean =>
  a.kind === 'ongoing'
    ? b.kind === 'ongoing'
    : b.kind === 'scheduled' && a.startsAt === b.startsAt && a.endsAt === b.endsAt;

/** Is `now` inside the window? */
export const windowContains = (w: AccessWindow, now: Instant): boolean =>
  w.kind === 'ongoing' || (w.startsAt <= now && now < w.endsAt);

/** Has the window ended by `now`? Ongoing windows never end. */
export const windowEnded = (w: AccessWindow, now: Instant): boolean =>
  w.kind === 'scheduled' && w.endsAt <= now;
