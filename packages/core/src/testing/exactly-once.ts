/**
 * "Exactly-once access under faults": a fast-check scenario runner any `LockGateway` (or
 * `AccessGrantGateway`) + provider pair can be put through (the in-process simulator, the Seam adapter over the simulator's HTTP
 * server…). It does not import a test runner: it throws an `Error` describing every violation.
 *
 * A scenario is a random sequence of grants, revokes, unlocks and reconciles interleaved with
 * injected faults (5xx, 429, latency, replies lost after the change was made), hub links going
 * weak/offline and back, slot-limit changes, and app crashes — between two steps, or in the middle
 * of an operation after any number of port calls (a fresh composition over the same `GrantStore`).
 * After the faults stop, reconcile runs to quiescence and the provider's state is checked
 * (`provider-checks.ts`), on the lock integration:
 *
 * - every live grant has exactly one code per lock, with a PIN once its slot is held;
 * - every revoked or ended grant has none; no code exists without a live grant;
 * - slots used = the live codes that hold a slot; no refused (not-subscribed) code is left;
 * - at every observation (after every provider call and every step): used ≤ limit, no grant has
 *   two live codes on one lock, and no code was refused at the limit (the app never pushed the
 *   site over its limit);
 * - every outcome the app saw was a typed result (`{ ok, value.code }` / `{ ok, error.code }`).
 *
 * On the ACS path (an `AcsExactlyOnceFixture`) the same, restated for its cost: every live grant
 * has exactly ONE access grant (its doors, its window), holding ONE slot and a PIN once its window
 * has started; a revoked or ended grant has none; no access grant without a live grant is left
 * (holding a slot or not); slots used = the live access grants holding one; at every observation
 * used ≤ limit, no key has two access grants and none was refused at the limit. Unlock steps are
 * skipped there (`UnlockDoor` is lock-path only).
 *
 * The scenarios and their arbitraries are in `scenario-commands.ts`; the app the runner drives is
 * `scenario-app.ts` (compositions in this process) or, with `processApp`, `process-app-mode.ts`
 * (a child process killed with SIGKILL).
 */
import { type Grant, holdsPlannedSlots } from '../domain/grant.js';
import type { HubLink, LockId } from '../domain/lock.js';
import type { SiteId } from '../domain/site.js';
import { slotsForGrant } from '../domain/slot-holding.js';
import { HOUR_MS, windowEnded } from '../domain/time.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { AppOp, ScenarioAppHost } from './process-app.js';
import { processScenarioApp } from './process-app-mode.js';
import { accessGrantChecks, codeChecks, type ProviderView } from './provider-checks.js';

export type { ProviderAccessGrantView, ProviderCodeView, ProviderView } from './provider-checks.js';

import { type AppCallResult, inProcessScenarioApp, type ScenarioApp } from './scenario-app.js';
import {
  describeCommand,
  type InjectedFault,
  type ScenarioCommand,
  type ScenarioSetup,
} from './scenario-commands.js';

