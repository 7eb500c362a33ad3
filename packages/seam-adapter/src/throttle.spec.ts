import { fc, test } from '@fast-check/vitest';
import { VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { DeviceThrottle, THROTTLE_WINDOW_MS } from './throttle.js';

const limits = { createPerMinute: 3, deletePerMinute: 20, unlockPerMinute: 15, maxWaitMs: 10 * 60_000 };

describe('DeviceThrottle', () => {
  it('lets the limit through at once, then waits until the oldest start leaves the window', async () => {
    const clock = new VirtualClock(0, { autoAdvance: true });
    const t = new DeviceThrottle(limits, clock);
    const starts: number[] = [];
    for (let i = 0; i < 7; i++) {
      await t.acquire('create', 'lock');
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });

  it('keeps devices and operations apart', async () => {
    const clock = new VirtualClock(0, { autoAdvance: true });
    const t = new DeviceThrottle(limits, clock);
    for (let i = 0; i < 3; i++) await t.acquire('create', 'a');
    expect(t.waitFor('create', 'a')).toBe(60_000);
    expect(t.waitFor('create', 'b')).toBe(0);
    expect(t.waitFor('delete', 'a')).toBe(0);
  });

  it('refuses without reserving when the wait exceeds maxWaitMs', async () => {
    const clock = new VirtualClock(0, { autoAdvance: true });
    const t = new DeviceThrottle({ ...limits, maxWaitMs: 1000 }, clock);
    for (let i = 0; i < 3; i++) expect((await t.acquire('create', 'a')).ok).toBe(true);
    expect(await t.acquire('create', 'a')).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(await t.acquire('create', 'a')).toEqual({ ok: false, retryAfterMs: 60_000 });
  });

  test.prop(
    [
      fc.array(fc.record({ gap: fc.nat({ max: 30_000 }), burst: fc.integer({ min: 1, max: 6 }) }), {
        minLength: 1,
        maxLength: 25,
      }),
    ],
    { numRuns: 100 },
  )('concurrent callers never start more than the limit in any 60 s window', async (waves) => {
    const clock = new VirtualClock(0);
    const t = new DeviceThrottle(limits, clock);
    const starts: number[] = [];
    const refusals: number[] = [];
    const pending: Promise<unknown>[] = [];
    for (const w of waves) {
      await clock.advance(w.gap);
      for (let i = 0; i < w.burst; i++) {
        pending.push(
          t.acquire('create', 'lock').then((r) => {
            if (r.ok) starts.push(clock.now());
            else refusals.push(r.retryAfterMs);
          }),
        );
      }
    }
    await clock.advance(10 * 60_000 * waves.length);
    await Promise.all(pending);
    starts.sort((a, b) => a - b);
    for (let i = limits.createPerMinute; i < starts.length; i++) {
      expect(starts[i]! - starts[i - limits.createPerMinute]!).toBeGreaterThanOrEqual(THROTTLE_WINDOW_MS);
    }
    // Every caller either started or was refused only because the wait exceeded maxWaitMs.
    expect(starts.length + refusals.length).toBe(waves.reduce((n, w) => n + w.burst, 0));
    for (const r of refusals) expect(r).toBeGreaterThan(limits.maxWaitMs);
  });
});
