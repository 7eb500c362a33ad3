import { type AccessCode, isNotSubscribed } from './access-code.js';
import type { Site } from './site.js';
import type { AccessWindow, Instant } from './time.js';

/**
 * The one home of "when does a code hold one of its site's user slots" (docs/ARCHITECTURE.md,
 * "Rules and where they live"). Core's slot plan, the policy, the Seam adapter's slot count and
 * the test gateways all ask here.
 */

/**
 * When a code for `window`, created at `createdAt`, holds its slot:
 * - ongoing: `[createdAt, Infinity)` — from creation until removal;
 * - scheduled: `[max(createdAt, startsAt − site.slotLeadTimeMs), endsAt)` — Salto loads a
 *   time-bound code up to the lead time before it starts and frees the slot at its end.
 * The interval is empty (`from ≥ to`) when the window ended before `createdAt`.
 */
export function holdingInterval(
  site: Pick<Site, 'slotLeadTimeMs'>,
  window: AccessWindow,
  createdAt: Instant,
): { from: Instant; to: Instant } {
  if (window.kind === 'ongoing') return { from: createdAt, to: Number.POSITIVE_INFINITY };
  return { from: Math.max(createdAt, window.startsAt - site.slotLeadTimeMs), to: window.endsAt };
}

/** Is `t` inside the holding interval of a code for `window` created at `createdAt`? */
export function holdsSlotAt(
  site: Pick<Site, 'slotLeadTimeMs'>,
  window: AccessWindow,
  createdAt: Instant,
  t: Instant,
): boolean {
  const { from, to } = holdingInterval(site, window, createdAt);
  return from <= t && t < to;
}

/**
 * Does a code seen at the provider hold a slot at `now`? A code refused for the slot limit
 * ("not subscribed") holds none; otherwise it holds one inside its holding interval. The
 * provider does not say when a code was created, so it counts as created long ago.
 */
export const codeHoldsSlot = (code: AccessCode, site: Pick<Site, 'slotLeadTimeMs'>, now: Instant): boolean =>
  !isNotSubscribed(code) && holdsSlotAt(site, code.window, Number.NEGATIVE_INFINITY, now);
