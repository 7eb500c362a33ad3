/**
 * How the exactly-once runner drives the app: a `ScenarioApp` runs one use case at a time and can
 * be crashed — between two steps, or at a chosen port call inside a use case — after which a fresh
 * instance takes over on the same `GrantStore`.
 *
 * This module is the default, in-process app: each instance is a fresh composition of the use
 * cases over the same store, and a crash inside a use case is simulated by a `CrashSwitch` on its
 * ports. The real-crash mode (the app a child process killed with SIGKILL) is
 * `process-app-mode.ts`.
 */
import { GrantAccess } from '../application/grant-access.js';
import { ReconcileSite } from '../application/reconcile-site.js';
import { RevokeAccess } from '../application/revoke-access.js';
import { UnlockDoor } from '../application/unlock-door.js';
import type { Grant } from '../domain/grant.js';
import type { AccessPolicy } from '../domain/policy.js';
import { silentLogger } from '../infrastructure/logging.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { AppOp, KillPoint } from './process-app.js';

/** What one use case call came to: its outcome, or the app died before it answered. */
export type AppCallResult = { readonly outcome: unknown } | { readonly crashed: true };

export interface ScenarioApp {
  /** Runs one use case in the live instance. */
  run(op: AppOp): Promise<AppCallResult>;
  /** Runs `op` in an instance that dies at `kill`; a fresh instance is up when this settles. */
  runAndCrash(op: AppOp, kill: KillPoint): Promise<AppCallResult>;
  /** The app dies between two steps; a fresh instance on the same store takes over. */
  crash(): Promise<void>;
  /** Every stored grant, as the app's store holds them. */
  grants(): Promise<readonly Grant[]>;
  /** Waits until every call a dead instance sent has landed; the next call runs on a fresh instance. */
  settle(): Promise<void>;
}

/** What the runner counts while the app runs (a subset of `ScenarioStats`). */
export interface AppCounters {
  providerCalls: number;
  lateLandings: number;
  kills: number;
}

export interface InProcessAppOptions {
  /** A fresh provider port for a new instance: a `LockGateway`, or an `AccessGrantGateway` (ACS path). */
  readonly newProvider: () =>
    | { readonly gateway: LockGateway }
    | { readonly accessGrants: AccessGrantGateway };
  readonly clock: Clock;
  readonly policy: AccessPolicy;
  readonly store: GrantStore & { all(): readonly Grant[] };
  readonly counters: AppCounters;
  /** Called after every provider call (the runner checks the provider's state there). */
  readonly observe: (where: string) => void;
  /** A crashed instance's calls may land after the next instance started (see `ScenarioOptions`). */
  readonly lateLanding: boolean;
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** `UnlockDoor` on the ACS path: the runner never sends unlocks there (lock integration only). */
const lockPathOnly: Pick<UnlockDoor, 'execute'> = {
  execute: () => Promise.reject(new Error('UnlockDoor works on the lock integration only.')),
};

/**
 * Port calls of a doomed app instance: the first `budget` go through, then everything hangs.
 *
 * The crash is over only once every call the instance had already sent has landed (`landed()`):
 * an `after` call "took effect, the reply never came back" — it does not stay in flight and land
 * in the middle of the next instance's work. A request that outlives its process and commits
 * after a fresh instance listed the codes is a duplicate no client can prevent (Seam has no
 * idempotency key or conditional create), only repair later — not the fault this runner models.
 */
class CrashSwitch {
  tripped = false;
  private resolveTrip: () => void = () => {};
  readonly trip: Promise<void> = new Promise<void>((r) => {
    this.resolveTrip = r;
  });
  /** Calls this instance sent to its ports (those that went through, and the `after` one). */
  private readonly sent: Promise<unknown>[] = [];
  constructor(
    private budget: number,
    private readonly phase: 'before' | 'after',
  ) {}

  call<T>(run: () => Promise<T>): Promise<T> {
    if (this.tripped) return never();
    if (this.budget > 0) {
      this.budget--;
      return this.send(run);
    }
    this.tripped = true;
    this.resolveTrip();
    if (this.phase === 'after') {
      // The call reaches the port and takes effect; the app never sees the answer.
      this.send(run).catch(() => undefined);
    }
    return never();
  }

  /** Settles once every call this instance sent has taken effect (or failed). */
  async landed(): Promise<void> {
    await Promise.allSettled(this.sent);
  }

  private send<T>(run: () => Promise<T>): Promise<T> {
    const p = run();
    this.sent.push(p);
    return p;
  }
}

function wrapPort<T extends object>(port: T, around: (run: () => Promise<unknown>) => Promise<unknown>): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => around(() => Promise.resolve(v.apply(target, args)));
    },
  });
}

/** The app in this process: compositions of the use cases over one store. */
export function inProcessScenarioApp(o: InProcessAppOptions): ScenarioApp {
  /** Calls of crashed instances still in flight (late-landing mode). */
  const inFlight: Promise<void>[] = [];

  const compose = (sw: CrashSwitch | null) => {
    /** A provider port as this instance sees it: every call observed, and cut off by a crash. */
    const port = <T extends object>(p: T): T => {
      const observed = wrapPort(p, async (run) => {
        o.counters.providerCalls++;
        try {
          return await run();
        } finally {
          o.observe('provider call');
        }
      });
      return sw ? wrapPort(observed, (run) => sw.call(run)) : observed;
    };
    const provider = o.newProvider();
    const store = sw ? wrapPort(o.store, (run) => sw.call(run)) : o.store;
    const ports = { store, clock: o.clock, logger: silentLogger, policy: o.policy };
    if ('accessGrants' in provider) {
      const deps = { ...ports, accessGrants: port(provider.accessGrants) };
      return {
        grant: new GrantAccess(deps),
        revoke: new RevokeAccess(deps),
        unlock: lockPathOnly,
        reconcile: new ReconcileSite(deps),
      };
    }
    const deps = { ...ports, gateway: port(provider.gateway) };
    return {
      grant: new GrantAccess(deps),
      revoke: new RevokeAccess(deps),
      unlock: new UnlockDoor(deps) as Pick<UnlockDoor, 'execute'>,
      reconcile: new ReconcileSite(deps),
    };
  };
  const execute = (app: ReturnType<typeof compose>, op: AppOp): Promise<unknown> =>
    (app[op.useCase].execute as (input: unknown) => Promise<unknown>)(op.input);
  let live = compose(null);

  return {
    async run(op) {
      return { outcome: await execute(live, op) };
    },
    async runAndCrash(op, kill) {
      const sw = new CrashSwitch(kill.calls, kill.phase);
      try {
        return await Promise.race([
          execute(compose(sw), op).then((outcome): AppCallResult => ({ outcome })),
          sw.trip.then((): AppCallResult => ({ crashed: true })),
        ]);
      } finally {
        if (o.lateLanding) {
          let settled = false;
          const landed = sw.landed().then(() => {
            settled = true;
          });
          await new Promise<void>((r) => setImmediate(r));
          if (!settled) o.counters.lateLandings++;
          inFlight.push(landed);
        } else await sw.landed();
        live = compose(null);
      }
    },
    async crash() {
      live = compose(null);
    },
    async grants() {
      return o.store.all();
    },
    async settle() {
      await Promise.all(inFlight);
      live = compose(null);
    },
  };
}
