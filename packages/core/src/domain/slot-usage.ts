import type { SiteId } from './site.js';

/** Above this share of the limit Salto warns `salto_ks_subscription_limit_almost_reached`. */
export const ALMOST_REACHED_RATIO = 0.8;

export interface SlotUsage {
  readonly siteId: SiteId;
  readonly used: number;
  readonly limit: number;
  /** Slots the application's policy keeps free. */
  readonly reserved: number;
  /** Slots still available to new grants: max(0, limit − reserved − used). */
  readonly headroom: number;
  /** used / limit > 80 % (Salto's own threshold). */
  readonly almostReached: boolean;
  /** used ≥ limit: new codes fail with the not-subscribed error. */
  readonly limitReached: boolean;
}

export function slotUsage(siteId: SiteId, used: number, limit: number, reserved = 0): SlotUsage {
  return {
    siteId,
    used,
    limit,
    reserved,
    headroom: Math.max(0, limit - reserved - used),
    // With a limit of 0, any use is above the threshold (n / 0 = Infinity) and none is not (0 / 0 = NaN).
    almostReached: used / limit > ALMOST_REACHED_RATIO,
    limitReached: used >= limit,
  };
}
