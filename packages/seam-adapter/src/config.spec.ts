import { describe, expect, it } from 'vitest';
import { DEFAULT_SEAM_ENDPOINT, resolveSeamAdapterOptions, seamOptionsFromEnv } from './config.js';
import { SeamAdapterConfigError } from './errors.js';
import { SeamLockGateway } from './gateway.js';

const KEY = 'seam_live_abcdef123456';

const configError = (f: () => unknown): SeamAdapterConfigError => {
  try {
    f();
  } catch (e) {
    if (SeamAdapterConfigError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a SeamAdapterConfigError');
};

describe('adapter configuration', () => {
  it('defaults to Seam’s endpoint and documented limits', () => {
    const o = resolveSeamAdapterOptions({ apiKey: KEY });
    expect(o.endpoint).toBe(DEFAULT_SEAM_ENDPOINT);
    expect(o.throttle).toEqual({
      createPerMinute: 10,
      deletePerMinute: 20,
      unlockPerMinute: 15,
      maxWaitMs: 60_000,
    });
    expect(o.defaultTimeZone).toBe('UTC');
  });

  it('strips a trailing slash from the endpoint', () => {
    expect(resolveSeamAdapterOptions({ apiKey: KEY, endpoint: 'http://127.0.0.1:8080/' }).endpoint).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it.each([
    [{}, 'apiKey: is required'],
    [{ apiKey: '' }, 'apiKey: is required'],
    [{ apiKey: '   ' }, 'apiKey: is required'],
    [{ apiKey: 'Bearer seam_x' }, 'apiKey: must not contain whitespace'],
    [{ apiKey: KEY, endpoint: 'connect.getseam.com' }, 'endpoint: must be an absolute http(s) URL'],
    [{ apiKey: KEY, endpoint: 'ftp://connect.getseam.com' }, 'endpoint: must be an absolute http(s) URL'],
    [{ apiKey: KEY, endpoint: `https://user:${KEY}@seam.example` }, 'endpoint: must not carry credentials'],
    [{ apiKey: KEY, fetch: 'nope' }, 'fetch: must be a fetch-compatible function'],
    [{ apiKey: KEY, siteSlotLimits: { s: -1 } }, 'siteSlotLimits.s'],
    [{ apiKey: KEY, defaultTimeZone: 'Mars/Olympus' }, 'defaultTimeZone: must be an IANA time zone'],
    [{ apiKey: KEY, throttle: { createPerMinute: 0 } }, 'throttle.createPerMinute'],
    [{ apiKey: KEY, webhookSecret: 'whsec_%%%' }, 'webhookSecret: must be a Svix secret'],
    [
      { apiKey: KEY, connectedAccountId: 'ca-1' },
      'connectedAccountId: must be a Seam connected account id (a UUID',
    ],
  ])('%o → a clear SeamAdapterConfigError', (options, expected) => {
    const e = configError(() => new SeamLockGateway(options as never));
    expect(e.message).toContain(expected);
    expect(e.message).not.toContain(KEY);
    expect(e.message).not.toContain('%%%');
  });

  it('names every bad field at once', () => {
    const e = configError(() => resolveSeamAdapterOptions({ endpoint: 'nope', readRetries: -1 }));
    expect(e.issues.map((i) => i.field).sort()).toEqual(['apiKey', 'endpoint', 'readRetries']);
  });

  it('rejects a non-object', () => {
    expect(configError(() => resolveSeamAdapterOptions(undefined)).message).toContain(
      'options: must be an object',
    );
  });

  it('reads SEAM_API_KEY and SEAM_ENDPOINT; fails clearly without a key', () => {
    expect(seamOptionsFromEnv({ SEAM_API_KEY: KEY, SEAM_ENDPOINT: 'http://127.0.0.1:9' })).toEqual({
      apiKey: KEY,
      endpoint: 'http://127.0.0.1:9',
    });
    expect(seamOptionsFromEnv({ SEAM_API_KEY: KEY, SEAM_API_URL: 'http://127.0.0.1:7' }).endpoint).toBe(
      'http://127.0.0.1:7',
    );
    expect(seamOptionsFromEnv({ SEAM_API_KEY: KEY }, { endpoint: 'http://x.test' }).endpoint).toBe(
      'http://x.test',
    );
    expect(configError(() => seamOptionsFromEnv({})).message).toContain('SEAM_API_KEY: is not set');
  });

  it('does not expose the key through the gateway’s public options or JSON', () => {
    const g = new SeamLockGateway({ apiKey: KEY });
    expect(JSON.stringify(g)).not.toContain(KEY);
    expect(JSON.stringify(g.options)).not.toContain(KEY);
  });

  it('KEYSLOT_SITE_SLOT_LIMIT is the default slot limit (an explicit option wins; a bad value names the variable)', () => {
    expect(
      seamOptionsFromEnv({ SEAM_API_KEY: KEY, KEYSLOT_SITE_SLOT_LIMIT: '25' }).defaultSiteSlotLimit,
    ).toBe(25);
    expect(
      seamOptionsFromEnv({ SEAM_API_KEY: KEY, KEYSLOT_SITE_SLOT_LIMIT: '25' }, { defaultSiteSlotLimit: 7 })
        .defaultSiteSlotLimit,
    ).toBe(7);
    expect(seamOptionsFromEnv({ SEAM_API_KEY: KEY }).defaultSiteSlotLimit).toBeUndefined();
    expect(() => seamOptionsFromEnv({ SEAM_API_KEY: KEY, KEYSLOT_SITE_SLOT_LIMIT: 'ten' })).toThrow(
      /KEYSLOT_SITE_SLOT_LIMIT: must be a whole number/,
    );
  });
});
