/**
 * "Exactly-once access under faults": a fast-check scenario runner any `LockGateway` + provider
 * pair can be put through (the in-process simulator, the Seam adapter over the simulator's HTTP
 * server…). It does not import a test runner: it throws an `Error` describing every violation.
 *
 * A scenario is a random sequence of grants, revokes, unlocks and reconciles interleaved with
 * injected faults (5xx, 429, latency, replies lost after the change was made), hub links going
 * weak/offline and back, slot-limit changes, and app crashes — between two steps, or in the middle
 * of an operation after any number of port calls (a fresh composition over the same `GrantStore`).
 * After the faults stop, reconcile runs to quiescence and the provider's state is checked:
 *
 * - every live grant has exactly one code per lock, with a PIN once its slot is held;
 * - every revoked or ended grant has none; no code exists without a live grant;
 * - slots used = the live codes that hold a slot; no refused (not-subscribed) code is left;
 * - at every observation (after every provider call and every step): used ≤ limit, no grant has
 *   two live codes on one lock, and no code was refused at the limit (the app never pushed the
 *   site over its limit);
 * - every outcome the app saw was a typed result (`{ ok, value.code }` / `{ ok, error.code }`).
 */
import fc from 'fast-check';
import { GrantAccess } from '../application/grant-access.js';
import { ReconcileSite } from '../application/reconcile-site.js';
import { RevokeAccess } from '../application/revoke-access.js';
import { UnlockDoor } from '../application/unlock-door.js';
import { grantKeyOf } from '../domain/access-code.js';
import { type Grant, holdsPlannedSlots } from '../domain/grant.js';
import type { HubLink, LockId } from '../domain/lock.js';
import type { AccessPolicy } from '../domain/policy.js';
import type { SiteId } from '../domain/site.js';
import { type AccessWindow, HOUR_MS, sameWindow, windowEnded } from '../domain/time.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { silentLogger } from '../infrastructure/logging.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { AppOp, ScenarioAppHost } from './process-app.js';

/** One access code as the provider itself holds it (read without faults). */
export interface ProviderCodeView {
  readonly id: string;
  readonly lockId: LockId;
  readonly name: string | null;
  readonly status: string;
  /** The PIN (never logged by this runner: only its presence is checked). */
  readonly pin: string | null;
  readonly window: AccessWindow;
  readonly holdsSlot: boolean;
  /** Refused at the slot limit (Salto's "user not subscribed"). */
  readonly notSubscribed: boolean;
}

/** The provider's own view of the site (no faults, no rate limits). */
export interface ProviderView {
  readonly slotLimit: number;
  readonly used: number;
  /** Codes not yet gone (including `removing` ones). */
  readonly codes: readonly ProviderCodeView[];
}

export type InjectedFault =
  | { readonly kind: 'server_error'; readonly status: 500 | 503 }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'reply_lost' };

export interface ExactlyOnceFixture {
  /** The site as the gateway names it. */
  readonly siteId: SiteId;
  /** Locks of the site, each with a PIN pad and remote unlock. */
  readonly lockIds: readonly LockId[];
  /** The clock the app runs on (a virtual clock that moves when the app waits). */
  readonly clock: Clock;
  /** When a time-bound code starts holding its slot, before `startsAt`. */
  readonly slotLeadTimeMs: number;
  /** Provider operations a fault may target (e.g. the simulator's `create_access_code`). */
  readonly faultTargets: readonly string[];
  /** Largest latency fault worth injecting (wall-clock faults over HTTP should stay small). */
  readonly maxLatencyMs: number;
  /** A fresh gateway, as a new app process would build it. */
  newGateway(): LockGateway;
  injectFault(fault: InjectedFault, target: string, count: number): Promise<void>;
  clearFaults(): Promise<void>;
  setHubLink(lockId: LockId, link: HubLink): Promise<void>;
  /** Changes the site's slot limit (at the provider, and in what the app is told of it). */
  setSlotLimit(limit: number): Promise<void>;
  /** Lets provider time pass (PIN assignment, programming, windows starting and ending). */
  advance(ms: number): Promise<void>;
  /** The provider's state, read directly (never faulted). */
  inspect(): ProviderView;
}

// ───────────────────────────── commands ─────────────────────────────

