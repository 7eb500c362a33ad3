/**
 * The ACS path's site questions: Salto KS sites as Seam's access control systems
 * (`external_type: salto_ks_site`) with their slot limits, a site's slot usage, and its doors
 * (entrances). The limit rules are the lock path's (`slotLimitOf`, learned limits, the
 * `not_configured` outcome naming the options), keyed by the ACS system id.
 */
import type { Clock, Door, GatewayFailure, ProviderSlotUsage, Result, Site, SiteId } from '@keyslot/core';
import { codeHoldsSlot, err, ok } from '@keyslot/core';
import { isSaltoKsSite, toDoor } from './acs-mapping.js';
import { acsResponses, type WireAcsSystem, type WireAcsUser } from './acs-wire.js';
import type { ResolvedSeamAdapterOptions } from './config.js';
import { toGatewayFailure } from './failures.js';
import { INSPECT, type Inspect, inspectAs } from './inspect.js';
import { saltoMeta, toAccessCode } from './mapping.js';
import { LearnedSlotLimits, reportedSiteCounts, type SiteDraft, slotLimitOf } from './site-derivation.js';
import { connectedAccounts, saltoKsLocks } from './site-directory.js';
import type { SeamTransport } from './transport.js';
import { responses, type SaltoKsSiteCounts, type WireConnectedAccount } from './wire.js';

/**
 * The counts an account's limit notices report for this ACS system's Salto KS site. Seam's
 * `sites[]` entries carry Salto's site id, which no ACS object shows, so the entry is matched by
 * name (`site_name` = the ACS system's `name`) among the system's own account, and only when
 * exactly one entry has that name.
 */
export function reportedCountsFor(
  system: WireAcsSystem,
  account: WireConnectedAccount | undefined,
): SaltoKsSiteCounts | undefined {
  if (!account) return undefined;
  const named = [...reportedSiteCounts(account).values()].filter((c) => c.site_name === system.name);
  return named.length === 1 ? named[0] : undefined;
}

/** An ACS system as a site draft, with the account it belongs to. */
type AcsSiteDraft = SiteDraft & { readonly connectedAccountId: string };

export class AcsDirectory {
  /** The limit Seam last reported per ACS system (its notices stop below 80 %). */
  private readonly learned = new LearnedSlotLimits();

  constructor(
    private readonly transport: SeamTransport,
    private readonly opts: ResolvedSeamAdapterOptions,
    private readonly clock: Clock,
  ) {}

  /** Holds the options (with the key): shows none of them. */
  toJSON(): Record<string, unknown> {
    return {};
  }

