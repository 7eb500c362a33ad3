import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, SystemClock, VirtualClock } from '@keyslot/core';
import { createDefaultWorld } from '@keyslot/salto-sim';
import { startSimServer } from '@keyslot/salto-sim/server';
import { describe, expect, it } from 'vitest';
import { runExample } from '../examples/embed-keyslot.js';
import { useSeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';

/** The example's Seam traffic, checked against Seam's newest OpenAPI after each test. */
const schemas = useSeamSchemaCheck();

describe('examples/embed-keyslot.ts', () => {
  it('runs the whole flow against the simulator server on 127.0.0.1 by default, printing no PIN; a second run finds the first run’s grant in the PGlite directory and revokes it', async () => {
    const grantsDir = mkdtempSync(join(tmpdir(), 'keyslot-example-'));
    try {
      const run = async (lines: string[], start: number) =>
        runExample({
          env: { KEYSLOT_GRANTS_DIR: join(grantsDir, 'grants') },
          print: (l) => lines.push(l),
          // One virtual clock for keyslot and the simulator: waiting for the PIN moves both.
          clock: new VirtualClock(start, { autoAdvance: true }),
          logger: new MemoryLogger('debug'),
          fetch: schemas.fetch,
        });
      const first: string[] = [];
      const one = await run(first, Date.UTC(2026, 2, 1));
      expect(one).toMatchObject({
        target: 'simulator',
        unlock: 'unlocked',
        slotsUsedWhileGranted: 1,
        revokedFromEarlierRun: [],
      });
      expect(one.pinLength).toBeGreaterThanOrEqual(6);
      expect(first[0]).toMatch(/^keyslot → simulator at http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.join('\n')).not.toMatch(/\d{6,}/);

      const second: string[] = [];
      const two = await run(second, Date.UTC(2026, 2, 2)); // the next day: a new grant key
      expect(two.revokedFromEarlierRun).toEqual([{ key: one.kept, outcome: 'revoked' }]);
      expect(two.kept).not.toBe(one.kept);
      expect(second.join('\n')).toContain(`found ${one.kept} from an earlier run`);
    } finally {
      rmSync(grantsDir, { recursive: true, force: true });
    }
  });

  it('uses Seam when SEAM_API_KEY and SEAM_ENDPOINT are set (a bad endpoint fails at construction)', async () => {
    await expect(
      runExample({ env: { SEAM_API_KEY: 'seam_x_1234', SEAM_ENDPOINT: 'not a url' }, print: () => {} }),
    ).rejects.toThrow(/endpoint: must be an absolute http\(s\) URL/);
  });

  it('runs as documented against `pnpm start` (the default world over SEAM_ENDPOINT) and shows its real limits', async () => {
    // What `pnpm start` serves, with short Salto delays so the real clock moves the flow quickly.
    const fast = [20, 60] as const;
    const { world } = createDefaultWorld({
      seed: 42,
      clock: new SystemClock(),
      config: { timings: { pinAssignmentMs: fast, programmingMs: fast, removalMs: fast, unlockMs: fast } },
    });
    const key = 'seam_keyslot_sim_local_key';
    const server = await startSimServer({ world, apiKey: key, port: 0 });
    try {
      const lines: string[] = [];
      const summary = await runExample({
        env: { SEAM_API_KEY: key, SEAM_ENDPOINT: server.url },
        print: (l) => lines.push(l),
        fetch: schemas.fetch,
      });
      expect(lines).toContain(`keyslot → keyslot simulator at ${server.url}`);
      expect(lines).toContain('site "Harbour Office" (Europe/London): 0/3 slots used');
      expect(lines).toContain('site "Casa Sol Apartments" (Europe/Madrid): 0/10 slots used');
      expect(summary).toMatchObject({ unlock: 'unlocked', slotsUsedWhileGranted: 1 });
    } finally {
      await server.close();
    }
  });
});
