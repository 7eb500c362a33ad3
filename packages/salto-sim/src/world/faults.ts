import { err, ok } from '@keyslot/core/domain';
import { ACS_RATE_LIMITS, isAcsMutation } from './acs/operations.js';
import { invalid } from './failures.js';
import type { Runtime } from './runtime.js';
import type { Mutable, WorldState } from './state.js';
import type {
  AcsRateLimitedOperation,
  ActiveFault,
  FaultInput,
  RateLimitedOperation,
  SimFailure,
  SimOperation,
  SimResult,
  WorldConfig,
} from './types.js';

const FAULT_KINDS = ['server_error', 'rate_limited', 'latency', 'reply_lost'];

const isMutation = (op: SimOperation): boolean =>
  op === 'create_access_code' ||
  op === 'update_access_code' ||
  op === 'delete_access_code' ||
  op === 'unlock_door' ||
  op === 'lock_door' ||
  isAcsMutation(op);

/**
 * Faults on demand and Seam's per-device rate limits, and the frame every API call runs in
 * ({@link Faults.call}): catch up with the clock, pre-call faults, the call, reply-lost faults.
 * Control methods (`set*`, `add*`, `advance`, …) do not go through it.
 */
export class Faults {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
  ) {}

  /**
   * Runs API call `op`: `fn` gets `arg` and runs with `self` as `this`, so the hot calls
   * (create/delete) pass a method and its argument instead of allocating a closure per call.
   */
  call<S, T, A = undefined>(
    op: SimOperation,
    self: S,
    fn: (this: S, arg: A) => SimResult<T>,
    arg?: A,
  ): SimResult<T> {
    this.rt.catchUp();
    const fault = this.takeFault(op);
    if (fault?.spec.kind === 'server_error') {
      const status = fault.spec.status ?? 503;
      return err({
        type: status === 500 ? 'internal_server_error' : 'service_unavailable',
        message: `Injected fault: ${op} failed with ${status} before doing anything. It is safe to try again.`,
        data: { fault_id: fault.faultId },
      });
    }
    if (fault?.spec.kind === 'rate_limited') {
      return err({
        type: 'rate_limit_exceeded',
        message: `Injected fault: ${op} was rate limited. Retry after ${fault.spec.retryAfterMs ?? 1000} ms.`,
        data: { fault_id: fault.faultId },
        retryAfterMs: fault.spec.retryAfterMs ?? 1000,
      });
    }
    const result = fn.call(self, arg as A);
    if (fault?.spec.kind === 'reply_lost') {
      return err({
        type: 'reply_lost',
        message: `Injected fault: the reply to ${op} was lost${result.ok ? ' after the change was applied' : ''}. Look the state up before repeating the call.`,
        data: { fault_id: fault.faultId },
        committed: result.ok && isMutation(op),
      });
    }
    return result;
  }

  /** Injects a fault affecting the next `count` (default 1) calls of `operations` (default: any). */
  inject(input: FaultInput): SimResult<ActiveFault> {
    this.rt.catchUp();
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      return err(invalid('count', `must be an integer ≥ 1, got ${count}`));
    if (!FAULT_KINDS.includes(input.kind))
      return err(invalid('kind', `must be one of ${FAULT_KINDS.join(', ')}`));
    let spec: ActiveFault['spec'];
    switch (input.kind) {
      case 'server_error':
        if (input.status !== undefined && input.status !== 500 && input.status !== 503)
          return err(invalid('status', 'must be 500 or 503'));
        spec = { kind: 'server_error', status: input.status ?? 503 };
        break;
      case 'rate_limited':
        if (
          input.retryAfterMs !== undefined &&
          !(Number.isInteger(input.retryAfterMs) && input.retryAfterMs >= 0)
        )
          return err(invalid('retryAfterMs', 'must be an integer ≥ 0'));
        spec = { kind: 'rate_limited', retryAfterMs: input.retryAfterMs ?? 1_000 };
        break;
      case 'latency':
        if (!(Number.isFinite(input.latencyMs) && input.latencyMs >= 0))
          return err(invalid('latencyMs', 'must be a finite number ≥ 0'));
        spec = { kind: 'latency', latencyMs: input.latencyMs };
        break;
      default:
        spec = { kind: 'reply_lost' };
    }
    const fault: Mutable<ActiveFault> = {
      faultId: ++this.s.faultSeq,
      spec,
      remaining: count,
      operations: input.operations ? [...input.operations] : null,
    };
    this.s.faults.push(fault);
    return ok({ ...fault });
  }

  list(): ActiveFault[] {
    return this.s.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.s.faults = [];
  }

  /** Consumes the latency faults matching `op` and returns the total delay to apply before the call. */
  takeLatency(op: SimOperation): number {
    let total = 0;
    for (const f of this.s.faults) {
      if (f.spec.kind === 'latency' && (!f.operations || f.operations.includes(op))) {
        total += f.spec.latencyMs;
        f.remaining--;
        break;
      }
    }
    this.s.faults = this.s.faults.filter((f) => f.remaining > 0);
    return total;
  }

  private takeFault(op: SimOperation): Mutable<ActiveFault> | null {
    const s = this.s;
    if (s.faults.length === 0) return null;
    const f = s.faults.find((x) => x.spec.kind !== 'latency' && (!x.operations || x.operations.includes(op)));
    if (!f) return null;
    f.remaining--;
    if (f.remaining <= 0) s.faults = s.faults.filter((x) => x !== f);
    return f;
  }

  setRateLimitsEnabled(enabled: boolean): void {
    (this.s.config.rateLimits as Mutable<WorldConfig['rateLimits']>).enabled = enabled;
    if (!enabled) this.s.rateWindows.clear();
  }

  /**
   * Counts an ACS mutation against the per-ACS-system limit of each system it touches (all are
   * checked before any is counted: a refused call counts nowhere); the failure when over one.
   */
  rateLimitAcs(acsSystemIds: readonly string[], op: AcsRateLimitedOperation): SimFailure | null {
    const s = this.s;
    const rl = s.config.rateLimits;
    if (!rl.enabled) return null;
    const now = s.nowMs;
    const cutoff = now - rl.windowMs;
    const max = ACS_RATE_LIMITS[op];
    const windows = [...new Set(acsSystemIds)].map((key) => {
      let perOp = s.rateWindows.get(key);
      if (!perOp) {
        perOp = new Map();
        s.rateWindows.set(key, perOp);
      }
      const calls = (perOp.get(op) ?? []).filter((t) => t > cutoff);
      perOp.set(op, calls);
      return { key, calls, perOp };
    });
    const full = windows.find((w) => w.calls.length >= max);
    if (full) {
      const retryAfterMs = full.calls[0]! + rl.windowMs - now;
      return {
        type: 'rate_limit_exceeded',
        message: `Too many ${op} calls for ACS system ${full.key}: at most ${max} per ${rl.windowMs / 1000} s. Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
        data: { acs_system_id: full.key, operation: op },
        retryAfterMs,
      };
    }
    for (const w of windows) w.calls.push(now);
    return null;
  }

  /** Counts a call of `op` on `deviceId` against Seam's per-device limit; the failure when over it. */
  rateLimit(deviceId: string, op: RateLimitedOperation): SimFailure | null {
    const s = this.s;
    const rl = s.config.rateLimits;
    if (!rl.enabled) return null;
    let perOp = s.rateWindows.get(deviceId);
    if (!perOp) {
      perOp = new Map();
      s.rateWindows.set(deviceId, perOp);
    }
    const now = s.nowMs;
    const cutoff = now - rl.windowMs;
    const calls = (perOp.get(op) ?? []).filter((t) => t > cutoff);
    const max = rl.perDevice[op];
    if (calls.length >= max) {
      perOp.set(op, calls);
      const retryAfterMs = calls[0]! + rl.windowMs - now;
      return {
        type: 'rate_limit_exceeded',
        message: `Too many ${op} calls for device ${deviceId}: at most ${max} per ${rl.windowMs / 1000} s. Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
        data: { device_id: deviceId, operation: op },
        retryAfterMs,
      };
    }
    calls.push(now);
    perOp.set(op, calls);
    return null;
  }
}
