import { err, ok } from '@keyslot/core/domain';
import { invalid } from '../failures.js';
import type { Faults } from '../faults.js';
import type { QueuedTransition } from '../heap.js';
import type { SlotLedger } from '../ledger.js';
import type { Runtime } from '../runtime.js';
import type { WorldState } from '../state.js';
import type { SimOperation, SimResult } from '../types.js';
import { AccessGrants } from './access-grants.js';
import { AcsCredentials } from './credentials.js';
import { AcsDirectory } from './directory.js';
import { UserIdentities } from './identities.js';
import { acsEntranceIdOf, acsSystemIdOf } from './ids.js';
import type { AcsUserState } from './state.js';
import type {
  AccessGroupRecord,
  AcsCredentialRecord,
  AcsEntranceView,
  AcsSystemView,
  AcsUserRecord,
  AddAccessGroupParams,
  CreateAcsCredentialParams,
  CreateAcsUserParams,
  ListAcsCredentialsParams,
  UpdateAcsUserParams,
} from './types.js';
import { AcsUsers, acsUserNotFound } from './users.js';
import { accessGroupView, acsCredentialView, acsEntranceView, acsSystemView, acsUserView } from './views.js';

/** The ACS side's rooms over the world's one state, shared by `world.acs` and `world.accessGrants`. */
export interface AcsRooms {
  readonly s: WorldState;
  readonly rt: Runtime;
  readonly faults: Faults;
  readonly directory: AcsDirectory;
  readonly users: AcsUsers;
  readonly credentials: AcsCredentials;
  readonly identities: UserIdentities;
  readonly grants: AccessGrants;
}

export function createAcsRooms(s: WorldState, rt: Runtime, faults: Faults, ledger: SlotLedger): AcsRooms {
  const directory = new AcsDirectory(s, rt);
  const credentials = new AcsCredentials(s, rt, faults);
  const users = new AcsUsers(s, rt, faults, ledger, directory, credentials);
  const identities = new UserIdentities(s, rt);
  const grants = new AccessGrants(s, rt, faults, directory, identities, users, credentials);
  return { s, rt, faults, directory, users, credentials, identities, grants };
}

/** Which user a call means: `acsUserId`, or the identity's user on `acsSystemId`. */
export interface AcsUserRef {
  readonly acsUserId?: string;
  readonly userIdentityId?: string;
  readonly acsSystemId?: string;
}

/**
 * The same simulated Salto KS sites seen through Seam's ACS integration (`world.acs`): ACS systems
 * (one per site), entrances (one per lock), synced access groups, ACS users with Salto KS's
 * subscription rules, and credentials. User identities and Access Grants: `world.accessGrants`.
 * ACS users and lock-integration codes share each site's ONE pool of user slots (both are Salto
 * users; the slot ledger counts both). API methods run in the world's fault frame (faults, and
 * per-ACS-system rate limits on mutations); `addAccessGroup` and `inspect*` are control.
 */
export class AcsWorld {
  private readonly s: WorldState;
  private readonly rt: Runtime;
  private readonly faults: Faults;
  private readonly directory: AcsDirectory;
  private readonly users: AcsUsers;
  private readonly credentials: AcsCredentials;

  constructor(rooms: AcsRooms) {
    this.s = rooms.s;
    this.rt = rooms.rt;
    this.faults = rooms.faults;
    this.directory = rooms.directory;
    this.users = rooms.users;
    this.credentials = rooms.credentials;
  }

  /** Runs an ACS transition (`acs_subscribe`, `acs_unsubscribe`, `acs_issue`). */
  handle(tr: QueuedTransition): void {
    if (tr.kind === 'acs_issue') this.credentials.handle(tr);
    else this.users.handle(tr);
  }

  private call<T>(op: SimOperation, fn: () => SimResult<T>): SimResult<T> {
    return this.faults.call(op, this, fn);
  }

  // ───────────── control ─────────────

