import type { LockId } from './lock.js';
import { err, type FieldIssue, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import type { SiteId } from './site.js';
import { type AccessWindow, type Instant, windowIssues } from './time.js';

/**
 * The application's key for a grant (a booking id, a membership id…). It is carried in the
 * name of every access code made for the grant, so codes are found again after a lost reply.
 */
export type GrantKey = string;

/**
 * Intent: holder H may open locks L1..Lk of one site during a window, each with a
 * Salto-generated PIN.
 */
export interface Grant {
  readonly key: GrantKey;
  readonly holder: string;
  readonly siteId: SiteId;
  readonly lockIds: readonly LockId[];
  readonly window: AccessWindow;
  readonly createdAt: Instant;
  /** Set once revoked; a revoked grant must end up with no codes. */
  readonly revokedAt: Instant | null;
  /**
   * Set on a revoked grant once every code carrying its key is confirmed gone from the provider
   * (deleted, or already `removing`, which holds no slot). Until then the revoked grant keeps
   * holding its planned slots: a leftover scheduled code that has not loaded yet still takes its
   * slot when it does, so admitting a new grant into that slot would overbook the site.
   * `null` or absent: not confirmed (a revoked grant stored before this field existed counts as
   * not cleaned up until `RevokeAccess` or `ReconcileSite` confirms it). Meaningless while live.
   */
  readonly cleanedUpAt?: Instant | null;
  /** Optimistic-concurrency version, bumped by the store on every save. */
  readonly version: number;
}

export interface GrantRequest {
  readonly key: GrantKey;
  readonly holder: string;
  readonly siteId: SiteId;
  readonly lockIds: readonly LockId[];
  readonly window: AccessWindow;
}

/** A grant key: 1–64 chars of letters, digits, `_`, `-`, `.`, `:`; it must fit in a code name. */
export const GRANT_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

const nonEmptyString = (x: unknown): x is string => typeof x === 'string' && x.trim().length > 0;

/** Validates an untrusted grant request; names every bad field. Never throws. */
export function parseGrantRequest(input: unknown): Result<GrantRequest, InvalidInput> {
  if (typeof input !== 'object' || input === null) {
    return err(invalidInput([{ field: 'request', message: 'must be an object' }]));
  }
  const r = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (typeof r['key'] !== 'string' || !GRANT_KEY_PATTERN.test(r['key'])) {
    issues.push({ field: 'key', message: 'must be 1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":"' });
  }
  if (!nonEmptyString(r['holder'])) issues.push({ field: 'holder', message: 'must be a non-empty string' });
  if (!nonEmptyString(r['siteId'])) issues.push({ field: 'siteId', message: 'must be a non-empty string' });
  const lockIds = r['lockIds'];
  if (!Array.isArray(lockIds) || lockIds.length === 0) {
    issues.push({ field: 'lockIds', message: 'must list at least one lock id' });
  } else if (!lockIds.every(nonEmptyString)) {
    issues.push({ field: 'lockIds', message: 'must contain only non-empty strings' });
  } else if (new Set(lockIds).size !== lockIds.length) {
    issues.push({ field: 'lockIds', message: 'must not list the same lock twice' });
  }
  issues.push(...windowIssues(r['window']));
  if (issues.length > 0) return err(invalidInput(issues));
  return ok({
    key: r['key'] as string,
    holder: r['holder'] as string,
    siteId: r['siteId'] as string,
    lockIds: [...(lockIds as string[])],
    window: r['window'] as AccessWindow,
  });
}

export const isRevoked = (g: Grant): boolean => g.revokedAt !== null;

/**
 * A revoked grant whose codes are not yet confirmed gone: it still holds its planned slots (see
 * `Grant.cleanedUpAt`), and `RevokeAccess` / `ReconcileSite` still have cleaning to do.
 */
export const isCleanupPending = (g: Grant): boolean => isRevoked(g) && (g.cleanedUpAt ?? null) === null;

/** Whether the grant counts in the site's slot plan: live, or revoked with cleanup pending. */
export const holdsPlannedSlots = (g: Grant): boolean => !isRevoked(g) || isCleanupPending(g);
