import { defineConfig } from 'vitest/config';

// `pnpm test:abuse`: the process-level attacks on the simulator server (a built `keyslot-sim` in a
// child process, its RSS read from /proc). One file at a time, so memory figures are the child's own.
const shared = {
  ssr: { resolve: { conditions: ['@keyslot/source'] } },
  resolve: { conditions: ['@keyslot/source'] },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'salto-sim-abuse',
          root: 'packages/salto-sim',
          include: ['src/**/*.abuse.test.ts'],
          setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
