import { MemoryLogger, VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import { runExample } from '../examples/embed-keyslot.js';

describe('examples/embed-keyslot.ts', () => {
  it('runs the whole flow against the simulator server on 127.0.0.1 by default, printing no PIN', async () => {
    const lines: string[] = [];
    const logger = new MemoryLogger('debug');
    const summary = await runExample({
      env: {},
      print: (l) => lines.push(l),
      // One virtual clock for keyslot and the simulator: waiting for the PIN moves both.
      clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }),
      logger,
    });
    expect(summary).toMatchObject({
      target: 'simulator',
      unlock: 'unlocked',
      slotsUsedWhileGranted: 1,
      revoked: 'revoked',
    });
    expect(summary.pinLength).toBeGreaterThanOrEqual(6);
    expect(lines[0]).toMatch(/^keyslot → simulator at http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).not.toMatch(/\d{6,}/);
  });

  it('uses Seam when SEAM_API_KEY and SEAM_ENDPOINT are set (a bad endpoint fails at construction)', async () => {
    await expect(
      runExample({ env: { SEAM_API_KEY: 'seam_x_1234', SEAM_ENDPOINT: 'not a url' }, print: () => {} }),
    ).rejects.toThrow(/endpoint: must be an absolute http\(s\) URL/);
  });
});
