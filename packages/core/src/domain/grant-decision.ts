import { checkGrantInputs } from './decision-inputs.js';
import type { GrantRequest } from './grant.js';
import type { Lock, LockId } from './lock.js';
import { type AccessPolicy, reservedFor } from './policy.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import type { Site, SiteId } from './site.js';
import { holdingInterval, slotsForGrant } from './slot-holding.js';
import type { Hold, SlotPlan } from './slot-plan.js';
import { type Instant, windowEnded } from './time.js';

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

export interface LockRefusalBase {
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

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Decides whether a grant may be made. Feasible iff, over the grant's slot holding interval,
 * `peak + unmanagedHeld + slots ≤ limit − reserved`, every lock is on the site, has a PIN pad,
 * and its hub link is acceptable to the policy. Total: any input gives a decision, never a throw
 * (the inputs' shapes are checked first, in `decision-inputs.ts`).
 */
export function decideGrant(policy: AccessPolicy, state: GrantState, request: GrantRequest): GrantDecision {
  const checked = checkGrantInputs(policy, state, request);
  if (!checked.ok) return checked;
  return evaluateGrant(checked.value.policy, checked.value.state, checked.value.request);
}

/**
 * The grant rule itself, over well-typed values (a request from `parseGrantRequest`, a policy from
 * `parsePolicy`, a site and locks as the `LockGateway` contract returns them). It checks no shapes:
 * callers holding untrusted values use {@link decideGrant}.
 */
export function evaluateGrant(policy: AccessPolicy, state: GrantState, req: GrantRequest): GrantDecision {
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
  // One per lock on the lock integration, one per grant on an ACS site (the site's cost model).
  const slots = slotsForGrant(site, req.lockIds.length);
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