export type ScenarioCommand =
  | {
      readonly t: 'grant';
      readonly key: number;
      readonly locks: readonly number[];
      /** `null`: ongoing; else hours from now to start, and length in hours. */
      readonly window: { readonly startH: number; readonly lenH: number } | null;
    }
  | { readonly t: 'revoke'; readonly key: number }
  | { readonly t: 'unlock'; readonly lock: number; readonly holder: number }
  | { readonly t: 'reconcile' }
  | { readonly t: 'advance'; readonly ms: number }
  | { readonly t: 'fault'; readonly fault: InjectedFault; readonly target: number; readonly count: number }
  | { readonly t: 'hub'; readonly lock: number; readonly link: HubLink }
  /** Move the limit by `delta`, never below what the live grants and the provider already hold. */
  | { readonly t: 'limit'; readonly delta: number }
  /** The app process dies between two steps: a fresh composition over the same store. */
  | { readonly t: 'crash' }
  /**
   * The app dies in the middle of `op`: `calls` port calls (gateway or store) complete, then the
   * next one hangs for ever — `before` it reaches the port, or `after` (it took effect, the
   * reply never came back).
   */
  | {
      readonly t: 'crash_during';
      readonly op: ScenarioCommand & { readonly t: 'grant' | 'revoke' | 'reconcile' };
      readonly calls: number;
      readonly phase: 'before' | 'after';
    };

export interface ScenarioSetup {
  readonly slotLimit: number;
  readonly policy: AccessPolicy;
}

const KEYS = 5;

export function describeCommand(c: ScenarioCommand): string {
  switch (c.t) {
    case 'grant':
      return `grant(g${c.key}, locks ${c.locks.join('+')}, ${c.window ? `in ${c.window.startH}h for ${c.window.lenH}h` : 'ongoing'})`;
    case 'revoke':
      return `revoke(g${c.key})`;
    case 'unlock':
      return `unlock(lock ${c.lock}, holder of g${c.holder})`;
    case 'reconcile':
      return 'reconcile';
    case 'advance':
      return `advance(${c.ms} ms)`;
    case 'fault':
      return `fault(${JSON.stringify(c.fault)} ×${c.count} on target ${c.target})`;
    case 'hub':
      return `hub(lock ${c.lock} → ${c.link})`;
    case 'limit':
      return `limit(${c.delta >= 0 ? '+' : ''}${c.delta})`;
    case 'crash':
      return 'crash';
    case 'crash_during':
      return `crash_during(${describeCommand(c.op)} after ${c.calls} port calls, ${c.phase})`;
  }
}

const withToString = <T extends ScenarioCommand>(c: T): T =>
  Object.defineProperty({ ...c }, fc.toStringMethod, { value: () => describeCommand(c), enumerable: false });

export interface ScenarioArbOptions {
  readonly lockCount: number;
  readonly faultTargetCount: number;
  readonly maxLatencyMs: number;
  readonly maxCommands?: number;
}