  /** Adds a Salto KS access group to a site (what Salto syncs; the API cannot create one). */
  addAccessGroup(params: AddAccessGroupParams): SimResult<AccessGroupRecord> {
    return this.directory.addAccessGroup(params);
  }

  /** ACS users, optionally of one site, in creation order. No faults. */
  inspectUsers(filter: { readonly siteId?: string } = {}): AcsUserRecord[] {
    this.rt.catchUp();
    return [...this.s.acs.users.values()]
      .filter((u) => filter.siteId === undefined || u.siteId === filter.siteId)
      .map((u) => acsUserView(this.s, u));
  }

  /** One ACS user, or `null`. No faults. */
  inspectUser(acsUserId: string): AcsUserRecord | null {
    this.rt.catchUp();
    const u = this.s.acs.users.get(acsUserId);
    return u ? acsUserView(this.s, u) : null;
  }

  /** Credentials, optionally of one user, in creation order. No faults. */
  inspectCredentials(filter: { readonly acsUserId?: string } = {}): AcsCredentialRecord[] {
    this.rt.catchUp();
    return [...this.s.acs.credentials.values()]
      .filter((c) => filter.acsUserId === undefined || c.acsUserId === filter.acsUserId)
      .map(acsCredentialView);
  }

  /** The ACS system id of a site (derived; the same site always has the same id). */
  acsSystemIdOf(siteId: string): string {
    return acsSystemIdOf(siteId);
  }

  /** The entrance id of a lock (derived). */
  acsEntranceIdOf(deviceId: string): string {
    return acsEntranceIdOf(deviceId);
  }

  // ───────────── systems, entrances, access groups ─────────────

  listSystems(filter: { readonly connectedAccountId?: string } = {}): SimResult<AcsSystemView[]> {
    return this.call('list_acs_systems', () =>
      ok(
        [...this.s.sites.values()]
          .filter(
            (x) =>
              filter.connectedAccountId === undefined || x.connectedAccountId === filter.connectedAccountId,
          )
          .map((x) => acsSystemView(this.s, x)),
      ),
    );
  }

  getSystem(acsSystemId: string): SimResult<AcsSystemView> {
    return this.call('get_acs_system', () => {
      const site = this.directory.site(acsSystemId);
      return site.ok ? ok(acsSystemView(this.s, site.value)) : site;
    });
  }

  listEntrances(
    filter: {
      readonly acsSystemId?: string;
      readonly acsEntranceIds?: readonly string[];
      readonly acsCredentialId?: string;
    } = {},
  ): SimResult<AcsEntranceView[]> {
    return this.call('list_acs_entrances', () => {
      let only: Set<string> | null = filter.acsEntranceIds ? new Set(filter.acsEntranceIds) : null;
      if (filter.acsCredentialId !== undefined) {
        const c = this.credentials.find(filter.acsCredentialId);
        if (!c.ok) return c;
        const opens = new Set(this.users.accessibleEntrances(this.s.acs.users.get(c.value.acsUserId)!));
        only = only ? new Set([...only].filter((e) => opens.has(e))) : opens;
      }
      return ok(
        [...this.s.locks.values()]
          .map(acsEntranceView)
          .filter(
            (e) =>
              (filter.acsSystemId === undefined || e.acsSystemId === filter.acsSystemId) &&
              (!only || only.has(e.acsEntranceId)),
          ),
      );
    });
  }

  getEntrance(acsEntranceId: string): SimResult<AcsEntranceView> {
    return this.call('get_acs_entrance', () => {
      const lock = this.directory.lock(acsEntranceId);
      return lock.ok ? ok(acsEntranceView(lock.value)) : lock;
    });
  }

