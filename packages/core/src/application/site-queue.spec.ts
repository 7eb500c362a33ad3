import { describe, expect, it } from 'vitest';
import { SiteQueue } from './site-queue.js';

/** A promise settled from outside, so a test decides when each piece of work ends. */
function gate(): { promise: Promise<void>; open: () => void; fail: (e: Error) => void } {
  let open = () => {};
  let fail: (e: Error) => void = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Lets every already queued callback run (no timing involved: one macrotask turn). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SiteQueue', () => {
  it("runs one site's work in arrival order, each after the one before has settled", async () => {
    const queue = new SiteQueue();
    const events: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate() };
    const work = (name: keyof typeof gates) => async () => {
      events.push(`${name} starts`);
      await gates[name].promise;
      events.push(`${name} ends`);
      return name;
    };
    const a = queue.run('site-1', work('a'));
    const b = queue.run('site-1', work('b'));
    await drain();
    expect(events).toEqual(['a starts']);
    gates.a.open();
    expect(await a).toBe('a');
    await drain();
    expect(events).toEqual(['a starts', 'a ends', 'b starts']);
    // Queued while b runs, after a is done: it still waits for b.
    const c = queue.run('site-1', work('c'));
    await drain();
    expect(events).toEqual(['a starts', 'a ends', 'b starts']);
    gates.b.open();
    gates.c.open();
    expect(await Promise.all([b, c])).toEqual(['b', 'c']);
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('runs the next work after one that failed, and hands the failure to its own caller only', async () => {
    const queue = new SiteQueue();
    const first = gate();
    const failed = queue.run('site-1', () => first.promise);
    const next = queue.run('site-1', async () => 'next ran');
    first.fail(new Error('provider down'));
    await expect(failed).rejects.toThrow('provider down');
    expect(await next).toBe('next ran');
  });

  it("runs different sites' work side by side, and forgets each site once its queue drains", async () => {
    const queue = new SiteQueue();
    expect(queue.busySites).toBe(0);
    const one = gate();
    const held = queue.run('site-1', () => one.promise);
    const queued = queue.run('site-1', async () => 'after');
    expect(queue.busySites).toBe(1);
    // site-2 does not wait for site-1.
    expect(await queue.run('site-2', async () => 'site-2 done')).toBe('site-2 done');
    expect(queue.busySites).toBe(1);
    one.open();
    await held;
    expect(queue.busySites).toBe(1);
    expect(await queued).toBe('after');
    expect(queue.busySites).toBe(0);
    // A failed last work is forgotten too.
    await expect(queue.run('site-1', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(queue.busySites).toBe(0);
  });
});
