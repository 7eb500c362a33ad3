// SlotPlan.peak — the feasibility query "most slots held at any instant of [from, to)" — against
// the simplest correct alternative: a time-sorted array of hold start/end events scanned linearly
// up to `to`. Same holds, same random queries; results are cross-checked before timing.

import { HOUR_MS, randomInt, SeededRandom, SlotPlan } from '@keyslot/core';

const MINUTE_MS = 60_000;
const LEAD_MS = 72 * HOUR_MS;
const QUERIES = 1 << 12;
const MASK = QUERIES - 1;

/**
 * `n` scheduled holds (the Salto lead time plus a stay of 1 h – 7 days, 1–3 locks each) spread
 * over a horizon that grows with n, so the number of concurrent holds stays realistic; and
 * QUERIES candidate grants over the same horizon, one in ten ongoing (`to` = Infinity).
 * @param {number} n
 */
function generate(n) {
  const random = new SeededRandom(20261126 + n);
  const horizonMin = n * 6;
  const from = new Float64Array(n);
  const to = new Float64Array(n);
  const slots = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    from[i] = randomInt(random, 0, horizonMin) * MINUTE_MS;
    to[i] = /** @type {number} */ (from[i]) + LEAD_MS + randomInt(random, 60, 7 * 24 * 60) * MINUTE_MS;
    slots[i] = randomInt(random, 1, 3);
  }
  const qFrom = new Float64Array(QUERIES);
  const qTo = new Float64Array(QUERIES);
  for (let q = 0; q < QUERIES; q++) {
    qFrom[q] = randomInt(random, 0, horizonMin) * MINUTE_MS;
    qTo[q] =
      randomInt(random, 0, 9) === 0
        ? Number.POSITIVE_INFINITY
        : /** @type {number} */ (qFrom[q]) + LEAD_MS + randomInt(random, 60, 7 * 24 * 60) * MINUTE_MS;
  }
  return { from, to, slots, qFrom, qTo };
}

/**
 * The baseline's data: every start (+slots) and end (−slots) event sorted by time, ends before
 * starts at the same instant (so a running sum never overshoots between events of one instant).
 * Times are whole ms, so (time, delta) packs exactly into one double for a fast native sort.
 * @param {{ from: Float64Array, to: Float64Array, slots: Uint8Array }} holds
 */
function sortedEvents({ from, to, slots }) {
  const n = from.length;
  const packed = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const s = /** @type {number} */ (slots[i]);
    packed[2 * i] = /** @type {number} */ (from[i]) * 16 + (8 + s);
    packed[2 * i + 1] = /** @type {number} */ (to[i]) * 16 + (8 - s);
  }
  packed.sort();
  const times = new Float64Array(2 * n);
  const deltas = new Int8Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    const k = /** @type {number} */ (packed[i]);
    times[i] = Math.floor(k / 16);
    deltas[i] = (k % 16) - 8;
  }
  return { times, deltas };
}

/**
 * Linear scan: held at `from` is the sum of events up to it; then the running maximum up to `to`.
 * @param {Float64Array} times
 * @param {Int8Array} deltas
 * @param {number} from
 * @param {number} to
 */
function linearPeak(times, deltas, from, to) {
  if (!(to > from)) return 0;
  const m = times.length;
  let held = 0;
  let i = 0;
  while (i < m && /** @type {number} */ (times[i]) <= from) held += /** @type {number} */ (deltas[i++]);
  let best = held;
  while (i < m && /** @type {number} */ (times[i]) < to) {
    held += /** @type {number} */ (deltas[i++]);
    if (held > best) best = held;
  }
  return best;
}

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'SlotPlan.peak',
  subject: 'SlotPlan (B+tree with prefix aggregates)',
  baseline: 'linear scan of time-sorted events',
  unit: 'feasibility query',
  cases: [10_000, 100_000, 1_000_000].map((n) => ({
    label: `n=${n.toLocaleString('en-US')}`,
    ...(n === 1_000_000 ? { minRatio: 1000 } : {}),
    setup() {
      const data = generate(n);
      let t = performance.now();
      const plan = new SlotPlan();
      for (let i = 0; i < n; i++) {
        plan.add({
          id: `h${i}`,
          from: /** @type {number} */ (data.from[i]),
          to: /** @type {number} */ (data.to[i]),
          slots: /** @type {number} */ (data.slots[i]),
        });
      }
      const planBuildMs = performance.now() - t;
      t = performance.now();
      const { times, deltas } = sortedEvents(data);
      const baselineBuildMs = performance.now() - t;
      const { qFrom, qTo } = data;
      return {
        subject: (i) =>
          plan.peak(/** @type {number} */ (qFrom[i & MASK]), /** @type {number} */ (qTo[i & MASK])),
        baseline: (i) =>
          linearPeak(
            times,
            deltas,
            /** @type {number} */ (qFrom[i & MASK]),
            /** @type {number} */ (qTo[i & MASK]),
          ),
        verify: 256,
        info: {
          holds: n,
          planBuildMs: Math.round(planBuildMs),
          planAddsPerSec: Math.round((n * 1000) / planBuildMs),
          baselineBuildMs: Math.round(baselineBuildMs),
        },
      };
    },
  })),
};
