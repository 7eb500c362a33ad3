#!/usr/bin/env node
/**
 * An app outside the workspace, as a user builds one: packs the keyslot packages (`pnpm pack`),
 * installs the tarballs with plain npm into a fresh temporary app, typechecks the embedding
 * example there with the app's own TypeScript (`tsc --noEmit`, no workspace paths or conditions),
 * then compiles it and runs it as ESM — under this Node, and under Node 22 and 24 fetched from the
 * npm registry (`npx -p node@N`). It also imports every export path from plain JavaScript and runs
 * the `keyslot-sim` command the tarball installs.
 *
 *   pnpm test:consumer                 # all Node versions
 *   KEYSLOT_CONSUMER_NODES=22 pnpm test:consumer
 *
 * Everything (tarballs, npm cache, downloaded Node) lives in one temporary directory, removed at
 * the end (kept on failure, and printed, to look at). Needs the npm registry.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages an app installs, in dependency order. Add a package here and it is packed and imported. */
export const PACKAGES = ['core', 'postgres-store', 'salto-sim', 'seam-adapter'];
/** Node versions fetched from the registry besides the one running this script. */
const OTHER_NODES = (process.env['KEYSLOT_CONSUMER_NODES'] ?? '22,24').split(',').filter(Boolean);

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'keyslot-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
const env = {
  ...process.env,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_update_notifier: 'false',
};
const say = (line) => process.stdout.write(`consumer: ${line}\n`);
const run = (cmd, args, cwd, extra = {}) => {
  say(`$ ${[cmd, ...args].join(' ')}${cwd === app ? '' : `   (in ${cwd})`}`);
  return execFileSync(cmd, args, {
    cwd,
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
};

const manifests = PACKAGES.map((p) =>
  JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')),
);
let ok = false;
try {
  // 1. Build and pack (pnpm pack turns workspace:* into the real version).
  run('pnpm', [...manifests.flatMap((m) => ['--filter', m.name]), 'run', 'build'], root);
  mkdirSync(tarballs);
  for (const p of PACKAGES) run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', p));
  const files = readdirSync(tarballs);
  const tarballOf = (name) => {
    const prefix = `${name.replace('@', '').replace('/', '-')}-`;
    const f = files.find((x) => x.startsWith(prefix) && x.endsWith('.tgz'));
    if (!f) throw new Error(`no tarball for ${name} in ${files.join(', ')}`);
    return join(tarballs, f);
  };

  // 2. A fresh app: ESM, its own TypeScript, the tarballs installed with npm.
  mkdirSync(app);
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify(
      {
        name: 'keyslot-consumer-app',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(manifests.map((m) => [m.name, `file:${tarballOf(m.name)}`])),
        devDependencies: {
          // The `/testing` entry points need fast-check (an optional peer dependency).
          'fast-check': manifests[0].peerDependencies['fast-check'],
          typescript: rootManifest.devDependencies.typescript,
          '@types/node': rootManifest.devDependencies['@types/node'],
        },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          strict: true,
          skipLibCheck: false,
          outDir: 'dist',
          rootDir: '.',
        },
        include: ['*.ts'],
      },
      null,
      2,
    )}\n`,
  );
  copyFileSync(join(root, 'packages/seam-adapter/examples/embed-keyslot.ts'), join(app, 'embed-keyslot.ts'));
  // Every export path of every package, from plain JavaScript.
  const imports = manifests.flatMap((m) =>
    Object.keys(m.exports).map((sub) => (sub === '.' ? m.name : `${m.name}/${sub.slice(2)}`)),
  );
  writeFileSync(
    join(app, 'imports.mjs'),
    `${imports.map((spec, i) => `import * as m${i} from '${spec}';`).join('\n')}\n` +
      `const all = { ${imports.map((spec, i) => `'${spec}': m${i}`).join(', ')} };\n` +
      `for (const [spec, mod] of Object.entries(all)) if (Object.keys(mod).length === 0) throw new Error(spec + ' exports nothing');\n` +
      `console.log('imported', Object.keys(all).length, 'entry points');\n`,
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);

  // 3. TypeScript: the consumer typechecks against the published declarations, then compiles.
  run(join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], app);
  run(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], app);

  // 4. Run it (ESM) under each Node.
  const nodes = [{ label: `this Node (${process.version})`, cmd: process.execPath, pre: [] }].concat(
    OTHER_NODES.map((v) => ({
      label: `Node ${v} from npm`,
      cmd: 'npx',
      pre: ['-y', '-p', `node@${v}`, 'node'],
    })),
  );
  for (const n of nodes) {
    say(`— ${n.label}`);
    const version = run(n.cmd, [...n.pre, '--version'], app).trim();
    say(`  node ${version}`);
    process.stdout.write(run(n.cmd, [...n.pre, 'imports.mjs'], app));
    // The example keeps its grant in its PGlite directory: the first run grants and keeps it, the
    // second finds it there and revokes it.
    const out = run(n.cmd, [...n.pre, 'dist/embed-keyslot.js'], app);
    process.stdout.write(out);
    if (!/kept \S+ in the grant store/.test(out))
      throw new Error(`the example did not finish under ${n.label}`);
    const again = run(n.cmd, [...n.pre, 'dist/embed-keyslot.js'], app);
    process.stdout.write(again);
    if (!/from an earlier run/.test(again))
      throw new Error(`the second run found no earlier grant under ${n.label}`);
    const cliVersion = run(n.cmd, [...n.pre, 'node_modules/.bin/keyslot-sim', '--version'], app).trim();
    say(`  ${cliVersion}`);
  }
  ok = true;
  say(
    `passed: ${PACKAGES.length} packages installed from tarballs, typechecked and run on ${nodes.length} Node versions`,
  );
} finally {
  if (ok) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`consumer: failed; the app is kept in ${app}\n`);
}
