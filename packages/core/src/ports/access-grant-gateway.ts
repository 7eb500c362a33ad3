import type {
  AccessGrantId,
  AccessMethodMode,
  Door,
  DoorId,
  ProviderAccessGrant,
} from '../domain/access-grant.js';
import type { GrantKey } from '../domain/grant.js';
import type { Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import type { AccessWindow } from '../domain/time.js';
import type { GatewayFailure, ProviderSlotUsage } from './lock-gateway.js';

/** What keyslot asks an access control system to make for one grant. */
export interface CreateAccessGrantInput {
  /**
   * The keyslot grant key. The implementation sends it as Seam's `access_grant_key` in the form
   * `accessGrantKeyFor(key)` and reads it back with `grantKeyOfAccessGrantKey`: that is how a
   * grant is found again after a lost reply.
   */
  readonly key: GrantKey;
  readonly siteId: SiteId;
  /** At least one door, all of `siteId`, no repeats. */
  readonly doorIds: readonly DoorId[];
  /** `ongoing`: from now, with no end. `scheduled`: Seam's `starts_at` / `ends_at`. */
  readonly window: AccessWindow;
  /** The person's name (the user identity's `full_name`). */
  readonly holder: string;
  /**
   * The access methods to issue: at least one, no repeats. Never a caller-chosen PIN: Salto KS
   * generates one PIN for the grant, shared by all its doors.
   */
  readonly methods: readonly AccessMethodMode[];
}

/**
 * Everything keyslot needs from a Salto KS site reached as an access control system (Seam's Salto
 * KS ACS integration, through its Access Grants API; or the simulator's). Its domain role: give ONE
 * person several doors of a site with some access methods, at the cost of ONE user slot while the
 * person is subscribed — which `LockGateway` (one code, one slot, per lock) cannot say.
 *
 * Rules every implementation keeps (checked by `describeAccessGrantGatewayContract`,
 * `@keyslot/core/testing`):
 * - Every call returns `Result<T, GatewayFailure>`; expected outcomes are never thrown.
 * - `listSites` returns the ACS sites with `slotCostModel: 'user_per_grant'`; a site's id is the
 *   provider's id for it as an access control system (Seam's `acs_system_id`), and its doors and
 *   grants name that id.
 * - `getSlotUsage` counts the site's subscribed Salto users: lock-integration codes and ACS users
 *   share one pool.
 * - Create is never repeated blindly by an implementation. On `outcome_unknown` the caller finds
 *   the grant by key (`findAccessGrant`) before creating again. A create for a key that already
 *   has a grant at the provider either fails with `access_grant_exists` or returns that grant;
 *   it never makes a second one.
 * - A grant made while the site is at its limit may still be created: it then carries the
 *   `slot_limit_reached` issue and holds no slot; the caller deletes it. A grant whose window has
 *   not started carries `not_subscribed` and holds no slot until `startsAt`.
 * - Its `code` method's `pin` is `null` until Salto generates it; `getAccessGrant` /
 *   `findAccessGrant` show it once generated.
 * - Deleting a grant frees its slot; deleting a grant that is gone is `access_grant_not_found`.
 * - Unknown ids: `site_not_found`, `lock_not_found` (a door), `access_grant_not_found`.
 */
export interface AccessGrantGateway {
  /** The sites reachable as access control systems, each with `slotCostModel: 'user_per_grant'`. */
  listSites(): Promise<Result<readonly Site[], GatewayFailure>>;
  getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>>;
  /** The doors (entrances) of one site, or of every site. */
  listDoors(siteId?: SiteId): Promise<Result<readonly Door[], GatewayFailure>>;

  createAccessGrant(input: CreateAccessGrantInput): Promise<Result<ProviderAccessGrant, GatewayFailure>>;
  /** `access_grant_not_found` when there is no grant with that id (any more). */
  getAccessGrant(id: AccessGrantId): Promise<Result<ProviderAccessGrant, GatewayFailure>>;
  /** The grant carrying keyslot grant key `key`, or `null` when the provider has none: proof it was not made. */
  findAccessGrant(key: GrantKey): Promise<Result<ProviderAccessGrant | null, GatewayFailure>>;
  /** Every grant on the site's doors, keyslot's (`key` set) and others' (`key: null`). */
  listAccessGrants(siteId: SiteId): Promise<Result<readonly ProviderAccessGrant[], GatewayFailure>>;
  /** Deletes the grant: its person, access methods and slot are gone at once. */
  deleteAccessGrant(id: AccessGrantId): Promise<Result<void, GatewayFailure>>;
}

export const ACCESS_GRANT_GATEWAY = Symbol.for('keyslot.AccessGrantGateway');
