/**
 * Reads what Salto KS sites are made of from Seam (connected accounts and their Salto KS locks)
 * and answers the gateway's site questions: the sites with their slot limits, and a site's slot
 * usage. The derivation rules themselves are in `site-derivation.ts`.
 */
import type {
  AccessCode,
  Clock,
  GatewayFailure,
  LockId,
  ProviderSlotUsage,
  Result,
  Site,
  SiteId,
} from '@keyslot/core';
import { codeHoldsSlot, err, ok } from '@keyslot/core';
import type { ResolvedSeamAdapterOptions } from './config.js';
import { toGatewayFailure } from './failures.js';
import { INSPECT, type Inspect, inspectAs } from './inspect.js';
import { looksLikeSaltoKsLock } from './mapping.js';
import {
  LearnedSlotLimits,
  type SiteDraft,
  type SiteSources,
  slotLimitOf,
  toSite,
  toSiteDrafts,
} from './site-derivation.js';
import type { SeamTransport } from './transport.js';
import { device as deviceSchema, responses, type WireConnectedAccount, type WireDevice } from './wire.js';

type ListCodes = (lockId: LockId) => Promise<Result<readonly AccessCode[], GatewayFailure>>;

export class SiteDirectory {
  /** The limit Seam last reported per site (its notices stop below 80 %; the plan does not change). */
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
    return inspectAs('SiteDirectory', this.toJSON(), options, inspect);
  }

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    const drafts = await this.drafts('list sites');
    if (!drafts.ok) return drafts;
    const sites: Site[] = [];
    for (const d of drafts.value) {
      const limit = slotLimitOf(d, this.opts, this.learned.get(d.id));
      if (!limit.ok) return limit;
      sites.push(toSite(d, limit.value, this.opts.slotLeadTimeMs));
    }
    return ok(sites);
  }

  /**
   * Seam's counts when it reports them (above 80 % of the limit); below that, the codes of the
   * site's locks that hold a slot now (read with `listCodes`).
   */
  async slotUsage(siteId: SiteId, listCodes: ListCodes): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    const drafts = await this.drafts(`read slot usage of site ${siteId}`);
    if (!drafts.ok) return drafts;
    const site = drafts.value.find((d) => d.id === siteId);
    if (!site) {
      return err({
        code: 'site_not_found',
        message: `No Salto KS site ${siteId} among the Seam workspace's locks. Check the id with listSites().`,
      });
    }
    const limit = slotLimitOf(site, this.opts, this.learned.get(site.id));
    if (!limit.ok) return limit;
    const reportedUsed = site.reported?.subscribed_site_user_count;
    if (reportedUsed !== undefined) return ok({ siteId, used: reportedUsed, limit: limit.value });
    // Seam reports counts only above 80 %; below that, count the codes that hold a slot now.
    const now = this.clock.now();
    let used = 0;
    for (const lockId of site.lockIds) {
      const codes = await listCodes(lockId);
      if (!codes.ok) return codes;
      used += codes.value.filter((c) => codeHoldsSlot(c, this.opts, now)).length;
    }
    return ok({ siteId, used, limit: limit.value });
  }

  private async drafts(action: string): Promise<Result<SiteDraft[], GatewayFailure>> {
    const src = await this.sources(action);
    if (!src.ok) return src;
    const drafts = toSiteDrafts(src.value, this.opts.defaultTimeZone);
    for (const d of drafts) this.learned.remember(d.id, d.reported?.site_user_subscription_limit);
    return ok(drafts);
  }

  /** The Salto KS locks (validated) and the connected accounts they belong to. */
  async sources(action: string): Promise<Result<SiteSources & { devices: WireDevice[] }, GatewayFailure>> {
    const accounts = await connectedAccounts(this.transport, this.opts, action);
    if (!accounts.ok) return accounts;
    const devices = await saltoKsLocks(this.transport, this.opts, accounts.value, action);
    if (!devices.ok) return devices;
    return ok({ devices: devices.value, accounts: accounts.value });
  }
}

/**
 * The workspace's Salto KS locks (or only `connectedAccountId`'s), validated: devices of type
 * `salto_lock`, and `unknown` ones of a Salto KS account (a weak IQ link). Shared by the lock path
 * and the ACS path (whose slot usage counts the lock path's codes too).
 */
export async function saltoKsLocks(
  transport: SeamTransport,
  opts: Pick<ResolvedSeamAdapterOptions, 'connectedAccountId'>,
  accounts: ReadonlyMap<string, WireConnectedAccount>,
  action: string,
): Promise<Result<WireDevice[], GatewayFailure>> {
  const isSaltoAccount = (id: string) => accounts.get(id)?.account_type?.startsWith('salto') ?? false;
  const listed = await transport.listAll(
    '/devices/list',
    opts.connectedAccountId ? { connected_account_id: opts.connectedAccountId } : {},
    responses.devicesList,
    (p) => p.devices,
  );
  if (!listed.ok) return err(toGatewayFailure(listed.error, { action, mutation: false }));
  const devices: WireDevice[] = [];
  for (const raw of listed.value) {
    if (!looksLikeSaltoKsLock(raw, isSaltoAccount)) continue;
    const parsed = deviceSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { device_id?: unknown }).device_id;
      return err(
        toGatewayFailure(
          {
            kind: 'invalid_response',
            route: '/devices/list',
            status: 200,
            detail: `device ${typeof id === 'string' ? id : '?'}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
          },
          { action, mutation: false },
        ),
      );
    }
    devices.push(parsed.data);
  }
  return ok(devices);
}

/**
 * The workspace's connected accounts (or only `connectedAccountId`'s), by id: where Seam reports
 * Salto KS sites' slot counts. Shared by the lock path and the ACS path (`acs-directory.ts`).
 */
export async function connectedAccounts(
  transport: SeamTransport,
  opts: Pick<ResolvedSeamAdapterOptions, 'connectedAccountId'>,
  action: string,
): Promise<Result<Map<string, WireConnectedAccount>, GatewayFailure>> {
  if (opts.connectedAccountId) {
    const r = await transport.call(
      '/connected_accounts/get',
      { connected_account_id: opts.connectedAccountId },
      responses.connectedAccountGet,
      'read',
    );
    if (r.ok)
      return ok(
        new Map([[r.value.body.connected_account.connected_account_id, r.value.body.connected_account]]),
      );
    if (r.error.kind === 'http' && r.error.status === 404) return ok(new Map());
    return err(toGatewayFailure(r.error, { action, mutation: false }));
  }
  const r = await transport.listAll(
    '/connected_accounts/list',
    {},
    responses.connectedAccountsList,
    (p) => p.connected_accounts,
  );
  if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: false }));
  return ok(new Map(r.value.map((a) => [a.connected_account_id, a])));
}
