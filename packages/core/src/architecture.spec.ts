import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The hexagon's rules, checked on the source text (docs/ARCHITECTURE.md, "Packages and their
 * rooms"): the domain is pure (imports nothing outside itself but the data structures of
 * `structures/`, reads no clock, no randomness, no I/O); `structures/` is pure too and imports
 * nothing outside itself; and nothing in core but the DI module imports inversify.
 */
const srcDir = resolve(import.meta.dirname);
const domainDir = join(srcDir, 'domain');
const structuresDir = join(srcDir, 'structures');
const inside = (file: string, spec: string, dirs: readonly string[]): boolean =>
  spec.startsWith('.') && dirs.some((d) => resolve(join(file, '..'), spec).startsWith(`${d}/`));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

const importsOf = (text: string): string[] =>
  [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

describe('architecture', () => {
  const domainFiles = sourceFiles(domainDir);
  const structureFiles = sourceFiles(structuresDir);
  const pureFiles = [...domainFiles, ...structureFiles];

  it('finds the domain sources', () => {
    expect(domainFiles.length).toBeGreaterThan(5);
  });

  it.each(domainFiles.map((f) => [relative(srcDir, f), f]))(
    '%s imports only from inside the domain',
    (_, file) => {
      const outside = importsOf(readFileSync(file, 'utf8')).filter(
        (spec) => !inside(file, spec, [domainDir, structuresDir]),
      );
      expect(outside).toEqual([]);
    },
  );

  it.each(structureFiles.map((f) => [relative(srcDir, f), f]))(
    '%s imports nothing outside structures/',
    (_, file) => {
      const outside = importsOf(readFileSync(file, 'utf8')).filter(
        (spec) => !inside(file, spec, [structuresDir]),
      );
      expect(outside).toEqual([]);
    },
  );

  it.each(pureFiles.map((f) => [relative(srcDir, f), f]))(
    '%s reads no clock, randomness or I/O',
    (_, file) => {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const forbidden = [
        /\bDate\.now\b/,
        /\bnew Date\b/,
        /\bMath\.random\b/,
        /\bperformance\.now\b/,
        /\bprocess\./,
        /\bfetch\(/,
        /\bsetTimeout\b/,
        /\bsetInterval\b/,
        /\brequire\(/,
      ];
      expect(forbidden.filter((re) => re.test(code)).map(String)).toEqual([]);
    },
  );

  it('keeps inversify out of everything but the DI module', () => {
    const offenders = sourceFiles(srcDir)
      .filter((f) => !f.endsWith('container.ts'))
      .filter((f) =>
        importsOf(readFileSync(f, 'utf8')).some((s) => s === 'inversify' || s.startsWith('@inversifyjs')),
      );
    expect(offenders.map((f) => relative(srcDir, f))).toEqual([]);
  });
});
