import { CODE_NAME_PREFIX, codeNameFor, grantKeyOf } from './access-code.js';
import type { GrantKey } from './grant.js';
import type { Lock, LockId } from './lock.js';
import type { SiteId } from './site.js';
import type { AccessWindow } from './time.js';

/**
 * The access-control-system (ACS) side of a Salto KS site, as Seam's Salto KS ACS integration and
 * its Access Grants show it: doors (Seam's `acs_entrance`), and access grants that give ONE person
 * (one Salto site user, so one user slot while subscribed) several doors of a site with one or
 * more access methods (a Salto-generated PIN shared by all the doors, a mobile key). Compare the
 * lock integration (`access-code.ts`), where every code on every lock is its own Salto user.
 */

/** A door's id at the provider: Seam's `acs_entrance_id`. */
export type DoorId = LockId;

/** How a grant's holder gets in. Salto KS generates every PIN: a caller-chosen one is never sent. */
export type AccessMethodMode = 'code' | 'mobile_key';

/**
 * A door of an access control system (Seam's `acs_entrance` with `salto_ks_metadata`). It is a
 * {@link Lock} for every rule that reads locks (the policy's hub and PIN-pad checks, the site
 * check): `id` is the entrance id, `hubLink` is `good` while the entrance is online and `offline`
 * otherwise, `capabilities.accessCodes` is "can unlock with a code", `capabilities.remoteUnlock`
 * is "can unlock with a cloud key" (Salto KS entrances normally cannot: keyslot's `UnlockDoor`
 * stays on the lock path), `modes.privacy` is the entrance's privacy mode, `modes.office` is
 * always `false` (Seam does not show it for entrances).
 */
export interface Door extends Lock {
  /** The access methods the door accepts (`code` with a PIN pad, `mobile_key` with Salto KS's app). */
  readonly accessMethods: readonly AccessMethodMode[];
}

/** An access grant's id at the provider: Seam's `access_grant_id`. */
export type AccessGrantId = string;

/** An access method's id at the provider: Seam's `access_method_id`. */
export type AccessMethodId = string;

/** One way into a grant's doors (Seam's `access_method`). */
export interface AccessMethod {
  readonly id: AccessMethodId;
  readonly mode: AccessMethodMode;
  /**
   * `code`: the Salto-generated PIN, the same on every door of the grant; `null` until Salto has
   * generated it (see `AwaitPins`), and while Salto refuses the person a slot (`slot_limit_reached`:
   * the PIN opens nothing, so it is never handed out). Always `null` for `mobile_key`. Never log it.
   */
  readonly pin: string | null;
  /** Issued to the person (the PIN is set, the mobile key delivered). */
  readonly issued: boolean;
}

/**
 * Why an access grant's person is not (yet) holding a slot, in domain terms:
 * - `slot_limit_reached`: Salto refused the person a slot because the site is at its subscription
 *   limit (the ACS user's `salto_ks_subscription_limit_exceeded`). The grant never works; delete it.
 * - `not_subscribed`: the person holds no slot for another reason (the ACS user's
 *   `salto_ks_user_not_subscribed` without the limit error): the window has not started (normal
 *   for a future stay), has ended, or the user was suspended by hand.
 * - `provider_issue`: anything else the provider reported; `providerCode` keeps its name.
 */
export type AccessGrantIssueCode = 'slot_limit_reached' | 'not_subscribed' | 'provider_issue';

export interface AccessGrantIssue {
  readonly code: AccessGrantIssueCode;
  /** The provider's own name for it (`salto_ks_subscription_limit_exceeded`, …), for support tickets. */
  readonly providerCode: string;
  readonly message: string;
}

/**
 * One keyslot grant as it exists at an ACS provider: one person (one Salto site user, ONE slot of
 * the site while subscribed), the grant's doors, its window, its access methods.
 */
export interface ProviderAccessGrant {
  readonly id: AccessGrantId;
  /**
   * The keyslot grant key it carries (read from Seam's `access_grant_key`, see
   * {@link grantKeyOfAccessGrantKey}), or `null` when the grant is not keyslot's: such grants are
   * never touched.
   */
  readonly key: GrantKey | null;
  readonly siteId: SiteId;
  readonly doorIds: readonly DoorId[];
  /** `ongoing` when the provider's grant has no end. */
  readonly window: AccessWindow;
  readonly methods: readonly AccessMethod[];
  /** Why the person is not holding a slot (empty while subscribed). */
  readonly issues: readonly AccessGrantIssue[];
}

/**
 * Seam's `access_grant_key` for a keyslot grant: `keyslot:<grantKey>`, the same prefix as access
 * code names (`codeNameFor`), so grants of other apps in the same Seam workspace are recognised
 * and never touched. The one place this mapping lives; the gateways use it both ways.
 */
export const accessGrantKeyFor = (key: GrantKey): string => codeNameFor(key);

/** The keyslot grant key carried by a provider `access_grant_key`, or `null` when it is not keyslot's. */
export const grantKeyOfAccessGrantKey = (accessGrantKey: string | null | undefined): GrantKey | null =>
  accessGrantKey?.startsWith(CODE_NAME_PREFIX) && !accessGrantKey.includes(' ')
    ? grantKeyOf(accessGrantKey)
    : null;

/** An access grant whose person Salto refused a slot for the site's limit: it never works. */
export const isRefusedAtLimit = (g: Pick<ProviderAccessGrant, 'issues'>): boolean =>
  g.issues.some((i) => i.code === 'slot_limit_reached');

/**
 * The grant's PIN (its `code` access method's — a grant has at most one per mode), or `null`
 * while Salto has not generated it.
 */
export const pinOf = (g: Pick<ProviderAccessGrant, 'methods'>): string | null =>
  g.methods.find((m) => m.mode === 'code')?.pin ?? null;
