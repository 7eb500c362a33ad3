import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { SeededRandom } from './random.js';

test.prop([fc.integer(), fc.nat({ max: 50 })])(
  'a state written back with setState reads back as the same numbers, and the sequence goes on unchanged',
  (seed, draws) => {
    const r = new SeededRandom(seed);
    for (let i = 0; i < draws; i++) r.nextUint32();
    const state = r.getState();
    for (const x of state) expect(x >>> 0).toBe(x);
    const copy = new SeededRandom(0);
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    expect([copy.nextUint32(), copy.nextUint32()]).toEqual([r.nextUint32(), r.nextUint32()]);
  },
);
