import { HOUR_MS } from './time.js';

export type SiteId = string;

/**
 * How a grant costs the site's user slots; it depends on the path through which keyslot reaches
 * the site, and the gateway that lists the site sets it:
 * - `code_per_lock` (Seam's lock integration, `LockGateway`): every access code is its own Salto
 *   user, so a grant over k locks holds k slots, each from when Salto loads the code
 *   (`startsAt − slotLeadTimeMs`) until `endsAt`.
 * - `user_per_grant` (Seam's Salto KS access control system and its Access Grants,
 *   `AccessGrantGateway`): the grant is one Salto user, so it holds ONE slot however many doors,
 *   from `startsAt` (the user is subscribed then, not before) until `endsAt`.
 * The rules that read it live in `slot-holding.ts`.
 */
export type SlotCostModel = 'code_per_lock' | 'user_per_grant';

/**
 * A Salto KS site. Its subscription caps how many users (access codes of the lock integration,
 * subscribed ACS users of the access control system: one pool) are subscribed at once: the slot
 * limit.
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
  /** How a grant costs this site's slots; absent means `code_per_lock` (the lock integration). */
  readonly slotCostModel?: SlotCostModel;
}

export const DEFAULT_SLOT_LEAD_TIME_MS = 72 * HOUR_MS;
