import { defineConfig } from 'vitest/config';

// One project per package. Workspace packages resolve to their TypeScript sources through the
// "@keyslot/source" export condition, so tests never need a build first (vitest needs it under
// ssr.resolve.conditions in the node environment).
const shared = {
  ssr: { resolve: { conditions: ['@keyslot/source'] } },
  resolve: { conditions: ['@keyslot/source'] },
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
        // postgres-store's tests share one real PostgreSQL server, started (and stopped) once.
        ...(name === 'postgres-store'
          ? {
              globalSetup: ['src/testing/global-setup.test-helpers.ts'],
              hookTimeout: 120_000,
              testTimeout: 120_000,
            }
          : {}),
      },
    })),
  },
});
