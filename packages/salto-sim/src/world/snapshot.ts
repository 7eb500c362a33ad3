import type { Instant } from '@keyslot/core/domain';
import { attemptFailureOf, codeIssueOf } from '../seam/issues.js';
import { type AcsSnapshot, restoreAcsSnapshot, takeAcsSnapshot } from './acs/snapshot.js';
import { EventLog } from './event-log.js';
import { type Transition, TransitionQueue } from './heap.js';
import type { AttemptState, CodeState, LockState, SiteState, WorldState } from './state.js';
import type {
  AcsRateLimitedOperation,
  ActiveFault,
  ConnectedAccountRecord,
  HubRecord,
  RateLimitedOperation,
  SimEvent,
  SimIssue,
  WorldConfig,
} from './types.js';
import { attemptErrorOf, attemptNames, codeIssues, codeNames } from './views.js';

/** Everything `toJSON` returns; `SaltoKsWorld.fromJSON` restores it exactly. */
export interface WorldSnapshot {
  readonly version: 1;
  readonly config: WorldConfig;
  readonly rng: readonly [number, number, number, number];
  readonly now: Instant;
  readonly seq: number;
  readonly eventSeq: number;
  readonly faultSeq: number;
  readonly saltoLockSeq: number;
  readonly accounts: readonly ConnectedAccountRecord[];
  readonly sites: readonly unknown[];
  readonly hubs: readonly HubRecord[];
  readonly locks: readonly unknown[];
  readonly codes: readonly unknown[];
  readonly attempts: readonly unknown[];
  readonly finishedAttempts: readonly string[];
  readonly transitions: readonly Transition[];
  readonly events: readonly SimEvent[];
  readonly rateWindows: readonly (readonly [
    string,
    RateLimitedOperation | AcsRateLimitedOperation,
    readonly number[],
  ])[];
  readonly faults: readonly ActiveFault[];
  /** The ACS side; absent while the world has no ACS records. */
  readonly acs?: AcsSnapshot;
}

/** Whether `x` looks like a snapshot this version of the world can restore. */
export const isWorldSnapshot = (x: unknown): x is WorldSnapshot =>
  typeof x === 'object' && x !== null && (x as { version?: unknown }).version === 1;

/**
 * The whole state as plain JSON (configuration, RNG state, clock time, every record, pending
 * transitions, events, rate-limit windows, faults). Event listeners are not included. The caller
 * catches up with the clock first.
 */
export function takeSnapshot(s: WorldState): WorldSnapshot {
  const clone = <T>(x: T): T => structuredClone(x);
  return {
    version: 1,
    config: clone(s.config),
    rng: s.rng.getState(),
    now: s.nowMs,
    seq: s.seq,
    eventSeq: s.eventSeq,
    faultSeq: s.faultSeq,
    saltoLockSeq: s.saltoLockSeq,
    accounts: [...s.accounts.values()].map(clone),
    sites: [...s.sites.values()].map((site) => ({ ...clone(site), pins: [...site.pins] })),
    hubs: [...s.hubs.values()].map(clone),
    locks: [...s.locks.values()].map(clone),
    // Kept issues and attempt failures are Salto facts in the state and Seam's words in the snapshot.
    codes: [...s.codes.values()].map((c) => ({
      ...clone(c),
      errors: codeIssues(s, c, c.errors),
      warnings: codeIssues(s, c, c.warnings),
    })),
    attempts: [...s.attempts.values()].map((a) => ({
      ...clone(a),
      error: attemptErrorOf(s, a, a.error),
      doomed: attemptErrorOf(s, a, a.doomed),
    })),
    finishedAttempts: [...s.finishedAttempts],
    transitions: s.queue.toJSON(),
    events: s.events.toArray().map(clone),
    rateWindows: [...s.rateWindows].flatMap(([device, perOp]) =>
      [...perOp].map(([op, calls]) => [device, op, [...calls]] as const),
    ),
    faults: s.faults.map(clone),
    ...acsPart(s),
  };
}

function acsPart(s: WorldState): { acs?: AcsSnapshot } {
  const acs = takeAcsSnapshot(s.acs);
  return acs ? { acs } : {};
}

/** A code as a snapshot stores it: its kept issues in Seam's words. */
type StoredCode = Omit<CodeState, 'errors' | 'warnings'> & { errors: SimIssue[]; warnings: SimIssue[] };

type StoredAttemptError = { readonly type: string; readonly message: string };

/** An attempt as a snapshot stores it: its failures as Seam's action-attempt errors. */
type StoredAttempt = Omit<AttemptState, 'error' | 'doomed'> & {
  error: StoredAttemptError | null;
  doomed: StoredAttemptError | null;
};

/** Restores `snapshot` into the fresh state of a world made with the snapshot's configuration. */
export function restoreSnapshot(s: WorldState, snapshot: WorldSnapshot): void {
  const clone = <T>(x: unknown): T => structuredClone(x) as T;
  s.rng.setState(snapshot.rng);
  s.nowMs = snapshot.now;
  s.seq = snapshot.seq;
  s.eventSeq = snapshot.eventSeq;
  s.faultSeq = snapshot.faultSeq;
  s.saltoLockSeq = snapshot.saltoLockSeq;
  for (const a of snapshot.accounts) s.accounts.set(a.connectedAccountId, clone(a));
  for (const site of snapshot.sites as (Omit<SiteState, 'pins'> & { pins: string[] })[])
    s.sites.set(site.siteId, { ...clone<Omit<SiteState, 'pins'>>(site), pins: new Set(site.pins) });
  for (const h of snapshot.hubs) s.hubs.set(h.hubId, clone(h));
  for (const l of snapshot.locks as LockState[]) s.locks.set(l.deviceId, clone(l));
  for (const stored of snapshot.codes as StoredCode[]) {
    const c = clone<CodeState>(stored);
    const n = codeNames(s, stored);
    c.errors = stored.errors.map((x) => codeIssueOf(x, n));
    c.warnings = stored.warnings.map((x) => codeIssueOf(x, n));
    s.codes.set(c.accessCodeId, c);
  }
  for (const stored of snapshot.attempts as StoredAttempt[]) {
    const a = clone<AttemptState>(stored);
    const n = attemptNames(s, stored);
    a.error = stored.error && attemptFailureOf(stored.error, n);
    a.doomed = stored.doomed && attemptFailureOf(stored.doomed, n);
    s.attempts.set(a.actionAttemptId, a);
  }
  s.finishedAttempts = [...snapshot.finishedAttempts];
  s.queue = new TransitionQueue(clone(snapshot.transitions));
  s.events = new EventLog(s.config.eventLogCapacity, clone<SimEvent[]>(snapshot.events));
  for (const [device, op, calls] of snapshot.rateWindows) {
    let perOp = s.rateWindows.get(device);
    if (!perOp) {
      perOp = new Map();
      s.rateWindows.set(device, perOp);
    }
    perOp.set(op, [...calls]);
  }
  s.faults = clone(snapshot.faults);
  restoreAcsSnapshot(s.acs, snapshot.acs);
}
