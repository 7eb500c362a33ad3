import { err, ok } from '@keyslot/core/domain';
import { invalid, notFound } from '../failures.js';
import type { Faults } from '../faults.js';
import type { Runtime } from '../runtime.js';
import type { LockState, WorldState } from '../state.js';
import type { SimFailure, SimResult } from '../types.js';
import { type AcsCredentials, isAcsAccessMethod } from './credentials.js';
import type { AcsDirectory } from './directory.js';
import type { UserIdentities } from './identities.js';
import { acsEntranceIdOf, acsSystemIdOf } from './ids.js';
import type { AccessGrantState, AccessMethodState, UserIdentityState } from './state.js';
import type { AccessMethodMode, CreateAccessGrantParams } from './types.js';
import { type AcsUsers, scheduleProblem } from './users.js';

export const accessGrantNotFound = (id: string): SimFailure =>
  notFound('access_grant_not_found', 'Access grant', id, 'access_grant_id');
export const accessMethodNotFound = (id: string): SimFailure =>
  notFound('access_method_not_found', 'Access method', id, 'access_method_id');

/**
 * Access Grants over Salto KS entrances. A grant makes ONE ACS user per ACS system (site) its
 * entrances belong to — so one slot per site, however many entrances — with the grant's window as
 * the user's access schedule (subscribed from `startsAt`, unsubscribed at `endsAt`), and one
 * access method per requested mode: a `code` method is one Salto-generated PIN shared by the
 * grant's users (a requested `code` is ignored), a `mobile_key` method a multi-phone sync mobile
 * key per user. Deleting the grant deletes its users (freeing their slots), credentials and
 * methods. Each grant is its own Salto user: two grants for one person on one site hold two slots.
 */
