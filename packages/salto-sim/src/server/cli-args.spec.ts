import { describe, expect, it } from 'vitest';
import {
  DEFAULT_API_KEY,
  exposureWarning,
  HELP,
  isLoopbackHost,
  looksLikeSeamApiKey,
  parseCli,
} from './cli-args.js';

const messageOrNull = (argv: string[]): string | null => {
  const r = parseCli(argv, {});
  return r.ok ? null : r.error.message;
};
const messageOf = (argv: string[], env: Record<string, string> = {}): string => {
  const r = parseCli(argv, env);
  if (r.ok) throw new Error(`${argv.join(' ')} was accepted`);
  return r.error.message;
};

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
          log: 'text',
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

  it('answers mistakes in its own words: a suggestion for a typo, a range for a bad port, a full stop before "Run"', () => {
    expect(messageOf(['serve', '--prot', '9000'])).toBe(
      'Unknown option --prot. Did you mean --port? Run "keyslot-sim --help" for usage.',
    );
    expect(messageOf(['serve', '--seeed', '1'])).toContain('Did you mean --seed?');
    expect(messageOf(['serve', '--rate', 'off'])).toContain('Did you mean --rate-limits?');
    expect(messageOf(['serve', '--frobnicate'])).toBe(
      'Unknown option --frobnicate. Run "keyslot-sim --help" for usage.',
    );
    expect(messageOf(['serve', '-x'])).toBe('Unknown option -x. Run "keyslot-sim --help" for usage.');
    expect(messageOf(['serve', '--port', '-1'])).toBe(
      '--port must be a whole number from 0 to 65535 (0 = any free port), got "-1". Run "keyslot-sim --help" for usage.',
    );
    expect(messageOf(['serve'], { PORT: '65536' })).toMatch(/^PORT must be a whole number from 0 to 65535/);
    expect(messageOf(['serve', '--port'])).toBe(
      'Option --port needs a value (e.g. --port 8080). Run "keyslot-sim --help" for usage.',
    );
    expect(messageOf(['serve', '--quiet=yes'])).toContain('Option --quiet takes no value.');
    expect(messageOf(['serve', '--log', 'xml'])).toContain('--log must be "text" or "json", got "xml".');
    // Every message is sentences: a full stop (or question mark) before the pointer to --help.
    for (const argv of [['serve', '--prot'], ['launch'], ['serve', 'extra'], ['serve', '--clock', 'x']]) {
      expect(messageOf(argv)).toMatch(/[.?] Run "keyslot-sim --help" for usage\.$/);
    }
  });

  it('takes the short flags -p, -q, -h, -v and --log json', () => {
    const r = parseCli(['serve', '-p', '0', '-q', '--log', 'json'], {});
    expect(r.ok && r.value.command === 'serve' && r.value.options).toMatchObject({
      port: 0,
      quiet: true,
      log: 'json',
    });
    expect(parseCli(['-h'], {})).toMatchObject({ ok: true, value: { command: 'help' } });
    expect(parseCli(['-v'], {})).toMatchObject({ ok: true, value: { command: 'version' } });
    expect(parseCli(['--version'], {})).toMatchObject({ ok: true, value: { command: 'version' } });
  });

  it('help lists every option it parses, marks exactly one default error name, and names --version and -p', () => {
    for (const option of [
      '--port, -p',
      '--host',
      '--seed',
      '--world',
      '--clock',
      '--api-key',
      '--rate-limits',
      '--not-subscribed-error',
      '--log',
      '--quiet, -q',
      '--help, -h',
      '--version, -v',
    ]) {
      expect(HELP).toContain(option);
    }
    // The one default error name is marked; the other two are not.
    expect(HELP).toContain('salto_site_user_not_subscribed (default)');
    expect(HELP).not.toMatch(/(salto_ks_user_not_subscribed|access_code_inactive) \(default\)/);
    // Every long option the help advertises is one the parser knows.
    for (const [, name] of HELP.matchAll(/^ {2}(--[a-z-]+)/gm)) {
      expect(messageOrNull(['serve', name!, 'x']) ?? '').not.toMatch(/Unknown option/);
    }
  });

  it('warns loudly when bound beyond loopback', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(exposureWarning('127.0.0.1', 8080)).toBeNull();
    expect(exposureWarning('0.0.0.0', 8080)).toMatch(/WARNING: the simulator is exposed to the network/);
    expect(exposureWarning('0.0.0.0', 8080)).toContain('every network interface');
    expect(exposureWarning('192.168.1.20', 9000)).toContain('192.168.1.20 (port 9000)');
  });
});
