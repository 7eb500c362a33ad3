/**
 * The crash tests' app process runs plain JavaScript (node 20 runs no TypeScript), so its entry
 * is bundled once per test run with vite: the workspace sources (through the `@keyslot/source`
 * condition) go in; pg and PGlite stay outside and load from @keyslot/postgres-store's node_modules.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const packageRoot = resolve(import.meta.dirname, '../..');
/** pg and PGlite load from @keyslot/postgres-store's own dependencies (pnpm keeps them there). */
const storeRoot = join(packageRoot, 'node_modules', '@keyslot', 'postgres-store');

/** Bundles `crash-app.test-helpers.ts`; returns the path of the runnable file. */
export async function bundleCrashApp(): Promise<{ script: string; remove(): void }> {
  const outDir = join(storeRoot, 'node_modules', '.keyslot-crash-app', String(process.pid));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: packageRoot,
    resolve: { conditions: ['@keyslot/source'] },
    ssr: {
      resolve: { conditions: ['@keyslot/source'], externalConditions: ['@keyslot/source'] },
      noExternal: true,
    },
    build: {
      ssr: join(import.meta.dirname, 'crash-app.test-helpers.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: {
        external: [/^node:/, 'pg', '@electric-sql/pglite'],
        output: { format: 'es', entryFileNames: 'crash-app.mjs' },
      },
    },
  });
  return {
    script: join(outDir, 'crash-app.mjs'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
