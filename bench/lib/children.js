// Servers under test run in child processes bound to 127.0.0.1 on an ephemeral port: their CPU
// time is read from /proc/<pid>/stat (Linux), and they are always stopped — also when the
// benchmark fails or the parent exits.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Every child still running, so an exiting parent can take them down. */
/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * @typedef {object} ServerChild
 * @property {number} pid
 * @property {number} port
 * @property {number} startedAt performance.now() just before spawn
 * @property {number} listeningAt performance.now() when the port line arrived
 * @property {() => number} cpuMs user+system CPU time used so far (NaN when /proc is unavailable)
 * @property {() => Promise<void>} stop SIGTERM, then SIGKILL after 3 s; resolves on exit
 */

/**
 * Spawns `node <args>` and waits until its stdout shows a line matching `portPattern` (group 1 is
 * the port). Rejects, after killing the child, if it exits first or takes longer than `timeoutMs`.
 * @param {string[]} args
 * @param {RegExp} portPattern
 * @param {{ timeoutMs?: number, cwd?: string }} [opts]
 * @returns {Promise<ServerChild>}
 */
export function startServerChild(args, portPattern, opts = {}) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  running.add(child);
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  const pid = child.pid ?? -1;
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (/** @type {string} */ why) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${why}: node ${args.join(' ')}\nstdout: ${out.slice(-2000)}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(
      () => fail(`No port line within ${opts.timeoutMs ?? 20_000} ms`),
      opts.timeoutMs ?? 20_000,
    );
    /** @param {number | null} code @param {NodeJS.Signals | null} signal */
    const onEarlyExit = (code, signal) => fail(`Server exited early (code ${code}, signal ${signal})`);
    child.once('exit', onEarlyExit);
    child.stdout?.on('data', function onData(d) {
      out += String(d);
      const m = portPattern.exec(out);
      if (!m) return;
      const listeningAt = performance.now();
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({
        pid,
        port: Number(m[1]),
        startedAt,
        listeningAt,
        cpuMs: () => processCpuMs(pid),
        stop,
      });
    });
  });
}

/** Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s on every architecture. */
const TICKS_PER_SECOND = 100;

/**
 * User+system CPU time of a process so far, in ms (10 ms resolution), or NaN without /proc.
 * @param {number} pid
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based over the whole line).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
