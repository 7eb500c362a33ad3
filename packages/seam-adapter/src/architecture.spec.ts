import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Package direction (docs/ARCHITECTURE.md, "Packages and their rooms"): `salto-sim → core`,
 * `seam-adapter → core` and `postgres-store → core`, never the reverse, never sideways. Tests may
 * cross (the adapter's contract runs against the simulator server), so only shipped sources are checked.
 */
const packagesDir = resolve(import.meta.dirname, '../..');

function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : shippedSources(p);
    const test = /\.(spec|test-helpers|example)\.ts$/.test(e.name) || e.name.endsWith('.int.spec.ts');
    return e.name.endsWith('.ts') && !test ? [p] : [];
  });
}

const importedPackages = (file: string): string[] =>
  [
    ...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](@keyslot\/[^/'"]+)/gm),
  ].map((m) => m[1] ?? '');

describe('package direction', () => {
  const rules: Record<string, readonly string[]> = {
    core: [],
    'salto-sim': ['@keyslot/core'],
    'seam-adapter': ['@keyslot/core'],
    'postgres-store': ['@keyslot/core'],
  };

  it.each(Object.entries(rules))('%s imports only %j of the keyslot packages', (pkg, allowed) => {
    const files = shippedSources(join(packagesDir, pkg, 'src'));
    expect(files.length).toBeGreaterThan(3);
    const offending = files.flatMap((f) =>
      importedPackages(f)
        .filter((p) => !allowed.includes(p))
        .map((p) => `${relative(packagesDir, f)} → ${p}`),
    );
    expect(offending).toEqual([]);
  });
});
