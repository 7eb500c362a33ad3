/**
 * Public types of the world's access-control-system (ACS) side: the same simulated Salto KS sites
 * seen through Seam's ACS integration. A site is an ACS system (`salto_ks_site`), each lock an
 * entrance, Salto's access groups are synced read-only, and an ACS user is a Salto site user that
 * holds ONE of the site's user slots while subscribed, however many entrances and credentials it
 * has. Records are camelCased with instants as epoch milliseconds, like the lock side's.
 */
import type { Instant } from '@keyslot/core/domain';
import type { SimIssue } from '../types.js';

/** A site as an ACS system (Seam `acs_system`, `external_type: salto_ks_site`). */
export interface AcsSystemView {
  readonly acsSystemId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly createdAt: Instant;
  readonly acsUserCount: number;
  readonly accessGroupCount: number;
  /** Salto users holding a slot (lock-integration codes and subscribed ACS users). */
  readonly subscribedUserCount: number;
  readonly slotLimit: number;
  /** `salto_ks_subscription_limit_exceeded` while the site is at its limit. */
  readonly errors: readonly SimIssue[];
  /** `salto_ks_subscription_limit_almost_reached` above 80 %. */
  readonly warnings: readonly SimIssue[];
}

/** A lock as an ACS entrance (Seam `acs_entrance` with `salto_ks_metadata`). */
export interface AcsEntranceView {
  readonly acsEntranceId: string;
  readonly acsSystemId: string;
  readonly deviceId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  readonly name: string;
  readonly lockType: string;
  readonly online: boolean;
  readonly locked: boolean;
  readonly batteryLevel: number;
  readonly privacyMode: boolean;
  readonly canUnlockWithCode: boolean;
  readonly canUnlockWithMobileKey: boolean;
  readonly createdAt: Instant;
  readonly warnings: readonly SimIssue[];
}

/** A Salto KS access group, synced from Salto: never created or edited through the API. */
export interface AccessGroupRecord {
  readonly accessGroupId: string;
  readonly acsSystemId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  readonly name: string;
  readonly entranceIds: readonly string[];
  readonly createdAt: Instant;
}

/** When a user may hold a slot: `[startsAt, endsAt)`; `endsAt: null` is open-ended. */
export interface AccessSchedule {
  readonly startsAt: Instant;
  readonly endsAt: Instant | null;
}

/** Why a user holds no slot (the `salto_ks_user_not_subscribed` warning's reason). */
export type NotSubscribedReason = 'suspended' | 'schedule_not_started' | 'schedule_ended' | 'site_at_limit';

/** A Salto site user (Seam `acs_user`, `external_type: salto_site_user`). */
export interface AcsUserRecord {
  readonly acsUserId: string;
  readonly acsSystemId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  readonly fullName: string;
  readonly emailAddress: string | null;
  readonly phoneNumber: string | null;
  readonly userIdentityId: string | null;
  /** `null`: always (subscribed from creation until deleted). */
  readonly accessSchedule: AccessSchedule | null;
  readonly isSuspended: boolean;
  /** Holds one of the site's user slots (`salto_ks_metadata.is_subscribed`). */
  readonly isSubscribed: boolean;
  /** Why not subscribed, or `null` when subscribed. */
  readonly notSubscribedReason: NotSubscribedReason | null;
  readonly accessGroupIds: readonly string[];
  /** Entrances given directly (by an Access Grant), besides those of its access groups. */
  readonly entranceIds: readonly string[];
  /** The Access Grant that made this user, if any. */
  readonly accessGrantId: string | null;
  readonly createdAt: Instant;
  /** `salto_ks_subscription_limit_exceeded` while refused a slot at the site's limit. */
  readonly errors: readonly SimIssue[];
  /** `salto_ks_user_not_subscribed` while not subscribed. */
  readonly warnings: readonly SimIssue[];
}

/** The credential kinds the simulator issues for Salto KS. */
export type AcsAccessMethod = 'code' | 'mobile_key';

/** A credential of an ACS user (Seam `acs_credential`, `external_type: salto_ks_credential`). */
export interface AcsCredentialRecord {
  readonly acsCredentialId: string;
  readonly acsUserId: string;
  readonly acsSystemId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  readonly accessMethod: AcsAccessMethod;
  /** The Salto-generated PIN (`code`), `null` until issued. Never log it. */
  readonly code: string | null;
  readonly isIssued: boolean;
  readonly issuedAt: Instant | null;
  readonly isMultiPhoneSyncCredential: boolean;
  readonly startsAt: Instant | null;
  readonly endsAt: Instant | null;
  /** The Access Grant's access method this credential implements, if any. */
  readonly accessMethodId: string | null;
  readonly createdAt: Instant;
}

