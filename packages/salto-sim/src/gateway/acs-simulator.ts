import type {
  AccessGrantGateway,
  AccessGrantId,
  Clock,
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
// Values from a narrow entry point: the core root also loads the application layer.
import { accessGrantKeyFor, err, ok, windowIssues } from '@keyslot/core/domain';
import type { DefaultWorldIds } from '../world/default-world.js';
import type {
  AccessGrantRecord,
  SimOperation,
  SimResult,
  SiteView,
  WorldConfigInput,
} from '../world/types.js';
import type { SaltoKsWorld } from '../world/world.js';
import { accessGrantOf, acsSiteOf, doorOf } from './acs-map.js';
import { type BeforeCall, defaultWorldFor, enterWorld, worldFor } from './in-process.js';
import { toGatewayFailure } from './map.js';
import { DEFAULT_SETTLE_MS } from './salto-ks-simulator.js';

export interface SaltoKsAcsSimulatorOptions {
  /** An existing world to serve (e.g. a `SaltoKsSimulator`'s, to reach the same sites both ways). */
  readonly world?: SaltoKsWorld;
  readonly seed?: number;
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
  /** Awaited before each gateway call reaches the world (race tests; see `SaltoKsSimulator`). */
  readonly beforeCall?: BeforeCall;
}

const failure = (code: GatewayFailure['code'], message: string): { ok: false; error: GatewayFailure } =>
  err({ code, message, providerCode: code });

/**
 * Core's `AccessGrantGateway` in process, over the simulated Salto KS world's access-control side
 * (`world.acs`, `world.accessGrants`): the same sites as Salto KS access control systems. A site is
 * named by its ACS system id, a door by its entrance id; a keyslot grant is ONE Access Grant — one
 * Salto site user, ONE slot while subscribed — over all its doors, with a Salto-generated PIN
 * shared by them. The world's lock-integration codes and these users share each site's one pool.
 * Every call is one faulted world call (latency, 5xx, 429, lost replies, rate limits), decided
 * synchronously, as `SaltoKsSimulator` does for locks.
 */
export class SaltoKsAcsSimulator implements AccessGrantGateway {
  readonly world: SaltoKsWorld;
  private readonly beforeCall: BeforeCall | undefined;

  constructor(options: SaltoKsAcsSimulatorOptions = {}) {
    this.world = worldFor(options);
    this.beforeCall = options.beforeCall;
  }

  /** An ACS gateway over the seeded default world (see `createDefaultWorld`). */
  static withDefaultWorld(options: Omit<SaltoKsAcsSimulatorOptions, 'world'> = {}): {
    simulator: SaltoKsAcsSimulator;
    ids: DefaultWorldIds;
  } {
    const { world, ids } = defaultWorldFor(options);
    const simulator = new SaltoKsAcsSimulator({
      world,
      ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
    });
    return { simulator, ids };
  }

  private enter(op: SimOperation): Promise<void> {
    return enterWorld(this.world, this.beforeCall, op);
  }

  /** The world site behind ACS system `acsSystemId`, or `null` (no faults). */
  private siteOf(acsSystemId: string): SiteView | null {
    return (
      this.world.inspectAll().sites.find((s) => this.world.acs.acsSystemIdOf(s.siteId) === acsSystemId) ??
      null
    );
  }

  private unknownSite(siteId: SiteId) {
    return failure(
      'site_not_found',
      `No Salto KS access control system has the id ${JSON.stringify(siteId)}. List the sites to get a current id.`,
    );
  }

  /** The Access Grant with its access methods and ACS users, as core sees it (no faults). */
  private view(g: AccessGrantRecord): ProviderAccessGrant {
    const users = g.acsUserIds.flatMap((id) => {
      const u = this.world.acs.inspectUser(id);
      return u ? [u] : [];
    });
    return accessGrantOf(g, this.world.accessGrants.inspectAccessMethods(g.accessGrantId), users);
  }

  private result<T, U>(r: SimResult<T>, f: (v: T) => U): Result<U, GatewayFailure> {
    return r.ok ? ok(f(r.value)) : err(toGatewayFailure(r.error));
  }

  // ───────────────────────── AccessGrantGateway ─────────────────────────

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    await this.enter('list_acs_systems');
    return this.result(this.world.acs.listSystems(), (systems) => systems.map(acsSiteOf));
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    await this.enter('get_acs_system');
    return this.result(this.world.acs.getSystem(siteId), (x) => ({
      siteId: x.acsSystemId,
      used: x.subscribedUserCount,
      limit: x.slotLimit,
    }));
  }

  async listDoors(siteId?: SiteId): Promise<Result<readonly Door[], GatewayFailure>> {
    await this.enter('list_acs_entrances');
    if (siteId !== undefined && this.siteOf(siteId) === null) return this.unknownSite(siteId);
    return this.result(
      this.world.acs.listEntrances(siteId !== undefined ? { acsSystemId: siteId } : {}),
      (entrances) => entrances.map(doorOf),
    );
  }

  async createAccessGrant(
    input: CreateAccessGrantInput,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    const problems = [
      ...(Array.isArray(input?.doorIds) && input.doorIds.length > 0
        ? []
        : ['doorIds must list at least one door']),
      ...(Array.isArray(input?.methods) && input.methods.length > 0
        ? []
        : ['methods must name at least one']),
      ...windowIssues(input?.window).map((i) => `${i.field} ${i.message}`),
    ];
    if (problems.length > 0)
      return failure('invalid_input', `Invalid access grant request: ${problems.join('; ')}.`);
    // Doors of another site: a keyslot grant is one site (the world would make a user per site).
    const entrances = this.world.acs.listEntrances({ acsEntranceIds: input.doorIds });
    const elsewhere = entrances.ok ? entrances.value.filter((e) => e.acsSystemId !== input.siteId) : [];
    if (this.siteOf(input.siteId) === null) return this.unknownSite(input.siteId);
    if (elsewhere.length > 0)
      return failure(
        'invalid_input',
        `Door ${JSON.stringify(elsewhere[0]?.acsEntranceId)} belongs to another site than ${JSON.stringify(input.siteId)}; make one grant per site.`,
      );
    await this.enter('create_access_grant');
    const w = input.window;
    return this.result(
      this.world.accessGrants.createAccessGrant({
        userIdentity: { fullName: input.holder },
        acsEntranceIds: input.doorIds,
        requestedAccessMethods: input.methods.map((mode) => ({ mode })),
        ...(w.kind === 'scheduled' ? { startsAt: w.startsAt, endsAt: w.endsAt } : {}),
        accessGrantKey: accessGrantKeyFor(input.key),
        name: input.holder,
      }),
      (g) => this.view(g),
    );
  }

  async getAccessGrant(id: AccessGrantId): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    await this.enter('get_access_grant');
    return this.result(this.world.accessGrants.getAccessGrant({ accessGrantId: id }), (g) => this.view(g));
  }

  async findAccessGrant(key: GrantKey): Promise<Result<ProviderAccessGrant | null, GatewayFailure>> {
    await this.enter('get_access_grant');
    const r = this.world.accessGrants.getAccessGrant({ accessGrantKey: accessGrantKeyFor(key) });
    if (!r.ok && r.error.type === 'access_grant_not_found') return ok(null);
    return this.result(r, (g) => this.view(g));
  }

  async listAccessGrants(siteId: SiteId): Promise<Result<readonly ProviderAccessGrant[], GatewayFailure>> {
    await this.enter('list_access_grants');
    if (this.siteOf(siteId) === null) return this.unknownSite(siteId);
    return this.result(this.world.accessGrants.listAccessGrants({ acsSystemId: siteId }), (grants) =>
      grants.map((g) => this.view(g)),
    );
  }

  async deleteAccessGrant(id: AccessGrantId): Promise<Result<void, GatewayFailure>> {
    await this.enter('delete_access_grant');
    return this.result(this.world.accessGrants.deleteAccessGrant(id), () => undefined);
  }

  // ───────────────────────── control surface ─────────────────────────

  /** Changes the slot limit of the site behind ACS system `siteId` (one pool for codes and users). */
  setSlotLimit(siteId: SiteId, limit: number): SimResult<SiteView> {
    const site = this.siteOf(siteId);
    if (site === null) return err({ type: 'acs_system_not_found', message: `No ACS system ${siteId}.` });
    return this.world.setSlotLimit(site.siteId, limit);
  }

  /** Advances a virtual clock (fails on a real clock; see `SaltoKsWorld.advance`). */
  advance(ms: number): ReturnType<SaltoKsWorld['advance']> {
    return this.world.advance(ms);
  }

  /** Lets pending work finish (PIN generation, issuing): see `SaltoKsSimulator.settle`. */
  async settle(ms = DEFAULT_SETTLE_MS): Promise<void> {
    const r = await this.world.advance(ms);
    if (!r.ok) await this.world.clock.sleep(ms);
  }
}
