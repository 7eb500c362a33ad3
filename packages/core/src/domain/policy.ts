import type { Grant, GrantKey, GrantRequest } from './grant.js';
import { parseGrantRequest } from './grant.js';
import type { HubLink, Lock, LockId } from './lock.js';
import { err, type FieldIssue, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import type { Site, SiteId } from './site.js';
import { holdingInterval } from './slot-holding.js';
import type { Hold, SlotPlan } from './slot-plan.js';
import { type Instant, isFiniteInstant, windowContains, windowEnded } from './time.js';

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

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isNonNegativeInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const show = (x: unknown): string =>
  typeof x === 'number' ? String(x) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
const oneOf = <T extends string>(allowed: readonly T[], x: unknown): x is T =>
  typeof x === 'string' && (allowed as readonly string[]).includes(x);

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

// ---------------------------------------------------------------------------------------------
// Grant decisions

/** What a grant decision looks at. `locks` are the locks the provider returned for the request's ids. */
export interface GrantState {
  readonly site: Site;
  readonly locks: readonly Lock[];
  readonly plan: SlotPlan;
  /** Slots used at the provider that the plan does not know (codes of other apps). */
  readonly unmanagedHeld: number;
  readonly now: Instant;
}

/** A feasible grant: the hold to add to the plan and the numbers behind the decision. */
export interface GrantApproval {
  readonly hold: Hold;
  /** Highest number of slots held by planned grants during the hold, before this grant. */
  readonly peak: number;
  readonly unmanagedHeld: number;
  readonly limit: number;
  readonly reserved: number;
  /** Slots still free at the busiest moment after this grant: limit − reserved − peak − unmanaged − slots. */
  readonly headroomAfter: number;
  /** Locks whose hub is offline, accepted under `onOfflineHub: 'accept_and_retry'`: provision later. */
  readonly pendingLocks: readonly LockId[];
  /** Locks with a weak hub link, accepted under `onWeakHub: 'accept'`: expect slow, flaky programming. */
  readonly weakLocks: readonly LockId[];
}

interface LockRefusalBase {
  readonly message: string;
  readonly lockId: LockId;
}

export type GrantRefusal =
  | InvalidInput
  | {
      readonly code: 'slot_limit_reached';
      readonly message: string;
      readonly siteId: SiteId;
      readonly siteName: string;
      /** Highest number of slots held by planned grants during the hold. */
      readonly peak: number;
      readonly unmanagedHeld: number;
      readonly requested: number;
      readonly limit: number;
      readonly reserved: number;
      /** Slots free at the busiest moment: max(0, limit − reserved − peak − unmanaged). */
      readonly available: number;
      readonly from: Instant;
      readonly to: Instant;
    }
  | (LockRefusalBase & { readonly code: 'lock_not_found' })
  | (LockRefusalBase & { readonly code: 'lock_on_other_site'; readonly lockSiteId: SiteId })
  | (LockRefusalBase & { readonly code: 'no_pin_pad' })
  | (LockRefusalBase & { readonly code: 'hub_offline' })
  | (LockRefusalBase & { readonly code: 'hub_weak' })
  | {
      readonly code: 'grant_too_long';
      readonly message: string;
      /** `null` for an ongoing window (unbounded). */
      readonly durationMs: number | null;
      readonly maxGrantDurationMs: number;
    }
  | {
      readonly code: 'window_ended';
      readonly message: string;
      readonly endsAt: Instant;
      readonly now: Instant;
    };

export type GrantRefusalCode = GrantRefusal['code'];
export type GrantDecision = Result<GrantApproval, GrantRefusal>;

const isSlotPlan = (x: unknown): x is SlotPlan =>
  isRecord(x) && typeof x['peak'] === 'function' && typeof x['heldAt'] === 'function';

/** Field issues of a site value (from the gateway, or from a caller of the pure function). */
export function siteIssues(site: unknown, field = 'site'): FieldIssue[] {
  if (!isRecord(site)) return [{ field, message: 'must be a site object' }];
  const issues: FieldIssue[] = [];
  if (typeof site['id'] !== 'string' || site['id'] === '') {
    issues.push({ field: `${field}.id`, message: 'must be a non-empty string' });
  }
  if (typeof site['name'] !== 'string') issues.push({ field: `${field}.name`, message: 'must be a string' });
  if (!isNonNegativeInt(site['slotLimit'])) {
    issues.push({
      field: `${field}.slotLimit`,
      message: `must be a non-negative integer, got ${show(site['slotLimit'])}`,
    });
  }
  const lead = site['slotLeadTimeMs'];
  if (typeof lead !== 'number' || !Number.isFinite(lead) || lead < 0) {
    issues.push({
      field: `${field}.slotLeadTimeMs`,
      message: `must be a non-negative number of ms, got ${show(lead)}`,
    });
  }
  return issues;
}

/** Field issues of a lock value; `lockIssues(x).length === 0` means every field decisions read is sound. */
function lockIssues(lock: unknown, field: string): FieldIssue[] {
  if (!isRecord(lock)) return [{ field, message: 'must be a lock object' }];
  const issues: FieldIssue[] = [];
  if (typeof lock['id'] !== 'string') issues.push({ field: `${field}.id`, message: 'must be a string' });
  if (typeof lock['name'] !== 'string') issues.push({ field: `${field}.name`, message: 'must be a string' });
  if (typeof lock['siteId'] !== 'string')
    issues.push({ field: `${field}.siteId`, message: 'must be a string' });
  if (!oneOf<HubLink>(['good', 'weak', 'offline'], lock['hubLink'])) {
    issues.push({ field: `${field}.hubLink`, message: 'must be "good", "weak" or "offline"' });
  }
  const caps = lock['capabilities'];
  if (
    !isRecord(caps) ||
    typeof caps['remoteUnlock'] !== 'boolean' ||
    typeof caps['accessCodes'] !== 'boolean'
  ) {
    issues.push({
      field: `${field}.capabilities`,
      message: 'must be { remoteUnlock: boolean, accessCodes: boolean }',
    });
  }
  const modes = lock['modes'];
  if (!isRecord(modes) || typeof modes['privacy'] !== 'boolean' || typeof modes['office'] !== 'boolean') {
    issues.push({ field: `${field}.modes`, message: 'must be { privacy: boolean, office: boolean }' });
  }
  return issues;
}

/** The policy as decisions read it (missing fields take their defaults), or its issues. */
function readPolicy(policy: unknown): Result<AccessPolicy, FieldIssue[]> {
  if (policy === undefined || policy === null) {
    return err([{ field: 'policy', message: 'must be an access policy (see DEFAULT_POLICY)' }]);
  }
  const parsed = parsePolicy(policy);
  return parsed.ok
    ? parsed
    : err(
        parsed.error.issues.map((i) => ({
          ...i,
          field: i.field === 'policy' ? 'policy' : `policy.${i.field}`,
        })),
      );
}

const nowIssues = (now: unknown): FieldIssue[] =>
  isFiniteInstant(now) ? [] : [{ field: 'now', message: 'must be a finite instant (ms since epoch)' }];

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Decides whether a grant may be made. Feasible iff, over the grant's slot holding interval,
 * `peak + unmanagedHeld + slots ≤ limit − reserved`, every lock is on the site, has a PIN pad,
 * and its hub link is acceptable to the policy. Total: any input gives a decision, never a throw.
 */
export function decideGrant(policyIn: AccessPolicy, state: GrantState, request: GrantRequest): GrantDecision {
  // 1. Shape of everything (the function is total: garbage in gives invalid_input out).
  const readP = readPolicy(policyIn);
  const issues: FieldIssue[] = readP.ok ? [] : [...readP.error];
  if (!isRecord(state)) {
    issues.push({ field: 'state', message: 'must be an object' });
    return err(invalidInput(issues));
  }
  issues.push(...nowIssues(state.now), ...siteIssues(state.site));
  if (!isSlotPlan(state.plan)) issues.push({ field: 'plan', message: 'must be a SlotPlan' });
  if (!isNonNegativeInt(state.unmanagedHeld)) {
    issues.push({
      field: 'unmanagedHeld',
      message: `must be a non-negative integer, got ${show(state.unmanagedHeld)}`,
    });
  }
  const locksIn: unknown = state.locks;
  if (!Array.isArray(locksIn)) issues.push({ field: 'locks', message: 'must be an array of locks' });
  else for (let i = 0; i < locksIn.length; i++) issues.push(...lockIssues(locksIn[i], `locks[${i}]`));
  const parsed = parseGrantRequest(request);
  if (!parsed.ok) issues.push(...parsed.error.issues);
  if (issues.length > 0 || !parsed.ok || !readP.ok) return err(invalidInput(issues));

  const policy = readP.value;
  const req = parsed.value;
  const { site, plan, unmanagedHeld, now } = state;
  const locks = state.locks;
  if (req.siteId !== site.id) {
    return err(
      invalidInput([
        { field: 'siteId', message: `is "${req.siteId}" but the state is for site "${site.id}"` },
      ]),
    );
  }

  // 2. Window.
  const w = req.window;
  if (windowEnded(w, now)) {
    const endsAt = w.kind === 'scheduled' ? w.endsAt : now;
    return err({
      code: 'window_ended',
      message: `Grant "${req.key}" ends before now (endsAt ${endsAt} ≤ now ${now}); give a window that ends in the future.`,
      endsAt,
      now,
    });
  }
  if (policy.maxGrantDurationMs !== null) {
    const max = policy.maxGrantDurationMs;
    const durationMs = w.kind === 'scheduled' ? w.endsAt - w.startsAt : null;
    if (durationMs === null || durationMs > max) {
      return err({
        code: 'grant_too_long',
        message:
          durationMs === null
            ? `Grant "${req.key}" is ongoing but the policy allows at most ${max} ms; give a scheduled window of at most that length.`
            : `Grant "${req.key}" lasts ${durationMs} ms but the policy allows at most ${max} ms; shorten the window or split it into several grants.`,
        durationMs,
        maxGrantDurationMs: max,
      });
    }
  }

  // 3. Locks.
  const pendingLocks: LockId[] = [];
  const weakLocks: LockId[] = [];
  for (const lockId of req.lockIds) {
    const lock = locks.find((l) => l.id === lockId);
    if (!lock) {
      return err({
        code: 'lock_not_found',
        lockId,
        message: `Lock "${lockId}" was not found at the provider; check the lock id, or reconnect the Salto KS account in Seam.`,
      });
    }
    if (lock.siteId !== site.id) {
      return err({
        code: 'lock_on_other_site',
        lockId,
        lockSiteId: lock.siteId,
        message: `Lock "${lockId}" belongs to site "${lock.siteId}", not "${site.id}"; make one grant per site.`,
      });
    }
    if (!lock.capabilities.accessCodes) {
      return err({
        code: 'no_pin_pad',
        lockId,
        message: `Lock "${lockId}" (${lock.name}) has no PIN pad, so it cannot take access codes; choose a lock with a keypad.`,
      });
    }
    if (lock.hubLink === 'offline') {
      if (policy.onOfflineHub === 'refuse') {
        return err({
          code: 'hub_offline',
          lockId,
          message: `The IQ hub of lock "${lockId}" (${lock.name}) is offline, so no code can reach it; bring the hub back online and retry, or set the policy's onOfflineHub to "accept_and_retry".`,
        });
      }
      pendingLocks.push(lockId);
    } else if (lock.hubLink === 'weak') {
      if (policy.onWeakHub === 'refuse') {
        return err({
          code: 'hub_weak',
          lockId,
          message: `The hub link of lock "${lockId}" (${lock.name}) is weak, and the policy refuses weak hubs; move a BLUEnet repeater or the IQ closer to the lock, or set onWeakHub to "accept".`,
        });
      }
      weakLocks.push(lockId);
    }
  }

  // 4. Slots.
  const slots = req.lockIds.length;
  const { from, to } = holdingInterval(site, w, now);
  const hold: Hold = { id: req.key, from, to, slots };
  const peak = plan.peak(from, to);
  const limit = site.slotLimit;
  const reserved = reservedFor(policy, site.id);
  const available = Math.max(0, limit - reserved - peak - unmanagedHeld);
  if (peak + unmanagedHeld + slots > limit - reserved) {
    return err({
      code: 'slot_limit_reached',
      message:
        `Site "${site.name}" (${site.id}) cannot hold ${plural(slots, 'more user slot')} for grant "${req.key}": ` +
        `at the busiest moment of the grant's window ${plural(peak, 'slot')} ${peak === 1 ? 'is' : 'are'} held by keyslot grants` +
        `${unmanagedHeld > 0 ? ` and ${unmanagedHeld} by other apps` : ''}, of a limit of ${limit} with ${reserved} kept in reserve ` +
        `(${available} free). Revoke a grant, shorten the window, lower the reserve, or raise the site's Salto KS subscription plan.`,
      siteId: site.id,
      siteName: site.name,
      peak,
      unmanagedHeld,
      requested: slots,
      limit,
      reserved,
      available,
      from,
      to,
    });
  }
  return ok({
    hold,
    peak,
    unmanagedHeld,
    limit,
    reserved,
    headroomAfter: limit - reserved - peak - unmanagedHeld - slots,
    pendingLocks,
    weakLocks,
  });
}

// ---------------------------------------------------------------------------------------------
// Unlock decisions

export interface UnlockState {
  /** The lock as the provider returned it; `null` when it was not found. */
  readonly lock: Lock | null;
  /** The holder's grants (any site); needed when `remoteUnlock` is `active_grant_holders`. */
  readonly grantsOfHolder?: readonly Grant[];
  readonly now: Instant;
}

export interface UnlockRequest {
  readonly lockId: LockId;
  readonly holder?: string;
}

export interface UnlockPermit {
  readonly lockId: LockId;
  readonly holder: string | null;
  /** The active grant that allows it, under `active_grant_holders`. */
  readonly grantKey: GrantKey | null;
  readonly hubLink: HubLink;
}

export type UnlockRefusal =
  | InvalidInput
  | { readonly code: 'remote_unlock_not_allowed'; readonly message: string; readonly lockId: LockId }
  | {
      readonly code: 'no_active_grant';
      readonly message: string;
      readonly lockId: LockId;
      readonly holder: string | null;
    }
  | (LockRefusalBase & { readonly code: 'lock_not_found' })
  | (LockRefusalBase & { readonly code: 'capability_missing' })
  | (LockRefusalBase & { readonly code: 'hub_offline' })
  | (LockRefusalBase & { readonly code: 'hub_weak' })
  | (LockRefusalBase & { readonly code: 'privacy_mode' });

export type UnlockRefusalCode = UnlockRefusal['code'];
export type UnlockDecision = Result<UnlockPermit, UnlockRefusal>;

/** An active grant for (holder, lock) at `now`: not revoked, window contains now, lists the lock. */
export function activeGrantFor(
  grants: readonly Grant[],
  holder: string,
  lockId: LockId,
  now: Instant,
): Grant | null {
  return (
    grants.find(
      (g) =>
        isRecord(g) &&
        g.holder === holder &&
        g.revokedAt === null &&
        Array.isArray(g.lockIds) &&
        g.lockIds.includes(lockId) &&
        isRecord(g.window) &&
        windowContains(g.window, now),
    ) ?? null
  );
}

/**
 * Decides whether a remote unlock may be sent. Who may ask comes first (policy), then what the
 * lock can do (capability, privacy mode, hub link). Total: never throws.
 */
export function decideUnlock(
  policyIn: AccessPolicy,
  state: UnlockState,
  request: UnlockRequest,
): UnlockDecision {
  const readP = readPolicy(policyIn);
  const issues: FieldIssue[] = readP.ok ? [] : [...readP.error];
  if (!isRecord(state))
    return err(invalidInput([...issues, { field: 'state', message: 'must be an object' }]));
  if (!isRecord(request)) {
    return err(invalidInput([...issues, { field: 'request', message: 'must be an object' }]));
  }
  issues.push(...nowIssues(state.now));
  const lockId: unknown = request.lockId;
  if (typeof lockId !== 'string' || lockId.trim() === '') {
    issues.push({ field: 'lockId', message: 'must be a non-empty string' });
  }
  const holderIn: unknown = request.holder;
  if (
    holderIn !== undefined &&
    holderIn !== null &&
    (typeof holderIn !== 'string' || holderIn.trim() === '')
  ) {
    issues.push({ field: 'holder', message: 'must be a non-empty string when given' });
  }
  if (state.lock !== null && state.lock !== undefined) issues.push(...lockIssues(state.lock, 'lock'));
  const grantsIn: unknown = state.grantsOfHolder;
  if (grantsIn !== undefined && !Array.isArray(grantsIn)) {
    issues.push({ field: 'grantsOfHolder', message: 'must be an array of grants when given' });
  }
  if (issues.length > 0 || !readP.ok) return err(invalidInput(issues));

  const policy = readP.value;
  const id = lockId as LockId;
  const holder = typeof holderIn === 'string' ? holderIn : null;
  const lock = state.lock ?? null;
  if (lock === null) {
    return err({
      code: 'lock_not_found',
      lockId: id,
      message: `Lock "${id}" was not found at the provider; check the lock id.`,
    });
  }
  if (lock.id !== id) {
    return err(
      invalidInput([{ field: 'lock.id', message: `is "${lock.id}" but the request is for "${id}"` }]),
    );
  }

  if (policy.remoteUnlock === 'nobody') {
    return err({
      code: 'remote_unlock_not_allowed',
      lockId: id,
      message: `Remote unlock of lock "${id}" is disabled by the policy (remoteUnlock: "nobody"); use a PIN or change the policy.`,
    });
  }
  let grantKey: GrantKey | null = null;
  if (policy.remoteUnlock === 'active_grant_holders') {
    const grant = holder === null ? null : activeGrantFor(state.grantsOfHolder ?? [], holder, id, state.now);
    if (!grant) {
      return err({
        code: 'no_active_grant',
        lockId: id,
        holder,
        message:
          holder === null
            ? `Remote unlock of lock "${id}" is only for holders of an active grant, and no holder was given; pass the holder.`
            : `Holder "${holder}" has no active grant on lock "${id}" right now; grant access first, or wait for the grant's window to start.`,
      });
    }
    grantKey = grant.key;
  }
  if (!lock.capabilities.remoteUnlock) {
    return err({
      code: 'capability_missing',
      lockId: id,
      message: `Lock "${id}" (${lock.name}) cannot be unlocked remotely (no remote-opening waiver on its IQ hub); ask Salto to enable remote opening for the site.`,
    });
  }
  if (lock.modes.privacy) {
    return err({
      code: 'privacy_mode',
      lockId: id,
      message: `Lock "${id}" (${lock.name}) is in privacy mode and refuses remote unlocks; it can only be opened from inside until privacy mode ends.`,
    });
  }
  if (lock.hubLink === 'offline') {
    return err({
      code: 'hub_offline',
      lockId: id,
      message: `The IQ hub of lock "${id}" (${lock.name}) is offline, so no remote unlock can reach it; check the hub's power and internet link, or use a PIN.`,
    });
  }
  if (lock.hubLink === 'weak' && policy.onWeakHub === 'refuse') {
    return err({
      code: 'hub_weak',
      lockId: id,
      message: `The hub link of lock "${id}" (${lock.name}) is weak, and the policy refuses weak hubs; use a PIN, or set onWeakHub to "accept".`,
    });
  }
  return ok({ lockId: id, holder, grantKey, hubLink: lock.hubLink });
}
