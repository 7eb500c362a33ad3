import { defineConfig } from 'vitest/config';

// One project per package. Workspace packages resolve to their TypeScript sources through the
// "@keyslot/source" export condition, so tests never need a build first (vitest needs it under
// ssr.resolve.conditions in the node environment).
const shared = {
  ssr: { resolve: { conditions: ['@keyslot/source'] } },
  resolve: { conditions: ['@keyslot/source'] },
};

// The projects whose tests use a real PostgreSQL: one server each, started once and stopped
// afterwards by @keyslot/postgres-store's set-up (or KEYSLOT_TEST_DATABASE_URL's server). Opening
// PGlite (WASM) takes seconds on a busy machine, hence the longer timeouts.
const postgresTests = {
  globalSetup: [
    new URL('./packages/postgres-store/src/testing/global-setup.test-helpers.ts', import.meta.url).pathname,
  ],
  hookTimeout: 120_000,
  testTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: ['core', 'salto-sim', 'seam-adapter', 'postgres-store'].map((name) => ({
      ...shared,
      test: {
        name,
        root: `packages/${name}`,
        include: ['src/**/*.spec.ts'],
        setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
        environment: 'node',
        // A hang guard, not a performance check: the build machines are shared 2-core boxes where a
        // property test that takes 1 s alone can take 5–10 s under load. Performance lives in `pnpm bench`.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        ...(name === 'postgres-store' || name === 'seam-adapter' ? postgresTests : {}),
      },
    })),
  },
});
