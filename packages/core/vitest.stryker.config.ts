import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Core's tests alone, for Stryker (stryker.config.mjs). Stryker runs them in a sandbox copy of
// this package, so the workspace root (for the shared fast-check setup) is found by walking up.
function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}

const root = workspaceRoot(dirname(fileURLToPath(import.meta.url)));

export default defineConfig({
  ssr: { resolve: { conditions: ['@keyslot/source'] } },
  resolve: { conditions: ['@keyslot/source'] },
  test: {
    include: ['src/**/*.spec.ts'],
    setupFiles: [join(root, 'vitest.setup.ts')],
    environment: 'node',
    testTimeout: 60_000,
  },
});
