import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Checks that the code between `// --- example start ---` and `  // --- example end ---` in the
 * spec at `specUrl` appears verbatim (dedented by two spaces) in the README at `readmeUrl`.
 */
export function expectExampleInReadme(specUrl: string | URL, readmeUrl: URL): void {
  const source = readFileSync(new URL(specUrl), 'utf8');
  const body = source.split('// --- example start ---\n')[1]!.split('  // --- example end ---')[0]!;
  const dedented = body
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')
    .trimEnd();
  expect(dedented.length).toBeGreaterThan(100);
  expect(readFileSync(readmeUrl, 'utf8')).toContain(dedented);
}
