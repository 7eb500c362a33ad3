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
  /** Request log format (`--log`). */
  readonly log: LogFormat;
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

export type LogFormat = 'text' | 'json';

/**
 * Every option `keyslot-sim` knows: parsed with node's `util.parseArgs` (no dependency) in
 * non-strict mode, and every mistake reported by `parseCli` in its own words (unknown options with
 * a suggestion, missing values, values out of range).
 */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  seed: { type: 'string' },
  world: { type: 'string' },
  clock: { type: 'string' },
  'api-key': { type: 'string' },
  'rate-limits': { type: 'string' },
  'not-subscribed-error': { type: 'string' },
  log: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies Record<string, { type: 'boolean' | 'string'; short?: string }>;

type OptionName = keyof typeof OPTIONS;

export const HELP = `keyslot-sim — a Salto KS lock integration behind a Seam-compatible API, on your machine.

Usage:
  keyslot-sim serve [options]   start the simulator server (Ctrl+C stops it)
  keyslot-sim --help, -h        this text
  keyslot-sim --version, -v     the version

Options for serve:
  --port, -p <n>        TCP port, 0–65535; 0 = any free port (env PORT; default ${DEFAULT_PORT})
  --host <addr>         interface to bind (default 127.0.0.1). No TLS and one shared key:
                        any other address exposes the simulator to the network (it warns)
  --seed <n>            seed of the simulated world's randomness (default ${DEFAULT_SEED});
                        same seed + same calls = same results
  --world <file.json>   start from a saved world (a snapshot from GET /_sim/snapshot) instead of
                        the default world; the snapshot carries its own random state, so --seed
                        is then ignored
  --clock <real|virtual>
                        real (default): time passes; virtual: time moves only via
                        POST /_sim/clock/advance
  --api-key <key>       bearer key the server accepts (env SEAM_API_KEY; default ${DEFAULT_API_KEY})
  --rate-limits <on|off>
                        Seam's per-device rate limits → 429 (env KEYSLOT_SIM_RATE_LIMITS; default on)
  --not-subscribed-error <name>
                        per-code error at a site's slot limit: ${NOT_SUBSCRIBED[0]} (default),
                        ${NOT_SUBSCRIBED.slice(1).join(' or ')}
  --log <text|json>     request log format: text (default) for people, json (one object per
                        line) for machines
  --quiet, -q           no request log

Point your app at it with:
  SEAM_ENDPOINT=http://127.0.0.1:<port>  SEAM_API_KEY=<key>
`;

/** Edit distance (insert, delete, substitute, swap adjacent), for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known option closest to `name` (a typo, or a prefix of a long name), if any is close. */
export function suggestOption(name: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const known of Object.keys(OPTIONS)) {
    const d = known.startsWith(name) && name.length >= 2 ? 1 : distance(name, known);
    if (d <= Math.max(1, Math.floor(known.length / 3)) && (!best || d < best.d)) best = { name: known, d };
  }
  return best?.name;
}

const flag = (name: string, short: boolean): string => (short ? `-${name}` : `--${name}`);

