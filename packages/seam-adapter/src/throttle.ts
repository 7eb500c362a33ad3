import type { Clock } from '@keyslot/core';
import type { SeamThrottleOptions } from './config.js';

export type ThrottledOperation = 'create' | 'delete' | 'unlock';

export const THROTTLE_WINDOW_MS = 60_000;

/**
 * Client-side throttle at Seam's per-device limits. A sliding window rather than a token bucket:
 * a bucket of N refilling N/min lets up to 2N through in some 60 s windows, which is exactly what
 * earns a 429. Here at most `limit` calls start in any 60 s window per (operation, device).
 *
 * Callers reserve a start time (so concurrent callers queue fairly) and wait for it on the
 * injected `Clock`. If the wait would exceed `maxWaitMs` nothing is reserved and the caller gets
 * the wait back to return `rate_limited`.
 */
export class DeviceThrottle {
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly options: Required<SeamThrottleOptions>,
    private readonly clock: Clock,
  ) {}

  private limitOf(op: ThrottledOperation): number {
    return op === 'create'
      ? this.options.createPerMinute
      : op === 'delete'
        ? this.options.deletePerMinute
        : this.options.unlockPerMinute;
  }

  /** How long a call starting now would have to wait (0 = free now). */
  waitFor(op: ThrottledOperation, deviceId: string): number {
    const now = this.clock.now();
    return this.slot(this.live(`${op}\u0000${deviceId}`, now), this.limitOf(op), now) - now;
  }

  /** Waits for a free slot; `{ ok: false, retryAfterMs }` when that would take longer than `maxWaitMs`. */
  async acquire(
    op: ThrottledOperation,
    deviceId: string,
  ): Promise<
    { readonly ok: true; readonly waitedMs: number } | { readonly ok: false; readonly retryAfterMs: number }
  > {
    const key = `${op}\u0000${deviceId}`;
    const now = this.clock.now();
    const times = this.live(key, now);
    const at = this.slot(times, this.limitOf(op), now);
    const wait = at - now;
    if (wait > this.options.maxWaitMs) return { ok: false, retryAfterMs: wait };
    let i = times.length;
    while (i > 0 && times[i - 1]! > at) i--;
    times.splice(i, 0, at);
    this.starts.set(key, times);
    if (wait > 0) await this.clock.sleep(wait);
    return { ok: true, waitedMs: wait };
  }

  private live(key: string, now: number): number[] {
    const times = (this.starts.get(key) ?? []).filter((t) => t > now - THROTTLE_WINDOW_MS);
    if (times.length === 0) this.starts.delete(key);
    else this.starts.set(key, times);
    return times;
  }

  private slot(times: readonly number[], limit: number, now: number): number {
    return times.length < limit ? now : Math.max(now, times[times.length - limit]! + THROTTLE_WINDOW_MS);
  }
}
