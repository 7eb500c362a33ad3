import type { Instant } from '@keyslot/core/domain';
import { SeededRandom } from '@keyslot/core/infrastructure';
import type { Clock } from '@keyslot/core/ports';
import { AcsState } from './acs/state.js';
import type { AttemptFailure, CodeIssue } from './conditions.js';
import { EventLog } from './event-log.js';
import { TransitionQueue } from './heap.js';
import { LiveMap } from './live-map.js';
import type {
  AccessCodeRecord,
  AcsRateLimitedOperation,
  ActionAttemptRecord,
  ActiveFault,
  ConnectedAccountRecord,
  HubRecord,
  LockRecord,
  RateLimitedOperation,
  SimEvent,
  SiteRecord,
  WorldConfig,
} from './types.js';

/**
 * The world's state: every record and counter, shared by the world's rooms (runtime, faults, slot
 * ledger, topology, controls, access codes, lifecycle, door, queries, snapshots). It holds data
 * only; each room owns the rules that change its part (see docs/salto-sim-rooms.md).
 */

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface SiteState extends Mutable<SiteRecord> {
  /** Codes holding a slot: written by the slot ledger only. */
  used: number;
  /** Live PINs of the site (codes not yet gone), for uniqueness. */
  pins: Set<string>;
  limitReachedSince: Instant | null;
  almostReachedSince: Instant | null;
}

export type ParkedWork = { readonly kind: 'program' | 'remove'; readonly codeId: string };

export interface LockState extends Mutable<LockRecord> {
  hubLinkSince: Instant;
  privacyModeSince: Instant;
  officeModeSince: Instant;
  /** Hub-bound work that found the hub offline; rescheduled on reconnect. */
  parked: ParkedWork[];
}

export interface CodeState extends Omit<Mutable<AccessCodeRecord>, 'errors' | 'warnings'> {
  /** The code's errors as Salto facts (worded as Seam does when read or saved: `seam/issues.ts`). */
  errors: CodeIssue[];
  /** The code's warnings, likewise. */
  warnings: CodeIssue[];
  /** The code reached the lock (removal then needs the hub). */
  onDevice: boolean;
  /** `access_code.deleted` was emitted at the delete request. */
  deleteRequested: boolean;
}

export interface AttemptState extends Omit<Mutable<ActionAttemptRecord>, 'error'> {
  /** Why it failed, once it did (worded as Seam's action-attempt error when read or saved). */
  error: AttemptFailure | null;
  /** Refused at request time (offline/privacy): ends in this failure. */
  doomed: AttemptFailure | null;
}

export type EventListener = (event: SimEvent) => void;

/**
 * One world's state. A class with every field set in the constructor, so every room reads the
 * same object shape (the hot path stays monomorphic).
 */
export class WorldState {
  nowMs: Instant;
  /** Transition sequence (ties between transitions due at the same instant go by it). */
  seq = 0;
  eventSeq = 0;
  faultSeq = 0;
  saltoLockSeq = 0;
  readonly accounts = new Map<string, Mutable<ConnectedAccountRecord>>();
  readonly sites = new Map<string, SiteState>();
  readonly hubs = new Map<string, Mutable<HubRecord>>();
  readonly locks = new Map<string, LockState>();
  /** Live codes by id in creation order (a `Map` with deferred deletion: codes come and go all the time). */
  readonly codes = new LiveMap<CodeState>();
  readonly attempts = new Map<string, AttemptState>();
  finishedAttempts: string[] = [];
  queue = new TransitionQueue();
  events: EventLog;
  /** Per device (lock operations) or per ACS system (ACS mutations): calls in the window, by operation. */
  readonly rateWindows = new Map<string, Map<RateLimitedOperation | AcsRateLimitedOperation, number[]>>();
  faults: Mutable<ActiveFault>[] = [];
  readonly listeners = new Set<EventListener>();
  /** The ACS side (ACS users, credentials, identities, Access Grants, synced access groups). */
  readonly acs = new AcsState();

  readonly rng: SeededRandom;

  constructor(
    readonly config: WorldConfig,
    readonly clock: Clock,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
    this.nowMs = clock.now();
    this.events = new EventLog(config.eventLogCapacity);
  }
}
