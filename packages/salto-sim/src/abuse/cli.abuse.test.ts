import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './child.test-helpers.js';

/** `keyslot-sim serve` refuses bad start-up input with a clear message, no stack trace, non-zero exit. */

const dir = mkdtempSync(join(tmpdir(), 'keyslot-abuse-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('keyslot-sim serve --world with a bad snapshot', () => {
  it.each([
    ['only a version', '{"version":1}', /config: Required/],
    ['now "abc"', '{"snapshot":{"version":1,"now":"abc"}}', /now: Expected number, received string/],
    [
      'deep nesting',
      `{"version":1,"config":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      /config: Expected object/,
    ],
    ['not JSON', '{"version":1', /Could not read the world file/],
    ['null', 'null', /Invalid snapshot/],
  ])('%s: exits 1 naming the problem, without a stack trace', async (_name, text, message) => {
    const r = await runCli(['serve', '--port', '0', '--world', file('w.json', text)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toMatch(/Listening/);
  });

  it('a bad limit in the environment: exits 2 naming the variable', async () => {
    const r = await runCli(['serve', '--port', '0'], { KEYSLOT_SIM_MAX_CONNECTIONS: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KEYSLOT_SIM_MAX_CONNECTIONS must be an integer ≥ 1 \(got "lots"\)/);
  });
});
