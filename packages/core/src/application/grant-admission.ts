import type { Grant, GrantRequest } from '../domain/grant.js';
import { evaluateGrant, type GrantApproval, type GrantRefusal } from '../domain/grant-decision.js';
import type { Lock } from '../domain/lock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import { planForGrants, type SlotPlan } from '../domain/slot-plan.js';
import type { Instant } from '../domain/time.js';
import { holdingGrants } from '../ports/grant-store.js';
import type { AccessPath } from './access-path.js';
import type { CoreDeps } from './deps.js';
import { type ProviderFailed, providerFailed, type SiteNotFound, siteNotFound } from './errors.js';

/**
 * Admission of a new grant into its site: read the site's revision, load the state the decision
 * needs (the site and its current limit, the grant's locks, the provider's usage, the site's
 * grants), decide with the pure `evaluateGrant`, and save the grant only if no other grant of the
 * site was saved since (the store's conditional save). The loser of a race decides again on the
 * fresh state. Nothing is sent to the provider's write side here.
 */

/** How many times a grant is decided again after losing the site-level admission race. */
const MAX_ADMISSION_ATTEMPTS = 5;

type PlanSlotLimit = Extract<GrantRefusal, { code: 'slot_limit_reached' }>;

/**
 * The site has no room: keyslot's plan refused before anything was made (`detectedBy: 'plan'`).
 * When Salto itself refuses a slot later, the outcome is `slot_refused_by_provider` instead.
 */
export type SlotLimitReached = PlanSlotLimit & { readonly detectedBy: 'plan' };

/**
 * Other grants of the site kept being saved (by other app instances) while this one was being
 * decided; nothing was made. Safe to try again.
 */
export interface SiteBusy {
  readonly code: 'site_busy';
  readonly message: string;
  readonly siteId: SiteId;
}

export type AdmissionRefusal =
  | SiteBusy
  | SiteNotFound
  | ProviderFailed
  | SlotLimitReached
  | Exclude<GrantRefusal, { code: 'slot_limit_reached' }>;

export type Admission =
  /** Saved: provision it. */
  | {
      readonly kind: 'admitted';
      readonly grant: Grant;
      readonly approval: GrantApproval;
      readonly site: Site;
    }
  /** A grant with this key is stored (before, or saved concurrently): a replay or a key conflict. */
  | { readonly kind: 'exists'; readonly grant: Grant }
  /** A concurrent request saved this key and it vanished again: a key conflict. */
  | { readonly kind: 'key_taken' };

interface SiteState {
  readonly site: Site;
  readonly locks: readonly Lock[];
  readonly plan: SlotPlan;
  readonly unmanagedHeld: number;
  /** When the state was read: the decision's and the grant's `now`. */
  readonly now: Instant;
}

/** Admits `req` (already validated) into its site, or says why not. */
export async function admitGrant(
  deps: Pick<CoreDeps, 'store' | 'clock' | 'policy'> & { readonly path: AccessPath },
  req: GrantRequest,
): Promise<Result<Admission, AdmissionRefusal>> {
  const { store, policy } = deps;
  for (let attempt = 1; ; attempt++) {
    const existing = await store.get(req.key);
    if (existing) return ok({ kind: 'exists', grant: existing });

    // The site's revision is read first: the save below only succeeds if no grant of the site
    // was saved since (by this or another app instance).
    const siteRevision = await store.siteRevision(req.siteId);
    const loaded = await loadSiteState(deps, req);
    if (!loaded.ok) return loaded;
    const { site, locks, plan, unmanagedHeld, now } = loaded.value;
    const decision = evaluateGrant(policy, { site, locks, plan, unmanagedHeld, now }, req);
    if (!decision.ok) {
      const e = decision.error;
      return err(e.code === 'slot_limit_reached' ? { ...e, detectedBy: 'plan' } : e);
    }

    const saved = await store.save(
      { ...req, lockIds: [...req.lockIds], createdAt: now, revokedAt: null, version: 0 },
      0,
      { siteRevision },
    );
    if (saved.ok) return ok({ kind: 'admitted', grant: saved.value, approval: decision.value, site });
    if (saved.error.code === 'site_changed') {
      // Another grant of the site was saved meanwhile: decide again on the new state.
      if (attempt < MAX_ADMISSION_ATTEMPTS) continue;
      return err({
        code: 'site_busy',
        message: `Site "${req.siteId}" kept changing while grant "${req.key}" was being decided (${attempt} attempts); nothing was made. Try again.`,
        siteId: req.siteId,
      });
    }
    // Someone saved this key meanwhile.
    const current = await store.get(req.key);
    return ok(current ? { kind: 'exists', grant: current } : { kind: 'key_taken' });
  }
}

async function loadSiteState(
  deps: Pick<CoreDeps, 'store' | 'clock'> & { readonly path: AccessPath },
  req: GrantRequest,
): Promise<Result<SiteState, SiteNotFound | ProviderFailed>> {
  const { path, store } = deps;
  const sites = await path.listSites();
  if (!sites.ok) return err(providerFailed('listSites', sites.error, { siteId: req.siteId }));
  const found = sites.value.find((s) => s.id === req.siteId);
  if (!found) return err(siteNotFound(req.siteId));

  // The locks (on the ACS path: the doors) the request names; an unknown one is the decision's.
  const locks = await path.findLocks(req.lockIds);
  if (!locks.ok) return locks;
  const usage = await path.getSlotUsage(req.siteId);
  if (!usage.ok) return err(providerFailed('getSlotUsage', usage.error, { siteId: req.siteId }));
  // The provider's limit is the fresher one (the plan may have changed since the site was listed).
  const site: Site = { ...found, slotLimit: usage.value.limit };
  const grants = await holdingGrants(store, req.siteId);
  const now = deps.clock.now();
  const plan = planForGrants(site, grants, now);
  const unmanagedHeld = Math.max(0, usage.value.used - plan.heldAt(now));
  return ok({ site, locks: locks.value, plan, unmanagedHeld, now });
}
