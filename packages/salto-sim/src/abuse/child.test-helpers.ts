import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The built `keyslot-sim serve` in a child process on 127.0.0.1 and a free port, for the abuse
 * suite: its memory is the child's own RSS (Linux `/proc/<pid>/status`), not the test runner's.
 * `pnpm test:abuse` builds the packages first.
 */

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const KEY = 'seam_abuse_suite_key';

export interface SimChild {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Resident set size of the child, in MB. */
  rssMb(): number;
  /** Whether the child is still running. */
  alive(): boolean;
  /** POST (JSON) or GET a route with the key; resolves with the status, body and how long it took. */
  call(route: string, params?: Record<string, unknown>, method?: 'GET' | 'POST'): Promise<Timed>;
  stop(): Promise<number | null>;
}

export interface Timed {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read freely in the abuse suite.
  readonly body: any;
  readonly ms: number;
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Starts the CLI with `args` and `env`; resolves once it prints its endpoint. */
export async function startSimChild(
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<SimChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--quiet', ...args], {
    env: { ...process.env, SEAM_API_KEY: KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keyslot-sim did not start: ${err}`)), 20_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`keyslot-sim exited with ${code}: ${err}`));
    });
  });
  child.stdout?.resume();
  const pid = child.pid as number;
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  return {
    url,
    pid,
    child,
    stderr: () => err,
    rssMb: () => rssMbOf(pid),
    alive: () => !exited,
    async call(route, params = {}, method = 'POST') {
      const t0 = performance.now();
      const res = await fetch(url + route, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify(params) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await res.json();
      return { status: res.status, body, ms: performance.now() - t0 };
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the CLI to completion (for refusals at start-up): exit code, stdout and stderr. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Samples `fn` every `everyMs` until `stop()`; returns the samples. */
export function sampler<T>(fn: () => T, everyMs: number): { samples: T[]; stop: () => T[] } {
  const samples: T[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(fn());
    } catch {
      // the child may be gone; the test checks that separately
    }
  }, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
