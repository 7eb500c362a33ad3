import { describe, expect, it } from 'vitest';
import { isAdvanceableClock } from '../ports/clock.js';
import { SystemClock, VirtualClock } from './clock.js';
import { randomInt, SeededRandom } from './random.js';

describe('VirtualClock', () => {
  it('wakes sleepers in deadline order and only when time passes their deadline', async () => {
    const clock = new VirtualClock(1000);
    const woke: string[] = [];
    void clock.sleep(30).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(10).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(20);
    expect(woke).toEqual(['a@1010']);
    await clock.advance(20);
    expect(woke).toEqual(['a@1010', 'b@1030']);
    expect(clock.now()).toBe(1040);
  });

  it('runs chained sleeps scheduled during an advance', async () => {
    const clock = new VirtualClock(0);
    let done = -1;
    void (async () => {
      await clock.sleep(5);
      await clock.sleep(5);
      done = clock.now();
    })();
    await clock.advance(100);
    expect(done).toBe(10);
  });
});

describe('SeededRandom', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const seq = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => randomInt(r, 0, 999));
    };
    expect(seq(7)).toEqual(seq(7));
    expect(seq(7)).not.toEqual(seq(8));
  });
  it('restores a saved state exactly', () => {
    const r = new SeededRandom(1);
    r.nextUint32();
    const state = r.getState();
    const a = [r.nextUint32(), r.nextUint32()];
    r.setState(state);
    expect([r.nextUint32(), r.nextUint32()]).toEqual(a);
  });
});

describe('isAdvanceableClock', () => {
  it('says a virtual clock can be advanced and the system clock cannot', () => {
    expect(isAdvanceableClock(new VirtualClock(0))).toBe(true);
    expect(isAdvanceableClock(new SystemClock())).toBe(false);
  });
});
