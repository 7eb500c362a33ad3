import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveMap } from './live-map.js';

type Op =
  | { kind: 'set'; key: string; value: number }
  | { kind: 'delete'; key: string }
  | { kind: 'churn'; n: number };

const key = fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  // Many create+delete pairs of fresh keys: enough tombstones to force sweeps.
  fc.record({ kind: fc.constant('churn' as const), n: fc.integer({ min: 1, max: 150 }) }),
);

describe('LiveMap', () => {
  it('behaves like a Map (get, has, size, delete result, insertion order) under any mix of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const live = new LiveMap<number>();
        const model = new Map<string, number>();
        let fresh = 0;
        const check = (k: string) => {
          expect(live.get(k)).toBe(model.get(k));
          expect(live.has(k)).toBe(model.has(k));
        };
        for (const o of ops) {
          if (o.kind === 'set') {
            live.set(o.key, o.value);
            model.set(o.key, o.value);
            check(o.key);
          } else if (o.kind === 'delete') {
            expect(live.delete(o.key)).toBe(model.delete(o.key));
            check(o.key);
          } else {
            for (let i = 0; i < o.n; i++) {
              const k = `fresh${fresh++}`;
              live.set(k, i);
              model.set(k, i);
              expect(live.delete(k)).toBe(model.delete(k));
            }
          }
          expect(live.size).toBe(model.size);
          expect([...live.values()]).toEqual([...model.values()]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a key deleted and set again moves to the end, as in a Map', () => {
    const live = new LiveMap<string>();
    live.set('a', 'A').set('b', 'B');
    live.delete('a');
    live.set('a', 'A2');
    expect([...live.values()]).toEqual(['B', 'A2']);
    expect(live.size).toBe(2);
  });
});
