import { type AccessCode, type AccessCodeId, grantKeyOf, isNotSubscribed } from '../domain/access-code.js';
import type { Grant } from '../domain/grant.js';
import type { Lock, LockId } from '../domain/lock.js';
import { desiredCodes, reconcile } from '../domain/reconcile.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SiteId } from '../domain/site.js';
import type { Instant } from '../domain/time.js';
import type { GatewayFailure, LockGateway } from '../ports/lock-gateway.js';
import type { AccessPath, PathReconcile, PinLook, Provisioning, ProvisionOptions } from './access-path.js';
import { appliedCreate, appliedDelete } from './applied-actions.js';
import type { AssignedPin, WaitingLock } from './await-pins.js';
import type { PortDeps } from './deps.js';
import { type ProviderFailed, providerFailed } from './errors.js';
import { codesOfGrantOnLock, deleteCodeTolerant } from './gateway-queries.js';
import type { LockProvisioning } from './grant-access.js';
import { type Sweep, sweepGrantCodes } from './grant-cleanup.js';
import { ensureCode } from './provisioning.js';
import type { AppliedAction } from './reconcile-site.js';

/**
 * The lock integration (`LockGateway`): a grant is one Salto access code per lock, each its own
 * Salto user (one slot per lock), carrying the grant key in its name.
 */
export class LockCodePath implements AccessPath {
  private readonly gateway: LockGateway;

  constructor(private readonly deps: PortDeps) {
    this.gateway = deps.gateway;
  }

  listSites() {
    return this.gateway.listSites();
  }

  getSlotUsage(siteId: SiteId) {
    return this.gateway.getSlotUsage(siteId);
  }

  async findLocks(ids: readonly LockId[]): Promise<Result<Lock[], ProviderFailed>> {
    const locks: Lock[] = [];
    for (const lockId of ids) {
      const lock = await this.gateway.getLock(lockId);
      if (lock.ok) locks.push(lock.value);
      else if (lock.error.code !== 'lock_not_found')
        return err(providerFailed('getLock', lock.error, { lockId }));
    }
    return ok(locks);
  }

  /** One code per lock; an offline hub leaves the lock pending when the policy accepts it. */
  async provision(grant: Grant, options: ProvisionOptions): Promise<Provisioning> {
    const { logger } = this.deps;
    const locks: LockProvisioning[] = [];
    for (const lockId of grant.lockIds) {
      const r = await ensureCode(this.gateway, logger, {
        key: grant.key,
        lockId,
        window: grant.window,
        lookFirst: options.replay,
      });
      if (r.kind === 'ready') {
        locks.push({
          lockId,
          status: 'provisioned',
          accessCodeId: r.code.id,
          codeStatus: r.code.status,
          pin: r.code.pin,
          issues: r.code.issues,
        });
        continue;
      }
      if (r.kind === 'refused_at_limit') return { kind: 'refused_at_limit', lockId };
      if (r.failure.code !== 'hub_offline')
        return { kind: 'failed', operation: 'createAccessCode', lockId, failure: r.failure };
      if (!options.acceptOfflineHub) return { kind: 'hub_offline', lockId, failure: r.failure };
      logger.log('warn', 'hub offline: lock left pending for reconcile', { grantKey: grant.key, lockId });
      locks.push({ lockId, status: 'pending', accessCodeId: null, codeStatus: null, pin: null, issues: [] });
    }
    return { kind: 'ready', locks, accessGrantId: null };
  }

  sweep(grant: Grant, recorded: Grant | null): Promise<Sweep> {
    return sweepGrantCodes(this.deps, grant, recorded);
  }

  async pins(grant: Grant): Promise<Result<PinLook, ProviderFailed>> {
    const ready: AssignedPin[] = [];
    const waiting: WaitingLock[] = [];
    for (const lockId of grant.lockIds) {
      const codes = await codesOfGrantOnLock(this.gateway, lockId, grant.key);
      if (!codes.ok) {
        if (codes.error.code === 'rate_limited' || codes.error.code === 'unavailable') {
          waiting.push({ lockId, reason: 'pin_not_assigned', accessCodeId: null });
          continue;
        }
        return err(providerFailed('listAccessCodes', codes.error, { lockId }));
      }
      const live = codes.value.filter((c) => !isNotSubscribed(c));
      const withPin = live.find((c) => c.pin !== null);
      if (withPin?.pin) ready.push({ lockId, accessCodeId: withPin.id, pin: withPin.pin });
      else if (live[0]) waiting.push({ lockId, reason: 'pin_not_assigned', accessCodeId: live[0].id });
      else if (codes.value[0])
        waiting.push({ lockId, reason: 'refused_at_limit', accessCodeId: codes.value[0].id });
      else waiting.push({ lockId, reason: 'no_code', accessCodeId: null });
    }
    return ok({ ready, waiting });
  }

  /**
   * Lists the codes on every lock of the site (and every lock a grant names), computes the actions
   * with the pure `reconcile`, and applies deletes first (freeing slots), then creates.
   */
  async reconcile(
    siteId: SiteId,
    grants: readonly Grant[],
    now: Instant,
  ): Promise<Result<PathReconcile, ProviderFailed>> {
    const { gateway } = this;
    const siteLocks = await gateway.listLocks(siteId);
    if (!siteLocks.ok) return err(providerFailed('listLocks', siteLocks.error, { siteId }));
    const lockIds = [...new Set([...siteLocks.value.map((l) => l.id), ...grants.flatMap((g) => g.lockIds)])];
    const listed = new Map<LockId, readonly AccessCode[]>();
    const skippedLocks: { lockId: LockId; failure: GatewayFailure }[] = [];
    for (const lockId of lockIds) {
      const codes = await gateway.listAccessCodes(lockId);
      if (codes.ok) listed.set(lockId, codes.value);
      else skippedLocks.push({ lockId, failure: codes.error });
    }
    const actual = [...listed.values()].flat();

    // Only locks whose codes we saw: creating on a lock we could not list might duplicate a code.
    const desired = desiredCodes(grants, now).filter((d) => listed.has(d.lockId));
    const applied: AppliedAction[] = [];
    const deleted = new Set<AccessCodeId>();
    for (const a of reconcile(desired, actual, now)) {
      if (a.kind === 'delete') {
        const del = await deleteCodeTolerant(gateway, a.accessCodeId);
        if (del.ok) deleted.add(a.accessCodeId);
        applied.push(appliedDelete(a, del));
        continue;
      }
      // A create whose reply is lost is looked up by grant key, never blindly repeated.
      const made = await ensureCode(gateway, this.deps.logger, {
        key: a.grantKey,
        lockId: a.lockId,
        window: a.window,
        lookFirst: false,
      });
      applied.push(appliedCreate(a, made));
    }

    // What is left at the provider: codes not deleted now and not already being removed. A lock
    // that no longer exists holds no code; a lock that could not be listed proves nothing.
    const gone = new Set(
      skippedLocks.filter((s) => s.failure.code === 'lock_not_found').map((s) => s.lockId),
    );
    const left = new Set<string>();
    for (const c of actual) {
      const key = grantKeyOf(c.name);
      if (key !== null && c.status !== 'removing' && !deleted.has(c.id)) left.add(key);
    }
    return ok({
      actions: applied,
      skippedLocks,
      left,
      covered: (g) => g.lockIds.every((l) => listed.has(l) || gone.has(l)),
    });
  }
}
