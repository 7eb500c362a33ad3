#!/usr/bin/env node
/**
 * `keyslot-sim` — starts the Seam-compatible Salto KS simulator server.
 * Run `keyslot-sim --help` for options. Exit codes: 0 stopped cleanly, 1 startup failed,
 * 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import { SystemClock } from '@keyslot/core/infrastructure';
import { exposureWarning, looksLikeSeamApiKey, parseCli, type ServeOptions } from './server/cli-args.js';
import { limitsFromEnv } from './server/limits.js';
import { createRequestLog } from './server/request-log.js';
import { type SimServer, startSimServer } from './server/server.js';
import { createDefaultWorld } from './world/default-world.js';
import type { SaltoKsWorld } from './world/world.js';

async function loadWorld(
  o: ServeOptions,
): Promise<{ ok: true; world: SaltoKsWorld; summary: string } | { ok: false; message: string }> {
  const config = { rateLimits: { enabled: o.rateLimits }, notSubscribedErrorCode: o.notSubscribedErrorCode };
  if (o.worldFile === null) {
    const { world } = createDefaultWorld({
      seed: o.seed,
      ...(o.clock === 'real' ? { clock: new SystemClock() } : {}),
      config,
    });
    return { ok: true, world, summary: `default world (seed ${o.seed})` };
  }
  let snapshot: unknown;
  try {
    const parsed = JSON.parse(readFileSync(o.worldFile, 'utf8')) as { snapshot?: unknown } | null;
    snapshot = parsed?.snapshot ?? parsed;
  } catch (e) {
    return {
      ok: false,
      message: `Could not read the world file ${o.worldFile}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  // Checked whole (shape, ranges, references) before use; zod loads only for --world.
  const { restoreWorldSnapshot } = await import('./world/snapshot-schema.js');
  const r = restoreWorldSnapshot(snapshot, o.clock === 'real' ? { clock: new SystemClock() } : {});
  if (!r.ok)
    return {
      ok: false,
      message: `The world file ${o.worldFile} is not a usable snapshot: ${r.error.message}`,
    };
  r.value.setRateLimitsEnabled(o.rateLimits);
  return { ok: true, world: r.value, summary: `world from ${o.worldFile}` };
}

async function serve(o: ServeOptions): Promise<number> {
  const limits = limitsFromEnv(process.env);
  if (!limits.ok) {
    process.stderr.write(`keyslot-sim: ${limits.message}\n`);
    return 2;
  }
  const loaded = await loadWorld(o);
  if (!loaded.ok) {
    process.stderr.write(`keyslot-sim: ${loaded.message}\n`);
    return 1;
  }
  let server: SimServer;
  try {
    server = await startSimServer({
      world: loaded.world,
      apiKey: o.apiKey,
      port: o.port,
      host: o.host,
      limits: limits.value,
      ...(o.quiet ? {} : createRequestLog({ format: o.log, write: (line) => process.stdout.write(line) })),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint =
      code === 'EADDRINUSE'
        ? `port ${o.port} is already in use: pick another with --port or PORT=…`
        : code === 'EACCES'
          ? `no permission to bind ${o.host}:${o.port}: use a port above 1024`
          : e instanceof Error
            ? e.message
            : String(e);
    process.stderr.write(`keyslot-sim: could not start the server: ${hint}\n`);
    return 1;
  }

  const world = server.world;
  const devices = world.listDevices();
  const sites = world.listSites();
  const siteCount = sites.ok ? sites.value.length : 0;
  const lockCount = devices.ok ? devices.value.length : 0;
  const keyNote = o.apiKeyIsDefault ? ' (default; set SEAM_API_KEY or --api-key to choose one)' : '';
  const lines = [
    `keyslot-sim — Salto KS locks behind a Seam-compatible API`,
    `  Listening on ${server.url}`,
    `  API key:     ${o.apiKey}${keyNote}`,
    `  World:       ${loaded.summary}: ${siteCount} sites, ${lockCount} locks`,
    `  Clock:       ${o.clock}${o.clock === 'virtual' ? ' (move it with POST /_sim/clock/advance {"ms": …})' : ''}`,
    `  Rate limits: ${o.rateLimits ? 'on (Seam per-device limits → 429)' : 'off'}`,
    `  Slot-limit code error: ${o.notSubscribedErrorCode}`,
    '',
    'Point your app at it (paste into its environment):',
    `  SEAM_ENDPOINT=${server.url}`,
    `  SEAM_API_KEY=${o.apiKey}`,
    '',
    'Watch and poke the world in a browser (the key after # stays in the browser):',
    `  ${server.url}/#key=${encodeURIComponent(o.apiKey)}`,
    '',
    `Try: curl -s -H "Authorization: Bearer ${o.apiKey}" ${server.url}/devices/list`,
    'Stop with Ctrl+C.',
    '',
  ];
  if (!looksLikeSeamApiKey(o.apiKey)) {
    lines.push(
      `Note: Seam's SDKs only accept keys starting "seam_"; "${o.apiKey.slice(0, 5)}…" works with curl and raw HTTP only.`,
      '',
    );
  }
  process.stdout.write(lines.join('\n'));
  const exposed = exposureWarning(o.host, server.port);
  if (exposed) process.stderr.write(`${exposed}\n`);

  return new Promise<number>((resolve) => {
    let stoppingSince: number | null = null;
    const stop = (signal: NodeJS.Signals) => {
      // Under `pnpm start` one Ctrl+C arrives twice (from the terminal, and forwarded by pnpm):
      // only a second press (later than that) forces the exit.
      if (stoppingSince !== null && Date.now() - stoppingSince < 1_000) return;
      if (stoppingSince !== null) {
        process.stderr.write(`keyslot-sim: ${signal} again, exiting now.\n`);
        resolve(130);
        return;
      }
      stoppingSince = Date.now();
      process.stdout.write(`keyslot-sim: ${signal} received, stopping…\n`);
      server.close().then(
        () => {
          process.stdout.write('keyslot-sim: stopped.\n');
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Under `pnpm start` a SIGTERM to pnpm is not forwarded: when the package-manager parent
    // goes away, stop as if signalled instead of lingering with the port taken.
    if (process.env['npm_lifecycle_event'] !== undefined) {
      const parent = process.ppid;
      const watchdog = setInterval(() => {
        if (process.ppid !== parent) {
          clearInterval(watchdog);
          stop('SIGTERM');
        }
      }, 500);
      watchdog.unref();
    }
  });
}

/** The package's own version (package.json sits next to dist/ and src/). */
function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const parsed = parseCli(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`keyslot-sim: ${parsed.error.message}\n`);
    return 2;
  }
  const cmd = parsed.value;
  if (cmd.command === 'help') {
    process.stdout.write(cmd.text);
    return 0;
  }
  if (cmd.command === 'version') {
    process.stdout.write(`keyslot-sim ${version()}\n`);
    return 0;
  }
  return serve(cmd.options);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(
      `keyslot-sim: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  },
);
