import { parseArgs } from 'node:util';
import type { Result } from '@keyslot/core';
import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core/domain';
import type { NotSubscribedErrorCode } from '../world/types.js';

/** What `keyslot-sim serve` runs with, after flags, environment and defaults are merged. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly worldFile: string | null;
  readonly clock: 'real' | 'virtual';
  readonly apiKey: string;
  /** True when no key was given and the built-in default is used (startup says so). */
  readonly apiKeyIsDefault: boolean;
  readonly rateLimits: boolean;
  readonly notSubscribedErrorCode: NotSubscribedErrorCode;
  readonly quiet: boolean;
}

export type CliCommand =
  | { readonly command: 'help'; readonly text: string }
  | { readonly command: 'version' }
  | { readonly command: 'serve'; readonly options: ServeOptions };

export interface CliError {
  readonly code: 'invalid_arguments';
  readonly message: string;
}

/** Default bearer key: recognisably fake, and shaped like a Seam API key so Seam's SDKs accept it. */
export const DEFAULT_API_KEY = 'seam_keyslot_sim_local_key';
export const DEFAULT_PORT = 8080;
export const DEFAULT_SEED = 42;

const NOT_SUBSCRIBED: readonly NotSubscribedErrorCode[] = NOT_SUBSCRIBED_PROVIDER_CODES;

export const HELP = `keyslot-sim — a Salto KS lock integration behind a Seam-compatible API, on your machine.

Usage:
  keyslot-sim serve [options]     start the simulator server (Ctrl+C stops it)
  keyslot-sim --help              this text

Options for serve:
  --port <n>            TCP port (env PORT; default ${DEFAULT_PORT}; 0 = any free port)
  --host <addr>         interface to bind (default 127.0.0.1; the simulator has no TLS, keep it local)
  --seed <n>            seed of the simulated world's randomness (default ${DEFAULT_SEED}); same seed + same calls = same results
  --world <file.json>   start from a saved world (a snapshot from GET /_sim/snapshot) instead of the default world;
                        the snapshot carries its own random state, so --seed is then ignored
  --clock <real|virtual>
                        real (default): time passes; virtual: time moves only via POST /_sim/clock/advance
  --api-key <key>       bearer key the server accepts (env SEAM_API_KEY; default ${DEFAULT_API_KEY})
  --rate-limits <on|off>
                        Seam's per-device rate limits → 429 (env KEYSLOT_SIM_RATE_LIMITS; default on)
  --not-subscribed-error <name>
                        per-code error at a site's slot limit: ${NOT_SUBSCRIBED.join(' (default) | ')}
  --quiet               no request log

Point your app at it with:
  SEAM_ENDPOINT=http://127.0.0.1:<port>  SEAM_API_KEY=<key>
`;

/** Parses argv (without `node` and the script) and the environment. Never throws, never exits. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<CliCommand, CliError> {
  const bad = (message: string): Result<CliCommand, CliError> => ({
    ok: false,
    error: { code: 'invalid_arguments', message: `${message} Run "keyslot-sim --help" for usage.` },
  });
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  const config = {
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      seed: { type: 'string' },
      world: { type: 'string' },
      clock: { type: 'string' },
      'api-key': { type: 'string' },
      'rate-limits': { type: 'string' },
      'not-subscribed-error': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
  } as const;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { ok: true, value: { command: 'help', text: HELP } };
  if (values.version) return { ok: true, value: { command: 'version' } };
  if (positionals.length === 0) return { ok: true, value: { command: 'help', text: HELP } };
  if (positionals[0] !== 'serve')
    return bad(`Unknown command "${positionals[0]}": the only command is "serve".`);
  if (positionals.length > 1) return bad(`Unexpected argument "${positionals[1]}".`);

  const portText = values.port ?? env['PORT'] ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    return bad(`--port / PORT must be an integer 0–65535, got "${portText}".`);

  const seedText = values.seed ?? String(DEFAULT_SEED);
  const seed = Number(seedText);
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(seed))
    return bad(`--seed must be an integer, got "${seedText}".`);

  const clock = values.clock ?? 'real';
  if (clock !== 'real' && clock !== 'virtual')
    return bad(`--clock must be "real" or "virtual", got "${clock}".`);

  const rl = (values['rate-limits'] ?? env['KEYSLOT_SIM_RATE_LIMITS'] ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(rl)) {
    return bad(`--rate-limits / KEYSLOT_SIM_RATE_LIMITS must be "on" or "off", got "${rl}".`);
  }

  const nse = values['not-subscribed-error'] ?? 'salto_site_user_not_subscribed';
  if (!(NOT_SUBSCRIBED as readonly string[]).includes(nse)) {
    return bad(`--not-subscribed-error must be one of ${NOT_SUBSCRIBED.join(', ')}; got "${nse}".`);
  }

  const keyGiven = values['api-key'] ?? (env['SEAM_API_KEY'] || undefined);
  const apiKey = keyGiven ?? DEFAULT_API_KEY;
  if (!/^\S{8,}$/.test(apiKey))
    return bad('--api-key / SEAM_API_KEY must be at least 8 characters without spaces.');

  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') return bad('--host must not be empty.');

  return {
    ok: true,
    value: {
      command: 'serve',
      options: {
        port,
        host,
        seed,
        worldFile: values.world ?? null,
        clock,
        apiKey,
        apiKeyIsDefault: keyGiven === undefined,
        rateLimits: ['on', 'true', '1'].includes(rl),
        notSubscribedErrorCode: nse as NotSubscribedErrorCode,
        quiet: values.quiet ?? false,
      },
    },
  };
}

/** Seam's SDKs only accept keys starting `seam_` (and not `seam_cst`, `seam_at`, `seam_pk`). */
export const looksLikeSeamApiKey = (key: string): boolean =>
  key.startsWith('seam_') && !/^seam_(cst|at|pk)/.test(key);
