import { describe, expect, it } from 'vitest';
import { MemoryLogger, REDACTED, redact } from './logging.js';

describe('redact', () => {
  it('removes API keys, bearer headers and webhook secrets wherever they appear', () => {
    const out = JSON.stringify(
      redact({
        apiKey: 'seam_live_abc123',
        headers: { Authorization: 'Bearer seam_live_abc123' },
        note: 'called with seam_test_zzzz9999 and whsec_c2VjcmV0',
      }),
    );
    expect(out).not.toMatch(/seam_live_abc123|seam_test_zzzz9999|whsec_c2VjcmV0/);
    expect(out).toContain(REDACTED);
  });

  it('removes PINs under code/pin keys but keeps error codes', () => {
    expect(redact({ code: '123456', pin: 654321, error: { code: 'slot_limit_reached' } })).toEqual({
      code: REDACTED,
      pin: REDACTED,
      error: { code: 'slot_limit_reached' },
    });
  });

  it('applies to every logged entry, message included', () => {
    const log = new MemoryLogger();
    log.log('info', 'key seam_abcdef1234 used', { access_code: { code: '9876543' } });
    expect(JSON.stringify(log.entries)).not.toMatch(/seam_abcdef1234|9876543/);
  });
});
