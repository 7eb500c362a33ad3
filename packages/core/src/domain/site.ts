import { HOUR_MS } from './time.js';

export type SiteId = string;

/**
 * A Salto KS site. Its subscription caps how many users (= access codes through Seam) are
 * subscribed at once: the slot limit.
 */
export interface Site {
  readonly id: SiteId;
  readonly name: string;
  /** Subscribed-user cap of the site's plan. A non-negative integer. */
  readonly slotLimit: number;
  /** IANA time zone, e.g. "Europe/Madrid". */
  readonly timeZone: string;
  /**
   * How long before `startsAt` a time-bound code is loaded onto the lock and starts holding
   * its slot. Salto is natively scheduled: up to 72 h.
   */
  readonly slotLeadTimeMs: number;
  /** Salto KS Pro sites with the custom-PIN setting accept caller-chosen PINs. */
  readonly hasCustomPinSubscription: boolean;
}

export const DEFAULT_SLOT_LEAD_TIME_MS = 72 * HOUR_MS;