  [INSPECT](_depth: number, options: object, inspect: Inspect): string {
    return inspectAs('AcsDirectory', this.toJSON(), options, inspect);
  }

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    const drafts = await this.drafts('list sites (ACS systems)');
    if (!drafts.ok) return drafts;
    const sites: Site[] = [];
    for (const d of drafts.value.drafts) {
      const limit = slotLimitOf(d, this.opts, this.learned.get(d.id));
      if (!limit.ok) return limit;
      sites.push({
        id: d.id,
        name: d.name,
        slotLimit: limit.value,
        timeZone: d.timeZone,
        slotLeadTimeMs: this.opts.slotLeadTimeMs,
        hasCustomPinSubscription: false,
        slotCostModel: 'user_per_grant',
      });
    }
    return ok(sites);
  }

  /**
   * Seam's count when an account notice reports it (above 80 % of the limit: the whole pool,
   * lock-integration codes included); below that, the site's subscribed ACS users plus the
   * lock-integration codes that hold a slot now on the site's locks (one pool: both are Salto users).
   */
  async slotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    const action = `read slot usage of site ${siteId}`;
    const drafts = await this.drafts(action);
    if (!drafts.ok) return drafts;
    const { accounts } = drafts.value;
    const site = drafts.value.drafts.find((d) => d.id === siteId);
    if (!site) {
      return err({
        code: 'site_not_found',
        message: `No Salto KS ACS system ${siteId} in the Seam workspace. Check the id with listSites().`,
      });
    }
    const limit = slotLimitOf(site, this.opts, this.learned.get(site.id));
    if (!limit.ok) return limit;
    const reportedUsed = site.reported?.subscribed_site_user_count;
    if (reportedUsed !== undefined) return ok({ siteId, used: reportedUsed, limit: limit.value });
    const users = await this.users({ acs_system_id: siteId }, action);
    if (!users.ok) return users;
    const codes = await this.lockPathCodes(site, accounts, action);
    if (!codes.ok) return codes;
    const used = users.value.filter((u) => u.salto_ks_metadata?.is_subscribed === true).length + codes.value;
    return ok({ siteId, used, limit: limit.value });
  }

  /**
   * How many lock-integration access codes hold a slot now on this ACS site's locks: Salto KS
   * locks of the system's account whose `salto_ks_metadata.site_name` is the system's name.
   */
  private async lockPathCodes(
    site: AcsSiteDraft,
    accounts: ReadonlyMap<string, WireConnectedAccount>,
    action: string,
  ): Promise<Result<number, GatewayFailure>> {
    const locks = await saltoKsLocks(this.transport, this.opts, accounts, action);
    if (!locks.ok) return locks;
    const now = this.clock.now();
    let held = 0;
    for (const d of locks.value) {
      if (d.connected_account_id !== site.connectedAccountId || saltoMeta(d)?.site_name !== site.name)
        continue;
      const codes = await this.transport.listAll(
        '/access_codes/list',
        { device_id: d.device_id },
        responses.accessCodesList,
        (p) => p.access_codes,
      );
      if (!codes.ok) return err(toGatewayFailure(codes.error, { action, mutation: false }));
      held += codes.value.map(toAccessCode).filter((c) => codeHoldsSlot(c, this.opts, now)).length;
    }
    return ok(held);
  }

  /** The doors of one site (`site_not_found` when it is not a Salto KS ACS system), or of all. */
  async listDoors(siteId?: SiteId): Promise<Result<readonly Door[], GatewayFailure>> {
    const action = siteId === undefined ? 'list doors' : `list doors of site ${siteId}`;
    const systems = await this.systems(action);
    if (!systems.ok) return systems;
    const ids = new Set(systems.value.map((s) => s.acs_system_id));
    if (siteId !== undefined && !ids.has(siteId)) {
      return err({
        code: 'site_not_found',
        message: `Could not ${action}: no Salto KS ACS system ${siteId} in the Seam workspace. Check the id with listSites().`,
      });
    }
    const listed = await this.transport.listAll(
      '/acs/entrances/list',
      siteId !== undefined ? { acs_system_id: siteId } : {},
      acsResponses.acsEntrancesList,
      (p) => p.acs_entrances,
    );
    if (!listed.ok) return err(toGatewayFailure(listed.error, { action, mutation: false }));
    return ok(listed.value.filter((e) => ids.has(e.acs_system_id)).map(toDoor));
  }

  /** ACS users matching `filter` (`acs_system_id`, `user_identity_id`), every page. */
  async users(
    filter: Readonly<Record<string, string>>,
    action: string,
  ): Promise<Result<WireAcsUser[], GatewayFailure>> {
    const r = await this.transport.listAll(
      '/acs/users/list',
      filter,
      acsResponses.acsUsersList,
      (p) => p.acs_users,
    );
    return r.ok ? r : err(toGatewayFailure(r.error, { action, mutation: false }));
  }

  /** The Salto KS ACS systems (of `connectedAccountId` only, when set). */
  async systems(action: string): Promise<Result<WireAcsSystem[], GatewayFailure>> {
    const r = await this.transport.call(
      '/acs/systems/list',
      this.opts.connectedAccountId ? { connected_account_id: this.opts.connectedAccountId } : {},
      acsResponses.acsSystemsList,
      'read',
    );
    if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: false }));
    return ok(r.value.body.acs_systems.filter(isSaltoKsSite));
  }

  private async drafts(
    action: string,
  ): Promise<
    Result<{ drafts: AcsSiteDraft[]; accounts: Map<string, WireConnectedAccount> }, GatewayFailure>
  > {
    const accounts = await connectedAccounts(this.transport, this.opts, action);
    if (!accounts.ok) return accounts;
    const systems = await this.systems(action);
    if (!systems.ok) return systems;
    const drafts = systems.value
      .map((s) => ({
        id: s.acs_system_id,
        name: s.name,
        connectedAccountId: s.connected_account_id,
        timeZone: s.location?.time_zone ?? this.opts.defaultTimeZone,
        hasCustomPinSubscription: false,
        reported: reportedCountsFor(s, accounts.value.get(s.connected_account_id)),
        lockIds: [],
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const d of drafts) this.learned.remember(d.id, d.reported?.site_user_subscription_limit);
    return ok({ drafts, accounts: accounts.value });
  }
}