/** Parses argv (without `node` and the script) and the environment. Never throws, never exits. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<CliCommand, CliError> {
  const bad = (message: string): Result<CliCommand, CliError> => ({
    ok: false,
    error: { code: 'invalid_arguments', message: `${message} Run "keyslot-sim --help" for usage.` },
  });
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const short = t.rawName.length === 2 && !t.rawName.startsWith('--');
    const known = OPTIONS[t.name as OptionName] as (typeof OPTIONS)[OptionName] | undefined;
    if (!known) {
      const hint = short ? undefined : suggestOption(t.name);
      return bad(`Unknown option ${t.rawName}.${hint ? ` Did you mean ${flag(hint, false)}?` : ''}`);
    }
    if (known.type === 'string' && t.value === undefined)
      return bad(`Option ${t.rawName} needs a value (e.g. ${t.rawName} ${valueHint(t.name as OptionName)}).`);
    if (known.type === 'boolean' && t.value !== undefined) return bad(`Option ${t.rawName} takes no value.`);
  }
  const str = (name: OptionName): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  if (values['help'] === true || positionals[0] === 'help')
    return { ok: true, value: { command: 'help', text: HELP } };
  if (values['version'] === true) return { ok: true, value: { command: 'version' } };
  if (positionals.length === 0) return { ok: true, value: { command: 'help', text: HELP } };
  if (positionals[0] !== 'serve')
    return bad(`Unknown command "${positionals[0]}": the only command is "serve".`);
  if (positionals.length > 1) return bad(`Unexpected argument "${positionals[1]}".`);

  const portText = str('port') ?? env['PORT'] ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    const from = str('port') !== undefined ? '--port' : 'PORT';
    return bad(`${from} must be a whole number from 0 to 65535 (0 = any free port), got "${portText}".`);
  }

  const seedText = str('seed') ?? String(DEFAULT_SEED);
  const seed = Number(seedText);
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(seed))
    return bad(`--seed must be an integer, got "${seedText}".`);

  const clock = str('clock') ?? 'real';
  if (clock !== 'real' && clock !== 'virtual')
    return bad(`--clock must be "real" or "virtual", got "${clock}".`);

  const rl = (str('rate-limits') ?? env['KEYSLOT_SIM_RATE_LIMITS'] ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(rl)) {
    return bad(`--rate-limits / KEYSLOT_SIM_RATE_LIMITS must be "on" or "off", got "${rl}".`);
  }

  const nse = str('not-subscribed-error') ?? NOT_SUBSCRIBED[0];
  if (!(NOT_SUBSCRIBED as readonly string[]).includes(nse as string)) {
    return bad(`--not-subscribed-error must be one of ${NOT_SUBSCRIBED.join(', ')}; got "${nse}".`);
  }

  const log = str('log') ?? 'text';
  if (log !== 'text' && log !== 'json') return bad(`--log must be "text" or "json", got "${log}".`);

  const keyGiven = str('api-key') ?? (env['SEAM_API_KEY'] || undefined);
  const apiKey = keyGiven ?? DEFAULT_API_KEY;
  if (!/^\S{8,}$/.test(apiKey))
    return bad('--api-key / SEAM_API_KEY must be at least 8 characters without spaces.');

  const host = str('host') ?? '127.0.0.1';
  if (host.trim() === '') return bad('--host must not be empty.');

  return {
    ok: true,
    value: {
      command: 'serve',
      options: {
        port,
        host,
        seed,
        worldFile: str('world') ?? null,
        clock,
        apiKey,
        apiKeyIsDefault: keyGiven === undefined,
        rateLimits: ['on', 'true', '1'].includes(rl),
        notSubscribedErrorCode: nse as NotSubscribedErrorCode,
        log,
        quiet: values['quiet'] === true,
      },
    },
  };
}

function valueHint(name: OptionName): string {
  const hints: Partial<Record<OptionName, string>> = {
    port: '8080',
    host: '127.0.0.1',
    seed: '42',
    world: 'world.json',
    clock: 'virtual',
    'api-key': 'seam_my_key',
    'rate-limits': 'off',
    'not-subscribed-error': NOT_SUBSCRIBED[1],
    log: 'json',
  };
  return hints[name] ?? '<value>';
}

/** Whether `host` is only reachable from this machine (127.0.0.0/8, ::1, localhost). */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** The warning `serve` prints when bound beyond loopback; null when the host is local. */
export function exposureWarning(host: string, port: number): string | null {
  if (isLoopbackHost(host)) return null;
  const where = host === '0.0.0.0' || host === '::' ? 'every network interface' : host;
  return [
    '',
    '  !!! WARNING: the simulator is exposed to the network !!!',
    `  It listens on ${where} (port ${port}) over plain HTTP with one shared API key: anyone who can`,
    '  reach this machine can read and change the simulated world, and see the key in transit.',
    '  Use it only on a network you trust; for local work drop --host (default 127.0.0.1).',
    '',
  ].join('\n');
}

/** Seam's SDKs only accept keys starting `seam_` (and not `seam_cst`, `seam_at`, `seam_pk`). */
export const looksLikeSeamApiKey = (key: string): boolean =>
  key.startsWith('seam_') && !/^seam_(cst|at|pk)/.test(key);
