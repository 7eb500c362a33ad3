/**
 * Real crashes for the exactly-once runner: the app is a child process (node's IPC channel) that
 * is killed with SIGKILL — between two steps, or at a chosen port call inside `GrantAccess`,
 * `RevokeAccess` or `ReconcileSite` — and started again on the same database. Nothing of the dead
 * process survives but what it wrote to the database and the provider.
 *
 * - Parent side: `ScenarioAppHost`, given to `runExactlyOnceScenario` as `options.processApp`
 *   (see `childProcessApp` for one built on `child_process.fork`).
 * - Child side: `serveScenarioApp(deps)` answers the host's messages with the use cases' outcomes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { GrantAccess } from '../application/grant-access.js';
import { ReconcileSite } from '../application/reconcile-site.js';
import { RevokeAccess } from '../application/revoke-access.js';
import { UnlockDoor } from '../application/unlock-door.js';
import type { Grant } from '../domain/grant.js';
import type { AccessPolicy } from '../domain/policy.js';
import type { VirtualClock } from '../infrastructure/clock.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';

/** One use case call, as the runner asks for it. */
export type AppOp =
  | { readonly useCase: 'grant'; readonly input: unknown }
  | { readonly useCase: 'revoke'; readonly input: string }
  | { readonly useCase: 'unlock'; readonly input: unknown }
  | { readonly useCase: 'reconcile'; readonly input: string };

/**
 * Where the app kills itself: `calls` port calls (gateway or store) go through, then at the next
 * one it sends SIGKILL to itself — `before` the call starts, or `after` it was started (the
 * request may or may not have reached the provider or the database, a transaction may be open).
 */
export interface KillPoint {
  readonly calls: number;
  readonly phase: 'before' | 'after';
}

/** What the app is told with every call: the provider's time, and the site's slot limit as the app knows it. */
export interface AppContext {
  readonly now: number;
  readonly slotLimit: number;
}

export type AppRunResult = { readonly outcome: unknown } | { readonly killed: true };

export interface ScenarioAppHost {
  /** Starts a fresh app process on the same database (at the start, and after every kill). */
  start(): Promise<void>;
  /** Runs one use case in the app; with `kill`, the app dies at that point. */
  run(op: AppOp, context: AppContext, kill?: KillPoint): Promise<AppRunResult>;
  /** SIGKILLs the app between two steps (then `start` brings up the next one). */
  kill(): Promise<void>;
  /** Every stored grant, as the running app reads them from its store. */
  grants(): Promise<readonly Grant[]>;
  /** Ends the app for good. */
  stop(): Promise<void>;
}

// ───────────────────────────── child side ─────────────────────────────

/** What the app process is built from (its store opens on the same database each time). */
export interface ScenarioAppBase {
  readonly store: GrantStore;
  /** A virtual clock: set to the provider's time before every call. */
  readonly clock: VirtualClock;
  readonly logger: Logger;
  readonly policy: AccessPolicy;
  /** Told the site's slot limit before every call (an adapter configured with it learns the change). */
  readonly setSlotLimit?: (limit: number) => void;
}

/**
 * The app over Seam's lock integration (`gateway`), or over a Salto KS access control system
 * (`accessGrants`: `UnlockDoor` is lock-path only, the runner sends it no unlocks).
 */
export type ScenarioAppDeps =
  | (ScenarioAppBase & { readonly gateway: LockGateway })
  | (ScenarioAppBase & { readonly accessGrants: AccessGrantGateway });

type ToChild =
  | {
      readonly t: 'run';
      readonly id: number;
      readonly op: AppOp;
      readonly context: AppContext;
      readonly kill?: KillPoint;
    }
  | { readonly t: 'grants'; readonly id: number };
type FromChild =
  | { readonly t: 'ready' }
  | { readonly t: 'reply'; readonly id: number; readonly value: unknown }
  | { readonly t: 'failed'; readonly id: number; readonly error: string };

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL sent');
};

/** Wraps every method of a port so that the kill point, if armed, fires at the right call. */
function killable<T extends object>(port: T, state: { left: number | null; phase: 'before' | 'after' }): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (state.left !== null && state.left-- <= 0) {
          if (state.phase === 'before') die();
          const sent = Promise.resolve(v.apply(target, args));
          setImmediate(die); // the call is under way: its bytes may or may not have left
          return sent;
        }
        return v.apply(target, args);
      };
    },
  });
}

/**
 * The child's main loop: builds the use cases over `deps` and serves the host's requests until
 * the process is killed. Call it once the store is open; it tells the host it is ready.
 */
