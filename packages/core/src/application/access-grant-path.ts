import {
  type AccessGrantId,
  type AccessMethodMode,
  isRefusedAtLimit,
  type ProviderAccessGrant,
  pinOf,
} from '../domain/access-grant.js';
import type { Grant, GrantKey } from '../domain/grant.js';
import type { Lock, LockId } from '../domain/lock.js';
import { desiredAccessGrants, reconcileAccessGrants } from '../domain/reconcile-access-grants.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { AccessWindow, Instant } from '../domain/time.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';
import type { AccessPath, PathReconcile, PinLook, Provisioning } from './access-path.js';
import { appliedCreate, appliedDelete } from './applied-actions.js';
import type { AcsCoreDeps } from './deps.js';
import { type ProviderFailed, providerFailed } from './errors.js';
import { type CleanupPending, markCleanedUp, type Sweep } from './grant-cleanup.js';
import type { AppliedAction } from './reconcile-site.js';

/** The access methods keyslot requests for a grant: Salto's generated PIN. */
const METHODS: readonly AccessMethodMode[] = ['code'];

/** How many times a create is sent after lost replies (each after a lookup found nothing). */
const MAX_CREATES = 3;

/**
 * Seam's Salto KS access control system (`AccessGrantGateway`): a grant is ONE access grant — one
 * person, one Salto user, one slot — over all its doors, found again by its `access_grant_key`.
 */
export class AccessGrantPath implements AccessPath {
  private readonly gateway: AccessGrantGateway;

  constructor(private readonly deps: Pick<AcsCoreDeps, 'accessGrants' | 'store' | 'clock' | 'logger'>) {
    this.gateway = deps.accessGrants;
  }

  listSites() {
    return this.gateway.listSites();
  }

  getSlotUsage(siteId: SiteId) {
    return this.gateway.getSlotUsage(siteId);
  }

  async findLocks(ids: readonly LockId[]): Promise<Result<Lock[], ProviderFailed>> {
    const doors = await this.gateway.listDoors();
    if (!doors.ok) return err(providerFailed('listDoors', doors.error));
    const wanted = new Set(ids);
    return ok(doors.value.filter((d) => wanted.has(d.id)));
  }

  /** One access grant over every door (an offline door gets its credential when it is back). */
  async provision(grant: Grant, options: { readonly replay: boolean }): Promise<Provisioning> {
    const r = await ensureAccessGrant(this.gateway, this.deps.logger, {
      key: grant.key,
      siteId: grant.siteId,
      holder: grant.holder,
      doorIds: grant.lockIds,
      window: grant.window,
      lookFirst: options.replay,
    });
    if (r.kind === 'refused_at_limit') return { kind: 'refused_at_limit', lockId: null };
    if (r.kind === 'failed')
      return { kind: 'failed', operation: r.operation, lockId: null, failure: r.failure };
    const pin = pinOf(r.grant);
    return {
      kind: 'ready',
      accessGrantId: r.grant.id,
      locks: grant.lockIds.map((lockId) => ({
        lockId,
        status: 'provisioned',
        accessCodeId: null,
        codeStatus: null,
        pin,
        issues: [],
      })),
    };
  }

  /**
   * Deletes the access grant carrying the grant's key (again while one is found: a duplicate made
   * by a create that landed late goes too) and records the cleanup when none is left. What could
   * not be done is reported on every door of the grant: each still opens for the person.
   */
  async sweep(grant: Grant, recorded: Grant | null): Promise<Sweep> {
    const deleted: AccessGrantId[] = [];
    const pendingOn = (failure: GatewayFailure): CleanupPending[] =>
      grant.lockIds.map((lockId) => ({ lockId, failure }));
    let pending: CleanupPending[] = [];
    for (let round = 0; round < MAX_CREATES + 1; round++) {
      const found = await this.gateway.findAccessGrant(grant.key);
      if (!found.ok) {
        pending = found.error.code === 'site_not_found' ? [] : pendingOn(found.error);
        break;
      }
      if (found.value === null) break;
      const del = await deleteAccessGrantTolerant(this.gateway, found.value.id);
      if (!del.ok) {
        pending = pendingOn(del.error);
        break;
      }
      deleted.push(found.value.id);
    }
    const after =
      pending.length === 0 ? await markCleanedUp(this.deps.store, this.deps.clock, recorded) : recorded;
    return { grant: after, deleted, pending };
  }

  /** The grant's one PIN (its `code` access method's), the same on every door. */
  async pins(grant: Grant): Promise<Result<PinLook, ProviderFailed>> {
    const found = await this.gateway.findAccessGrant(grant.key);
    const all = <T>(f: (lockId: LockId) => T): T[] => grant.lockIds.map(f);
    if (!found.ok) {
      if (found.error.code === 'rate_limited' || found.error.code === 'unavailable')
        return ok({
          ready: [],
          waiting: all((lockId) => ({ lockId, reason: 'pin_not_assigned', accessCodeId: null })),
        });
      return err(providerFailed('findAccessGrant', found.error, { siteId: grant.siteId }));
    }
    const g = found.value;
    if (g === null)
      return ok({ ready: [], waiting: all((lockId) => ({ lockId, reason: 'no_code', accessCodeId: null })) });
    if (isRefusedAtLimit(g))
      return ok({
        ready: [],
        waiting: all((lockId) => ({ lockId, reason: 'refused_at_limit', accessCodeId: g.id })),
      });
    const method = g.methods.find((m) => m.mode === 'code'); // at most one per mode
    const pin = method?.pin ?? null;
    if (method && pin !== null)
      return ok({ ready: all((lockId) => ({ lockId, accessCodeId: method.id, pin })), waiting: [] });
    return ok({
      ready: [],
      waiting: all((lockId) => ({ lockId, reason: 'pin_not_assigned', accessCodeId: method?.id ?? null })),
    });
  }

