import { reservedFor } from '../domain/policy.js';
import { err, type InvalidInput, invalidInput, ok, type Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import { planForGrants } from '../domain/slot-plan.js';
import { type SlotUsage, slotUsage } from '../domain/slot-usage.js';
import { holdingGrants } from '../ports/grant-store.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import { type AccessPath, accessPathFor } from './access-path.js';
import { type AnyCoreDeps, requirePolicy } from './deps.js';
import { type ProviderFailed, providerFailed, type SiteNotFound, siteNotFound } from './errors.js';
import {
  catchStoreFailure,
  guardStore,
  type StoreFailed,
  storeFailed,
  whenStoreAllows,
} from './store-failures.js';

/** One site's slots: what the provider counts now, and what keyslot's plan holds ahead. */
export interface SiteSlotReport extends SlotUsage {
  readonly siteName: string;
  /** Slots keyslot's grants hold now, by the plan. */
  readonly plannedNow: number;
  /** Most slots keyslot's grants will hold at any instant from now on (scheduled grants included). */
  readonly plannedPeak: number;
  /** Slots used at the provider that keyslot's plan does not know (other apps): max(0, used − plannedNow). */
  readonly unmanaged: number;
  /** plannedPeak + unmanaged: the busiest the site is expected to be. */
  readonly projectedPeak: number;
  /** max(0, limit − reserved − projectedPeak): slots a new ongoing grant could still take. */
  readonly projectedHeadroom: number;
}

export interface SlotUsageReport {
  readonly code: 'slot_usage';
  readonly sites: readonly SiteSlotReport[];
  /** Sites whose usage the provider could not report this time. */
  readonly failures: readonly { readonly siteId: SiteId; readonly failure: GatewayFailure }[];
}

export type ReportSlotUsageError = InvalidInput | SiteNotFound | ProviderFailed | StoreFailed;
export type ReportSlotUsageResult = Result<SlotUsageReport, ReportSlotUsageError>;

/**
 * Slot usage per site (or for one site): used, limit, reserve, headroom, warnings, planned peak.
 * The plan counts each grant as the site's cost model says (`slot-holding.ts`): one slot per lock
 * on the lock integration, one per grant on an ACS site.
 */
export class ReportSlotUsage {
  private readonly deps: AnyCoreDeps;
  private readonly path: AccessPath;

  /**
   * Either path: `{ gateway, … }` (lock integration) or `{ accessGrants, … }` (ACS). Throws
   * `InvalidPolicyError` for a policy that fails `parsePolicy`.
   */
  constructor(deps: AnyCoreDeps) {
    const guarded = { ...deps, store: guardStore(deps.store) };
    this.deps = { ...guarded, policy: requirePolicy(deps, 'ReportSlotUsage') };
    this.path = accessPathFor(guarded);
  }

  async execute(siteId?: unknown): Promise<ReportSlotUsageResult> {
    const r = await catchStoreFailure(
      () => this.report(siteId),
      (e): ReportSlotUsageResult =>
        err(
          storeFailed(
            e,
            'Slot usage could not be reported',
            "while reading the sites' grants: nothing was changed.",
            `Ask again ${whenStoreAllows(e)}.`,
            typeof siteId === 'string' ? { siteId } : {},
          ),
        ),
    );
    const fault = !r.ok && (r.error.code === 'provider_failed' || r.error.code === 'store_failed');
    this.deps.logger.log(fault ? 'error' : 'info', 'slot usage', {
      outcome: r.ok ? r.value.code : r.error.code,
      ...(r.ok
        ? {
            sites: r.value.sites.map((s) => ({
              siteId: s.siteId,
              used: s.used,
              limit: s.limit,
              plannedPeak: s.plannedPeak,
              almostReached: s.almostReached,
            })),
            failures: r.value.failures.map((f) => f.siteId),
          }
        : { reason: r.error.message }),
    });
    return r;
  }

  private async report(siteId: unknown): Promise<ReportSlotUsageResult> {
    const { store, clock, policy } = this.deps;
    if (siteId !== undefined && (typeof siteId !== 'string' || siteId.trim() === '')) {
      return err(
        invalidInput([{ field: 'siteId', message: 'must be a non-empty string, or omitted for every site' }]),
      );
    }
    const listed = await this.path.listSites();
    if (!listed.ok) return err(providerFailed('listSites', listed.error, siteId ? { siteId } : {}));
    let sites: readonly Site[] = listed.value;
    if (siteId !== undefined) {
      sites = sites.filter((s) => s.id === siteId);
      if (sites.length === 0) return err(siteNotFound(siteId));
    }
    const out: SiteSlotReport[] = [];
    const failures: { siteId: SiteId; failure: GatewayFailure }[] = [];
    for (const site of sites) {
      const usage = await this.path.getSlotUsage(site.id);
      if (!usage.ok) {
        failures.push({ siteId: site.id, failure: usage.error });
        continue;
      }
      const now = clock.now();
      const { used, limit } = usage.value;
      const reserved = reservedFor(policy, site.id);
      const plan = planForGrants({ ...site, slotLimit: limit }, await holdingGrants(store, site.id), now);
      const plannedNow = plan.heldAt(now);
      const plannedPeak = plan.peak(now, Number.POSITIVE_INFINITY);
      const unmanaged = Math.max(0, used - plannedNow);
      const projectedPeak = plannedPeak + unmanaged;
      out.push({
        ...slotUsage(site.id, used, limit, reserved),
        siteName: site.name,
        plannedNow,
        plannedPeak,
        unmanaged,
        projectedPeak,
        projectedHeadroom: Math.max(0, limit - reserved - projectedPeak),
      });
    }
    return ok({ code: 'slot_usage', sites: out, failures });
  }
}
