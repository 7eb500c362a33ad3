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
 * A case whose contenders are measured by their own async rounds (over HTTP, in child
 * processes, or with async code): `open` starts whatever is needed and returns a session.
 * @typedef {object} SessionCase
 * @property {string} label
 * @property {(options: RunOptions, log: (line: string) => void) => Promise<Session>} open
 */

/**
 * One contender's round: runs it once and returns its metrics, e.g. `{ 'req/s': 9000 }`.
 * @typedef {() => Promise<Record<string, number>>} Contender
 */

/**
 * A figure to report: the ratio of one metric between two contenders, always expressed as
 * "times better": subject ÷ baseline when higher is better, baseline ÷ subject when lower is.
 * @typedef {object} Comparison
 * @property {string} label e.g. "req/s vs bare node:http"
 * @property {string} subject contender name
 * @property {string} baseline contender name
 * @property {string} metric key of the contenders' metrics (also its unit, e.g. "req/s")
 * @property {'higher' | 'lower'} better
 * @property {number} [minRatio] target on the median "times better"
 */

/**
 * @typedef {object} Session
 * @property {Record<string, Contender>} contenders run in rotating order each round
 * @property {Comparison[]} comparisons
 * @property {number} [warmupRounds] unmeasured rounds first (default 1)
 * @property {() => Record<string, number | string>} [info] read after the rounds
 * @property {() => Promise<void>} close always called, also after a failure
 */

/**
 * A benchmark module's default export (files bench/benchmarks/*.bench.js).
 * @typedef {object} Benchmark
 * @property {string} name
 * @property {string} subject what is measured (sync cases)
 * @property {string} baseline what it is compared with (sync cases)
 * @property {string} unit what one op is ("query", "grant"…; sync cases)
 * @property {(BenchCase | SessionCase)[]} cases
 */

/**
 * @typedef {object} RunOptions
 * @property {number} rounds rounds per case (each round measures both sides once)
 * @property {number} roundMs how long each side runs per round (in-process cases)
 * @property {boolean} quick BENCH_QUICK=1: a fast smoke run (smaller sizes, shorter rounds)
 */

/**
 * @typedef {object} CaseResult
 * @property {string} benchmark
 * @property {string} case
 * @property {string} subject
 * @property {string} baseline
 * @property {string} metric what the values measure, e.g. "query/s", "req/s", "µs CPU/req", "ms"
 * @property {'higher' | 'lower'} better
 * @property {number} subjectValue median over rounds
 * @property {number} baselineValue median over rounds
 * @property {{ median: number, min: number, max: number }} ratio "times better" per round (see Comparison)
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
export function measure(op, ms, cursor) {
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
export function median(xs) {
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
 * @returns {Promise<CaseResult[]>}
 */
export async function runBenchmark(bench, options, log) {
  /** @type {CaseResult[]} */
  const results = [];
  for (const c of bench.cases) {
    if ('open' in c) results.push(...(await runSessionCase(bench, c, options, log)));
    else results.push(runSyncCase(bench, c, options, log));
  }
  return results;
}

/**
 * @param {Benchmark} bench
 * @param {BenchCase} c
 * @param {RunOptions} options
 * @param {(line: string) => void} log
 * @returns {CaseResult}
 */
function runSyncCase(bench, c, options, log) {
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
  return {
    benchmark: bench.name,
    case: c.label,
    subject: bench.subject,
    baseline: bench.baseline,
    metric: `${bench.unit}/s`,
    better: 'higher',
    subjectValue: median(subjectOps),
    baselineValue: median(baselineOps),
    ratio,
    rounds: options.rounds,
    setupMs,
    minRatio,
    targetMet: minRatio === null ? null : ratio.median >= minRatio,
    info: prepared.info ?? {},
  };
}

/**
 * The contenders in round `r`: rotated by r, and reversed every other round, so each one runs
 * first, last and in between as often as the others (drift and GC debt hit all alike).
 * @param {string[]} names
 * @param {number} r
 */
export function roundOrder(names, r) {
  const k = names.length;
  const rotated = names.map((_, i) => names[(i + r) % k] ?? '');
  return Math.floor(r / k) % 2 === 1 ? rotated.reverse() : rotated;
}

/**
 * @param {Benchmark} bench
 * @param {SessionCase} c
 * @param {RunOptions} options
 * @param {(line: string) => void} log
 * @returns {Promise<CaseResult[]>}
 */
