// The benchmark harness: every benchmark measures a SUBJECT against a BASELINE in the same
// process, alternating them over several rounds, so machine noise hits both alike. What is
// reported is the ratio subject/baseline (median and min–max over rounds), plus each side's
// median throughput. Plain JavaScript checked by tsc (checkJs), so it runs without a build.

import { performance } from 'node:perf_hooks';

/**
 * One operation: does unit of work number `i` and returns a number (folded into a sink so the
 * engine cannot optimise the work away). Subject and baseline get the same `i` sequence.
 * @typedef {(i: number) => number} Op
 */

/**
 * What a case's setup returns. When `verify` > 0, the harness first checks that subject and
 * baseline return the same value for i = 0..verify-1 (they must compute the same thing).
 * @typedef {object} Prepared
 * @property {Op} subject
 * @property {Op} baseline
 * @property {number} [verify]
 * @property {Record<string, number | string>} [info] extra facts to report (sizes, memory…)
 */

/**
 * @typedef {object} BenchCase
 * @property {string} label e.g. "n=1000000"
 * @property {() => Prepared} setup builds the data; its duration is reported, not measured
 * @property {number} [minRatio] target: the median ratio should be at least this
 */

/**
 * A benchmark module's default export (files bench/benchmarks/*.bench.js).
 * @typedef {object} Benchmark
 * @property {string} name
 * @property {string} subject what is measured
 * @property {string} baseline what it is compared with
 * @property {string} unit what one op is ("query", "grant"…)
 * @property {BenchCase[]} cases
 */

/**
 * @typedef {object} RunOptions
 * @property {number} rounds rounds per case (each round measures both sides once)
 * @property {number} roundMs how long each side runs per round
 */

/**
 * @typedef {object} CaseResult
 * @property {string} benchmark
 * @property {string} case
 * @property {string} subject
 * @property {string} baseline
 * @property {string} unit
 * @property {number} subjectOpsPerSec median over rounds
 * @property {number} baselineOpsPerSec median over rounds
 * @property {{ median: number, min: number, max: number }} ratio subject ops/s ÷ baseline ops/s
 * @property {number} rounds
 * @property {number} setupMs
 * @property {number | null} minRatio
 * @property {boolean | null} targetMet
 * @property {Record<string, number | string>} info
 */

let sink = 0;

/**
 * Runs `op` for about `ms` milliseconds; returns ops per second. The clock is read once per
 * chunk, and chunks grow until one takes ~1/20 of the budget, so timing overhead stays small
 * for nanosecond ops and the budget is respected for millisecond ops.
 * @param {Op} op
 * @param {number} ms
 * @param {{ next: number }} cursor shared position in the op sequence
 */
function measure(op, ms, cursor) {
  let chunk = 1;
  let ops = 0;
  let acc = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    const chunkStart = now;
    const end = cursor.next + chunk;
    for (let i = cursor.next; i < end; i++) acc += op(i);
    cursor.next = end;
    ops += chunk;
    now = performance.now();
    if (now - chunkStart < ms / 20) chunk *= 2;
  }
  sink += acc;
  return (ops * 1000) / (now - start);
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const hi = s[m] ?? Number.NaN;
  return s.length % 2 ? hi : ((s[m - 1] ?? Number.NaN) + hi) / 2;
}

/**
 * Runs every case of a benchmark.
 * @param {Benchmark} bench
 * @param {RunOptions} options
 * @param {(line: string) => void} log progress lines
 * @returns {CaseResult[]}
 */
export function runBenchmark(bench, options, log) {
  /** @type {CaseResult[]} */
  const results = [];
  for (const c of bench.cases) {
    log(`${bench.name} ${c.label}: setting up…`);
    const t0 = performance.now();
    const prepared = c.setup();
    const setupMs = performance.now() - t0;
    for (let i = 0; i < (prepared.verify ?? 0); i++) {
      const a = prepared.subject(i);
      const b = prepared.baseline(i);
      if (!Object.is(a, b)) {
        throw new Error(
          `${bench.name} ${c.label}: subject and baseline disagree on op ${i} (${a} vs ${b}); fix the benchmark or the subject before timing it.`,
        );
      }
    }
    // Warm-up: let the JIT settle on both sides before timing.
    measure(prepared.subject, Math.min(100, options.roundMs), { next: 0 });
    measure(prepared.baseline, Math.min(100, options.roundMs), { next: 0 });
    /** @type {number[]} */ const subjectOps = [];
    /** @type {number[]} */ const baselineOps = [];
    /** @type {number[]} */ const ratios = [];
    const sCursor = { next: 0 };
    const bCursor = { next: 0 };
    for (let r = 0; r < options.rounds; r++) {
      // Alternate who goes first, so drift (thermal, GC debt) does not favour one side.
      let s;
      let b;
      if (r % 2 === 0) {
        s = measure(prepared.subject, options.roundMs, sCursor);
        b = measure(prepared.baseline, options.roundMs, bCursor);
      } else {
        b = measure(prepared.baseline, options.roundMs, bCursor);
        s = measure(prepared.subject, options.roundMs, sCursor);
      }
      subjectOps.push(s);
      baselineOps.push(b);
      ratios.push(s / b);
    }
    const ratio = { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
    const minRatio = c.minRatio ?? null;
    results.push({
      benchmark: bench.name,
      case: c.label,
      subject: bench.subject,
      baseline: bench.baseline,
      unit: bench.unit,
      subjectOpsPerSec: median(subjectOps),
      baselineOpsPerSec: median(baselineOps),
      ratio,
      rounds: options.rounds,
      setupMs,
      minRatio,
      targetMet: minRatio === null ? null : ratio.median >= minRatio,
      info: prepared.info ?? {},
    });
  }
  return results;
}

/** The sink, so that nothing measured is dead code. */
export const sinkValue = () => sink;

/** @param {number} x */
const fmtOps = (x) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1);
/** @param {number} x */
const fmtRatio = (x) => (x >= 100 ? `${Math.round(x)}x` : `${x.toFixed(2)}x`);

/**
 * A plain-text table of results.
 * @param {CaseResult[]} results
 */
export function formatTable(results) {
  const head = [
    'benchmark',
    'case',
    'subject ops/s',
    'baseline ops/s',
    'ratio (median)',
    'ratio min–max',
    'target',
  ];
  const rows = results.map((r) => [
    r.benchmark,
    r.case,
    fmtOps(r.subjectOpsPerSec),
    fmtOps(r.baselineOpsPerSec),
    fmtRatio(r.ratio.median),
    `${fmtRatio(r.ratio.min)} – ${fmtRatio(r.ratio.max)}`,
    r.minRatio === null ? '' : `≥ ${fmtRatio(r.minRatio)} ${r.targetMet ? 'met' : 'MISSED'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
