import type { GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import { err, type FieldIssue, invalidInput, ok, type Result } from '../domain/result.js';
import { evaluateUnlock, type UnlockRefusal } from '../domain/unlock-decision.js';
import { type CoreDeps, requirePolicy } from './deps.js';
import { type ProviderFailed, providerFailed } from './errors.js';
import {
  catchStoreFailure,
  guardStore,
  type StoreFailed,
  storeFailed,
  whenStoreAllows,
} from './store-failures.js';
import { waitOptionIssues } from './wait-options.js';

export interface UnlockDoorInput {
  readonly lockId: LockId;
  /** Who asks; needed when the policy's remoteUnlock is `active_grant_holders`. */
  readonly holder?: string;
  /** How long to wait for the lock to confirm. Default 15 s (Salto answers in 1–6 s). */
  readonly timeoutMs?: number;
  /** Time between looks at the unlock attempt. Default 500 ms. */
  readonly pollIntervalMs?: number;
}

export interface Unlocked {
  readonly code: 'unlocked';
  readonly lockId: LockId;
  readonly attemptId: string;
  readonly holder: string | null;
  readonly grantKey: GrantKey | null;
}

export type UnlockDoorError =
  | UnlockRefusal
  | {
      readonly code: 'unlock_failed';
      readonly message: string;
      readonly lockId: LockId;
      readonly attemptId: string;
      readonly providerCode: string;
    }
  | {
      readonly code: 'unlock_timed_out';
      readonly message: string;
      readonly lockId: LockId;
      readonly attemptId: string;
      readonly waitedMs: number;
    }
  | {
      /** The unlock request's reply was lost: the door may or may not have opened. Not retried. */
      readonly code: 'unlock_outcome_unknown';
      readonly message: string;
      readonly lockId: LockId;
    }
  | ProviderFailed
  | StoreFailed;

export type UnlockDoorResult = Result<Unlocked, UnlockDoorError>;

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_POLL_MS = 500;

/**
 * Opens a door remotely: the policy decides who may ask and whether the lock can do it, then the
 * unlock is sent once (never retried: it is not idempotent) and its attempt is polled on the
 * Clock until it succeeds, fails, or the deadline passes.
 */
export class UnlockDoor {
  private readonly deps: CoreDeps;

  /** Throws `InvalidPolicyError` for a policy that fails `parsePolicy`. */
  constructor(deps: CoreDeps) {
    this.deps = { ...deps, store: guardStore(deps.store), policy: requirePolicy(deps, 'UnlockDoor') };
  }

  async execute(input: unknown): Promise<UnlockDoorResult> {
    const lockId =
      typeof input === 'object' && input !== null ? (input as { lockId?: unknown }).lockId : undefined;
    const r = await catchStoreFailure(
      () => this.unlock(input),
      (e): UnlockDoorResult =>
        err(
          storeFailed(
            e,
            `Lock "${String(lockId)}" was not unlocked`,
            "while reading the holder's grants, before anything was sent to the lock: nothing was changed.",
            `Try again ${whenStoreAllows(e)}.`,
          ),
        ),
    );
    const fault = !r.ok && (r.error.code === 'provider_failed' || r.error.code === 'store_failed');
    this.deps.logger.log(fault ? 'error' : 'info', 'unlock door', {
      outcome: r.ok ? r.value.code : r.error.code,
      lockId: typeof lockId === 'string' ? lockId : null,
      ...(r.ok ? { attemptId: r.value.attemptId, grantKey: r.value.grantKey } : { reason: r.error.message }),
    });
    return r;
  }

  private async unlock(input: unknown): Promise<UnlockDoorResult> {
    const { gateway, store, clock, policy } = this.deps;
    if (typeof input !== 'object' || input === null) {
      return err(
        invalidInput([{ field: 'request', message: 'must be an object { lockId, holder?, timeoutMs? }' }]),
      );
    }
    const req = input as Record<string, unknown>;
    const issues: FieldIssue[] = [];
    const timeoutMs = req['timeoutMs'] ?? DEFAULT_TIMEOUT_MS;
    const pollMs = req['pollIntervalMs'] ?? DEFAULT_POLL_MS;
    if (typeof req['lockId'] !== 'string' || req['lockId'].trim() === '') {
      issues.push({ field: 'lockId', message: 'must be a non-empty string' });
    }
    if (req['holder'] !== undefined && (typeof req['holder'] !== 'string' || req['holder'].trim() === '')) {
      issues.push({ field: 'holder', message: 'must be a non-empty string when given' });
    }
    issues.push(...waitOptionIssues(timeoutMs, pollMs));
    if (issues.length > 0) return err(invalidInput(issues));
    const lockId = req['lockId'] as LockId;
    const holder = req['holder'] as string | undefined;

    const lock = await gateway.getLock(lockId);
    if (!lock.ok && lock.error.code !== 'lock_not_found') {
      return err(providerFailed('getLock', lock.error, { lockId }));
    }
    // The store is read only when the policy asks for the holder's grants. The site's grants are
    // passed as they are: the rule counts only the holder's own (`activeGrantFor` matches the holder).
    const grantsOfHolder =
      lock.ok && holder !== undefined && policy.remoteUnlock === 'active_grant_holders'
        ? await store.listBySite(lock.value.siteId)
        : undefined;
    const decision = evaluateUnlock(
      policy,
      { lock: lock.ok ? lock.value : null, grantsOfHolder, now: clock.now() },
      { lockId, holder },
    );
    if (!decision.ok) return decision;

    const started = await gateway.unlock(lockId);
    if (!started.ok) {
      const f = started.error;
      switch (f.code) {
        case 'hub_offline':
        case 'privacy_mode':
        case 'capability_missing':
        case 'lock_not_found':
          return err({
            code: f.code,
            lockId,
            message: `Unlock of lock "${lockId}" was refused by the provider: ${f.message}`,
          });
        case 'outcome_unknown':
          return err({
            code: 'unlock_outcome_unknown',
            lockId,
            message: `The reply to the unlock of lock "${lockId}" was lost, so the door may or may not have opened; it was not retried (unlocks are not idempotent). Check the lock's events or ask the holder before unlocking again.`,
          });
        default:
          return err(providerFailed('unlock', f, { lockId }, 'the door was not opened; try again'));
      }
    }

    const startedAt = clock.now();
    const deadline = startedAt + (timeoutMs as number);
    let attempt = started.value;
    for (;;) {
      if (attempt.status === 'success') {
        return ok({
          code: 'unlocked',
          lockId,
          attemptId: attempt.id,
          holder: decision.value.holder,
          grantKey: decision.value.grantKey,
        });
      }
      if (attempt.status === 'error') {
        return err({
          code: 'unlock_failed',
          lockId,
          attemptId: attempt.id,
          providerCode: attempt.error?.providerCode ?? 'unknown',
          message: `Lock "${lockId}" did not open (${attempt.error?.providerCode ?? 'unknown'}: ${attempt.error?.message ?? 'no reason given'}); check the lock and its hub, then try again.`,
        });
      }
      const now = clock.now();
      if (now >= deadline) {
        return err({
          code: 'unlock_timed_out',
          lockId,
          attemptId: attempt.id,
          waitedMs: now - startedAt,
          message: `Lock "${lockId}" did not confirm the unlock within ${timeoutMs} ms (attempt ${attempt.id} still pending); the door may still open. Check the attempt later before unlocking again.`,
        });
      }
      await clock.sleep(Math.min(pollMs as number, deadline - now));
      const polled = await gateway.getUnlockAttempt(attempt.id);
      if (polled.ok) attempt = polled.value;
      else if (polled.error.code !== 'unavailable' && polled.error.code !== 'rate_limited') {
        return err(
          providerFailed(
            'getUnlockAttempt',
            polled.error,
            { lockId },
            `the door may still open; check attempt ${attempt.id}`,
          ),
        );
      }
    }
  }
}