  listAccessGroups(
    filter: { readonly acsSystemId?: string; readonly acsUserId?: string } = {},
  ): SimResult<AccessGroupRecord[]> {
    return this.call('list_acs_access_groups', () => {
      let of: readonly string[] | null = null;
      if (filter.acsUserId !== undefined) {
        const u = this.users.find(filter.acsUserId);
        if (!u.ok) return u;
        of = u.value.accessGroupIds;
      }
      return ok(
        [...this.s.acs.groups.values()]
          .filter(
            (g) =>
              (filter.acsSystemId === undefined || g.acsSystemId === filter.acsSystemId) &&
              (of === null || of.includes(g.accessGroupId)),
          )
          .map(accessGroupView),
      );
    });
  }

  getAccessGroup(accessGroupId: string): SimResult<AccessGroupRecord> {
    return this.call('get_acs_access_group', () => {
      const g = this.directory.group(accessGroupId);
      return g.ok ? ok(accessGroupView(g.value)) : g;
    });
  }

  listAccessGroupUsers(accessGroupId: string): SimResult<AcsUserRecord[]> {
    return this.call('get_acs_access_group', () => {
      const g = this.directory.group(accessGroupId);
      if (!g.ok) return g;
      return ok(
        [...this.s.acs.users.values()]
          .filter((u) => u.accessGroupIds.includes(accessGroupId))
          .map((u) => acsUserView(this.s, u)),
      );
    });
  }

  listAccessGroupEntrances(accessGroupId: string): SimResult<AcsEntranceView[]> {
    return this.call('get_acs_access_group', () => {
      const g = this.directory.group(accessGroupId);
      if (!g.ok) return g;
      return ok(this.entranceViews(g.value.entranceIds));
    });
  }

  // ───────────── users ─────────────

  private resolveUser(ref: AcsUserRef): SimResult<AcsUserState> {
    if (ref.acsUserId !== undefined) return this.users.find(ref.acsUserId);
    if (ref.userIdentityId === undefined || ref.acsSystemId === undefined)
      return err(invalid('acs_user_id', 'give acs_user_id, or user_identity_id with acs_system_id'));
    for (const u of this.s.acs.users.values())
      if (u.userIdentityId === ref.userIdentityId && u.acsSystemId === ref.acsSystemId) return ok(u);
    return err(acsUserNotFound(`${ref.userIdentityId} on ${ref.acsSystemId}`));
  }

  listUsers(
    filter: { readonly acsSystemId?: string; readonly userIdentityId?: string } = {},
  ): SimResult<AcsUserRecord[]> {
    return this.call('list_acs_users', () =>
      ok(
        [...this.s.acs.users.values()]
          .filter(
            (u) =>
              (filter.acsSystemId === undefined || u.acsSystemId === filter.acsSystemId) &&
              (filter.userIdentityId === undefined || u.userIdentityId === filter.userIdentityId),
          )
          .map((u) => acsUserView(this.s, u)),
      ),
    );
  }

  getUser(ref: AcsUserRef): SimResult<AcsUserRecord> {
    return this.call('get_acs_user', () => this.userResult(this.resolveUser(ref)));
  }

  /**
   * Creates a Salto site user (`/acs/users/create`). Emits `acs_user.created`. Subscribed at once
   * (one slot) unless its `accessSchedule` starts later (then at `startsAt`) or the site is at its
   * limit (`salto_ks_subscription_limit_exceeded` on the user). Unsubscribed at `endsAt`.
   */
  createUser(params: CreateAcsUserParams): SimResult<AcsUserRecord> {
    return this.call('create_acs_user', () => this.userResult(this.users.create(params)));
  }

  /** Changes name, contact or access schedule (a new schedule re-applies the subscription rule). */
  updateUser(params: UpdateAcsUserParams): SimResult<AcsUserRecord> {
    return this.call('update_acs_user', () => this.userResult(this.users.update(params)));
  }

  /** Deletes a user: its slot is free at once, its credentials are deleted. */
  deleteUser(ref: AcsUserRef): SimResult<AcsUserRecord> {
    return this.call('delete_acs_user', () => {
      const u = this.resolveUser(ref);
      if (!u.ok) return u;
      const view = acsUserView(this.s, u.value);
      const r = this.users.delete(u.value.acsUserId);
      return r.ok ? ok(view) : r;
    });
  }