/** A person across systems (Seam `user_identity`). */
export interface UserIdentityRecord {
  readonly userIdentityId: string;
  readonly userIdentityKey: string | null;
  readonly emailAddress: string | null;
  readonly phoneNumber: string | null;
  readonly fullName: string | null;
  readonly acsUserIds: readonly string[];
  readonly createdAt: Instant;
}

export type AccessMethodMode = AcsAccessMethod;

/** One requested access method of a grant and the access methods made for it. */
export interface RequestedAccessMethod {
  readonly mode: AccessMethodMode;
  readonly createdAt: Instant;
  readonly accessMethodIds: readonly string[];
}

/** An Access Grant: one person, some entrances, a window, some access methods. */
export interface AccessGrantRecord {
  readonly accessGrantId: string;
  readonly accessGrantKey: string | null;
  readonly userIdentityId: string;
  readonly name: string | null;
  readonly acsEntranceIds: readonly string[];
  readonly startsAt: Instant;
  readonly endsAt: Instant | null;
  readonly requestedAccessMethods: readonly RequestedAccessMethod[];
  readonly accessMethodIds: readonly string[];
  /** One ACS user per ACS system (site) the entrances belong to: one slot per site. */
  readonly acsUserIds: readonly string[];
  readonly createdAt: Instant;
}

/** How a grant's holder gets in (Seam `access_method`): one shared PIN across the grant's entrances. */
export interface AccessMethodRecord {
  readonly accessMethodId: string;
  readonly accessGrantId: string;
  readonly accessGrantKey: string | null;
  readonly mode: AccessMethodMode;
  /** The shared PIN (mode `code`), `null` until issued. Never log it. */
  readonly code: string | null;
  readonly isIssued: boolean;
  readonly issuedAt: Instant | null;
  readonly acsCredentialIds: readonly string[];
  readonly createdAt: Instant;
}

// ───────────────────────────── inputs ─────────────────────────────

export interface CreateAcsUserParams {
  readonly acsSystemId: string;
  readonly fullName: string;
  readonly emailAddress?: string;
  readonly phoneNumber?: string;
  readonly userIdentityId?: string;
  readonly accessGroupIds?: readonly string[];
  /** `startsAt` defaults to now; `endsAt` to open-ended. */
  readonly accessSchedule?: { readonly startsAt?: Instant; readonly endsAt?: Instant | null };
}

export interface UpdateAcsUserParams {
  readonly acsUserId: string;
  readonly fullName?: string;
  readonly emailAddress?: string;
  readonly phoneNumber?: string;
  readonly accessSchedule?: { readonly startsAt: Instant; readonly endsAt: Instant | null };
}

export interface CreateAcsCredentialParams {
  /** The user, or `userIdentityId` + `acsSystemId` (the identity's user on that system). */
  readonly acsUserId?: string;
  readonly userIdentityId?: string;
  readonly acsSystemId?: string;
  /** `code` or `mobile_key`; anything else is refused. */
  readonly accessMethod: string;
  /** Refused: Salto KS generates every ACS PIN. */
  readonly code?: string;
  readonly isMultiPhoneSyncCredential?: boolean;
  readonly startsAt?: Instant;
  readonly endsAt?: Instant;
}

export interface ListAcsCredentialsParams {
  readonly acsUserId?: string;
  readonly acsSystemId?: string;
  readonly userIdentityId?: string;
}

export interface CreateUserIdentityParams {
  readonly userIdentityKey?: string | null;
  readonly emailAddress?: string | null;
  readonly phoneNumber?: string | null;
  readonly fullName?: string | null;
}

export interface CreateAccessGrantParams {
  /** An existing identity, or `userIdentity` to create one. */
  readonly userIdentityId?: string;
  readonly userIdentity?: CreateUserIdentityParams;
  readonly acsEntranceIds: readonly string[];
  /** Modes `code` / `mobile_key`; a requested `code` is ignored (Salto generates one shared PIN). */
  readonly requestedAccessMethods: readonly { readonly mode: string; readonly code?: string }[];
  /** Default now. */
  readonly startsAt?: Instant;
  readonly endsAt?: Instant | null;
  readonly accessGrantKey?: string;
  readonly name?: string | null;
}

export interface ListAccessGrantsParams {
  readonly accessGrantKey?: string;
  readonly userIdentityId?: string;
  readonly acsSystemId?: string;
  readonly acsEntranceId?: string;
  readonly accessGrantIds?: readonly string[];
}

export interface ListAccessMethodsParams {
  readonly accessGrantId?: string;
  readonly accessGrantKey?: string;
  readonly acsEntranceId?: string;
}

export interface AddAccessGroupParams {
  readonly siteId: string;
  readonly name: string;
  /** Locks whose entrances the group opens. */
  readonly deviceIds: readonly string[];
  /** Fixed id instead of one derived from the site and the name. */
  readonly accessGroupId?: string;
}
