import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, looksLikeSeamApiKey, parseCli } from './cli-args.js';

describe('keyslot-sim arguments', () => {
  it('serve defaults: 127.0.0.1:8080, real clock, rate limits on, guide error name, default key', () => {
    const r = parseCli(['serve'], {});
    expect(r).toEqual({
      ok: true,
      value: {
        command: 'serve',
        options: {
          port: 8080,
          host: '127.0.0.1',
          seed: 42,
          worldFile: null,
          clock: 'real',
          apiKey: DEFAULT_API_KEY,
          apiKeyIsDefault: true,
          rateLimits: true,
          notSubscribedErrorCode: 'salto_site_user_not_subscribed',
          quiet: false,
        },
      },
    });
    expect(looksLikeSeamApiKey(DEFAULT_API_KEY)).toBe(true);
  });

  it('honours PORT, SEAM_API_KEY and KEYSLOT_SIM_RATE_LIMITS=off; flags win over the environment', () => {
    const env = { PORT: '9090', SEAM_API_KEY: 'seam_from_env_1', KEYSLOT_SIM_RATE_LIMITS: 'off' };
    const fromEnv = parseCli(['serve'], env);
    expect(fromEnv.ok && fromEnv.value.command === 'serve' && fromEnv.value.options).toMatchObject({
      port: 9090,
      apiKey: 'seam_from_env_1',
      apiKeyIsDefault: false,
      rateLimits: false,
    });
    const flags = parseCli(
      [
        'serve',
        '--port',
        '0',
        '--api-key',
        'seam_flag_key',
        '--rate-limits',
        'on',
        '--clock',
        'virtual',
        '--seed',
        '7',
        '--world',
        'w.json',
        '--not-subscribed-error',
        'access_code_inactive',
      ],
      env,
    );
    expect(flags.ok && flags.value.command === 'serve' && flags.value.options).toMatchObject({
      port: 0,
      apiKey: 'seam_flag_key',
      rateLimits: true,
      clock: 'virtual',
      seed: 7,
      worldFile: 'w.json',
      notSubscribedErrorCode: 'access_code_inactive',
    });
  });

  it('prints help for --help or no command', () => {
    for (const argv of [['--help'], [], ['help']]) {
      const r = parseCli(argv, {});
      expect(r.ok && r.value.command === 'help' && r.value.text).toContain('keyslot-sim serve');
    }
  });

  it('refuses bad values with a message naming the option', () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['serve', '--port', 'eighty'], {}, '--port'],
      [['serve'], { PORT: '70000' }, 'PORT'],
      [['serve', '--clock', 'fast'], {}, '--clock'],
      [['serve', '--rate-limits', 'maybe'], {}, '--rate-limits'],
      [['serve', '--not-subscribed-error', 'nope'], {}, '--not-subscribed-error'],
      [['serve', '--seed', '1.5'], {}, '--seed'],
      [['serve', '--bogus'], {}, 'bogus'],
      [['launch'], {}, 'launch'],
      [['serve', '--api-key', 'short'], {}, '--api-key'],
    ];
    for (const [argv, env, mention] of cases) {
      const r = parseCli(argv, env);
      expect(r.ok, argv.join(' ')).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(mention);
    }
  });

  it('recognises keys Seam SDKs accept', () => {
    expect(looksLikeSeamApiKey('seam_abc')).toBe(true);
    expect(looksLikeSeamApiKey('seam_cst_abc')).toBe(false);
    expect(looksLikeSeamApiKey('my-key-123')).toBe(false);
  });
});
