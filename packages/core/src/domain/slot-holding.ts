import { type AccessCode, isNotSubscribed } from './access-code.js';
import type { ProviderAccessGrant } from './access-grant.js';
import type { Site, SlotCostModel } from './site.js';
import type { AccessWindow, Instant } from './time.js';

/**
 * The one home of "how many of its site's user slots does a grant take, and when"
 * (docs/ARCHITECTURE.md, "Rules and where they live"). It depends on the site's
 * {@link SlotCostModel}, set by the gateway that listed the site. Core's slot plan, the policy,
 * `ReportSlotUsage`, the Seam adapter's slot count and the test gateways all ask here.
 */

/** What the rules below read of a site. A site without a cost model is on the lock integration. */
export type SlotCostSite = Pick<Site, 'slotLeadTimeMs'> & { readonly slotCostModel?: SlotCostModel };

/** The site's cost model: `code_per_lock` unless the site says otherwise. */
export const slotCostModelOf = (site: SlotCostSite): SlotCostModel => site.slotCostModel ?? 'code_per_lock';

/**
 * How many slots a grant over `lockCount` locks (doors) takes: one per lock with
 * `code_per_lock` (every code is its own Salto user), ONE with `user_per_grant` (the grant is one
 * Salto user however many doors it opens). A grant with no lock takes none.
 */
export function slotsForGrant(site: SlotCostSite, lockCount: number): number {
  if (lockCount <= 0) return 0;
  return slotCostModelOf(site) === 'user_per_grant' ? 1 : lockCount;
}

/**
 * When a grant for `window`, made at `createdAt`, holds its slots:
 * - ongoing: `[createdAt, Infinity)` — from creation until removal, on both paths;
 * - scheduled, `code_per_lock`: `[max(createdAt, startsAt − site.slotLeadTimeMs), endsAt)` —
 *   Salto loads a time-bound code up to the lead time before it starts and frees it at its end;
 * - scheduled, `user_per_grant`: `[max(createdAt, startsAt), endsAt)` — Salto subscribes an ACS
 *   user at the start of its access schedule, not before, and unsubscribes it at the end.
 * The interval is empty (`from ≥ to`) when the window ended before `createdAt`.
 */
export function holdingInterval(
  site: SlotCostSite,
  window: AccessWindow,
  createdAt: Instant,
): { from: Instant; to: Instant } {
  if (window.kind === 'ongoing') return { from: createdAt, to: Number.POSITIVE_INFINITY };
  const lead = slotCostModelOf(site) === 'user_per_grant' ? 0 : site.slotLeadTimeMs;
  return { from: Math.max(createdAt, window.startsAt - lead), to: window.endsAt };
}

/** Is `t` inside the holding interval of a grant (or code) for `window` made at `createdAt`? */
export function holdsSlotAt(
  site: SlotCostSite,
  window: AccessWindow,
  createdAt: Instant,
  t: Instant,
): boolean {
  const { from, to } = holdingInterval(site, window, createdAt);
  return from <= t && t < to;
}

/**
 * Does a code seen at the provider (lock integration) hold a slot at `now`? A code refused for
 * the slot limit ("not subscribed") holds none; otherwise it holds one inside its holding
 * interval. The provider does not say when a code was created, so it counts as created long ago.
 */
export const codeHoldsSlot = (code: AccessCode, site: Pick<Site, 'slotLeadTimeMs'>, now: Instant): boolean =>
  !isNotSubscribed(code) && holdsSlotAt(site, code.window, Number.NEGATIVE_INFINITY, now);

/**
 * Does an access grant seen at an ACS provider hold its ONE slot at `now`? Not when Salto refused
 * it a slot (`slot_limit_reached`) or its person is not subscribed (`not_subscribed`: the window
 * has not started, has ended, or the user is suspended); otherwise inside its window.
 */
export const accessGrantHoldsSlot = (
  grant: Pick<ProviderAccessGrant, 'issues' | 'window'>,
  now: Instant,
): boolean =>
  !grant.issues.some((i) => i.code === 'slot_limit_reached' || i.code === 'not_subscribed') &&
  holdsSlotAt(ACS_COST, grant.window, Number.NEGATIVE_INFINITY, now);

const ACS_COST: SlotCostSite = { slotLeadTimeMs: 0, slotCostModel: 'user_per_grant' };
