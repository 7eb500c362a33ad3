/**
 * The exactly-once runner's scenarios: the commands (grants, revokes, unlocks, reconciles, injected
 * faults, hub links, slot-limit changes, crashes), how each reads in a failure report, and the
 * fast-check arbitraries that generate them. The runner is `exactly-once.ts`.
 */
import fc from 'fast-check';
import type { HubLink } from '../domain/lock.js';
import type { AccessPolicy } from '../domain/policy.js';
import { HOUR_MS } from '../domain/time.js';

/** A fault the fixture injects at the provider (`ExactlyOnceFixture.injectFault`). */
export type InjectedFault =
  | { readonly kind: 'server_error'; readonly status: 500 | 503 }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'reply_lost' };

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