interface FixtureBase {
  /** The site as the gateway names it. */
  readonly siteId: SiteId;
  /** Locks (on the ACS path: doors) of the site, each with a PIN pad (and remote unlock on the lock path). */
  readonly lockIds: readonly LockId[];
  /** The clock the app runs on (a virtual clock that moves when the app waits). */
  readonly clock: Clock;
  /** When a time-bound code starts holding its slot, before `startsAt` (lock path). */
  readonly slotLeadTimeMs: number;
  /** Provider operations a fault may target (e.g. the simulator's `create_access_code`). */
  readonly faultTargets: readonly string[];
  /** Largest latency fault worth injecting (wall-clock faults over HTTP should stay small). */
  readonly maxLatencyMs: number;
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

/** A provider reached through Seam's lock integration: the app runs over a `LockGateway`. */
export interface LockExactlyOnceFixture extends FixtureBase {
  readonly path?: 'lock_codes';
  /** A fresh gateway, as a new app process would build it. */
  newGateway(): LockGateway;
}

/**
 * A provider reached as a Salto KS access control system: the app runs over an
 * `AccessGrantGateway`, `inspect()` lists the site's `accessGrants`, and `unlock` steps are
 * skipped (`UnlockDoor` is lock-path only).
 */
export interface AcsExactlyOnceFixture extends FixtureBase {
  readonly path: 'access_grants';
  /** A fresh gateway, as a new app process would build it. */
  newAccessGrants(): AccessGrantGateway;
}

export type ExactlyOnceFixture = LockExactlyOnceFixture | AcsExactlyOnceFixture;

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

const isTyped = (r: unknown): boolean => {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as { ok?: unknown; value?: { code?: unknown }; error?: { code?: unknown; message?: unknown } };
  if (x.ok === true) return typeof x.value?.code === 'string';
  return x.ok === false && typeof x.error?.code === 'string' && typeof x.error.message === 'string';
};

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

/**
 * Runs one scenario against a fixture and checks every invariant. Throws an `Error` listing the
 * violations (with the step log) if any; returns the run's statistics otherwise.
 */
export async function runExactlyOnceScenario(
  fx: ExactlyOnceFixture,
  setup: ScenarioSetup,
  commands: readonly ScenarioCommand[],
  options: ScenarioOptions = {},
): Promise<ScenarioStats> {
  const host = options.processApp;
  const lateLanding = options.lateLanding === true || host !== undefined;
  const stats = emptyStats();
  const violations: string[] = [];
  const log: string[] = [];
  const refused = new Set<string>();
  let knownLimit = setup.slotLimit;

  const acs = fx.path === 'access_grants';
  const checks = acs ? accessGrantChecks : codeChecks(fx.slotLeadTimeMs);
  /** How a grant costs the site's slots on this path. */
  const cost = {
    slotLeadTimeMs: fx.slotLeadTimeMs,
    slotCostModel: acs ? 'user_per_grant' : 'code_per_lock',
  } as const;

  const observe = (where: string): void => {
    const view = fx.inspect();
    if (view.used > view.slotLimit) violations.push(`${where}: used ${view.used} > limit ${view.slotLimit}`);
    // Under late landing transient duplicates/refusals are expected; the final check decides.
    violations.push(...checks.observe(view, where, !lateLanding, refused));
  };

  const app: ScenarioApp = host
    ? processScenarioApp({
        host,
        context: () => ({ now: fx.clock.now(), slotLimit: knownLimit }),
        counters: stats,
      })
    : inProcessScenarioApp({
        newProvider: () =>
          fx.path === 'access_grants' ? { accessGrants: fx.newAccessGrants() } : { gateway: fx.newGateway() },
        clock: fx.clock,
        policy: setup.policy,
        store: new InMemoryGrantStore(),
        counters: stats,
        observe,
        lateLanding,
      });

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
  /** Runs a use case; records its outcome (none when the app died first) or that it threw. */
  const guarded = async (useCase: string, run: () => Promise<AppCallResult>): Promise<void> => {
    try {
      const r = await run();
      if ('outcome' in r) record(useCase, r.outcome);
    } catch (e) {
      violations.push(`${useCase} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };

  const liveGrants = async (now: number): Promise<Grant[]> =>
    (await app.grants()).filter(
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

  for (const c of commands) {
    stats.steps++;
    log.push(describeCommand(c));
    switch (c.t) {
      case 'grant':
      case 'revoke':
      case 'reconcile':
        await guarded(c.t, () => app.run(appOp(c)));
        break;
      case 'unlock': {
        if (acs) break; // UnlockDoor works on the lock integration only.
        const input = {
          lockId: fx.lockIds[c.lock % fx.lockIds.length]!,
          holder: `holder-${c.holder}`,
          timeoutMs: 30_000,
        };
        await guarded('unlock', () => app.run({ useCase: 'unlock', input }));
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
        const committed = (await app.grants())
          .filter((g) => g.siteId === fx.siteId && holdsPlannedSlots(g) && !windowEnded(g.window, now))
          .reduce((n, g) => n + slotsForGrant(cost, g.lockIds.length), 0);
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
        await app.crash();
        break;
      case 'crash_during':
        stats.crashes++;
        await guarded(c.op.t, () => app.runAndCrash(appOp(c.op), { calls: c.calls, phase: c.phase }));
        break;
    }
    observe(`after ${describeCommand(c)}`);
  }

  // Whatever crashed instances had sent has landed by now; then the faults stop, hubs come
  // back, and reconcile runs until nothing is left to do.
  await app.settle();
  await fx.clearFaults();
  for (const lockId of fx.lockIds) await fx.setHubLink(lockId, 'good');
  let converged = false;
  for (let round = 0; round < 8 && !converged; round++) {
    await fx.advance(2 * 60_000);
    const ran = await app.run({ useCase: 'reconcile', input: fx.siteId });
    const r = 'outcome' in ran ? ran.outcome : null;
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
  violations.push(...checks.final(fx.inspect(), await liveGrants(now), now));
  stats.refusedAtLimit = refused.size;

  if (violations.length > 0) {
    throw new Error(
      `Exactly-once violated (${violations.length}):\n  ${[...new Set(violations)].join('\n  ')}\nSteps:\n  ${log.join('\n  ')}`,
    );
  }
  return stats;
}