  /** Suspends (frees the slot) or unsuspends (subscribes again if in schedule and a slot is free). */
  setUserSuspended(ref: AcsUserRef, suspended: boolean): SimResult<AcsUserRecord> {
    return this.call('update_acs_user', () => {
      const u = this.resolveUser(ref);
      return u.ok ? this.userResult(this.users.setSuspended(u.value.acsUserId, suspended)) : u;
    });
  }

  setUserAccessGroup(acsUserId: string, accessGroupId: string, member: boolean): SimResult<AcsUserRecord> {
    return this.call('update_acs_user', () =>
      this.userResult(this.users.setGroupMembership(acsUserId, accessGroupId, member)),
    );
  }

  listUserEntrances(ref: AcsUserRef): SimResult<AcsEntranceView[]> {
    return this.call('get_acs_user', () => {
      const u = this.resolveUser(ref);
      if (!u.ok) return u;
      return ok(this.entranceViews(this.users.accessibleEntrances(u.value)));
    });
  }

  private entranceViews(acsEntranceIds: readonly string[]): AcsEntranceView[] {
    return acsEntranceIds.flatMap((e) => {
      const lock = this.directory.lock(e);
      return lock.ok ? [acsEntranceView(lock.value)] : [];
    });
  }

  private userResult(r: SimResult<AcsUserState>): SimResult<AcsUserRecord> {
    return r.ok ? ok(acsUserView(this.s, r.value)) : r;
  }

  // ───────────── credentials ─────────────

  listCredentials(filter: ListAcsCredentialsParams = {}): SimResult<AcsCredentialRecord[]> {
    return this.call('list_acs_credentials', () => {
      const userIds =
        filter.userIdentityId !== undefined
          ? new Set(
              [...this.s.acs.users.values()]
                .filter((u) => u.userIdentityId === filter.userIdentityId)
                .map((u) => u.acsUserId),
            )
          : null;
      return ok(
        [...this.s.acs.credentials.values()]
          .filter(
            (c) =>
              (filter.acsUserId === undefined || c.acsUserId === filter.acsUserId) &&
              (filter.acsSystemId === undefined || c.acsSystemId === filter.acsSystemId) &&
              (!userIds || userIds.has(c.acsUserId)),
          )
          .map(acsCredentialView),
      );
    });
  }

  getCredential(acsCredentialId: string): SimResult<AcsCredentialRecord> {
    return this.call('get_acs_credential', () => {
      const c = this.credentials.find(acsCredentialId);
      return c.ok ? ok(acsCredentialView(c.value)) : c;
    });
  }

  /**
   * Creates a credential (`/acs/credentials/create`): `code` (Salto generates the PIN; a given
   * `code` is refused) or `mobile_key` (`isMultiPhoneSyncCredential`, user with an identity).
   * Issued after a delay (`acs_credential.issued`).
   */
  createCredential(params: CreateAcsCredentialParams): SimResult<AcsCredentialRecord> {
    return this.call('create_acs_credential', () => {
      const u = this.resolveUser(params);
      if (!u.ok) return u;
      const c = this.credentials.create(u.value, {
        accessMethod: params.accessMethod,
        code: params.code,
        isMultiPhoneSyncCredential: params.isMultiPhoneSyncCredential ?? false,
        startsAt: params.startsAt ?? null,
        endsAt: params.endsAt ?? null,
      });
      return c.ok ? ok(acsCredentialView(c.value)) : c;
    });
  }

  deleteCredential(acsCredentialId: string): SimResult<AcsCredentialRecord> {
    return this.call('delete_acs_credential', () => {
      const c = this.credentials.delete(acsCredentialId);
      return c.ok ? ok(acsCredentialView(c.value)) : c;
    });
  }
}
