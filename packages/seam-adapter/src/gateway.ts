export type { SeamGatewayDeps } from './gateway-base.js';

import type {
  AccessCode,
  AccessCodeId,
  CreateAccessCodeInput,
  GatewayFailure,
  Lock,
  LockGateway,
  LockId,
  ProviderSlotUsage,
  Result,
  Site,
  SiteId,
  UnlockAttempt,
} from '@keyslot/core';
import { err, ok, sameWindow, windowIssues } from '@keyslot/core';
import type { SeamAdapterOptions } from './config.js';
import { type FailureContext, isAmbiguous, type SeamCallFailure, toGatewayFailure } from './failures.js';
import { SeamGatewayBase, type SeamGatewayDeps } from './gateway-base.js';
import { BoundedMap, badId, badSeamId, invalid } from './input-checks.js';
import {
  hasCustomPinSubscription,
  looksLikeSaltoKsLock,
  siteIdOf,
  toAccessCode,
  toCreateAccessCodeBody,
  toLock,
  toUnlockAttempt,
} from './mapping.js';
import {
  type ConnectWebview,
  type CreateConnectWebviewInput,
  createConnectWebview,
  getConnectWebview,
} from './onboarding.js';
import { SiteDirectory } from './site-directory.js';
import { DeviceThrottle, type ThrottledOperation } from './throttle.js';
import { isSeamId, responses, type WireDevice } from './wire.js';

/**
 * keyslot's `LockGateway` over Seam's HTTP API, for Salto KS locks.
 *
 * - Reads are retried with backoff; create, delete and unlock never blindly.
 * - A create whose reply is lost (timeout, dropped connection, 502/504, unreadable 2xx) is looked
 *   up by name (the name carries the grant key) and window before anything else happens: found →
 *   that code is returned; not found → `outcome_unknown` (the caller's reconcile looks again).
 * - A delete whose reply is lost is checked with `/access_codes/get`: 404 or `removing` → done.
 * - Per-device throttle at Seam's limits (create 10/min, delete 20/min, unlock 15/min).
 */
export class SeamLockGateway extends SeamGatewayBase implements LockGateway {
  private readonly throttle: DeviceThrottle | null;
  private readonly sites: SiteDirectory;
  /** Which lock an access code / action attempt belongs to (delete throttling, attempt lookups). */
  private readonly codeLocks = new BoundedMap<AccessCodeId, LockId>(10_000);
  private readonly attemptLocks = new BoundedMap<string, LockId>(10_000);

  constructor(options: SeamAdapterOptions, deps: SeamGatewayDeps = {}) {
    super('SeamLockGateway', options, deps);
    this.throttle = this.opts.throttle === false ? null : new DeviceThrottle(this.opts.throttle, this.clock);
    this.sites = new SiteDirectory(this.transport, this.opts, this.clock);
  }

  // ---------------------------------------------------------------- sites and locks

  listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    return this.sites.listSites();
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    const bad = badId('siteId', siteId, 'read slot usage');
    if (bad) return err(bad);
    return this.sites.slotUsage(siteId, (lockId) => this.listAccessCodes(lockId));
  }

  async listLocks(siteId?: SiteId): Promise<Result<readonly Lock[], GatewayFailure>> {
    if (siteId !== undefined) {
      const bad = badId('siteId', siteId, 'list locks');
      if (bad) return err(bad);
    }
    const src = await this.sites.sources('list locks');
    if (!src.ok) return src;
    const locks = src.value.devices.map((d) => toLock(d, siteIdOf(d)));
    return ok(siteId === undefined ? locks : locks.filter((l) => l.siteId === siteId));
  }

  async getLock(lockId: LockId): Promise<Result<Lock, GatewayFailure>> {
    const bad = badSeamId('lockId', lockId, 'read a lock', 'listLocks');
    if (bad) return err(bad);
    const action = `read lock ${lockId}`;
    const dev = await this.device(lockId, action);
    if (!dev.ok) return dev;
    return ok(toLock(dev.value, siteIdOf(dev.value)));
  }

  // ---------------------------------------------------------------- access codes

  async createAccessCode(input: CreateAccessCodeInput): Promise<Result<AccessCode, GatewayFailure>> {
    if (typeof input !== 'object' || input === null) {
      return err(
        invalid('Could not create an access code: the input must be { lockId, name, window, pin? }.'),
      );
    }
    const issues = windowIssues(input.window);
    if (typeof input.lockId !== 'string' || input.lockId.trim() === '')
      issues.push({ field: 'lockId', message: 'must be a non-empty string' });
    else if (!isSeamId(input.lockId))
      issues.push({ field: 'lockId', message: 'must be a Seam id (a UUID, as listLocks returns)' });
    if (typeof input.name !== 'string' || input.name.trim() === '')
      issues.push({ field: 'name', message: 'must be a non-empty string' });
    if (input.pin !== undefined && (typeof input.pin !== 'string' || !/^\d{4,12}$/.test(input.pin))) {
      issues.push({ field: 'pin', message: 'must be 4–12 digits' });
    }
    if (issues.length === 0 && input.window.kind === 'scheduled' && input.window.endsAt <= this.clock.now()) {
      issues.push({ field: 'window.endsAt', message: 'must be in the future' });
    }
    if (issues.length > 0) {
      // Never interpolate the bad values themselves (a PIN, or an object that cannot be printed).
      return err(
        invalid(
          `Could not create an access code: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`,
        ),
      );
    }
    const action = `create access code "${input.name}" on lock ${input.lockId}`;
    let allowCustomPin = false;
    if (input.pin !== undefined) {
      const dev = await this.device(input.lockId, action);
      if (!dev.ok) return dev;
      allowCustomPin = hasCustomPinSubscription(dev.value);
      if (!allowCustomPin) {
        return err({
          code: 'custom_pin_not_allowed',
          message: `Could not ${action}: a PIN was supplied but the lock's Salto KS site has no custom-PIN subscription. Omit the PIN; Salto generates one.`,
        });
      }
    }
    const throttled = await this.acquire('create', input.lockId, '/access_codes/create');
    if (throttled) return err(toGatewayFailure(throttled, { action, mutation: true }));

    const r = await this.transport.call(
      '/access_codes/create',
      toCreateAccessCodeBody(input, allowCustomPin),
      responses.accessCodeCreate,
      'mutation',
    );
    if (r.ok) {
      const code = toAccessCode(r.value.body.access_code);
      this.codeLocks.set(code.id, code.lockId);
      this.logger.log('info', 'seam access code created', {
        accessCodeId: code.id,
        lockId: code.lockId,
        status: code.status,
        requestId: r.value.requestId,
      });
      return ok(code);
    }
    const ctx: FailureContext = { action, mutation: true, notFound: 'lock_not_found' };
    if (!isAmbiguous(r.error)) return err(toGatewayFailure(r.error, ctx));
    return this.recoverCreate(input, r.error, ctx);
  }

  /** After a create with no usable reply: find the code by name and window instead of creating again. */
  private async recoverCreate(
    input: CreateAccessCodeInput,
    failure: SeamCallFailure,
    ctx: FailureContext,
  ): Promise<Result<AccessCode, GatewayFailure>> {
    this.logger.log('warn', 'seam create reply lost; looking the code up by name', {
      lockId: input.lockId,
      route: failure.route,
      failure: failure.kind,
    });
    if (this.opts.recoveryDelayMs > 0) await this.clock.sleep(this.opts.recoveryDelayMs);
    const listed = await this.listAccessCodes(input.lockId);
    const mapped = toGatewayFailure(failure, ctx);
    if (!listed.ok) {
      return err({
        ...mapped,
        code: 'outcome_unknown',
        message: `${mapped.message} (Looking it up failed too: ${listed.error.message})`,
      });
    }
    const found = listed.value.find((c) => c.name === input.name && sameWindow(c.window, input.window));
    if (found) {
      this.logger.log('info', 'seam create recovered: the code exists', {
        accessCodeId: found.id,
        lockId: found.lockId,
      });
      return ok(found);
    }
    return err({ ...mapped, code: 'outcome_unknown' });
  }

  async getAccessCode(id: AccessCodeId): Promise<Result<AccessCode, GatewayFailure>> {
    const bad = badSeamId('accessCodeId', id, 'read an access code', 'createAccessCode');
    if (bad) return err(bad);
    const r = await this.transport.call(
      '/access_codes/get',
      { access_code_id: id },
      responses.accessCodeGet,
      'read',
    );
    if (!r.ok) {
      return err(
        toGatewayFailure(r.error, {
          action: `read access code ${id}`,
          mutation: false,
          notFound: 'access_code_not_found',
        }),
      );
    }
    const code = toAccessCode(r.value.body.access_code);
    this.codeLocks.set(code.id, code.lockId);
    return ok(code);
  }

  async listAccessCodes(lockId: LockId): Promise<Result<readonly AccessCode[], GatewayFailure>> {
    const bad = badSeamId('lockId', lockId, 'list access codes', 'listLocks');
    if (bad) return err(bad);
    const r = await this.transport.listAll(
      '/access_codes/list',
      { device_id: lockId },
      responses.accessCodesList,
      (p) => p.access_codes,
    );
    if (!r.ok) {
      return err(
        toGatewayFailure(r.error, {
          action: `list access codes of lock ${lockId}`,
          mutation: false,
          notFound: 'lock_not_found',
        }),
      );
    }
    const codes = r.value.map(toAccessCode);
    for (const c of codes) this.codeLocks.set(c.id, c.lockId);
    return ok(codes);
  }

  async deleteAccessCode(id: AccessCodeId): Promise<Result<void, GatewayFailure>> {
    const bad = badSeamId('accessCodeId', id, 'delete an access code', 'createAccessCode');
    if (bad) return err(bad);
    const action = `delete access code ${id}`;
    let lockId = this.codeLocks.get(id);
    if (lockId === undefined && this.throttle) {
      const got = await this.getAccessCode(id);
      if (!got.ok) return got;
      lockId = got.value.lockId;
    }
    if (lockId !== undefined) {
      const throttled = await this.acquire('delete', lockId, '/access_codes/delete');
      if (throttled) return err(toGatewayFailure(throttled, { action, mutation: true }));
    }
    const r = await this.transport.call(
      '/access_codes/delete',
      { access_code_id: id },
      responses.anything,
      'mutation',
    );
    if (r.ok) {
      this.logger.log('info', 'seam access code deletion started', {
        accessCodeId: id,
        requestId: r.value.requestId,
      });
      return ok(undefined);
    }
    const ctx: FailureContext = { action, mutation: true, notFound: 'access_code_not_found' };
    if (!isAmbiguous(r.error)) return err(toGatewayFailure(r.error, ctx));
    // Reply lost: a delete is done when the code is gone or being removed.
    const check = await this.getAccessCode(id);
    if (!check.ok && check.error.code === 'access_code_not_found') return ok(undefined);
    if (check.ok && check.value.status === 'removing') return ok(undefined);
    return err(toGatewayFailure(r.error, ctx));
  }

  // ---------------------------------------------------------------- unlock

  async unlock(lockId: LockId): Promise<Result<UnlockAttempt, GatewayFailure>> {
    const bad = badSeamId('lockId', lockId, 'unlock a lock', 'listLocks');
    if (bad) return err(bad);
    const action = `unlock lock ${lockId}`;
    const throttled = await this.acquire('unlock', lockId, '/locks/unlock_door');
    if (throttled) return err(toGatewayFailure(throttled, { action, mutation: true }));
    const r = await this.transport.call(
      '/locks/unlock_door',
      { device_id: lockId },
      responses.actionAttempt,
      'mutation',
    );
    if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: true, notFound: 'lock_not_found' }));
    const attempt = toUnlockAttempt(r.value.body.action_attempt, lockId);
    this.attemptLocks.set(attempt.id, lockId);
    this.logger.log('info', 'seam unlock requested', {
      lockId,
      actionAttemptId: attempt.id,
      requestId: r.value.requestId,
    });
    if (attempt.status !== 'pending' || this.opts.unlockWaitMs <= 0) return ok(attempt);
    return ok(await this.waitForUnlock(attempt, this.opts.unlockWaitMs));
  }

  /**
   * Unlocks and polls `/action_attempts/get` on the injected clock until the attempt succeeds or
   * fails, or the deadline passes (default 10 s, every 1 s, like Seam's SDK). A failed attempt is
   * returned as `status: 'error'`; still `pending` after the deadline means the door may yet open.
   */
  async unlockAndWait(
    lockId: LockId,
    wait: { readonly timeoutMs?: number; readonly pollIntervalMs?: number } = {},
  ): Promise<Result<UnlockAttempt, GatewayFailure>> {
    const started = await this.unlock(lockId);
    if (!started.ok || started.value.status !== 'pending') return started;
    return ok(await this.waitForUnlock(started.value, wait.timeoutMs ?? 10_000, wait.pollIntervalMs));
  }

  /**
   * Polls the action attempt on the injected clock until it settles or `timeoutMs` passes; returns
   * the last state seen (still `pending` after the deadline: the unlock may yet happen).
   */
  async waitForUnlock(
    attempt: UnlockAttempt,
    timeoutMs: number,
    pollIntervalMs?: number,
  ): Promise<UnlockAttempt> {
    const deadline = this.clock.now() + timeoutMs;
    const every = pollIntervalMs ?? this.opts.unlockPollIntervalMs;
    let last = attempt;
    while (last.status === 'pending') {
      const left = deadline - this.clock.now();
      if (left <= 0) break;
      await this.clock.sleep(Math.min(every, left));
      const polled = await this.getUnlockAttempt(last.id);
      if (polled.ok) last = polled.value;
    }
    return last;
  }

  async getUnlockAttempt(id: string): Promise<Result<UnlockAttempt, GatewayFailure>> {
    const bad = badSeamId('actionAttemptId', id, 'read an unlock attempt', 'unlock');
    if (bad) return err(bad);
    const r = await this.transport.call(
      '/action_attempts/get',
      { action_attempt_id: id },
      responses.actionAttempt,
      'read',
    );
    if (!r.ok)
      return err(toGatewayFailure(r.error, { action: `read unlock attempt ${id}`, mutation: false }));
    return ok(toUnlockAttempt(r.value.body.action_attempt, this.attemptLocks.get(id) ?? ''));
  }

  // ---------------------------------------------------------------- onboarding

  /** Creates a Connect Webview for Salto KS (`accepted_providers: ["salto_ks"]`). Not retried. */
  createConnectWebview(
    input: CreateConnectWebviewInput = {},
  ): Promise<Result<ConnectWebview, GatewayFailure>> {
    return createConnectWebview(this.transport, input);
  }

  /** Reads a webview's result: `authorized` with the new `connectedAccountId`, or `failed`. */
  getConnectWebview(id: string): Promise<Result<ConnectWebview, GatewayFailure>> {
    return getConnectWebview(this.transport, id);
  }

  // ---------------------------------------------------------------- internals

  private async acquire(
    op: ThrottledOperation,
    lockId: LockId,
    route: string,
  ): Promise<SeamCallFailure | null> {
    if (!this.throttle) return null;
    const r = await this.throttle.acquire(op, lockId);
    if (r.ok) {
      if (r.waitedMs > 0)
        this.logger.log('info', 'seam call throttled', { route, lockId, waitedMs: r.waitedMs });
      return null;
    }
    return { kind: 'throttled', route, retryAfterMs: r.retryAfterMs };
  }

  private async device(lockId: LockId, action: string): Promise<Result<WireDevice, GatewayFailure>> {
    const r = await this.transport.call('/devices/get', { device_id: lockId }, responses.deviceGet, 'read');
    if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: false, notFound: 'lock_not_found' }));
    const d = r.value.body.device;
    if (!looksLikeSaltoKsLock(d, (id) => id === this.opts.connectedAccountId)) {
      return err({
        code: 'lock_not_found',
        message: `Could not ${action}: Seam device ${lockId} is a ${d.device_type}, not a Salto KS lock.`,
      });
    }
    return ok(d);
  }
}
