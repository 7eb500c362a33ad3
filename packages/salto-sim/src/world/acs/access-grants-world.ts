import { ok } from '@keyslot/core/domain';
import type { SimOperation, SimResult } from '../types.js';
import type { AcsRooms } from './acs-world.js';
import type {
  AccessGrantRecord,
  AccessMethodRecord,
  CreateAccessGrantParams,
  CreateUserIdentityParams,
  ListAccessGrantsParams,
  ListAccessMethodsParams,
  UserIdentityRecord,
} from './types.js';
import { accessGrantView, accessMethodView, userIdentityView } from './views.js';

/**
 * User identities and Access Grants over the simulated Salto KS sites (`world.accessGrants`):
 * Seam's recommended way to give a person doors. Over Salto KS entrances a grant is ONE ACS user
 * per site (one slot), see `access-grants.ts`. API methods run in the world's fault frame.
 */
export class AccessGrantsWorld {
  constructor(private readonly rooms: AcsRooms) {}

  private call<T>(op: SimOperation, fn: () => SimResult<T>): SimResult<T> {
    return this.rooms.faults.call(op, this, fn);
  }

  /** One user identity, or `null`. No faults. */
  inspectUserIdentity(userIdentityId: string): UserIdentityRecord | null {
    this.rooms.rt.catchUp();
    const i = this.s.acs.identities.get(userIdentityId);
    return i ? userIdentityView(this.s, i) : null;
  }

  /** Every Access Grant, in creation order. No faults. */
  inspectAccessGrants(): AccessGrantRecord[] {
    this.rooms.rt.catchUp();
    return [...this.s.acs.grants.values()].map(accessGrantView);
  }

  /** The access methods of one Access Grant (none for an unknown one), in creation order. No faults. */
  inspectAccessMethods(accessGrantId: string): AccessMethodRecord[] {
    this.rooms.rt.catchUp();
    return [...this.s.acs.methods.values()]
      .filter((m) => m.accessGrantId === accessGrantId)
      .map((m) => accessMethodView(this.s, m));
  }

  private get s() {
    return this.rooms.s;
  }

  private get identities() {
    return this.rooms.identities;
  }

  private get grants() {
    return this.rooms.grants;
  }

  // ───────────── user identities ─────────────

  createUserIdentity(params: CreateUserIdentityParams): SimResult<UserIdentityRecord> {
    return this.call('create_user_identity', () => {
      const i = this.identities.create(params);
      return i.ok ? ok(userIdentityView(this.s, i.value)) : i;
    });
  }

  getUserIdentity(ref: {
    readonly userIdentityId?: string;
    readonly userIdentityKey?: string;
  }): SimResult<UserIdentityRecord> {
    return this.call('get_user_identity', () => {
      const i =
        ref.userIdentityId !== undefined
          ? this.identities.find(ref.userIdentityId)
          : this.identities.findByKey(ref.userIdentityKey ?? '');
      return i.ok ? ok(userIdentityView(this.s, i.value)) : i;
    });
  }

  listUserIdentities(
    filter: { readonly userIdentityIds?: readonly string[] } = {},
  ): SimResult<UserIdentityRecord[]> {
    return this.call('list_user_identities', () => {
      const only = filter.userIdentityIds ? new Set(filter.userIdentityIds) : null;
      return ok(
        [...this.s.acs.identities.values()]
          .filter((i) => !only || only.has(i.userIdentityId))
          .map((i) => userIdentityView(this.s, i)),
      );
    });
  }

  // ───────────── Access Grants ─────────────

  /**
   * Creates an Access Grant (`/access_grants/create`) over Salto KS entrances: one ACS user per
   * site (ONE slot per site however many entrances, from `startsAt`), one access method per
   * requested mode (a `code` method is one generated PIN shared by all the grant's entrances).
   * A second grant with the same `accessGrantKey` is refused (409 `duplicate_access_grant_key`).
   */
  createAccessGrant(params: CreateAccessGrantParams): SimResult<AccessGrantRecord> {
    return this.call('create_access_grant', () => {
      const g = this.grants.create(params);
      return g.ok ? ok(accessGrantView(g.value)) : g;
    });
  }

  getAccessGrant(ref: {
    readonly accessGrantId?: string;
    readonly accessGrantKey?: string;
  }): SimResult<AccessGrantRecord> {
    return this.call('get_access_grant', () => {
      const g =
        ref.accessGrantId !== undefined
          ? this.grants.find(ref.accessGrantId)
          : this.grants.findByKey(ref.accessGrantKey ?? '');
      return g.ok ? ok(accessGrantView(g.value)) : g;
    });
  }

  listAccessGrants(filter: ListAccessGrantsParams = {}): SimResult<AccessGrantRecord[]> {
    return this.call('list_access_grants', () => {
      const only = filter.accessGrantIds ? new Set(filter.accessGrantIds) : null;
      return ok(
        [...this.s.acs.grants.values()]
          .filter(
            (g) =>
              (filter.accessGrantKey === undefined || g.accessGrantKey === filter.accessGrantKey) &&
              (filter.userIdentityId === undefined || g.userIdentityId === filter.userIdentityId) &&
              (filter.acsEntranceId === undefined || g.acsEntranceIds.includes(filter.acsEntranceId)) &&
              (filter.acsSystemId === undefined ||
                g.acsUserIds.some((id) => this.s.acs.users.get(id)?.acsSystemId === filter.acsSystemId)) &&
              (!only || only.has(g.accessGrantId)),
          )
          .map(accessGrantView),
      );
    });
  }

  /** Deletes a grant: its users (slots freed), credentials and access methods. */
  deleteAccessGrant(accessGrantId: string): SimResult<AccessGrantRecord> {
    return this.call('delete_access_grant', () => {
      const g = this.grants.delete(accessGrantId);
      return g.ok ? ok(accessGrantView(g.value)) : g;
    });
  }

  getAccessMethod(accessMethodId: string): SimResult<AccessMethodRecord> {
    return this.call('get_access_method', () => {
      const m = this.grants.findMethod(accessMethodId);
      return m.ok ? ok(accessMethodView(this.s, m.value)) : m;
    });
  }

  listAccessMethods(filter: ListAccessMethodsParams): SimResult<AccessMethodRecord[]> {
    return this.call('list_access_methods', () => {
      let grantId = filter.accessGrantId;
      if (filter.accessGrantKey !== undefined) {
        const g = this.grants.findByKey(filter.accessGrantKey);
        if (!g.ok) return g;
        grantId = g.value.accessGrantId;
      } else if (grantId !== undefined) {
        const g = this.grants.find(grantId);
        if (!g.ok) return g;
      }
      return ok(
        [...this.s.acs.methods.values()]
          .filter(
            (m) =>
              (grantId === undefined || m.accessGrantId === grantId) &&
              (filter.acsEntranceId === undefined ||
                this.s.acs.grants.get(m.accessGrantId)?.acsEntranceIds.includes(filter.acsEntranceId)),
          )
          .map((m) => accessMethodView(this.s, m)),
      );
    });
  }
}
