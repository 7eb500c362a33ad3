/**
 * Salto KS sites derived from what Seam's lock integration shows: devices (their
 * `salto_ks_metadata.site_id` / `site_name`), connected accounts (their subscription-limit
 * notices with per-site counts), and the adapter's configured limits. Pure functions (and the
 * one memory of limits Seam reported, `LearnedSlotLimits`): no I/O. The ACS path
 * (`acs-directory.ts`) reuses the limit rules for its sites.
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
import {
  type SaltoKsSiteCounts,
  saltoKsSiteCounts,
  type WireConnectedAccount,
  type WireDevice,
} from './wire.js';

/** Per-site subscription counts reported by an account's limit notices (exceeded wins over almost). */
export function reportedSiteCounts(account: WireConnectedAccount): Map<SiteId, SaltoKsSiteCounts> {
  const out = new Map<SiteId, SaltoKsSiteCounts>();
  const add = (sites: readonly unknown[] | undefined) => {
    for (const raw of sites ?? []) {
      const parsed = saltoKsSiteCounts.safeParse(raw);
      if (parsed.success) out.set(parsed.data.site_id, parsed.data);
    }
  };
  for (const w of account.warnings) {
    if (w.warning_code === SUBSCRIPTION_LIMIT_ALMOST_REACHED) add(w.salto_ks_metadata?.sites);
  }
  for (const e of account.errors) {
    if (e.error_code === SUBSCRIPTION_LIMIT_EXCEEDED) add(e.salto_ks_metadata?.sites);
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

/** The environment variable `seamOptionsFromEnv` reads into `defaultSiteSlotLimit`. */
export const SITE_SLOT_LIMIT_ENV = 'KEYSLOT_SITE_SLOT_LIMIT';

/**
 * A site's slot limit, from the first of: what Seam reports now (its limit notices, above 80 %),
 * `slotLimitFor`, `siteSlotLimits`, the limit Seam last reported for it (`learned`: Seam stops
 * reporting once the site drops below 80 %, the plan does not change with it), and
 * `defaultSiteSlotLimit`. With none it is a configuration outcome naming the options.
 */
export function slotLimitOf(
  d: SiteDraft,
  opts: LimitOptions,
  learned?: number,
): Result<number, GatewayFailure> {
  const configured = opts.slotLimitFor?.(d.id);
  const limit =
    d.reported?.site_user_subscription_limit ??
    (configured !== undefined && Number.isInteger(configured) && configured >= 0 ? configured : undefined) ??
    opts.siteSlotLimits[d.id] ??
    learned ??
    opts.defaultSiteSlotLimit;
  if (limit !== undefined) return ok(limit);
  return err({
    code: 'not_configured',
    providerCode: 'slot_limit_unknown',
    message:
      `the slot limit of Salto KS site ${d.id} ("${d.name}") is unknown. Seam reports a site's limit only while the site is above 80 % of it, ` +
      `and it has not reported this one. Set it with the Seam adapter's siteSlotLimits option ({ "${d.id}": <limit> }), slotLimitFor, ` +
      `or defaultSiteSlotLimit (seamOptionsFromEnv reads ${SITE_SLOT_LIMIT_ENV}). Retrying will not help.`,
  });
}

/** Most sites one adapter remembers a learned limit for. */
const MAX_LEARNED_SITES = 10_000;

/**
 * The limit Seam last reported per site. Seam's notices stop once a site drops below 80 % of its
 * limit; the plan did not change with it, so the last reported limit still stands (`slotLimitOf`'s
 * third source). Bounded: the oldest site is forgotten beyond 10 000.
 */
export class LearnedSlotLimits {
  private readonly learned = new Map<SiteId, number>();

  /** Remembers what Seam reports now (sites without a reported limit are left alone). */
  remember(siteId: SiteId, reportedLimit: number | undefined): void {
    if (reportedLimit === undefined) return;
    this.learned.delete(siteId);
    this.learned.set(siteId, reportedLimit);
    if (this.learned.size > MAX_LEARNED_SITES)
      this.learned.delete(this.learned.keys().next().value as SiteId);
  }

  get(siteId: SiteId): number | undefined {
    return this.learned.get(siteId);
  }
}