async function runSessionCase(bench, c, options, log) {
  log(`${bench.name} ${c.label}: setting up…`);
  const t0 = performance.now();
  const session = await c.open(options, log);
  const setupMs = performance.now() - t0;
  try {
    const names = Object.keys(session.contenders);
    for (const cmp of session.comparisons) {
      for (const who of [cmp.subject, cmp.baseline]) {
        if (!names.includes(who)) throw new Error(`${bench.name} ${c.label}: no contender named "${who}".`);
      }
    }
    /** @type {(name: string) => Contender} */
    const contender = (name) => {
      const run = session.contenders[name];
      if (!run) throw new Error(`${bench.name} ${c.label}: no contender named "${name}".`);
      return run;
    };
    for (let w = 0; w < (session.warmupRounds ?? 1); w++) {
      for (const name of roundOrder(names, w)) await contender(name)();
    }
    /** @type {Record<string, number>[][]} */
    const rounds = [];
    for (let r = 0; r < options.rounds; r++) {
      /** @type {Record<string, Record<string, number>>} */
      const got = {};
      for (const name of roundOrder(names, r)) got[name] = await contender(name)();
      rounds.push(names.map((n) => got[n] ?? {}));
      log(
        `${bench.name} ${c.label}: round ${r + 1}/${options.rounds} ${names
          .map(
            (n) =>
              `${n} ${Object.entries(got[n] ?? {})
                .map(([k, v]) => `${fmtValue(v)} ${k}`)
                .join(', ')}`,
          )
          .join(' | ')}`,
      );
    }
    const info = session.info ? session.info() : {};
    return session.comparisons.map((cmp) => {
      const si = names.indexOf(cmp.subject);
      const bi = names.indexOf(cmp.baseline);
      /** @param {number} i */
      const series = (i) => rounds.map((round) => round[i]?.[cmp.metric] ?? Number.NaN);
      const s = series(si);
      const b = series(bi);
      const ratios = s.map((x, i) => {
        const y = b[i] ?? Number.NaN;
        return cmp.better === 'higher' ? x / y : y / x;
      });
      const ratio = { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
      const minRatio = cmp.minRatio ?? null;
      return {
        benchmark: bench.name,
        case: `${c.label}: ${cmp.label}`,
        subject: cmp.subject,
        baseline: cmp.baseline,
        metric: cmp.metric,
        better: cmp.better,
        subjectValue: median(s),
        baselineValue: median(b),
        ratio,
        rounds: options.rounds,
        setupMs,
        minRatio,
        targetMet: minRatio === null ? null : ratio.median >= minRatio,
        info,
      };
    });
  } finally {
    await session.close();
  }
}

/** The sink, so that nothing measured is dead code. */
export const sinkValue = () => sink;

/** @param {number} x */
const fmtValue = (x) =>
  x >= 1e6
    ? `${(x / 1e6).toFixed(2)} M`
    : x >= 1e3
      ? `${(x / 1e3).toFixed(1)} k`
      : x >= 10
        ? x.toFixed(1)
        : x.toPrecision(3);
/** @param {number} x */
const fmtRatio = (x) => (x >= 100 ? `${Math.round(x)}x` : `${x.toFixed(2)}x`);

/**
 * A plain-text table of results. "ratio" is always how many times better the subject is than
 * the baseline on that row's metric (higher is better; below 1 the baseline wins).
 * @param {CaseResult[]} results
 */
export function formatTable(results) {
  const head = [
    'benchmark',
    'case',
    'metric',
    'subject',
    'baseline',
    'ratio (median)',
    'ratio min–max',
    'target',
  ];
  const rows = results.map((r) => [
    r.benchmark,
    r.case,
    `${r.metric} (${r.better} is better)`,
    fmtValue(r.subjectValue),
    fmtValue(r.baselineValue),
    fmtRatio(r.ratio.median),
    `${fmtRatio(r.ratio.min)} – ${fmtRatio(r.ratio.max)}`,
    r.minRatio === null ? '' : `≥ ${fmtRatio(r.minRatio)} ${r.targetMet ? 'met' : 'MISSED'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Each benchmark's subject and baseline, and the extra facts its cases reported.
 * @param {CaseResult[]} results
 */
export function formatNotes(results) {
  /** @type {string[]} */
  const lines = [];
  /** @type {Set<string>} */
  const seen = new Set();
  for (const r of results) {
    const key = `${r.benchmark} ${r.case.split(':')[0]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const facts = Object.entries(r.info).map(([k, v]) => `${k}=${typeof v === 'number' ? fmtValue(v) : v}`);
    if (facts.length > 0) lines.push(`${key}: ${facts.join(', ')}`);
  }
  return lines.join('\n');
}
