import { describe, expect, it } from 'vitest';
import { runAcsStay } from '../examples/acs-stay.js';

describe('examples/acs-stay.ts', () => {
  it('the same four-door stay takes 4 slots through the lock integration and 1 through the ACS, printing no PIN', async () => {
    const lines: string[] = [];
    const summary = await runAcsStay({ print: (l) => lines.push(l) });
    expect(summary).toEqual({
      lockPathSlots: 4,
      acsPathSlots: 1,
      doorsWithThePin: 4,
      pinLength: summary.pinLength,
      usedAfterRevoking: 0,
    });
    expect(summary.pinLength).toBeGreaterThanOrEqual(6);
    expect(lines).toContain('lock integration: a stay over 4 locks took 4 slots (one Salto user per code)');
    expect(lines).toContain(
      'access control system: the same stay took 1 slot (one Salto user for all doors)',
    );
    expect(lines).toContain('site "Casa Sol Apartments": 5/10 slots used, 1 planned by this app');
    expect(lines.join('\n')).not.toMatch(/\d{6,}/);
  });
});
