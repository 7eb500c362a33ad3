// Runs the benchmarks in bench/benchmarks/*.bench.js (all, or those whose file name contains one
// of the arguments), prints a table and writes bench/results/latest.json.
//
//   pnpm bench                      # build what bench depends on, run everything
//   node bench/run.js slot-plan     # only matching files (after a build)
//   BENCH_ROUNDS=9 BENCH_ROUND_MS=300 node bench/run.js   # more, longer rounds
//   node bench/run.js --check       # exit 1 if a case misses its target ratio
//   BENCH_QUICK=1 pnpm bench        # smoke run: small sizes, 3 short rounds (seconds, numbers rough)
//
// Each benchmark file runs in a fresh node process, so one benchmark's heap, JIT state and
// garbage never slow the next one down (a 10^6-hold plan measured after the HTTP benchmark ran
// ~30 % slower in the same process than alone).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatNotes, formatTable, runBenchmark, sinkValue } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * @param {string} name
 * @param {number} fallback
 */
function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"; unset it to use ${fallback}.`);
  }
  return n;
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const childIndex = args.indexOf('--child');
const filters = args.filter(
  (a, i) => !a.startsWith('--') && (childIndex === -1 || i <= childIndex || i > childIndex + 2),
);
const quick = process.env['BENCH_QUICK'] === '1';
const options = {
  rounds: envInt('BENCH_ROUNDS', quick ? 3 : 7),
  roundMs: envInt('BENCH_ROUND_MS', quick ? 50 : 150),
  quick,
};

const dir = join(here, 'benchmarks');

// Child mode: `--child <file> <out.json>` runs one benchmark file and writes its results.
if (childIndex !== -1) {
  const file = args[childIndex + 1];
  const outFile = args[childIndex + 2];
  if (!file || !outFile) throw new Error('usage: run.js --child <file.bench.js> <out.json>');
  /** @type {{ default: import('./harness.js').Benchmark }} */
  const mod = await import(pathToFileURL(join(dir, file)).href);
  const childResults = await runBenchmark(mod.default, options, (line) => console.error(line));
  writeFileSync(outFile, JSON.stringify({ results: childResults, sink: sinkValue() }));
  process.exit(0);
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark in ${dir} matches ${filters.join(', ')}; file names end in .bench.js.`);
  process.exit(1);
}

/** @type {import('./harness.js').CaseResult[]} */
const results = [];
let sink = 0;
const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'keyslot-bench-'));
try {
  for (const file of files) {
    const outFile = join(scratch, `${file}.json`);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    if (child.status !== 0) {
      throw new Error(
        `Benchmark ${file} failed (exit ${child.status ?? child.signal}); see its output above.`,
      );
    }
    const { results: childResults, sink: childSink } = JSON.parse(readFileSync(outFile, 'utf8'));
    results.push(...childResults);
    sink += Number(childSink) || 0;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const totalMs = performance.now() - started;

console.log(`\n${formatTable(results)}\n`);
const notes = formatNotes(results);
if (notes !== '') console.log(`${notes}\n`);
console.log(
  `${results.length} figures, ${options.rounds} alternated rounds each (in-process rounds ${options.roundMs} ms per side)${quick ? ', QUICK smoke run: sizes reduced, numbers rough' : ''}, ${(totalMs / 1000).toFixed(1)} s total.`,
);

const cpu = cpus()[0];
const report = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpu ? cpu.model : 'unknown',
  parallelism: availableParallelism(),
  options,
  totalMs,
  results,
  sink,
};
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`Wrote ${join('bench', 'results', 'latest.json')}.`);

const missed = results.filter((r) => r.targetMet === false);
if (missed.length > 0) {
  console.log(`Target missed: ${missed.map((r) => `${r.benchmark} ${r.case}`).join(', ')}.`);
  if (check) process.exitCode = 1;
}