  /** Lists the site's access grants, applies `reconcileAccessGrants`' actions (deletes first). */
  async reconcile(
    siteId: SiteId,
    grants: readonly Grant[],
    now: Instant,
  ): Promise<Result<PathReconcile, ProviderFailed>> {
    const listed = await this.gateway.listAccessGrants(siteId);
    if (!listed.ok) return err(providerFailed('listAccessGrants', listed.error, { siteId }));
    const actual = listed.value;
    const applied: AppliedAction[] = [];
    const deleted = new Set<AccessGrantId>();
    for (const a of reconcileAccessGrants(desiredAccessGrants(grants, now), actual, now)) {
      if (a.kind === 'delete_access_grant') {
        const del = await deleteAccessGrantTolerant(this.gateway, a.accessGrantId);
        if (del.ok) deleted.add(a.accessGrantId);
        applied.push(appliedDelete(a, del));
        continue;
      }
      // A create whose reply is lost is looked up by grant key, never blindly repeated.
      const made = await ensureAccessGrant(this.gateway, this.deps.logger, {
        ...a,
        key: a.grantKey,
        lookFirst: false,
      });
      applied.push(appliedCreate(a, made));
    }
    const left = new Set<GrantKey>();
    for (const g of actual) if (g.key !== null && !deleted.has(g.id)) left.add(g.key);
    return ok({ actions: applied, skippedLocks: [], left, covered: () => true });
  }
}

type EnsureAccessGrantOutcome =
  | { readonly kind: 'ready'; readonly grant: ProviderAccessGrant }
  /** Salto refused the person a slot; the refused grant was deleted (`cleanupFailure` when that failed). */
  | { readonly kind: 'refused_at_limit'; readonly cleanupFailure: GatewayFailure | null }
  /** `operation`: the call that failed (the lookup of a replay, or the create). */
  | {
      readonly kind: 'failed';
      readonly operation: 'findAccessGrant' | 'createAccessGrant';
      readonly failure: GatewayFailure;
    };

/**
 * Makes sure grant `key` has its access grant, never creating blindly twice: with `lookFirst` an
 * existing one is reused; after a lost reply (`outcome_unknown`) or an `access_grant_exists`
 * refusal it is looked up by key, and a create is repeated only when the lookup proves it did not
 * happen. One refused at the limit holds no slot and is deleted at once.
 */
async function ensureAccessGrant(
  gateway: AccessGrantGateway,
  logger: Logger,
  input: {
    readonly key: GrantKey;
    readonly siteId: SiteId;
    readonly holder: string;
    readonly doorIds: readonly LockId[];
    readonly window: AccessWindow;
    readonly lookFirst: boolean;
  },
): Promise<EnsureAccessGrantOutcome> {
  const { key } = input;
  const settle = async (grant: ProviderAccessGrant): Promise<EnsureAccessGrantOutcome> => {
    if (!isRefusedAtLimit(grant)) return { kind: 'ready', grant };
    const del = await deleteAccessGrantTolerant(gateway, grant.id);
    logger.log('warn', 'access grant refused at the slot limit; deleted it', {
      grantKey: key,
      accessGrantId: grant.id,
      deleted: del.ok,
    });
    return { kind: 'refused_at_limit', cleanupFailure: del.ok ? null : del.error };
  };
  if (input.lookFirst) {
    const existing = await gateway.findAccessGrant(key);
    if (!existing.ok) return { kind: 'failed', operation: 'findAccessGrant', failure: existing.error };
    if (existing.value !== null) return settle(existing.value);
  }
  for (let attempt = 1; ; attempt++) {
    const created = await gateway.createAccessGrant({
      key,
      siteId: input.siteId,
      doorIds: input.doorIds,
      window: input.window,
      holder: input.holder,
      methods: METHODS,
    });
    if (created.ok) {
      logger.log('info', 'access grant created', { grantKey: key, accessGrantId: created.value.id });
      return settle(created.value);
    }
    const lost = created.error.code === 'outcome_unknown';
    if (!lost && created.error.code !== 'access_grant_exists')
      return { kind: 'failed', operation: 'createAccessGrant', failure: created.error };
    logger.log('warn', 'create access grant: looking it up by grant key', {
      grantKey: key,
      attempt,
      failure: created.error.code,
      requestId: created.error.requestId,
    });
    const after = await gateway.findAccessGrant(key);
    if (after.ok && after.value !== null) return settle(after.value);
    // The lookup failed: we cannot know whether it exists, so we must not create again.
    if (!after.ok || !lost || attempt >= MAX_CREATES)
      return { kind: 'failed', operation: 'createAccessGrant', failure: created.error };
  }
}

/** Deletes an access grant, treating "already gone" as done. */
async function deleteAccessGrantTolerant(
  gateway: AccessGrantGateway,
  id: AccessGrantId,
): Promise<Result<void, GatewayFailure>> {
  const r = await gateway.deleteAccessGrant(id);
  return !r.ok && r.error.code === 'access_grant_not_found' ? ok(undefined) : r;
}
