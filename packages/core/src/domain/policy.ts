import { err, type FieldIssue, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import type { SiteId } from './site.js';
import { isNonNegativeInt, isRecord, oneOf, show } from './value-checks.js';

/**
 * The rules an application configures. Decisions are pure functions of
 * (policy, state, request, now): they read no clock and never throw.
 */
export interface AccessPolicy {
  /** User slots kept free on every site (for staff, emergencies, other apps). Non-negative integer. */
  readonly reservedSlots: number;
  /** Per-site overrides of `reservedSlots`, by site id. */
  readonly reservedSlotsBySite: Readonly<Record<SiteId, number>>;
  /** Longest allowed grant window in ms; `null` = unlimited. With a limit, ongoing grants are refused. */
  readonly maxGrantDurationMs: number | null;
  /** A lock whose hub link is `weak` (Seam shows it as `unknown`): provision anyway, or refuse. */
  readonly onWeakHub: 'accept' | 'refuse';
  /** A lock whose hub is `offline`: refuse, or keep the grant and let reconcile provision it later. */
  readonly onOfflineHub: 'refuse' | 'accept_and_retry';
  /** Who may open a door remotely. */
  readonly remoteUnlock: 'anyone' | 'active_grant_holders' | 'nobody';
}

export const DEFAULT_POLICY: AccessPolicy = Object.freeze({
  reservedSlots: 0,
  reservedSlotsBySite: Object.freeze({}),
  maxGrantDurationMs: null,
  onWeakHub: 'accept',
  onOfflineHub: 'refuse',
  remoteUnlock: 'active_grant_holders',
});

const WEAK_HUB_RULES = ['accept', 'refuse'] as const;
const OFFLINE_HUB_RULES = ['refuse', 'accept_and_retry'] as const;
const REMOTE_UNLOCK_RULES = ['anyone', 'active_grant_holders', 'nobody'] as const;

/**
 * Validates an untrusted policy. Missing fields take their `DEFAULT_POLICY` value; every bad
 * field is named (`reservedSlots`, `reservedSlotsBySite.<siteId>`, …). Never throws.
 */
export function parsePolicy(input: unknown): Result<AccessPolicy, InvalidInput> {
  if (input === undefined) return ok(DEFAULT_POLICY);
  if (!isRecord(input) || Array.isArray(input)) {
    return err(invalidInput([{ field: 'policy', message: 'must be an object' }]));
  }
  const issues: FieldIssue[] = [];
  const has = (k: string): boolean => input[k] !== undefined;

  const reservedSlots = has('reservedSlots') ? input['reservedSlots'] : DEFAULT_POLICY.reservedSlots;
  if (!isNonNegativeInt(reservedSlots)) {
    issues.push({
      field: 'reservedSlots',
      message: `must be a non-negative integer, got ${show(reservedSlots)}`,
    });
  }

  const bySiteIn = has('reservedSlotsBySite') ? input['reservedSlotsBySite'] : {};
  const reservedSlotsBySite: Record<SiteId, number> = {};
  if (!isRecord(bySiteIn) || Array.isArray(bySiteIn)) {
    issues.push({ field: 'reservedSlotsBySite', message: 'must be an object of site id → slots' });
  } else {
    for (const [siteId, n] of Object.entries(bySiteIn)) {
      if (isNonNegativeInt(n)) reservedSlotsBySite[siteId] = n;
      else
        issues.push({
          field: `reservedSlotsBySite.${siteId}`,
          message: `must be a non-negative integer, got ${show(n)}`,
        });
    }
  }

  const maxGrantDurationMs = has('maxGrantDurationMs') ? input['maxGrantDurationMs'] : null;
  if (maxGrantDurationMs !== null && !(isNonNegativeInt(maxGrantDurationMs) && maxGrantDurationMs > 0)) {
    issues.push({
      field: 'maxGrantDurationMs',
      message: `must be a positive integer of milliseconds or null (unlimited), got ${show(maxGrantDurationMs)}`,
    });
  }

  const pick = <T extends string>(field: keyof AccessPolicy, allowed: readonly T[]): T => {
    const v = has(field) ? input[field] : DEFAULT_POLICY[field];
    if (oneOf(allowed, v)) return v;
    issues.push({ field, message: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}` });
    return allowed[0] as T;
  };
  const onWeakHub = pick('onWeakHub', WEAK_HUB_RULES);
  const onOfflineHub = pick('onOfflineHub', OFFLINE_HUB_RULES);
  const remoteUnlock = pick('remoteUnlock', REMOTE_UNLOCK_RULES);

  if (issues.length > 0) return err(invalidInput(issues));
  return ok({
    reservedSlots: reservedSlots as number,
    reservedSlotsBySite,
    maxGrantDurationMs: maxGrantDurationMs as number | null,
    onWeakHub,
    onOfflineHub,
    remoteUnlock,
  });
}

/** Slots the policy keeps free on `siteId`: its override, else the default. */
export function reservedFor(policy: AccessPolicy, siteId: SiteId): number {
  const override = Object.hasOwn(policy.reservedSlotsBySite, siteId)
    ? policy.reservedSlotsBySite[siteId]
    : undefined;
  return override ?? policy.reservedSlots;
}
