import type { Instant } from '@keyslot/core/domain';
import type { Mutable } from '../state.js';
import type {
  AccessGroupRecord,
  AccessMethodMode,
  AccessSchedule,
  AcsCredentialRecord,
  UserIdentityRecord,
} from './types.js';

/**
 * The ACS side's records, part of the world's one state (`WorldState.acs`). Data only: the rooms
 * under `world/acs/` own the rules; whether a user holds a slot (`isSubscribed`) is written by the
 * slot ledger only (`world/ledger.ts`), as for codes.
 */

export interface AcsUserState {
  readonly acsUserId: string;
  readonly acsSystemId: string;
  readonly siteId: string;
  readonly connectedAccountId: string;
  fullName: string;
  emailAddress: string | null;
  phoneNumber: string | null;
  readonly userIdentityId: string | null;
  accessSchedule: AccessSchedule | null;
  isSuspended: boolean;
  /** Holds one of the site's slots: written by the slot ledger only. */
  isSubscribed: boolean;
  /** When the ledger last refused it a slot at the site's limit (`null`: not refused). Ledger only. */
  limitRefusedAt: Instant | null;
  /** When it last stopped being subscribed, or was created unsubscribed. */
  notSubscribedSince: Instant;
  accessGroupIds: string[];
  entranceIds: string[];
  readonly accessGrantId: string | null;
  readonly createdAt: Instant;
}

export type AcsCredentialState = Mutable<AcsCredentialRecord>;

export type UserIdentityState = Omit<Mutable<UserIdentityRecord>, 'acsUserIds'>;

export interface AccessGroupState extends Omit<AccessGroupRecord, 'entranceIds'> {
  entranceIds: string[];
}

export interface AccessGrantState {
  readonly accessGrantId: string;
  readonly accessGrantKey: string | null;
  readonly userIdentityId: string;
  readonly name: string | null;
  readonly acsEntranceIds: string[];
  readonly startsAt: Instant;
  readonly endsAt: Instant | null;
  readonly requestedAccessMethods: {
    readonly mode: AccessMethodMode;
    readonly createdAt: Instant;
    readonly accessMethodIds: string[];
  }[];
  readonly accessMethodIds: string[];
  acsUserIds: string[];
  readonly createdAt: Instant;
}

export interface AccessMethodState {
  readonly accessMethodId: string;
  readonly accessGrantId: string;
  readonly mode: AccessMethodMode;
  code: string | null;
  isIssued: boolean;
  issuedAt: Instant | null;
  acsCredentialIds: string[];
  readonly createdAt: Instant;
}

export class AcsState {
  readonly groups = new Map<string, AccessGroupState>();
  readonly users = new Map<string, AcsUserState>();
  readonly credentials = new Map<string, AcsCredentialState>();
  readonly identities = new Map<string, UserIdentityState>();
  readonly grants = new Map<string, AccessGrantState>();
  readonly methods = new Map<string, AccessMethodState>();

  /** Nothing on the ACS side yet (a snapshot then leaves its `acs` section out). */
  isEmpty(): boolean {
    return (
      this.groups.size === 0 &&
      this.users.size === 0 &&
      this.credentials.size === 0 &&
      this.identities.size === 0 &&
      this.grants.size === 0 &&
      this.methods.size === 0
    );
  }

  clear(): void {
    this.groups.clear();
    this.users.clear();
    this.credentials.clear();
    this.identities.clear();
    this.grants.clear();
    this.methods.clear();
  }
}
