import type {
  AccessGrantGateway,
  AccessGrantId,
  CreateAccessGrantInput,
  Door,
  GatewayFailure,
  GrantKey,
  ProviderAccessGrant,
  ProviderSlotUsage,
  Result,
  Site,
  SiteId,
} from '@keyslot/core';
import { accessGrantKeyFor, err, GRANT_KEY_PATTERN, ok } from '@keyslot/core';
import { AcsDirectory } from './acs-directory.js';
import { checkCreateAccessGrantInput } from './acs-input.js';
import { toCreateAccessGrantBody, toProviderAccessGrant } from './acs-mapping.js';
import { acsResponses, type WireAccessGrant, type WireAcsUser } from './acs-wire.js';
import type { SeamAdapterOptions } from './config.js';
import { type FailureContext, isAmbiguous, type SeamCallFailure, toGatewayFailure } from './failures.js';
import { SeamGatewayBase, type SeamGatewayDeps } from './gateway-base.js';
import { BoundedMap, badId, invalid } from './input-checks.js';
import { responses } from './wire.js';

/** How to settle an Access Grant create whose reply was lost (for `outcome_unknown` messages). */
const LOOK_UP_BY_KEY = 'find the Access Grant by its grant key with findAccessGrant';

/**
 * keyslot's `AccessGrantGateway` over Seam's Access Grants API on Seam's Salto KS access control
 * system integration: one person (one Salto site user, ONE user slot) on several doors.
 *
 * - The same transport as `SeamLockGateway` (bearer auth, a deadline per call, read retries with
 *   backoff, `seam-request-id` on every failure, keys and PINs kept out of logs and messages), and
 *   its one failure mapping (`failures.ts`).
 * - Sites are ACS systems (`external_type: salto_ks_site`); doors are entrances.
 * - `/access_grants/create` is never repeated. A create whose reply is lost is looked up by its
 *   `access_grant_key` (`keyslot:<grantKey>`): found → that grant; not found → `outcome_unknown`.
 * - A delete whose reply is lost is settled with `/access_grants/get` (404 → done).
 */
export class SeamAccessGrantGateway extends SeamGatewayBase implements AccessGrantGateway {
  private readonly directory: AcsDirectory;
  /** Site and doors of grants this process made: used while Seam has not shown its ACS user yet. */
  private readonly made = new BoundedMap<AccessGrantId, { siteId: SiteId; doorIds: readonly string[] }>(
    10_000,
  );

  constructor(options: SeamAdapterOptions, deps: SeamGatewayDeps = {}) {
    super('SeamAccessGrantGateway', options, deps);
    this.directory = new AcsDirectory(this.transport, this.opts, this.clock);
  }

  // ---------------------------------------------------------------- sites and doors

  listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    return this.directory.listSites();
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    const bad = badId('siteId', siteId, 'read slot usage');
    if (bad) return err(bad);
    return this.directory.slotUsage(siteId);
  }

  async listDoors(siteId?: SiteId): Promise<Result<readonly Door[], GatewayFailure>> {
    if (siteId !== undefined) {
      const bad = badId('siteId', siteId, 'list doors');
      if (bad) return err(bad);
    }
    return this.directory.listDoors(siteId);
  }

  // ---------------------------------------------------------------- access grants

  async createAccessGrant(
    input: CreateAccessGrantInput,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    const problem = checkCreateAccessGrantInput(input, this.clock.now());
    if (problem) return err(problem);
    const action = `create the Access Grant of grant ${input.key} on ${input.doorIds.length} door(s) of site ${input.siteId}`;
    // Unknown site or doors, or doors of another site, are refused before anything is made.
    const doors = await this.directory.listDoors(input.siteId);
    if (!doors.ok) return doors;
    const known = new Set(doors.value.map((d) => d.id));
    const stranger = input.doorIds.find((id) => !known.has(id));
    if (stranger !== undefined) {
      return err({
        code: 'lock_not_found',
        message: `Could not ${action}: door ${stranger} is not an entrance of site ${input.siteId}. Check the ids with listDoors(siteId).`,
      });
    }
    const r = await this.transport.call(
      '/access_grants/create',
      toCreateAccessGrantBody(input),
      acsResponses.accessGrantGet,
      'mutation',
    );
    const ctx: FailureContext = { action, mutation: true, lookUp: LOOK_UP_BY_KEY };
    if (!r.ok) {
      if (!isAmbiguous(r.error)) return err(toGatewayFailure(r.error, ctx));
      return this.recoverCreate(input, r.error, ctx);
    }
    const grant = r.value.body.access_grant;
    this.made.set(grant.access_grant_id, { siteId: input.siteId, doorIds: input.doorIds });
    this.logger.log('info', 'seam access grant created', {
      accessGrantId: grant.access_grant_id,
      siteId: input.siteId,
      doors: input.doorIds.length,
      requestId: r.value.requestId,
    });
    const read = await this.complete(grant, `read the new Access Grant ${grant.access_grant_id}`);
    if (read.ok) return read;
    // Made, but its person or methods could not be read: the caller looks it up by key.
    return err({
      ...read.error,
      code: 'outcome_unknown',
      message: `Created Access Grant ${grant.access_grant_id} for grant ${input.key}, but could not read it back (${read.error.message}). Find it with findAccessGrant before doing anything else.`,
    });
  }

  /** After a create with no usable reply: find the grant by key instead of creating it again. */
  private async recoverCreate(
    input: CreateAccessGrantInput,
    failure: SeamCallFailure,
    ctx: FailureContext,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    this.logger.log('warn', 'seam access grant create reply lost; looking it up by key', {
      siteId: input.siteId,
      route: failure.route,
      failure: failure.kind,
    });
    if (this.opts.recoveryDelayMs > 0) await this.clock.sleep(this.opts.recoveryDelayMs);
    const mapped = toGatewayFailure(failure, ctx);
    const found = await this.findAccessGrant(input.key);
    if (!found.ok) {
      return err({
        ...mapped,
        code: 'outcome_unknown',
        message: `${mapped.message} (Looking it up failed too: ${found.error.message})`,
      });
    }
    if (found.value === null) return err({ ...mapped, code: 'outcome_unknown' });
    this.logger.log('info', 'seam access grant create recovered: the grant exists', {
      accessGrantId: found.value.id,
    });
    return ok(found.value);
  }

  async getAccessGrant(id: AccessGrantId): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    const bad = badId('accessGrantId', id, 'read an Access Grant');
    if (bad) return err(bad);
    const action = `read Access Grant ${id}`;
    const r = await this.transport.call(
      '/access_grants/get',
      { access_grant_id: id },
      acsResponses.accessGrantGet,
      'read',
    );
    if (!r.ok) {
      return err(toGatewayFailure(r.error, { action, mutation: false, notFound: 'access_grant_not_found' }));
    }
    return this.complete(r.value.body.access_grant, action);
  }

  async findAccessGrant(key: GrantKey): Promise<Result<ProviderAccessGrant | null, GatewayFailure>> {
    if (typeof key !== 'string' || !GRANT_KEY_PATTERN.test(key)) {
      return err(
        invalid('Could not find an Access Grant: key must be a grant key (1–64 of A–Z a–z 0–9 _ . : -).'),
      );
    }
    const accessGrantKey = accessGrantKeyFor(key);
    const action = `find the Access Grant of grant ${key}`;
    const r = await this.transport.listAll(
      '/access_grants/list',
      { access_grant_key: accessGrantKey },
      acsResponses.accessGrantsList,
      (p) => p.access_grants,
    );
    if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: false }));
    // Filtered here too: a listing that ignored the filter must never hide or invent a grant.
    const mine = r.value.filter((g) => g.access_grant_key === accessGrantKey);
    if (mine.length === 0) return ok(null);
    if (mine.length > 1) {
      return err({
        code: 'provider_issue',
        providerCode: 'duplicate_access_grant_key',
        message: `Could not ${action}: Seam lists ${mine.length} Access Grants with access_grant_key ${accessGrantKey} (${mine.map((g) => g.access_grant_id).join(', ')}). Delete the extra ones.`,
      });
    }
    return this.complete(mine[0] as WireAccessGrant, action);
  }

  async listAccessGrants(siteId: SiteId): Promise<Result<readonly ProviderAccessGrant[], GatewayFailure>> {
    const bad = badId('siteId', siteId, 'list Access Grants');
    if (bad) return err(bad);
    const action = `list the Access Grants of site ${siteId}`;
    const systems = await this.directory.systems(action);
    if (!systems.ok) return systems;
    if (!systems.value.some((s) => s.acs_system_id === siteId)) {
      return err({
        code: 'site_not_found',
        message: `Could not ${action}: no Salto KS ACS system ${siteId} in the Seam workspace. Check the id with listSites().`,
      });
    }
    const listed = await this.transport.listAll(
      '/access_grants/list',
      { acs_system_id: siteId },
      acsResponses.accessGrantsList,
      (p) => p.access_grants,
    );
    if (!listed.ok) return err(toGatewayFailure(listed.error, { action, mutation: false }));
    const users = await this.directory.users({ acs_system_id: siteId }, action);
    if (!users.ok) return users;
    const out: ProviderAccessGrant[] = [];
    for (const grant of listed.value) {
      const mine = users.value.filter((u) => u.user_identity_id === grant.user_identity_id);
      const g = await this.assemble(grant, mine, siteId, action);
      if (!g.ok) return g;
      out.push(g.value);
    }
    return ok(out);
  }

  async deleteAccessGrant(id: AccessGrantId): Promise<Result<void, GatewayFailure>> {
    const bad = badId('accessGrantId', id, 'delete an Access Grant');
    if (bad) return err(bad);
    const action = `delete Access Grant ${id}`;
    const r = await this.transport.call(
      '/access_grants/delete',
      { access_grant_id: id },
      responses.anything,
      'mutation',
    );
    if (r.ok) {
      this.logger.log('info', 'seam access grant deleted', {
        accessGrantId: id,
        requestId: r.value.requestId,
      });
      return ok(undefined);
    }
    const ctx: FailureContext = {
      action,
      mutation: true,
      notFound: 'access_grant_not_found',
      lookUp: `read Access Grant ${id}`,
    };
    if (!isAmbiguous(r.error)) return err(toGatewayFailure(r.error, ctx));
    // Reply lost: the delete is done when the grant is gone.
    const check = await this.transport.call(
      '/access_grants/get',
      { access_grant_id: id },
      acsResponses.accessGrantGet,
      'read',
    );
    if (!check.ok && toGatewayFailure(check.error, ctx).code === 'access_grant_not_found')
      return ok(undefined);
    return err(toGatewayFailure(r.error, ctx));
  }

  // ---------------------------------------------------------------- internals

  /** A grant with its person (ACS users, for the site and the issues), doors and access methods. */
  private async complete(
    grant: WireAccessGrant,
    action: string,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    const users = await this.directory.users({ user_identity_id: grant.user_identity_id }, action);
    if (!users.ok) return users;
    const made = this.made.get(grant.access_grant_id);
    const siteId = users.value[0]?.acs_system_id ?? made?.siteId;
    if (siteId === undefined) {
      return err({
        code: 'unavailable',
        message: `Could not ${action}: Seam shows no Salto KS user for Access Grant ${grant.access_grant_id} yet, so its site is unknown. Try again shortly.`,
      });
    }
    return this.assemble(
      grant,
      users.value.filter((u) => u.acs_system_id === siteId),
      siteId,
      action,
    );
  }

  private async assemble(
    grant: WireAccessGrant,
    users: readonly WireAcsUser[],
    siteId: SiteId,
    action: string,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    const doorIds = new Set<string>();
    for (const u of users) {
      const r = await this.transport.call(
        '/acs/users/list_accessible_entrances',
        { acs_user_id: u.acs_user_id },
        acsResponses.acsEntrancesList,
        'read',
      );
      if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: false }));
      for (const e of r.value.body.acs_entrances) doorIds.add(e.acs_entrance_id);
    }
    if (users.length === 0)
      for (const id of this.made.get(grant.access_grant_id)?.doorIds ?? []) doorIds.add(id);
    const methods = await this.transport.call(
      '/access_methods/list',
      { access_grant_id: grant.access_grant_id },
      acsResponses.accessMethodsList,
      'read',
    );
    if (!methods.ok) return err(toGatewayFailure(methods.error, { action, mutation: false }));
    return ok(
      toProviderAccessGrant({
        grant,
        siteId,
        doorIds: [...doorIds],
        users,
        methods: methods.value.body.access_methods,
      }),
    );
  }
}