export function serveScenarioApp(deps: ScenarioAppDeps): void {
  const state: { left: number | null; phase: 'before' | 'after' } = { left: null, phase: 'before' };
  const store = killable(deps.store, state);
  const useCases: Partial<Record<AppOp['useCase'], { execute(input: never): Promise<unknown> }>> =
    'accessGrants' in deps
      ? (() => {
          const wired = { ...deps, store, accessGrants: killable(deps.accessGrants, state) };
          return {
            grant: new GrantAccess(wired),
            revoke: new RevokeAccess(wired),
            reconcile: new ReconcileSite(wired),
          };
        })()
      : (() => {
          const wired = { ...deps, store, gateway: killable(deps.gateway, state) };
          return {
            grant: new GrantAccess(wired),
            revoke: new RevokeAccess(wired),
            unlock: new UnlockDoor(wired),
            reconcile: new ReconcileSite(wired),
          };
        })();
  const send = (m: FromChild) => process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as ToChild;
    void (async () => {
      try {
        if (m.t === 'grants') {
          const all: Grant[] = [];
          for (const site of await deps.store.listSites()) all.push(...(await deps.store.listBySite(site)));
          send({ t: 'reply', id: m.id, value: all });
          return;
        }
        await deps.clock.advanceTo(Math.max(deps.clock.now(), m.context.now));
        deps.setSlotLimit?.(m.context.slotLimit);
        state.left = m.kill ? m.kill.calls : null;
        state.phase = m.kill?.phase ?? 'before';
        const useCase = useCases[m.op.useCase];
        if (!useCase) throw new Error(`serveScenarioApp: no ${m.op.useCase} use case on this path.`);
        const outcome = await (useCase.execute as (input: unknown) => Promise<unknown>)(m.op.input);
        state.left = null;
        send({ t: 'reply', id: m.id, value: outcome });
      } catch (e) {
        send({ t: 'failed', id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
  send({ t: 'ready' });
}

// ───────────────────────────── parent side ─────────────────────────────

export interface ChildProcessAppOptions {
  /** The child's entry point: a JavaScript file that opens its store and calls `serveScenarioApp`. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** How long a start may take (opening PGlite can take seconds); default 120 000 ms. */
  readonly startTimeoutMs?: number;
  /** Called after a child died, before the next starts: e.g. wait for its in-flight requests to land. */
  readonly afterDeath?: () => Promise<void>;
}

/** Counts of what the host did, for the suite's report. */
export interface ProcessAppStats {
  starts: number;
  /** SIGKILLs: sent by the host between steps, or by the app to itself at a kill point. */
  kills: number;
}

/** A `ScenarioAppHost` over `child_process.fork`. */
export function childProcessApp(
  options: ChildProcessAppOptions,
): ScenarioAppHost & { readonly stats: ProcessAppStats } {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: AppRunResult) => void; reject: (e: Error) => void }>();
  const stats: ProcessAppStats = { starts: 0, kills: 0 };

  const request = (m: ToChild): Promise<AppRunResult> =>
    new Promise((resolve, reject) => {
      if (!child) return reject(new Error('the app process is not running'));
      pending.set(m.id, { resolve, reject });
      child.send(m);
    });

  const host = {
    stats,
    async start() {
      if (child) throw new Error('the app process is already running');
      const c = fork(options.script, [...(options.args ?? [])], {
        env: options.env ?? process.env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = c;
      stats.starts++;
      let stderr = '';
      exited = new Promise<void>((resolve) => {
        c.on('exit', (code, signal) => {
          if (signal === 'SIGKILL') stats.kills++;
          if (child === c) child = null;
          for (const [id, p] of pending) {
            pending.delete(id);
            if (signal === 'SIGKILL') p.resolve({ killed: true });
            else p.reject(new Error(`the app process exited (${code ?? signal}) ${stderr}`));
          }
          resolve();
        });
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`the app process did not start within ${options.startTimeoutMs ?? 120_000} ms`)),
          options.startTimeoutMs ?? 120_000,
        );
        c.on('message', (raw) => {
          const m = raw as FromChild;
          if (m.t === 'ready') {
            clearTimeout(timer);
            resolve();
          } else if (m.t === 'reply') {
            const p = pending.get(m.id);
            pending.delete(m.id);
            p?.resolve({ outcome: m.value });
          } else {
            const p = pending.get(m.id);
            pending.delete(m.id);
            stderr = m.error;
            p?.reject(new Error(`the app threw: ${m.error}`));
          }
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the app process exited while starting ${stderr}`));
        });
      });
    },
    async run(op: AppOp, context: AppContext, kill?: KillPoint): Promise<AppRunResult> {
      const r = await request({ t: 'run', id: nextId++, op, context, ...(kill ? { kill } : {}) });
      if ('killed' in r) {
        await exited;
        await options.afterDeath?.();
      }
      return r;
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
      await options.afterDeath?.();
    },
    async grants(): Promise<readonly Grant[]> {
      const r = await request({ t: 'grants', id: nextId++ });
      if ('killed' in r) throw new Error('the app process died while listing grants');
      return r.outcome as Grant[];
    },
    async stop() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  return host;
}
