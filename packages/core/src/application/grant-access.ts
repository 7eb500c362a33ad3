import type { AccessCodeId, AccessCodeIssue, AccessCodeStatus } from '../domain/access-code.js';
import type { AccessGrantId } from '../domain/access-grant.js';
import { type Grant, type GrantKey, type GrantRequest, parseGrantRequest } from '../domain/grant.js';
import type { GrantApproval, GrantRefusal } from '../domain/grant-decision.js';
import type { LockId } from '../domain/lock.js';
import { err, type InvalidInput, ok, type Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import { sameWindow } from '../domain/time.js';
import { type AccessPath, accessPathFor } from './access-path.js';
import { type AnyCoreDeps, requirePolicy } from './deps.js';
import { type ProviderFailed, providerFailed, siteNotFound } from './errors.js';
import { type AdmissionRefusal, admitGrant } from './grant-admission.js';
import { SiteQueue } from './site-queue.js';
import {
  catchStoreFailure,
  guardStore,
  StoreCallFailed,
  type StoreFailed,
  storeFailed,
  whenStoreAllows,
} from './store-failures.js';

export type { SiteBusy, SlotLimitReached } from './grant-admission.js';

/** What happened on one lock of a grant. */
export interface LockProvisioning {
  readonly lockId: LockId;
  /**
   * `provisioned`: a code exists at the provider (its PIN may still be `null`: see `AwaitPins`); on
   * the ACS path, the access grant covers the door (`accessCodeId` and `codeStatus` are `null`,
   * `pin` is the grant's one PIN once Salto has generated it).
   * `pending`: the lock's hub is offline and the policy accepts it; `ReconcileSite` creates the
   * code once the hub is back.
   */
  readonly status: 'provisioned' | 'pending';
  readonly accessCodeId: AccessCodeId | null;
  readonly codeStatus: AccessCodeStatus | null;
  /** Salto's PIN once assigned; `null` until then. Never log it. */
  readonly pin: string | null;
  /** Provider issues on the code (e.g. a weak hub slowing programming). */
  readonly issues: readonly AccessCodeIssue[];
}

export interface GrantAccessSuccess {
  /** `granted`: made now. `already_granted`: the same request was made before (idempotent replay). */
  readonly code: 'granted' | 'already_granted';
  readonly grant: Grant;
  readonly locks: readonly LockProvisioning[];
  /** Locks with a weak hub link: expect slow or flaky programming. */
  readonly weakLocks: readonly LockId[];
  /**
   * On the ACS path, the provider's access grant that carries the grant (one person, one slot,
   * every door); `null` on the lock path, where each lock has its own code (`locks[].accessCodeId`).
   */
  readonly accessGrantId: AccessGrantId | null;
}

export interface GrantKeyConflict {
  readonly code: 'grant_key_conflict';
  readonly message: string;
  readonly key: GrantKey;
  /** The stored grant under that key (`null` if a concurrent request saved and then lost it). */
  readonly existing: Grant | null;
}

/**
 * Salto refused a code for the slot limit although keyslot's plan had room for the grant: another
 * app (or a person in the Salto KS app) took the slot meanwhile, or the site's plan shrank. The
 * grant was rolled back: its codes deleted (`cleanupPending` lists the locks reconcile must still
 * clean) and the grant revoked. Unlike `slot_limit_reached`, no plan numbers: the plan had room.
 */
export interface SlotRefusedByProvider {
  readonly code: 'slot_refused_by_provider';
  readonly message: string;
  readonly siteId: SiteId;
  readonly siteName: string;
  /** The lock whose code Salto refused; `null` on the ACS path, where the whole grant (one person) was refused. */
  readonly lockId: LockId | null;
  /** The provider's slot usage read after the refusal; `null` when it could not be read. */
  readonly providerUsage: { readonly used: number; readonly limit: number } | null;
  readonly rolledBack: true;
  readonly cleanupPending: readonly LockId[];
}

/** A provider failure after the grant was saved: it was rolled back (`cleanupPending` lists locks reconcile must still clean). */
export type GrantRolledBack =
  | SlotRefusedByProvider
  | ((
      | ProviderFailed
      | (Extract<GrantRefusal, { code: 'hub_offline' }> & { readonly detectedBy: 'provider' })
    ) & {
      readonly rolledBack: true;
      readonly cleanupPending: readonly LockId[];
    });

export type GrantAccessError =
  | InvalidInput
  | AdmissionRefusal
  | GrantKeyConflict
  | GrantRolledBack
  | StoreFailed;

export type GrantAccessResult = Result<GrantAccessSuccess, GrantAccessError>;

/** The same locks in any order (a request lists each lock once: `parseGrantRequest`). */
const sameLocks = (a: readonly LockId[], b: readonly LockId[]): boolean => {
  const inB = new Set(b);
  return a.length === b.length && a.every((id) => inB.has(id));
};

const sameContent = (g: Grant, r: GrantRequest): boolean =>
  g.holder === r.holder &&
  g.siteId === r.siteId &&
  sameLocks(r.lockIds, g.lockIds) &&
  sameWindow(g.window, r.window);

/**
 * Grants a holder access to some locks of one site: checks the policy and the site's slot plan,
 * saves the grant, then creates one Salto access code per lock (the PINs are generated by Salto
 * and may arrive later). Idempotent per grant key. Never leaves a slot taken for a grant that
 * failed: on a refusal after saving, every code made for it is deleted and the grant is revoked.
 *
 * When the grant store fails (`store_failed`): during admission nothing was made at the provider
 * (the grant is saved whole or not at all; a failed save may still have been kept, so the message
 * says to grant again with the same request, which is idempotent). During a rollback, the grant
 * is left for `ReconcileSite`: still live if its revocation was not recorded (reconcile completes
 * it), revoked if it was (reconcile removes what the provider holds for it) — see `rollBack`.
 */
export class GrantAccess {
  /**
   * Grants on one site run one at a time in this process (no admission retries between them).
   * Across processes sharing a `GrantStore`, admission's save is conditional on the site's
   * revision (see `grant-admission.ts`). The provider's own refusal at the limit, handled by
   * rolling back, stays the last line of defence (other apps' users).
   */
  private readonly queue = new SiteQueue();

  private readonly deps: AnyCoreDeps;
  private readonly path: AccessPath;

  /**
   * Either path: `{ gateway, … }` (lock integration: one code per lock) or `{ accessGrants, … }`
   * (ACS: one access grant over every door). Throws `InvalidPolicyError` for a policy that fails
   * `parsePolicy`.
   */
  constructor(deps: AnyCoreDeps) {
    const guarded = { ...deps, store: guardStore(deps.store) };
    this.deps = { ...guarded, policy: requirePolicy(deps, 'GrantAccess') };
    this.path = accessPathFor(guarded);
  }

  async execute(input: unknown): Promise<GrantAccessResult> {
    const { logger } = this.deps;
    const parsed = parseGrantRequest(input);
    if (!parsed.ok) {
      logger.log('info', 'grant refused: invalid input', {
        outcome: 'invalid_input',
        fields: parsed.error.issues.map((i) => i.field),
      });
      return parsed;
    }
    const req = parsed.value;
    const result = await this.queue.run(req.siteId, () => this.grant(req));
    if (result.ok) {
      logger.log('info', 'grant done', {
        outcome: result.value.code,
        grantKey: req.key,
        siteId: req.siteId,
        locks: result.value.locks.map((l) => ({
          lockId: l.lockId,
          status: l.status,
          accessCodeId: l.accessCodeId,
        })),
      });
    } else {
      const fault = result.error.code === 'provider_failed' || result.error.code === 'store_failed';
      logger.log(fault ? 'error' : 'info', 'grant refused', {
        outcome: result.error.code,
        grantKey: req.key,
        siteId: req.siteId,
        reason: result.error.message,
      });
    }
    return result;
  }

  private async grant(req: GrantRequest): Promise<GrantAccessResult> {
    const admission = await catchStoreFailure(
      () => admitGrant({ ...this.deps, path: this.path }, req),
      (e) => err(admissionStoreFailed(e, req)),
    );
    if (!admission.ok) return admission;
    const a = admission.value;
    if (a.kind === 'admitted') return this.provision(a.grant, a.approval, false, a.site);
    // Same request again → idempotent; else a conflict.
    return a.kind === 'exists' ? this.replay(a.grant, req) : err(this.conflict(req.key, null));
  }

  private async replay(existing: Grant, req: GrantRequest): Promise<GrantAccessResult> {
    if (existing.revokedAt !== null || !sameContent(existing, req))
      return err(this.conflict(req.key, existing));
    // Same request again: find its codes (create any that are missing, e.g. after a crash).
    const sites = await this.path.listSites();
    if (!sites.ok) return err(providerFailed('listSites', sites.error, { siteId: req.siteId }));
    const site = sites.value.find((s) => s.id === req.siteId);
    if (!site) return err(siteNotFound(req.siteId));
    return this.provision(existing, null, true, site);
  }

  private conflict(key: GrantKey, existing: Grant | null): GrantKeyConflict {
    const what =
      existing === null
        ? 'was just used by a concurrent request'
        : existing.revokedAt !== null
          ? 'belongs to a grant that was revoked'
          : 'belongs to a grant with different holder, locks or window';
    return {
      code: 'grant_key_conflict',
      message: `Grant key "${key}" ${what}; use a new key for a new grant, or revoke the existing one first.`,
      key,
      existing,
    };
  }

  /**
   * Makes the grant at the provider (on replay, finds what exists first) through the site's path:
   * one code per lock, or one access grant over every door. Rolls everything back on a refusal.
   */
  private async provision(
    grant: Grant,
    approval: GrantApproval | null,
    replay: boolean,
    site: Site,
  ): Promise<GrantAccessResult> {
    const { policy } = this.deps;
    const made = await this.path.provision(grant, {
      replay,
      acceptOfflineHub: policy.onOfflineHub === 'accept_and_retry',
    });
    if (made.kind === 'ready') {
      return ok({
        code: replay ? 'already_granted' : 'granted',
        grant,
        locks: made.locks,
        weakLocks: approval?.weakLocks ?? [],
        accessGrantId: made.accessGrantId,
      });
    }
    // Anything else: this grant cannot be honoured. Roll back so no slot leaks.
    const on = made.lockId === null ? '' : ` on lock "${made.lockId}"`;
    const rolledBack = await this.rollBack(
      grant,
      made.kind === 'refused_at_limit'
        ? `Salto refused a user slot for it${on}`
        : `it could not be made at the provider${on} (${made.failure.code})`,
    );
    if (!rolledBack.ok) return rolledBack;
    const cleanupPending = rolledBack.value;
    if (made.kind === 'refused_at_limit') {
      const { lockId } = made;
      const usage = await this.path.getSlotUsage(site.id);
      const providerUsage = usage.ok ? { used: usage.value.used, limit: usage.value.limit } : null;
      return err({
        code: 'slot_refused_by_provider',
        lockId,
        message:
          `Salto refused a user slot on site "${site.name}" (${site.id}) for grant "${grant.key}"${lockId === null ? '' : ` on lock "${lockId}"`}: ` +
          `the site's subscription is full${providerUsage ? ` (${providerUsage.used} of ${providerUsage.limit} used)` : ''}, although keyslot's plan had room — most likely another app or the Salto KS app took a slot. ` +
          'The grant was rolled back. Revoke a grant, remove unused Salto users, or raise the site\u2019s Salto KS subscription plan.',
        siteId: site.id,
        siteName: site.name,
        providerUsage,
        rolledBack: true,
        cleanupPending,
      });
    }
    if (made.kind === 'hub_offline') {
      return err({
        code: 'hub_offline',
        detectedBy: 'provider',
        lockId: made.lockId,
        message: `The IQ hub of lock "${made.lockId}" is offline, so its code could not be created; grant "${grant.key}" was rolled back. Bring the hub back online and grant again, or set the policy's onOfflineHub to "accept_and_retry".`,
        rolledBack: true,
        cleanupPending,
      });
    }
    return err({
      ...providerFailed(
        made.operation,
        made.failure,
        made.lockId === null ? { siteId: site.id } : { lockId: made.lockId },
        `grant "${grant.key}" was rolled back (what was made for it deleted, the grant revoked); grant again with a new key when the provider is back`,
      ),
      rolledBack: true,
      cleanupPending,
    });
  }

  /**
   * Marks the grant revoked first (so reconcile removes whatever this misses), then deletes every
   * code carrying its key on its locks, and when none is left records the cleanup (`cleanedUpAt`)
   * so the grant stops holding its planned slots. Returns the locks that could not be cleaned now
   * (the grant keeps holding its slots in the plan until reconcile or a revoke cleans them).
   *
   * If the store fails, the grant is left for `ReconcileSite` and this says so (`store_failed`):
   * before the revocation is recorded, nothing is deleted — the grant stays live with what it has
   * at the provider, and reconcile makes the rest (revoke it to undo it); once revoked, reconcile
   * removes what the provider holds for it and records `cleanedUpAt`.
   */
  private async rollBack(grant: Grant, why: string): Promise<Result<LockId[], StoreFailed>> {
    const { logger } = this.deps;
    const recorded = await catchStoreFailure(
      () => this.revoke(grant),
      (e) => e,
    );
    if (recorded instanceof StoreCallFailed) return err(rollbackStoreFailed(recorded, grant, why, false));
    // The sweep writes to the store only to record the cleanup of a revoked grant: a store failure
    // there comes after the revocation was recorded.
    const sweep = await catchStoreFailure(
      () => this.path.sweep(grant, recorded),
      (e) => e,
    );
    if (sweep instanceof StoreCallFailed) return err(rollbackStoreFailed(sweep, grant, why, true));
    const pending = [...new Set(sweep.pending.map((p) => p.lockId))];
    logger.log(pending.length > 0 ? 'error' : 'warn', 'grant rolled back', {
      grantKey: grant.key,
      revoked: sweep.grant?.revokedAt !== null,
      cleanedUp: (sweep.grant?.cleanedUpAt ?? null) !== null,
      cleanupPending: pending,
    });
    return ok(pending);
  }

  /**
   * Records `grant`'s revocation: a versioned save, re-reading the grant after a conflict (three
   * tries). Returns the grant as stored afterwards: revoked, still live if every try conflicted,
   * or `null` if it vanished.
   */
  private async revoke(grant: Grant): Promise<Grant | null> {
    const { store, clock } = this.deps;
    let current: Grant | null = grant;
    for (let i = 0; i < 3 && current && current.revokedAt === null; i++) {
      const saved = await store.save({ ...current, revokedAt: clock.now() }, current.version);
      current = saved.ok ? saved.value : await store.get(grant.key);
    }
    return current;
  }
}

/** The store failed while admitting `req`: nothing was made at the provider. */
function admissionStoreFailed(e: StoreCallFailed, req: GrantRequest): StoreFailed {
  const saving = e.operation === 'save';
  return storeFailed(
    e,
    `Grant "${req.key}" could not be admitted`,
    saving
      ? 'while saving it, so the grant may or may not have been kept; nothing was made at the provider.'
      : 'before it was saved: nothing was saved, nothing was made at the provider.',
    saving
      ? `Grant again with the same request ${whenStoreAllows(e)}: that is safe (it completes the grant if it was kept, or makes it). A kept grant nobody asks for again is completed by ReconcileSite; revoke it if it should not stand.`
      : `Grant again with the same request ${whenStoreAllows(e)}.`,
    { grantKey: req.key, siteId: req.siteId },
  );
}

/** The store failed while rolling back saved grant `grant`: it is left for ReconcileSite. */
function rollbackStoreFailed(e: StoreCallFailed, grant: Grant, why: string, revoked: boolean): StoreFailed {
  return storeFailed(
    e,
    `Grant "${grant.key}" was saved, but ${why}, and rolling it back failed`,
    revoked
      ? 'after its revocation was recorded: it is revoked, and ReconcileSite (or RevokeAccess again) removes whatever the provider still holds for it and records the cleanup; until then it holds its planned slots.'
      : 'before its revocation was known to be recorded, so nothing made for it was deleted. It is left for ReconcileSite: if the store kept the revocation, reconcile removes what was made; if not, the grant stays live with what it has, and reconcile makes the rest when the provider allows.',
    revoked
      ? `Run ReconcileSite for site "${grant.siteId}" ${whenStoreAllows(e)}.`
      : `If it should not stand, revoke it (RevokeAccess) ${whenStoreAllows(e)}; otherwise run ReconcileSite for site "${grant.siteId}".`,
    { grantKey: grant.key, siteId: grant.siteId },
  );
}
