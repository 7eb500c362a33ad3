// Mutation testing of core's rules and use cases: `pnpm test:mutation` (not part of `pnpm test`).
// StrykerJS 9.6 (10.x needs Node 22). Under pnpm, Stryker cannot discover plugins by itself, so
// the vitest runner is named by its path.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: [require.resolve('@stryker-mutator/vitest-runner')],
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  mutate: [
    'src/domain/**/*.ts',
    'src/application/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/**/*.test-helpers.ts',
    '!src/**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  // A shared 2-core machine: one or two test processes at a time.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // Re-runs only test what changed since the last run (reports/stryker-incremental.json).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress'],
  clearTextReporter: { allowColor: false, reportMutants: process.env.STRYKER_SHOW_MUTANTS === '1' },
  thresholds: { high: 95, low: 90, break: null },
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