export class AccessGrants {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly faults: Faults,
    private readonly directory: AcsDirectory,
    private readonly identities: UserIdentities,
    private readonly users: AcsUsers,
    private readonly credentials: AcsCredentials,
  ) {}

  find(accessGrantId: string): SimResult<AccessGrantState> {
    const g = this.s.acs.grants.get(accessGrantId);
    return g ? ok(g) : err(accessGrantNotFound(accessGrantId));
  }

  findByKey(key: string): SimResult<AccessGrantState> {
    for (const g of this.s.acs.grants.values()) if (g.accessGrantKey === key) return ok(g);
    return err({
      type: 'access_grant_not_found',
      message: `No Access Grant has access_grant_key ${JSON.stringify(key)}: it was never created or has been deleted.`,
      data: { access_grant_key: key },
    });
  }

  findMethod(accessMethodId: string): SimResult<AccessMethodState> {
    const m = this.s.acs.methods.get(accessMethodId);
    return m ? ok(m) : err(accessMethodNotFound(accessMethodId));
  }

  create(p: CreateAccessGrantParams): SimResult<AccessGrantState> {
    const s = this.s;
    const now = s.nowMs;
    // Check everything first: a refused grant changes nothing.
    const existing = p.accessGrantKey !== undefined ? this.findByKey(p.accessGrantKey) : null;
    if (existing?.ok)
      return err({
        type: 'duplicate_access_grant_key',
        message: `An Access Grant with access_grant_key ${JSON.stringify(p.accessGrantKey)} already exists; get it with /access_grants/get { access_grant_key } instead of creating it again.`,
        data: { access_grant_key: p.accessGrantKey, access_grant_id: existing.value.accessGrantId },
      });
    let identity: UserIdentityState | null = null;
    if (p.userIdentityId !== undefined) {
      const found = this.identities.find(p.userIdentityId);
      if (!found.ok) return found;
      identity = found.value;
    } else if (p.userIdentity !== undefined) {
      const problem = this.identities.problem(p.userIdentity);
      if (problem) return err(problem);
    } else return err(invalid('user_identity_id', 'give user_identity_id or user_identity'));
    const entranceIds = [...new Set(p.acsEntranceIds)];
    if (entranceIds.length === 0)
      return err(invalid('acs_entrance_ids', 'give at least one Salto KS entrance (acs_entrance_ids)'));
    const locks: LockState[] = [];
    for (const id of entranceIds) {
      const lock = this.directory.lock(id);
      if (!lock.ok) return lock;
      locks.push(lock.value);
    }
    if (p.requestedAccessMethods.length === 0)
      return err(
        invalid(
          'requested_access_methods',
          'request at least one access method (mode "code" or "mobile_key")',
        ),
      );
    const modes: AccessMethodMode[] = [];
    for (const [i, r] of p.requestedAccessMethods.entries()) {
      if (!isAcsAccessMethod(r.mode))
        return err(
          invalid(
            `requested_access_methods.${i}.mode`,
            `Salto KS access methods in the simulator are "code" or "mobile_key", got ${JSON.stringify(r.mode)}`,
            {
              reason: 'access_method_not_supported',
            },
          ),
        );
      // One access method per mode: a grant's `code` is one PIN shared by its entrances, so a
      // repeated mode would only burn the site's PINs (5,000 `code` requests made 5,000 PINs).
      if (modes.includes(r.mode))
        return err(
          invalid(
            `requested_access_methods.${i}.mode`,
            `request each access method mode once; "${r.mode}" is already requested (a grant has one access method per mode)`,
          ),
        );
      modes.push(r.mode);
    }
    const startsAt = p.startsAt ?? now;
    const endsAt = p.endsAt ?? null;
    const problem = scheduleProblem(startsAt, endsAt, now, '');
    if (problem) return err(problem);
    // One ACS user per site, in the order the entrances were given.
    const bySite = new Map<string, LockState[]>();
    for (const l of locks) bySite.set(l.siteId, [...(bySite.get(l.siteId) ?? []), l]);
    const limited = this.faults.rateLimitAcs([...bySite.keys()].map(acsSystemIdOf), 'create_access_grant');
    if (limited) return err(limited);

    if (identity === null) {
      const made = this.identities.create(p.userIdentity ?? {});
      if (!made.ok) return made;
      identity = made.value;
    }
    const grant: AccessGrantState = {
      accessGrantId: this.rt.newId(),
      accessGrantKey: p.accessGrantKey ?? null,
      userIdentityId: identity.userIdentityId,
      name: p.name ?? null,
      acsEntranceIds: entranceIds,
      startsAt,
      endsAt,
      requestedAccessMethods: [],
      accessMethodIds: [],
      acsUserIds: [],
      createdAt: now,
    };
    s.acs.grants.set(grant.accessGrantId, grant);
    const fullName =
      identity.fullName ?? identity.emailAddress ?? identity.phoneNumber ?? 'Access Grant guest';
    for (const [siteId, siteLocks] of bySite) {
      const site = s.sites.get(siteId)!;
      const user = this.users.add({
        siteId,
        acsSystemId: acsSystemIdOf(siteId),
        connectedAccountId: site.connectedAccountId,
        fullName,
        emailAddress: identity.emailAddress,
        phoneNumber: identity.phoneNumber,
        userIdentityId: identity.userIdentityId,
        accessSchedule: { startsAt, endsAt },
        accessGroupIds: [],
        entranceIds: siteLocks.map((l) => acsEntranceIdOf(l.deviceId)),
        accessGrantId: grant.accessGrantId,
      });
      grant.acsUserIds.push(user.acsUserId);
    }
    const acc = locks[0]!.connectedAccountId;
    this.rt.emit('access_grant.created', acc, { data: { access_grant_id: grant.accessGrantId } });
    for (const mode of modes) {
      const method: AccessMethodState = {
        accessMethodId: this.rt.newId(),
        accessGrantId: grant.accessGrantId,
        mode,
        code: null,
        isIssued: false,
        issuedAt: null,
        acsCredentialIds: [],
        createdAt: now,
      };
      s.acs.methods.set(method.accessMethodId, method);
      grant.accessMethodIds.push(method.accessMethodId);
      grant.requestedAccessMethods.push({ mode, createdAt: now, accessMethodIds: [method.accessMethodId] });
      this.rt.emit('access_method.created', acc, {
        data: { access_method_id: method.accessMethodId, access_grant_id: grant.accessGrantId },
      });
      for (const acsUserId of grant.acsUserIds) {
        const c = this.credentials.add({
          user: s.acs.users.get(acsUserId)!,
          accessMethod: mode,
          isMultiPhoneSyncCredential: mode === 'mobile_key',
          startsAt,
          endsAt,
          accessMethodId: method.accessMethodId,
        });
        method.acsCredentialIds.push(c.acsCredentialId);
      }
    }
    return ok(grant);
  }

  delete(accessGrantId: string): SimResult<AccessGrantState> {
    const found = this.find(accessGrantId);
    if (!found.ok) return found;
    const g = found.value;
    const systems = g.acsUserIds
      .map((id) => this.s.acs.users.get(id)?.acsSystemId ?? '')
      .filter((x) => x !== '');
    const limited = this.faults.rateLimitAcs(systems, 'delete_access_grant');
    if (limited) return err(limited);
    const acc =
      this.s.acs.users.get(g.acsUserIds[0] ?? '')?.connectedAccountId ?? [...this.s.accounts.keys()][0] ?? '';
    for (const id of g.acsUserIds) {
      const u = this.s.acs.users.get(id);
      if (u) this.users.remove(u);
    }
    for (const id of g.accessMethodIds) {
      const m = this.s.acs.methods.get(id);
      if (!m) continue;
      const data = { access_method_id: id, access_grant_id: g.accessGrantId };
      if (m.isIssued) this.rt.emit('access_method.revoked', acc, { data });
      this.rt.emit('access_method.deleted', acc, { data });
      this.s.acs.methods.delete(id);
    }
    this.s.acs.grants.delete(g.accessGrantId);
    this.rt.emit('access_grant.deleted', acc, { data: { access_grant_id: g.accessGrantId } });
    return ok(g);
  }
}
