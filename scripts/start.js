#!/usr/bin/env node
/**
 * `pnpm start`: builds only what changed, then runs the simulator server (`keyslot-sim serve`) in
 * this same process. Arguments after `pnpm start --` go to `keyslot-sim serve`.
 *
 * Up to date (the common case) is decided without loading TypeScript: the newest modification
 * time among each project's build inputs (sources that ship, tsconfigs, package.json, and the
 * directories, so a deleted or renamed file counts) against its `tsc -b` build info. When anything
 * is newer, `tsc -b` (project references, incremental) rebuilds and says which project it builds.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The projects the simulator server needs, in build order (salto-sim's tsconfig references core's). */
const projects = [
  { name: '@keyslot/core', dir: 'packages/core' },
  { name: '@keyslot/salto-sim', dir: 'packages/salto-sim' },
];
const notShipped = /\.(spec|test-helpers|example)\.ts$/;
const say = (line) => process.stdout.write(`keyslot: ${line}\n`);

/** Newest mtime (ms) among a project's build inputs. */
function newestInput(dir) {
  let newest = 0;
  const visit = (p) => {
    const st = statSync(p);
    newest = Math.max(newest, st.mtimeMs);
    if (!st.isDirectory()) return;
    for (const e of readdirSync(p, { withFileTypes: true })) {
      if (e.isDirectory() || !notShipped.test(e.name)) visit(join(p, e.name));
    }
  };
  visit(join(root, dir, 'src'));
  for (const f of [
    `${dir}/tsconfig.json`,
    `${dir}/tsconfig.build.json`,
    `${dir}/package.json`,
    'tsconfig.base.json',
  ]) {
    newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  }
  return newest;
}

function builtAt(dir) {
  try {
    return statSync(join(root, dir, 'dist', 'tsconfig.build.tsbuildinfo')).mtimeMs;
  } catch {
    return -1;
  }
}

const stale = projects.filter((p) => builtAt(p.dir) < newestInput(p.dir));

/** Runs `tsc -b --verbose`, printing one line per project it builds and every compiler error. */
function build() {
  const started = Date.now();
  const first = stale.some((p) => builtAt(p.dir) < 0);
  say(
    `building ${stale.map((p) => p.name).join(', ')} with tsc -b` +
      (first ? ' (the first build takes ~20–40 s on 2 cores; later starts rebuild only what changed)' : ''),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '-b', 'packages/salto-sim/tsconfig.build.json', '--verbose'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let current = null;
  let currentSince = started;
  const heartbeat = setInterval(() => {
    if (current) say(`  still compiling ${current} (${Math.round((Date.now() - currentSince) / 1000)} s)…`);
  }, 5_000);
  let pending = '';
  const errors = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const building = /Building project '([^']+)'/.exec(line);
      if (building) {
        const dir = relative(root, building[1] ?? '').replace(/\/tsconfig\.build\.json$/, '');
        current = projects.find((p) => p.dir === dir)?.name ?? dir;
        currentSince = Date.now();
        say(`  compiling ${current}…`);
      } else if (/error TS\d+/.test(line) || errors.length > 0) {
        if (line.trim() !== '' && !/^\d+:\d+:\d+/.test(line)) errors.push(line);
      }
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (code === 0) {
        say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve(true);
        return;
      }
      for (const line of errors) process.stderr.write(`${line}\n`);
      process.stderr.write('keyslot: the build failed (errors above); the server was not started.\n');
      resolve(false);
    });
  });
}

if (stale.length > 0) {
  if (!(await build())) process.exit(1);
} else {
  say('@keyslot/core and @keyslot/salto-sim are up to date (no build needed)');
}
say('starting keyslot-sim serve…');
// The CLI reads its arguments from process.argv after the script: serve them as `keyslot-sim serve …`.
process.argv.splice(2, 0, 'serve');
await import('../packages/salto-sim/dist/cli.js');
