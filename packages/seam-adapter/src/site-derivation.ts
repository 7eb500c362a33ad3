/**
 * Salto KS sites derived from what Seam's lock integration shows: devices (their
 * `salto_ks_metadata.site_id` / `site_name`), connected accounts (their subscription-limit
 * notices with per-site counts), and the adapter's configured limits. Pure functions: no I/O.
 */
import type { GatewayFailure, Result, Site, SiteId } from '@keyslot/core';
import { err, ok } from '@keyslot/core';
import type { ResolvedSeamAdapterOptions } from './config.js';
import {
  SUBSCRIPTION_LIMIT_ALMOST_REACHED,
  SUBSCRIPTION_LIMIT_EXCEEDED,
  saltoMeta,
  siteIdOf,
} from './mapping.js';
import type { SaltoKsSiteCounts, WireConnectedAccount, WireDevice } from './wire.js';

/** Per-site subscription counts reported by an account's limit notices (exceeded wins over almost). */
export function reportedSiteCounts(account: WireConnectedAccount): Map<SiteId, SaltoKsSiteCounts> {
  const out = new Map<SiteId, SaltoKsSiteCounts>();
  for (const w of account.warnings) {
    if (w.warning_code !== SUBSCRIPTION_LIMIT_ALMOST_REACHED) continue;
    for (const s of w.salto_ks_metadata?.sites ?? []) out.set(s.site_id, s);
  }
  for (const e of account.errors) {
    if (e.error_code !== SUBSCRIPTION_LIMIT_EXCEEDED) continue;
    for (const s of e.salto_ks_metadata?.sites ?? []) out.set(s.site_id, s);
  }
  return out;
}

export interface SiteSources {
  readonly devices: readonly WireDevice[];
  readonly accounts: ReadonlyMap<string, WireConnectedAccount>;
}

export interface SiteDraft {
  readonly id: SiteId;
  readonly name: string;
  readonly timeZone: string;
  readonly hasCustomPinSubscription: boolean;
  /** Counts from Seam's limit notices, when Seam reported them. */
  readonly reported: SaltoKsSiteCounts | undefined;
  readonly lockIds: readonly string[];
}

/** Sites derived from devices (and from accounts' limit notices naming sites with no lock listed). */
export function toSiteDrafts(src: SiteSources, defaultTimeZone: string): SiteDraft[] {
  const drafts = new Map<
    SiteId,
    { name?: string; tz?: string; customPin: boolean; reported?: SaltoKsSiteCounts; locks: string[] }
  >();
  const draft = (id: SiteId) => {
    let d = drafts.get(id);
    if (!d) {
      d = { customPin: false, locks: [] };
      drafts.set(id, d);
    }
    return d;
  };
  for (const account of src.accounts.values()) {
    for (const [siteId, counts] of reportedSiteCounts(account)) {
      const d = draft(siteId);
      d.reported = counts;
      d.name ??= counts.site_name;
    }
  }
  for (const dev of src.devices) {
    const account = src.accounts.get(dev.connected_account_id);
    const siteId = siteIdOf(dev);
    const d = draft(siteId);
    const meta = saltoMeta(dev);
    d.name ??= meta?.site_name ?? (siteId === dev.connected_account_id ? account?.display_name : undefined);
    d.tz ??= dev.location?.timezone ?? dev.location?.time_zone ?? undefined;
    d.customPin ||= meta?.has_custom_pin_subscription === true;
    d.locks.push(dev.device_id);
  }
  return [...drafts.entries()]
    .map(([id, d]) => ({
      id,
      name: d.name ?? id,
      timeZone: d.tz ?? defaultTimeZone,
      hasCustomPinSubscription: d.customPin,
      reported: d.reported,
      lockIds: d.locks,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function toSite(d: SiteDraft, slotLimit: number, slotLeadTimeMs: number): Site {
  return {
    id: d.id,
    name: d.name,
    slotLimit,
    timeZone: d.timeZone,
    slotLeadTimeMs,
    hasCustomPinSubscription: d.hasCustomPinSubscription,
  };
}

type LimitOptions = Pick<
  ResolvedSeamAdapterOptions,
  'slotLimitFor' | 'siteSlotLimits' | 'defaultSiteSlotLimit'
>;

/**
 * A site's slot limit: what Seam reports, else `slotLimitFor`, else `siteSlotLimits`, else
 * `defaultSiteSlotLimit`. With none of them it is unknown, and the failure says which option to set.
 */
export function slotLimitOf(d: SiteDraft, opts: LimitOptions): Result<number, GatewayFailure> {
  const configured = opts.slotLimitFor?.(d.id);
  const limit =
    d.reported?.site_user_subscription_limit ??
    (configured !== undefined && Number.isInteger(configured) && configured >= 0 ? configured : undefined) ??
    opts.siteSlotLimits[d.id] ??
    opts.defaultSiteSlotLimit;
  if (limit !== undefined) return ok(limit);
  return err({
    code: 'provider_issue',
    providerCode: 'slot_limit_unknown',
    message:
      `The slot limit of Salto KS site ${d.id} ("${d.name}") is unknown: Seam reports it only once the site is above 80 % of it. ` +
      `Configure it with the siteSlotLimits option ({ "${d.id}": <limit> }), slotLimitFor or defaultSiteSlotLimit.`,
  });
}