/** Random scenario command lists (small, so each run takes milliseconds). */
export function scenarioCommandsArb(o: ScenarioArbOptions): fc.Arbitrary<ScenarioCommand[]> {
  const lockIdx = fc.nat(o.lockCount - 1);
  const key = fc.nat(KEYS - 1);
  const grant = fc.record({
    t: fc.constant('grant' as const),
    key,
    locks: fc.uniqueArray(lockIdx, { minLength: 1, maxLength: Math.min(2, o.lockCount) }),
    window: fc.option(
      fc.record({ startH: fc.integer({ min: -2, max: 96 }), lenH: fc.integer({ min: 1, max: 72 }) }),
      {
        freq: 2,
      },
    ),
  });
  const revoke = fc.record({ t: fc.constant('revoke' as const), key });
  const reconcile = fc.constant({ t: 'reconcile' as const });
  const fault = fc.record({
    t: fc.constant('fault' as const),
    fault: fc.oneof(
      fc.record({
        kind: fc.constant('server_error' as const),
        status: fc.constantFrom(500 as const, 503 as const),
      }),
      fc.constant({ kind: 'rate_limited' as const }),
      fc.record({ kind: fc.constant('latency' as const), ms: fc.integer({ min: 1, max: o.maxLatencyMs }) }),
      fc.constant({ kind: 'reply_lost' as const }),
    ),
    target: fc.nat(o.faultTargetCount - 1),
    count: fc.integer({ min: 1, max: 3 }),
  });
  const cmd: fc.Arbitrary<ScenarioCommand> = fc.oneof(
    { arbitrary: grant, weight: 5 },
    { arbitrary: revoke, weight: 2 },
    { arbitrary: fc.record({ t: fc.constant('unlock' as const), lock: lockIdx, holder: key }), weight: 1 },
    { arbitrary: reconcile, weight: 2 },
    {
      arbitrary: fc.record({
        t: fc.constant('advance' as const),
        ms: fc.oneof(
          fc.integer({ min: 1_000, max: 120_000 }),
          fc.integer({ min: HOUR_MS, max: 3 * 24 * HOUR_MS }),
        ),
      }),
      weight: 2,
    },
    { arbitrary: fault, weight: 5 },
    {
      arbitrary: fc.record({
        t: fc.constant('hub' as const),
        lock: lockIdx,
        link: fc.constantFrom<HubLink>('good', 'weak', 'offline'),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({ t: fc.constant('limit' as const), delta: fc.integer({ min: -2, max: 2 }) }),
      weight: 1,
    },
    { arbitrary: fc.constant({ t: 'crash' as const }), weight: 1 },
    {
      arbitrary: fc.record({
        t: fc.constant('crash_during' as const),
        op: fc.oneof(grant, revoke, reconcile),
        calls: fc.nat(12),
        phase: fc.constantFrom('before' as const, 'after' as const),
      }),
      weight: 2,
    },
  );
  return fc.array(cmd.map(withToString), { minLength: 3, maxLength: o.maxCommands ?? 24, size: 'max' });
}

export const scenarioSetupArb = (o: { maxLimit?: number } = {}): fc.Arbitrary<ScenarioSetup> =>
  fc.record({
    slotLimit: fc.integer({ min: 1, max: o.maxLimit ?? 5 }),
    policy: fc.record({
      reservedSlots: fc.nat(1),
      reservedSlotsBySite: fc.constant({}),
      maxGrantDurationMs: fc.constant(null),
      onWeakHub: fc.constantFrom('accept' as const, 'refuse' as const),
      onOfflineHub: fc.constantFrom('refuse' as const, 'accept_and_retry' as const),
      remoteUnlock: fc.constantFrom('anyone' as const, 'active_grant_holders' as const),
    }),
  });

// ───────────────────────────── runner ─────────────────────────────

/** What one scenario did (summed by suites into the numbers they report). */
export interface ScenarioStats {
  steps: number;
  faultsInjected: number;
  crashes: number;
  /** Late-landing mode: crashes whose sent calls were still in flight when the next instance started. */
  lateLandings: number;
  providerCalls: number;
  /** Process mode: SIGKILLs the app received (a `crash_during` whose op finished first sends none). */
  kills: number;
  /** Codes the provider refused at the limit during the run (a violation in a single-app scenario). */
  refusedAtLimit: number;
  /** Outcome codes the app saw, by use case. */
  readonly outcomes: Record<string, number>;
}

export const emptyStats = (): ScenarioStats => ({
  steps: 0,
  faultsInjected: 0,
  crashes: 0,
  lateLandings: 0,
  kills: 0,
  providerCalls: 0,
  refusedAtLimit: 0,
  outcomes: {},
});

export function addStats(into: ScenarioStats, s: ScenarioStats): void {
  into.steps += s.steps;
  into.faultsInjected += s.faultsInjected;
  into.crashes += s.crashes;
  into.lateLandings += s.lateLandings;
  into.kills += s.kills;
  into.providerCalls += s.providerCalls;
  into.refusedAtLimit += s.refusedAtLimit;
  for (const [k, v] of Object.entries(s.outcomes)) into.outcomes[k] = (into.outcomes[k] ?? 0) + v;
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});
/** A `guarded` run that recorded its outcome itself. */
const SKIP = Symbol('recorded');

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

const isTyped = (r: unknown): boolean => {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as { ok?: unknown; value?: { code?: unknown }; error?: { code?: unknown; message?: unknown } };
  if (x.ok === true) return typeof x.value?.code === 'string';
  return x.ok === false && typeof x.error?.code === 'string' && typeof x.error.message === 'string';
};

/**
 * Runs one scenario against a fixture and checks every invariant. Throws an `Error` listing the
 * violations (with the step log) if any; returns the run's statistics otherwise.
 */
/**
 * How many scenarios a fault suite runs: `base` in CI (fixed seed), 10× when `FC_NUM_RUNS` is set
 * (as `pnpm test:deep` does), or exactly `KEYSLOT_FAULT_RUNS` when given.
 */
export function faultRuns(base: number): number {
  const explicit = process.env['KEYSLOT_FAULT_RUNS'];
  if (explicit) return Number(explicit);
  return process.env['FC_NUM_RUNS'] ? base * 10 : base;
}

export interface ScenarioOptions {
  /**
   * Requests of a crashed app instance may outlive it: the next instance starts at once, and the
   * dead one's calls land whenever the provider finishes them (all before the faults stop). A late
   * create can then duplicate a code a fresh reconcile already made, or be refused at the limit —
   * no client can prevent that without an idempotency key — so those two per-step checks give way;
   * the cap (used ≤ limit) is still checked at every step, and the final state must be exactly
   * right: reconcile repairs the duplicate and removes the refused code.
   */
  readonly lateLanding?: boolean;
  /**
   * Real crashes: the app is a child process (see `process-app.ts`), killed with SIGKILL for
   * `crash` (between steps) and at the kill point of `crash_during`, then started again on the same
   * database. Provider calls happen in the child, so the per-call observation becomes per-step;
   * a killed request may still land after the next process started, so — as in `lateLanding` —
   * transient duplicates and refusals give way to the exact final state, and the cap is checked at
   * every step.
   */
  readonly processApp?: ScenarioAppHost;
}

export async function runExactlyOnceScenario(
  fx: ExactlyOnceFixture,
  setup: ScenarioSetup,
  commands: readonly ScenarioCommand[],
  options: ScenarioOptions = {},
): Promise<ScenarioStats> {
  const host = options.processApp;
  const lateLanding = options.lateLanding === true || host !== undefined;
  /** Calls of crashed instances still in flight (late-landing mode). */
  const inFlight: Promise<void>[] = [];
  const stats = emptyStats();
  const violations: string[] = [];
  const log: string[] = [];
  const store: GrantStore & { all(): readonly Grant[] } = new InMemoryGrantStore();
  const refused = new Set<string>();
  let knownLimit = setup.slotLimit;

  const observe = (where: string): void => {
    const view = fx.inspect();
    if (view.used > view.slotLimit) violations.push(`${where}: used ${view.used} > limit ${view.slotLimit}`);
    const holding = view.codes.filter((c) => c.holdsSlot).length;
    if (holding !== view.used)
      violations.push(`${where}: ${holding} codes hold a slot but used = ${view.used}`);
    const seen = new Set<string>();
    if (lateLanding) return; // transient duplicates/refusals are expected; the final check decides
    for (const c of view.codes) {
      if (c.notSubscribed && !refused.has(c.id)) {
        refused.add(c.id);
        violations.push(`${where}: the provider refused code ${c.id} (${c.name}) at the slot limit`);
      }
      const key = grantKeyOf(c.name);
      if (key === null || c.status === 'removing') continue;
      const pair = JSON.stringify([key, c.lockId]);
      if (seen.has(pair)) violations.push(`${where}: grant ${key} has two live codes on lock ${c.lockId}`);
      seen.add(pair);
    }
  };

  const compose = (sw: CrashSwitch | null) => {
    const observed = wrapPort(fx.newGateway(), async (run) => {
      stats.providerCalls++;
      try {
        return await run();
      } finally {
        observe('provider call');
      }
    });
    const gateway = sw ? wrapPort(observed, (run) => sw.call(run)) : observed;
    const s = sw ? wrapPort(store, (run) => sw.call(run)) : store;
    const deps = { gateway, store: s, clock: fx.clock, logger: silentLogger, policy: setup.policy };
    return {
      grant: new GrantAccess(deps),
      revoke: new RevokeAccess(deps),
      unlock: new UnlockDoor(deps),
      reconcile: new ReconcileSite(deps),
    };
  };
  let app = compose(null);

  const record = (useCase: string, r: unknown): void => {
    if (!isTyped(r)) {
      violations.push(`${useCase} returned an untyped outcome: ${JSON.stringify(r)}`);
      return;
    }
    const x = r as { ok: boolean; value?: { code: string }; error?: { code: string } };
    const code = x.ok ? x.value!.code : x.error!.code;
    const k = `${useCase}:${code}`;
    stats.outcomes[k] = (stats.outcomes[k] ?? 0) + 1;
  };
  const guarded = async (useCase: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      const r = await run();
      if (r !== SKIP) record(useCase, r);
    } catch (e) {
      violations.push(`${useCase} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };

  /** The stored grants: this process's store, or as the app process reads its database. */
  const storedGrants = async (): Promise<readonly Grant[]> => (host ? host.grants() : store.all());
  const liveGrants = async (now: number): Promise<Grant[]> =>
    (await storedGrants()).filter(
      (g) => g.siteId === fx.siteId && g.revokedAt === null && !windowEnded(g.window, now),
    );

  const grantRequest = (c: ScenarioCommand & { t: 'grant' }) => {
    const now = fx.clock.now();
    return {
      key: `g${c.key}`,
      holder: `holder-${c.key}`,
      siteId: fx.siteId,
      lockIds: c.locks.map((i) => fx.lockIds[i % fx.lockIds.length]!),
      window: c.window
        ? {
            kind: 'scheduled',
            startsAt: now + c.window.startH * HOUR_MS,
            endsAt: now + (c.window.startH + c.window.lenH) * HOUR_MS,
          }
        : { kind: 'ongoing' },
    };
  };

  const appOp = (c: ScenarioCommand & { t: 'grant' | 'revoke' | 'reconcile' }): AppOp =>
    c.t === 'grant'
      ? { useCase: 'grant', input: grantRequest(c) }
      : c.t === 'revoke'
        ? { useCase: 'revoke', input: `g${c.key}` }
        : { useCase: 'reconcile', input: fx.siteId };
  /** Process mode: one use case in the app process; a kill there is a crash, not an outcome. */
  const inProcess = async (
    useCase: string,
    op: AppOp,
    kill?: { calls: number; phase: 'before' | 'after' },
  ) => {
    if (!host) throw new Error('no app process');
    const r = await host.run(op, { now: fx.clock.now(), slotLimit: knownLimit }, kill);
    if ('killed' in r) {
      stats.kills++;
      await host.start();
    } else record(useCase, r.outcome);
  };
  const runOp = (
    a: ReturnType<typeof compose>,
    c: ScenarioCommand & { t: 'grant' | 'revoke' | 'reconcile' },
  ) =>
    host
      ? guarded(c.t, async () => inProcess(c.t, appOp(c)).then(() => SKIP))
      : c.t === 'grant'
        ? guarded('grant', () => a.grant.execute(grantRequest(c)))
        : c.t === 'revoke'
          ? guarded('revoke', () => a.revoke.execute(`g${c.key}`))
          : guarded('reconcile', () => a.reconcile.execute(fx.siteId));

  for (const c of commands) {
    stats.steps++;
    log.push(describeCommand(c));
    switch (c.t) {
      case 'grant':
      case 'revoke':
      case 'reconcile':
        await runOp(app, c);
        break;
      case 'unlock': {
        const input = {
          lockId: fx.lockIds[c.lock % fx.lockIds.length]!,
          holder: `holder-${c.holder}`,
          timeoutMs: 30_000,
        };
        await guarded('unlock', () =>
          host
            ? inProcess('unlock', { useCase: 'unlock', input }).then(() => SKIP)
            : app.unlock.execute(input),
        );
        break;
      }
      case 'advance':
        await fx.advance(c.ms);
        break;
      case 'fault':
        stats.faultsInjected += c.count;
        await fx.injectFault(c.fault, fx.faultTargets[c.target % fx.faultTargets.length]!, c.count);
        break;
      case 'hub':
        await fx.setHubLink(fx.lockIds[c.lock % fx.lockIds.length]!, c.link);
        break;
      case 'limit': {
        // The site owner may shrink the plan, but not under what the app has committed: live grants
        // and revoked ones whose codes are not yet confirmed gone (they may still load and hold a
        // slot). A downgrade below that breaks grants for reasons no app can prevent.
        const view = fx.inspect();
        const now = fx.clock.now();
        const committed = (await storedGrants())
          .filter((g) => g.siteId === fx.siteId && holdsPlannedSlots(g) && !windowEnded(g.window, now))
          .reduce((n, g) => n + g.lockIds.length, 0);
        const floor = Math.max(view.used, committed, 1);
        const next = Math.max(floor, knownLimit + c.delta);
        if (next !== knownLimit) {
          knownLimit = next;
          await fx.setSlotLimit(next);
        }
        break;
      }
      case 'crash':
        stats.crashes++;
        if (host) {
          await host.kill();
          stats.kills++;
          await host.start();
        }
        app = compose(null);
        break;
      case 'crash_during': {
        stats.crashes++;
        if (host) {
          await guarded(c.op.t, () =>
            inProcess(c.op.t, appOp(c.op), { calls: c.calls, phase: c.phase }).then(() => SKIP),
          );
          break;
        }
        const sw = new CrashSwitch(c.calls, c.phase);
        const doomed = compose(sw);
        await Promise.race([runOp(doomed, c.op), sw.trip]);
        if (lateLanding) {
          let settled = false;
          const landed = sw.landed().then(() => {
            settled = true;
          });
          await new Promise<void>((r) => setImmediate(r));
          if (!settled) stats.lateLandings++;
          inFlight.push(landed);
        } else await sw.landed();
        app = compose(null);
        break;
      }
    }
    observe(`after ${describeCommand(c)}`);
  }

  // Whatever crashed instances had sent has landed by now; then the faults stop, hubs come
  // back, and reconcile runs until nothing is left to do.
  await Promise.all(inFlight);
  await fx.clearFaults();
  for (const lockId of fx.lockIds) await fx.setHubLink(lockId, 'good');
  app = compose(null);
  let converged = false;
  for (let round = 0; round < 8 && !converged; round++) {
    await fx.advance(2 * 60_000);
    let r: unknown;
    if (host) {
      const ran = await host.run(
        { useCase: 'reconcile', input: fx.siteId },
        { now: fx.clock.now(), slotLimit: knownLimit },
      );
      r = 'killed' in ran ? null : ran.outcome;
    } else r = await app.reconcile.execute(fx.siteId);
    record('final reconcile', r);
    const done = r as { ok?: boolean; value?: { converged?: boolean; actions?: readonly unknown[] } } | null;
    converged = done?.ok === true && done.value?.converged === true && done.value.actions?.length === 0;
  }
  await fx.advance(10 * 60_000);
  observe('after quiescence');
  if (!converged)
    violations.push('reconcile did not reach quiescence within 8 rounds once the faults stopped');

  // The final state, from the provider's own records.
  const now = fx.clock.now();
  const view = fx.inspect();
  const live = await liveGrants(now);
  const liveKeys = new Set(live.map((g) => g.key));
  let expectedHolding = 0;
  for (const g of live) {
    const holding = g.window.kind === 'ongoing' || now >= g.window.startsAt - fx.slotLeadTimeMs;
    for (const lockId of g.lockIds) {
      const codes = view.codes.filter((c) => c.lockId === lockId && grantKeyOf(c.name) === g.key);
      const what = `live grant ${g.key} on lock ${lockId}`;
      if (codes.length !== 1) {
        violations.push(`${what} has ${codes.length} codes (expected exactly 1)`);
        continue;
      }
      const code = codes[0]!;
      if (code.status === 'removing') violations.push(`${what}: its code is being removed`);
      if (code.notSubscribed) violations.push(`${what}: its code was refused at the slot limit`);
      if (!sameWindow(code.window, g.window)) violations.push(`${what}: its code has another window`);
      if (holding) {
        expectedHolding++;
        if (!code.holdsSlot) violations.push(`${what}: its code holds no slot`);
        if (code.pin === null) violations.push(`${what}: its code has no PIN`);
      }
    }
  }
  for (const c of view.codes) {
    const key = grantKeyOf(c.name);
    if (key === null || !liveKeys.has(key))
      violations.push(`code ${c.id} (${c.name}, ${c.status}) on lock ${c.lockId} has no live grant`);
    if (c.notSubscribed) violations.push(`refused code ${c.id} (${c.name}) was left behind`);
  }
  if (view.used !== expectedHolding)
    violations.push(`slots used ${view.used} ≠ live codes holding a slot ${expectedHolding}`);
  stats.refusedAtLimit = refused.size;

  if (violations.length > 0) {
    throw new Error(
      `Exactly-once violated (${violations.length}):\n  ${[...new Set(violations)].join('\n  ')}\nSteps:\n  ${log.join('\n  ')}`,
    );
  }
  return stats;
}
