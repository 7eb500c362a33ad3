import type { FieldIssue } from '../domain/result.js';
import { isNonNegativeNumber } from '../domain/value-checks.js';

/**
 * The checks of a waiting use case's `timeoutMs` and `pollIntervalMs` (`AwaitPins`, `UnlockDoor`):
 * a deadline of 0 ms is allowed (look once), a poll interval must move the clock forward.
 */
export function waitOptionIssues(timeoutMs: unknown, pollIntervalMs: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isNonNegativeNumber(timeoutMs)) {
    issues.push({ field: 'timeoutMs', message: 'must be a finite number of ms ≥ 0' });
  }
  if (!isNonNegativeNumber(pollIntervalMs) || pollIntervalMs === 0) {
    issues.push({ field: 'pollIntervalMs', message: 'must be a finite number of ms > 0' });
  }
  return issues;
}
