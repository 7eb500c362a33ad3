import fc from 'fast-check';

// Property tests run with a fixed seed unless FC_SEED says otherwise ("random" = a fresh one),
// so CI is reproducible. fast-check prints the seed, the path and the shrunk counterexample
// of any failure; re-run with FC_SEED=<seed> to replay it.
const seedEnv = process.env.FC_SEED;
const seed = seedEnv === 'random' ? Date.now() ^ (Math.random() * 0x100000000) : Number(seedEnv ?? 20261126);
const numRuns = process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : undefined;
fc.configureGlobal({
  seed,
  ...(numRuns ? { numRuns } : {}),
  verbose: 1,
});
