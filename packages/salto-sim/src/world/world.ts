// Narrow core entry points, not the root: the root also loads core's application layer, which
// the simulator never uses and which would add to `keyslot-sim serve`'s start-up.
import {
  ALMOST_REACHED_RATIO,
  DEFAULT_SLOT_LEAD_TIME_MS,
  err,
  type HubLink,
  type Instant,
  ok,
} from '@keyslot/core/domain';
import { chance, randomDigits, randomInt, SeededRandom, VirtualClock } from '@keyslot/core/infrastructure';
import { type Clock, isAdvanceableClock } from '@keyslot/core/ports';
import { resolveWorldConfig } from './config.js';
import { EventLog } from './event-log.js';
import { QueuedTransition, type Transition, type TransitionKind, TransitionQueue } from './heap.js';
import { LiveMap } from './live-map.js';
import type {
  AccessCodeRecord,
  AccountIssue,
  ActionAttemptRecord,
  ActiveFault,
  AddConnectedAccountParams,
  AddHubParams,
  AddLockParams,
  AddSiteParams,
  ConnectedAccountRecord,
  ConnectedAccountView,
  CreateAccessCodeParams,
  DelayRange,
  DeviceIssue,
  DeviceView,
  FaultInput,
  HubRecord,
  KeypadDenialReason,
  KeypadEntryResult,
  ListAccessCodesParams,
  ListDevicesParams,
  ListEventsParams,
  LockRecord,
  RateLimitedOperation,
  SimEvent,
  SimEventType,
  SimFailure,
  SimIssue,
  SimOperation,
  SimResult,
  SiteRecord,
  SiteSlotCount,
  SiteView,
  UpdateAccessCodeParams,
  WorldConfig,
  WorldConfigInput,
} from './types.js';
import { formatUuid } from './uuid.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface SiteState extends Mutable<SiteRecord> {
  used: number;
  /** Live PINs of the site (codes not yet gone), for uniqueness. */
  pins: Set<string>;
  limitReachedSince: Instant | null;
  almostReachedSince: Instant | null;
}

type ParkedWork = { readonly kind: 'program' | 'remove'; readonly codeId: string };

interface LockState extends Mutable<LockRecord> {
  hubLinkSince: Instant;
  privacyModeSince: Instant;
  officeModeSince: Instant;
  /** Hub-bound work that found the hub offline; rescheduled on reconnect. */
  parked: ParkedWork[];
}

interface CodeState extends Omit<Mutable<AccessCodeRecord>, 'errors' | 'warnings'> {
  errors: SimIssue[];
  warnings: SimIssue[];
  /** The code reached the lock (removal then needs the hub). */
  onDevice: boolean;
  /** `access_code.deleted` was emitted at the delete request. */
  deleteRequested: boolean;
}

interface AttemptState extends Mutable<ActionAttemptRecord> {
  /** Refused at request time (offline/privacy): ends in this error. */
  doomed: { type: string; message: string } | null;
}

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
  readonly rateWindows: readonly (readonly [string, RateLimitedOperation, readonly number[]])[];
  readonly faults: readonly ActiveFault[];
}

export interface WorldOptions {
  /** Seed of the world's RandomSource (ids, PINs, delays, flakiness). Default 1. */
  readonly seed?: number;
  /** Default: a `VirtualClock` at 2026-01-01T00:00:00Z (advance it with `world.advance`). */
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
}

export type EventListener = (event: SimEvent) => void;

const PIN_PATTERN = /^\d{6,10}$/;
const LOW_BATTERY = 0.2;

const notFound = (
  type:
    | 'connected_account_not_found'
    | 'site_not_found'
    | 'hub_not_found'
    | 'device_not_found'
    | 'access_code_not_found'
    | 'action_attempt_not_found',
  what: string,
  id: string,
  dataKey: string,
): SimFailure => ({
  type,
  message: `${what} ${JSON.stringify(id)} was not found: it never existed or has been removed. List them again to get a current id.`,
  data: { [dataKey]: id },
});

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}): SimFailure => ({
  type: 'invalid_input',
  message: `Invalid ${field}: ${message}.`,
  data: { field, ...extra },
});

/**
 * A deterministic simulated Salto KS world behind Seam: connected accounts → sites (slot limit,
 * custom-PIN subscription, time zone) → IQ hubs → locks (capabilities, hub link, modes, battery)
 * → access codes → events, plus remote-unlock action attempts.
 *
 * **Determinism.** All randomness (ids, PINs, delays, weak-link flakiness) comes from one seeded
 * generator, drawn in call order; time comes from the injected `Clock`. The same seed and the
 * same calls at the same clock times give byte-identical results, events and snapshots.
 *
 * **Time.** The world never uses timers. Delayed work (PIN assignment, programming, removal,
 * unlock completion, time-bound load/start/end) is a queue of transitions. Every call first
 * processes each due transition in time order (ties by creation order), each "at" its own
 * scheduled instant, so a real clock catching up lazily gives the same outcome as a virtual
 * clock advanced step by step. Under a virtual clock, move time with {@link advance}.
 *
 * **Calls.** API methods (the ones a Seam-compatible server exposes) return `SimResult`: a typed
 * failure carries Seam's `error.type`, an HTTP `status`, a message, and `data`. They honour
 * per-device rate limits and injected faults. Control methods (`set*`, `add*`, `injectFault`,
 * `advance`) bypass both. Nothing ever throws for bad input; the world is never left half-changed.
 *
 * **Slot accounting.** Per site, `used` = codes holding a slot: ongoing codes from creation
 * until deleted; time-bound codes from load (`startsAt − slotLeadTimeMs`) until `endsAt` or
 * deletion. A code that would take `used` over the limit is still created but carries the
 * not-subscribed error and never holds a slot (even if slots free up later: delete it and create
 * a new one, as with Salto). Lowering the limit below `used` unsubscribes the newest codes until
 * `used` = limit, so `used ≤ limit` always holds.
 */
export class SaltoKsWorld {
  readonly config: WorldConfig;
  readonly clock: Clock;
  private readonly rng: SeededRandom;
  private nowMs: Instant;
  private seq = 0;
  private eventSeq = 0;
  private faultSeq = 0;
  private saltoLockSeq = 0;
  private readonly accounts = new Map<string, Mutable<ConnectedAccountRecord>>();
  private readonly sites = new Map<string, SiteState>();
  private readonly hubs = new Map<string, Mutable<HubRecord>>();
  private readonly locks = new Map<string, LockState>();
  /** Live codes by id in creation order (a `Map` with deferred deletion: codes come and go all the time). */
  private readonly codes = new LiveMap<CodeState>();
  private readonly attempts = new Map<string, AttemptState>();
  private finishedAttempts: string[] = [];
  private queue = new TransitionQueue();
  private events: EventLog;
  private readonly rateWindows = new Map<string, Map<RateLimitedOperation, number[]>>();
  private faults: Mutable<ActiveFault>[] = [];
  private readonly listeners = new Set<EventListener>();

  /**
   * Creates an empty world. Throws `RangeError` only for an invalid `config` (a programmer
   * error); use {@link SaltoKsWorld.create} to get it as a result instead.
   */
  constructor(options: WorldOptions = {}) {
    const resolved = resolveWorldConfig(options.config);
    if (!resolved.ok) throw new RangeError(resolved.error.message);
    this.config = resolved.value;
    this.clock = options.clock ?? new VirtualClock();
    this.rng = new SeededRandom(options.seed ?? 1);
    this.nowMs = this.clock.now();
    this.events = new EventLog(this.config.eventLogCapacity);
  }

  /** Like the constructor, but returns a bad configuration as an `invalid_input` failure. */
  static create(options: WorldOptions = {}): SimResult<SaltoKsWorld> {
    const resolved = resolveWorldConfig(options.config);
    if (!resolved.ok) return err(resolved.error);
    return ok(new SaltoKsWorld(options));
  }

  // ───────────────────────── time ─────────────────────────

  /** The world's current instant (processes due transitions first). */
  now(): Instant {
    return this.catchUp();
  }

  /**
   * Moves a virtual clock forward by `ms` and processes everything that became due. Fails with
   * `invalid_input` when the clock cannot be moved (a real clock: just wait instead).
   */
  async advance(ms: number): Promise<SimResult<Instant>> {
    if (!Number.isFinite(ms) || ms < 0) return err(invalid('ms', `must be a finite number ≥ 0, got ${ms}`));
    const clock = this.clock;
    if (!isAdvanceableClock(clock))
      return err(
        invalid('clock', 'this world runs on a real clock, which cannot be advanced; wait instead', {
          reason: 'clock_not_virtual',
        }),
      );
    await clock.advance(ms);
    return ok(this.catchUp());
  }

  /** Instant of the next pending transition, or `null` when nothing is scheduled. */
  nextTransitionAt(): Instant | null {
    return this.queue.peek()?.at ?? null;
  }

  /** Number of scheduled transitions (for tests and diagnostics). */
  get pendingTransitions(): number {
    return this.queue.size;
  }

  private catchUp(): Instant {
    const target = Math.max(this.nowMs, this.clock.now());
    for (let next = this.queue.peek(); next && next.at <= target; next = this.queue.peek()) {
      this.queue.pop();
      this.nowMs = Math.max(this.nowMs, next.at);
      this.handle(next);
    }
    this.nowMs = target;
    return target;
  }

  /** Schedules `kind` for `target`: the code id, or the attempt id (`unlock_done`), or the device id (`relock`). */
  private schedule(at: Instant, kind: TransitionKind, target: string): void {
    this.queue.push(new QueuedTransition(at, this.seq++, kind, target));
  }

  private draw(range: DelayRange, factor = 1): number {
    return Math.round(randomInt(this.rng, range[0], range[1]) * factor);
  }

  private hubFactor(lock: LockState): number {
    return lock.hubLink === 'weak' ? this.config.weakLink.slowdownFactor : 1;
  }

  /** A UUID v4-shaped id from four draws of the world's generator (see {@link formatUuid}). */
  private newId(): string {
    const rng = this.rng;
    return formatUuid(rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32());
  }

  // ───────────────────────── events ─────────────────────────

  /** Calls `listener` with every event from now on (e.g. to deliver webhooks). Returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(
    eventType: SimEventType,
    connectedAccountId: string,
    fields: Omit<
      SimEvent,
      'eventId' | 'sequence' | 'eventType' | 'occurredAt' | 'createdAt' | 'connectedAccountId'
    > = {},
  ): void {
    // The id's draws are taken now (the random stream stays in call order); the log formats
    // the id only when the event is read, and below before a listener sees it.
    const rng = this.rng;
    const a = rng.nextUint32();
    const b = rng.nextUint32();
    const c = rng.nextUint32();
    const d = rng.nextUint32();
    const event: Mutable<SimEvent> = {
      eventId: '',
      sequence: ++this.eventSeq,
      eventType,
      occurredAt: this.nowMs,
      createdAt: this.nowMs,
      connectedAccountId,
    };
    // Same keys, in the same order, as spreading `fields` (every caller lists them in this
    // order and never passes one as undefined), without the generic spread's cost.
    if (fields.deviceId !== undefined) event.deviceId = fields.deviceId;
    if (fields.accessCodeId !== undefined) event.accessCodeId = fields.accessCodeId;
    if (fields.actionAttemptId !== undefined) event.actionAttemptId = fields.actionAttemptId;
    if (fields.data !== undefined) event.data = fields.data;
    this.events.push(event, a, b, c, d);
    if (this.listeners.size === 0) return;
    event.eventId = formatUuid(a, b, c, d);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        // A failing listener must not leave the world half-changed: report it outside this call.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  // ───────────────────────── faults and rate limits ─────────────────────────

  /**
   * Injects a fault affecting the next `count` (default 1) calls of `operations` (default: any).
   * Faults are consumed in injection order. Returns the active fault with its id.
   */
  injectFault(input: FaultInput): SimResult<ActiveFault> {
    this.catchUp();
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      return err(invalid('count', `must be an integer ≥ 1, got ${count}`));
    const kinds = ['server_error', 'rate_limited', 'latency', 'reply_lost'];
    if (!kinds.includes(input.kind)) return err(invalid('kind', `must be one of ${kinds.join(', ')}`));
    let spec: ActiveFault['spec'];
    switch (input.kind) {
      case 'server_error':
        if (input.status !== undefined && input.status !== 500 && input.status !== 503)
          return err(invalid('status', 'must be 500 or 503'));
        spec = { kind: 'server_error', status: input.status ?? 503 };
        break;
      case 'rate_limited':
        if (
          input.retryAfterMs !== undefined &&
          !(Number.isInteger(input.retryAfterMs) && input.retryAfterMs >= 0)
        )
          return err(invalid('retryAfterMs', 'must be an integer ≥ 0'));
        spec = { kind: 'rate_limited', retryAfterMs: input.retryAfterMs ?? 1_000 };
        break;
      case 'latency':
        if (!(Number.isFinite(input.latencyMs) && input.latencyMs >= 0))
          return err(invalid('latencyMs', 'must be a finite number ≥ 0'));
        spec = { kind: 'latency', latencyMs: input.latencyMs };
        break;
      default:
        spec = { kind: 'reply_lost' };
    }
    const fault: Mutable<ActiveFault> = {
      faultId: ++this.faultSeq,
      spec,
      remaining: count,
      operations: input.operations ? [...input.operations] : null,
    };
    this.faults.push(fault);
    return ok({ ...fault });
  }

  /** Active faults, oldest first. */
  listFaults(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /**
   * Consumes the latency faults matching `op` and returns the total delay to apply before the
   * call. The world never waits itself: async callers (the in-process gateway, the HTTP server)
   * call this first and sleep/advance by the result.
   */
  takeLatency(op: SimOperation): number {
    let total = 0;
    for (const f of this.faults) {
      if (f.spec.kind === 'latency' && (!f.operations || f.operations.includes(op))) {
        total += f.spec.latencyMs;
        f.remaining--;
        break;
      }
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return total;
  }

  private takeFault(op: SimOperation): Mutable<ActiveFault> | null {
    if (this.faults.length === 0) return null;
    const f = this.faults.find(
      (x) => x.spec.kind !== 'latency' && (!x.operations || x.operations.includes(op)),
    );
    if (!f) return null;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }

  /** Turns Seam's per-device rate limits on or off. */
  setRateLimitsEnabled(enabled: boolean): void {
    (this.config.rateLimits as Mutable<WorldConfig['rateLimits']>).enabled = enabled;
    if (!enabled) this.rateWindows.clear();
  }

  private rateLimit(deviceId: string, op: RateLimitedOperation): SimFailure | null {
    const rl = this.config.rateLimits;
    if (!rl.enabled) return null;
    let perOp = this.rateWindows.get(deviceId);
    if (!perOp) {
      perOp = new Map();
      this.rateWindows.set(deviceId, perOp);
    }
    const cutoff = this.nowMs - rl.windowMs;
    const calls = (perOp.get(op) ?? []).filter((t) => t > cutoff);
    const max = rl.perDevice[op];
    if (calls.length >= max) {
      perOp.set(op, calls);
      const retryAfterMs = calls[0]! + rl.windowMs - this.nowMs;
      return {
        type: 'rate_limit_exceeded',
        message: `Too many ${op} calls for device ${deviceId}: at most ${max} per ${rl.windowMs / 1000} s. Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
        data: { device_id: deviceId, operation: op },
        retryAfterMs,
      };
    }
    calls.push(this.nowMs);
    perOp.set(op, calls);
    return null;
  }

  /**
   * Common frame of every API call: catch up, pre-call faults, the call, reply-lost faults.
   * `fn` gets `arg` and runs as a method of the world: the hot calls (create/delete) pass a method
   * and its argument instead of allocating a closure per call.
   */
  private api<T, A = undefined>(
    op: SimOperation,
    fn: (this: SaltoKsWorld, arg: A) => SimResult<T>,
    arg?: A,
  ): SimResult<T> {
    this.catchUp();
    const fault = this.takeFault(op);
    if (fault?.spec.kind === 'server_error') {
      const status = fault.spec.status ?? 503;
      return err({
        type: status === 500 ? 'internal_server_error' : 'service_unavailable',
        message: `Injected fault: ${op} failed with ${status} before doing anything. It is safe to try again.`,
        data: { fault_id: fault.faultId },
      });
    }
    if (fault?.spec.kind === 'rate_limited') {
      return err({
        type: 'rate_limit_exceeded',
        message: `Injected fault: ${op} was rate limited. Retry after ${fault.spec.retryAfterMs ?? 1000} ms.`,
        data: { fault_id: fault.faultId },
        retryAfterMs: fault.spec.retryAfterMs ?? 1000,
      });
    }
    const result = fn.call(this, arg as A);
    if (fault?.spec.kind === 'reply_lost') {
      return err({
        type: 'reply_lost',
        message: `Injected fault: the reply to ${op} was lost${result.ok ? ' after the change was applied' : ''}. Look the state up before repeating the call.`,
        data: { fault_id: fault.faultId },
        committed: result.ok && isMutation(op),
      });
    }
    return result;
  }

  // ───────────────────────── building the world (control) ─────────────────────────

  /**
   * Adds a Salto KS connected account. Emits `connected_account.connected`. Through a Connect
   * Webview (`connectWebviewId`), in Seam's order and each with the webview's id:
   * `connected_account.created`, `connected_account.connected`, `connect_webview.login_succeeded`,
   * then `connected_account.completed_first_sync` (the new account has no devices to sync yet).
   */
  addConnectedAccount(params: AddConnectedAccountParams = {}): SimResult<ConnectedAccountRecord> {
    const t = this.catchUp();
    const id = params.connectedAccountId ?? this.newId();
    if (this.accounts.has(id)) return err(invalid('connectedAccountId', `${id} already exists`));
    const rec = {
      connectedAccountId: id,
      accountType: 'salto_ks' as const,
      displayName: params.displayName ?? 'Salto KS (simulated)',
      createdAt: t,
    };
    this.accounts.set(id, rec);
    if (params.connectWebviewId === undefined) this.emit('connected_account.connected', id);
    else {
      const data = { connect_webview_id: params.connectWebviewId };
      this.emit('connected_account.created', id, { data });
      this.emit('connected_account.connected', id, { data });
      this.emit('connect_webview.login_succeeded', id, { data });
      this.emit('connected_account.completed_first_sync', id);
    }
    return ok({ ...rec });
  }

  /** Adds a site to a connected account. */
  addSite(params: AddSiteParams): SimResult<SiteView> {
    const t = this.catchUp();
    if (!this.accounts.has(params.connectedAccountId))
      return err(
        notFound(
          'connected_account_not_found',
          'Connected account',
          params.connectedAccountId,
          'connected_account_id',
        ),
      );
    const problems = siteParamProblems(params);
    if (problems) return err(problems);
    const id = params.siteId ?? this.newId();
    if (this.sites.has(id)) return err(invalid('siteId', `${id} already exists`));
    const site: SiteState = {
      siteId: id,
      siteName: params.siteName,
      connectedAccountId: params.connectedAccountId,
      slotLimit: params.slotLimit,
      hasCustomPinSubscription: params.hasCustomPinSubscription ?? false,
      timeZone: params.timeZone ?? 'UTC',
      slotLeadTimeMs: params.slotLeadTimeMs ?? DEFAULT_SLOT_LEAD_TIME_MS,
      pinLength: params.pinLength ?? 6,
      createdAt: t,
      used: 0,
      pins: new Set(),
      limitReachedSince: null,
      almostReachedSince: null,
    };
    this.refreshSiteFlags(site);
    this.sites.set(id, site);
    return ok(this.siteView(site));
  }

  /** Adds an IQ hub to a site. */
  addHub(params: AddHubParams): SimResult<HubRecord> {
    const t = this.catchUp();
    if (!this.sites.has(params.siteId))
      return err(notFound('site_not_found', 'Site', params.siteId, 'site_id'));
    const id = params.hubId ?? this.newId();
    if (this.hubs.has(id)) return err(invalid('hubId', `${id} already exists`));
    const hub = {
      hubId: id,
      siteId: params.siteId,
      name: params.name ?? `IQ ${this.hubs.size + 1}`,
      createdAt: t,
    };
    this.hubs.set(id, hub);
    return ok({ ...hub });
  }

  /** Adds a lock behind an IQ hub. Defaults: PIN pad and remote unlock, good link, battery 1. Emits `device.added`. */
  addLock(params: AddLockParams): SimResult<DeviceView> {
    const t = this.catchUp();
    const hub = this.hubs.get(params.hubId);
    if (!hub) return err(notFound('hub_not_found', 'IQ hub', params.hubId, 'hub_id'));
    const site = this.sites.get(hub.siteId)!;
    if (typeof params.name !== 'string' || params.name.trim() === '')
      return err(invalid('name', 'must be a non-empty string'));
    const battery = params.batteryLevel ?? 1;
    if (!(battery >= 0 && battery <= 1)) return err(invalid('batteryLevel', 'must be within [0, 1]'));
    if (params.hubLink !== undefined && !isHubLink(params.hubLink))
      return err(invalid('hubLink', 'must be "good", "weak" or "offline"'));
    const id = params.deviceId ?? this.newId();
    if (this.locks.has(id)) return err(invalid('deviceId', `${id} already exists`));
    const lock: LockState = {
      deviceId: id,
      siteId: site.siteId,
      hubId: hub.hubId,
      connectedAccountId: site.connectedAccountId,
      name: params.name,
      saltoLockId: `lock_${++this.saltoLockSeq}`,
      lockType: params.lockType ?? 'wall_reader_pin',
      capabilities: {
        remoteUnlock: params.capabilities?.remoteUnlock ?? true,
        accessCodes: params.capabilities?.accessCodes ?? true,
      },
      hubLink: params.hubLink ?? 'good',
      privacyMode: params.privacyMode ?? false,
      officeMode: params.officeMode ?? false,
      batteryLevel: battery,
      locked: true,
      createdAt: t,
      hubLinkSince: t,
      privacyModeSince: t,
      officeModeSince: t,
      parked: [],
    };
    this.locks.set(id, lock);
    this.emit('device.added', lock.connectedAccountId, { deviceId: id });
    return ok(this.deviceView(lock));
  }

  // ───────────────────────── control surface ─────────────────────────

  /**
   * Sets a lock's IQ hub link. `offline` parks hub-bound work (programming, removal) and makes
   * unlocks fail; leaving `offline` reschedules the parked work. Emits `device.disconnected`
   * (`error_code: hub_disconnected`) / `device.connected`, `device.connection_became_flaky` /
   * `device.connection_stabilized`.
   */
  setHubLink(deviceId: string, link: HubLink): SimResult<DeviceView> {
    const t = this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (!isHubLink(link)) return err(invalid('hubLink', 'must be "good", "weak" or "offline"'));
    const before = lock.hubLink;
    if (before === link) return ok(this.deviceView(lock));
    lock.hubLink = link;
    lock.hubLinkSince = t;
    const acc = lock.connectedAccountId;
    if (link === 'offline') {
      this.emit('device.disconnected', acc, { deviceId, data: { error_code: 'hub_disconnected' } });
    } else {
      if (before === 'offline') this.emit('device.connected', acc, { deviceId });
      if (link === 'weak') this.emit('device.connection_became_flaky', acc, { deviceId });
      else if (before === 'weak') this.emit('device.connection_stabilized', acc, { deviceId });
      if (before === 'offline') {
        const parked = lock.parked;
        lock.parked = [];
        for (const w of parked) {
          const range =
            w.kind === 'program' ? this.config.timings.programmingMs : this.config.timings.removalMs;
          this.schedule(t + this.draw(range, this.hubFactor(lock)), w.kind, w.codeId);
        }
      }
    }
    return ok(this.deviceView(lock));
  }

  /** Sets the hub link of every lock behind one IQ hub. */
  setHubLinkForHub(hubId: string, link: HubLink): SimResult<DeviceView[]> {
    this.catchUp();
    if (!this.hubs.has(hubId)) return err(notFound('hub_not_found', 'IQ hub', hubId, 'hub_id'));
    const out: DeviceView[] = [];
    for (const lock of this.locks.values()) {
      if (lock.hubId !== hubId) continue;
      const r = this.setHubLink(lock.deviceId, link);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }

  /**
   * Sets a site's slot limit (non-negative integer). Raising it never subscribes codes that
   * were refused (Salto keeps them unsubscribed). Lowering it below `used` unsubscribes the
   * newest slot-holding codes (they get the not-subscribed error) until `used` = limit.
   */
  setSlotLimit(siteId: string, limit: number): SimResult<SiteView> {
    const t = this.catchUp();
    const site = this.sites.get(siteId);
    if (!site) return err(notFound('site_not_found', 'Site', siteId, 'site_id'));
    if (!Number.isInteger(limit) || limit < 0)
      return err(invalid('slotLimit', `must be an integer ≥ 0, got ${limit}`));
    site.slotLimit = limit;
    if (site.used > limit) {
      const holders = [...this.codes.values()].filter((c) => c.siteId === siteId && c.holdsSlot);
      for (let i = holders.length - 1; i >= 0 && site.used > limit; i--) {
        const c = holders[i]!;
        c.holdsSlot = false;
        site.used--;
        c.errors.push(this.notSubscribedIssue(t));
        // Not yet on the lock: it will never be programmed now.
        if (c.status === 'setting') c.status = 'unset';
      }
    }
    this.refreshSiteFlags(site);
    return ok(this.siteView(site));
  }

  /** Turns a site's custom-PIN subscription on or off. */
  setCustomPinSubscription(siteId: string, enabled: boolean): SimResult<SiteView> {
    this.catchUp();
    const site = this.sites.get(siteId);
    if (!site) return err(notFound('site_not_found', 'Site', siteId, 'site_id'));
    site.hasCustomPinSubscription = enabled;
    return ok(this.siteView(site));
  }

  /** Privacy mode: remote unlocks are refused; warning `salto_ks_privacy_mode`; privacy events. */
  setPrivacyMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    const t = this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (lock.privacyMode !== on) {
      lock.privacyMode = on;
      lock.privacyModeSince = t;
      this.emit(
        on ? 'device.salto.privacy_mode_activated' : 'device.salto.privacy_mode_deactivated',
        lock.connectedAccountId,
        {
          deviceId,
        },
      );
    }
    return ok(this.deviceView(lock));
  }

  /** Office mode: the door is free; warning `salto_ks_office_mode`. */
  setOfficeMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    const t = this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (lock.officeMode !== on) {
      lock.officeMode = on;
      lock.officeModeSince = t;
    }
    return ok(this.deviceView(lock));
  }

  /** Battery level in [0, 1]. Emits `device.battery_status_changed`, and `device.low_battery` below 20 %. */
  setBatteryLevel(deviceId: string, level: number): SimResult<DeviceView> {
    this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (!(level >= 0 && level <= 1))
      return err(invalid('batteryLevel', `must be within [0, 1], got ${level}`));
    const before = lock.batteryLevel;
    lock.batteryLevel = level;
    if (before !== level) {
      this.emit('device.battery_status_changed', lock.connectedAccountId, {
        deviceId,
        data: { battery_level: level, battery_status: batteryStatus(level) },
      });
      if (level < LOW_BATTERY && before >= LOW_BATTERY)
        this.emit('device.low_battery', lock.connectedAccountId, {
          deviceId,
          data: { battery_level: level },
        });
    }
    return ok(this.deviceView(lock));
  }

  /** Changes a lock's capabilities (PIN pad, remote-unlock waiver). */
  setCapabilities(
    deviceId: string,
    capabilities: Partial<LockRecord['capabilities']>,
  ): SimResult<DeviceView> {
    this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    lock.capabilities = { ...lock.capabilities, ...capabilities };
    return ok(this.deviceView(lock));
  }

  // ───────────────────────── inspection (control; no faults, no rate limits) ─────────────────────────

  /** A site as the world sees it, or `null`. Unlike `getSite`, never affected by faults. */
  inspectSite(siteId: string): SiteView | null {
    this.catchUp();
    const s = this.sites.get(siteId);
    return s ? this.siteView(s) : null;
  }

  /** A device as the world sees it, or `null`. Unlike `getDevice`, never affected by faults. */
  inspectDevice(deviceId: string): DeviceView | null {
    this.catchUp();
    const l = this.locks.get(deviceId);
    return l ? this.deviceView(l) : null;
  }

  /** Live codes (not yet gone), optionally of one site or device, in creation order. No faults. */
  inspectAccessCodes(
    filter: { readonly siteId?: string; readonly deviceId?: string } = {},
  ): AccessCodeRecord[] {
    this.catchUp();
    const out: AccessCodeRecord[] = [];
    for (const c of this.codes.values()) {
      if (filter.siteId !== undefined && c.siteId !== filter.siteId) continue;
      if (filter.deviceId !== undefined && c.deviceId !== filter.deviceId) continue;
      out.push(codeView(c));
    }
    return out;
  }

  /** An action attempt, or `null` (never affected by faults). */
  inspectActionAttempt(actionAttemptId: string): ActionAttemptRecord | null {
    this.catchUp();
    const a = this.attempts.get(actionAttemptId);
    return a ? attemptView(a) : null;
  }

  /** Every connected account, site and device, and the kept action attempts (creation order). No faults. */
  inspectAll(): {
    accounts: ConnectedAccountView[];
    sites: SiteView[];
    devices: DeviceView[];
    attempts: ActionAttemptRecord[];
  } {
    this.catchUp();
    return {
      accounts: [...this.accounts.values()].map((a) => this.accountView(a)),
      sites: [...this.sites.values()].map((s) => this.siteView(s)),
      devices: [...this.locks.values()].map((l) => this.deviceView(l)),
      attempts: [...this.attempts.values()].map(attemptView),
    };
  }

  /** The newest `limit` events still in the log, oldest first. No faults. */
  inspectEvents(limit: number): SimEvent[] {
    this.catchUp();
    const all = this.events.toArray();
    return all.slice(Math.max(0, all.length - limit));
  }

  // ───────────────────────── reads (API) ─────────────────────────

  listConnectedAccounts(): SimResult<ConnectedAccountView[]> {
    return this.api('list_connected_accounts', () =>
      ok([...this.accounts.values()].map((a) => this.accountView(a))),
    );
  }

  getConnectedAccount(connectedAccountId: string): SimResult<ConnectedAccountView> {
    return this.api('get_connected_account', () => {
      const a = this.accounts.get(connectedAccountId);
      return a
        ? ok(this.accountView(a))
        : err(
            notFound(
              'connected_account_not_found',
              'Connected account',
              connectedAccountId,
              'connected_account_id',
            ),
          );
    });
  }

  listSites(connectedAccountId?: string): SimResult<SiteView[]> {
    return this.api('list_sites', () =>
      ok(
        [...this.sites.values()]
          .filter((s) => connectedAccountId === undefined || s.connectedAccountId === connectedAccountId)
          .map((s) => this.siteView(s)),
      ),
    );
  }

  getSite(siteId: string): SimResult<SiteView> {
    return this.api('get_site', () => {
      const s = this.sites.get(siteId);
      return s ? ok(this.siteView(s)) : err(notFound('site_not_found', 'Site', siteId, 'site_id'));
    });
  }

  /** IQ hubs, optionally of one site (control/read helper; no faults). */
  listHubs(siteId?: string): HubRecord[] {
    this.catchUp();
    return [...this.hubs.values()]
      .filter((h) => siteId === undefined || h.siteId === siteId)
      .map((h) => ({ ...h }));
  }

  listDevices(params: ListDevicesParams = {}): SimResult<DeviceView[]> {
    return this.api('list_devices', () => {
      const ids = params.deviceIds ? new Set(params.deviceIds) : null;
      return ok(
        [...this.locks.values()]
          .filter(
            (l) =>
              (params.siteId === undefined || l.siteId === params.siteId) &&
              (params.connectedAccountId === undefined ||
                l.connectedAccountId === params.connectedAccountId) &&
              (!ids || ids.has(l.deviceId)),
          )
          .map((l) => this.deviceView(l)),
      );
    });
  }

  getDevice(deviceId: string): SimResult<DeviceView> {
    return this.api('get_device', () => {
      const l = this.locks.get(deviceId);
      return l ? ok(this.deviceView(l)) : err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    });
  }

  /** Access codes of one device (404 `device_not_found` if unknown) and/or with the given ids, in creation order. */
  listAccessCodes(params: ListAccessCodesParams): SimResult<AccessCodeRecord[]> {
    return this.api('list_access_codes', () => {
      if (params.deviceId === undefined && params.accessCodeIds === undefined)
        return err(invalid('device_id', 'give device_id or access_code_ids'));
      if (params.deviceId !== undefined && !this.locks.has(params.deviceId))
        return err(notFound('device_not_found', 'Device', params.deviceId, 'device_id'));
      const ids = params.accessCodeIds ? new Set(params.accessCodeIds) : null;
      const out: AccessCodeRecord[] = [];
      for (const c of this.codes.values()) {
        if (params.deviceId !== undefined && c.deviceId !== params.deviceId) continue;
        if (ids && !ids.has(c.accessCodeId)) continue;
        out.push(codeView(c));
      }
      return ok(out);
    });
  }

  getAccessCode(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.api('get_access_code', () => {
      const c = this.codes.get(accessCodeId);
      return c
        ? ok(codeView(c))
        : err(notFound('access_code_not_found', 'Access code', accessCodeId, 'access_code_id'));
    });
  }

  getActionAttempt(actionAttemptId: string): SimResult<ActionAttemptRecord> {
    return this.api('get_action_attempt', () => {
      const a = this.attempts.get(actionAttemptId);
      return a
        ? ok(attemptView(a))
        : err(notFound('action_attempt_not_found', 'Action attempt', actionAttemptId, 'action_attempt_id'));
    });
  }

  /** Events still in the ring buffer that match, oldest first. */
  listEvents(params: ListEventsParams = {}): SimResult<SimEvent[]> {
    return this.api('list_events', () => {
      const types = params.eventTypes ? new Set(params.eventTypes) : null;
      let out = this.events
        .toArray()
        .filter(
          (e) =>
            (params.since === undefined || e.occurredAt >= params.since) &&
            (params.between === undefined ||
              (e.occurredAt > params.between[0] && e.occurredAt < params.between[1])) &&
            (params.afterSequence === undefined || e.sequence > params.afterSequence) &&
            (params.deviceId === undefined || e.deviceId === params.deviceId) &&
            (params.accessCodeId === undefined || e.accessCodeId === params.accessCodeId) &&
            (params.connectedAccountId === undefined || e.connectedAccountId === params.connectedAccountId) &&
            (!types || types.has(e.eventType)),
        );
      if (params.limit !== undefined) out = out.slice(0, Math.max(0, params.limit));
      return ok(out);
    });
  }

  // ───────────────────────── mutations (API) ─────────────────────────

  /**
   * Creates an access code (Seam `/access_codes/create`). Emits `access_code.created`.
   * - Ongoing (no `startsAt`/`endsAt`): loaded at once → `setting`, `code: null`,
   *   `isWaitingForCodeAssignment`; PIN after `pinAssignmentMs`, `set` after `programmingMs`.
   * - Time-bound: `unset`; loaded at `startsAt − slotLeadTimeMs` (now if already inside), then
   *   programmed (`access_code.scheduled_on_device`), `set` at `startsAt`, `removing` at `endsAt`, gone after.
   * - Loading at the site's limit: the code carries the not-subscribed error and holds no slot.
   * Failures: 404 `device_not_found`; 400 `access_codes_not_supported` (no PIN pad);
   * 400 `invalid_input` (bad window, bad name, `code` without custom-PIN subscription
   * → `data.reason: 'custom_pin_not_allowed'`, `code` not 6–10 digits); 409 `duplicate_access_code`;
   * 429 `rate_limit_exceeded`.
   */
  createAccessCode(params: CreateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.api('create_access_code', this.createAccessCodeNow, params);
  }

  private createAccessCodeNow(params: CreateAccessCodeParams): SimResult<AccessCodeRecord> {
    const t = this.nowMs;
    const lock = this.locks.get(params.deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', params.deviceId, 'device_id'));
    const site = this.sites.get(lock.siteId)!;
    if (params.name !== undefined && params.name !== null && typeof params.name !== 'string')
      return err(invalid('name', 'must be a string'));
    const hasStart = params.startsAt !== undefined;
    const hasEnd = params.endsAt !== undefined;
    if (hasStart !== hasEnd)
      return err(
        invalid(
          hasStart ? 'ends_at' : 'starts_at',
          'starts_at and ends_at must be given together (or neither for an ongoing code)',
        ),
      );
    if (hasStart) {
      if (!Number.isFinite(params.startsAt)) return err(invalid('starts_at', 'must be a valid instant'));
      if (!Number.isFinite(params.endsAt)) return err(invalid('ends_at', 'must be a valid instant'));
      if (params.endsAt! <= params.startsAt!) return err(invalid('ends_at', 'must be after starts_at'));
      if (params.endsAt! <= t) return err(invalid('ends_at', 'must be in the future'));
    }
    if (params.code !== undefined) {
      if (!site.hasCustomPinSubscription)
        return err(
          invalid(
            'code',
            `site ${site.siteId} has no custom-PIN subscription, so Salto generates every PIN; omit "code"`,
            { reason: 'custom_pin_not_allowed' },
          ),
        );
      if (typeof params.code !== 'string' || !PIN_PATTERN.test(params.code))
        return err(invalid('code', 'must be 6–10 digits'));
      if (site.pins.has(params.code))
        return err({
          type: 'duplicate_access_code',
          message: `That PIN is already used by another live code of site ${site.siteId}; choose another or omit "code".`,
          data: { device_id: lock.deviceId },
        });
    }
    if (!lock.capabilities.accessCodes)
      return err({
        type: 'access_codes_not_supported',
        message: `Device ${lock.deviceId} (${lock.name}) has no PIN pad, so it cannot take access codes. Use a lock with a keypad.`,
        data: { device_id: lock.deviceId },
      });
    const limited = this.rateLimit(lock.deviceId, 'create_access_code');
    if (limited) return err(limited);

    const code: CodeState = {
      accessCodeId: this.newId(),
      deviceId: lock.deviceId,
      siteId: site.siteId,
      name: params.name ?? null,
      code: params.code ?? null,
      type: hasStart ? 'time_bound' : 'ongoing',
      startsAt: hasStart ? params.startsAt! : null,
      endsAt: hasStart ? params.endsAt! : null,
      status: hasStart ? 'unset' : 'setting',
      createdAt: t,
      isWaitingForCodeAssignment: params.code === undefined,
      isScheduledOnDevice: false,
      holdsSlot: false,
      loaded: false,
      errors: [],
      warnings: [],
      onDevice: false,
      deleteRequested: false,
    };
    if (code.code !== null) site.pins.add(code.code);
    this.codes.set(code.accessCodeId, code);
    this.emit('access_code.created', lock.connectedAccountId, {
      deviceId: lock.deviceId,
      accessCodeId: code.accessCodeId,
    });
    if (code.type === 'ongoing') this.load(code, site, lock);
    else {
      const loadAt = code.startsAt! - site.slotLeadTimeMs;
      if (loadAt <= t) this.load(code, site, lock);
      else this.schedule(loadAt, 'load', code.accessCodeId);
      this.schedule(code.endsAt!, 'expire', code.accessCodeId);
    }
    return ok(codeView(code));
  }

  /**
   * Deletes a code (Seam `/access_codes/delete`): it frees its slot at once, turns `removing`
   * (emits `access_code.deleted`) and is gone (404) after `removalMs` — or, if it reached the
   * lock and the hub is offline, after the hub reconnects. Deleting a `removing` code is a no-op.
   */
  deleteAccessCode(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.api('delete_access_code', this.deleteAccessCodeNow, accessCodeId);
  }

  private deleteAccessCodeNow(accessCodeId: string): SimResult<AccessCodeRecord> {
    const code = this.codes.get(accessCodeId);
    if (!code) return err(notFound('access_code_not_found', 'Access code', accessCodeId, 'access_code_id'));
    if (code.status === 'removing') return ok(codeView(code));
    const limited = this.rateLimit(code.deviceId, 'delete_access_code');
    if (limited) return err(limited);
    const lock = this.locks.get(code.deviceId)!;
    this.startRemoval(code, lock);
    code.deleteRequested = true;
    this.emit('access_code.deleted', lock.connectedAccountId, {
      deviceId: code.deviceId,
      accessCodeId,
      data: { code: code.code },
    });
    return ok(codeView(code));
  }

  /**
   * Changes a live code (Seam `/access_codes/update`); emits `access_code.changed` when something
   * changed. See {@link UpdateAccessCodeParams} for the window rules.
   * - A name-only change is bookkeeping: the code stays as it is on the lock.
   * - A new window or PIN is a new definition that must reach the lock: the code is taken off
   *   (`onDevice` false; ongoing → `setting`, time-bound → `unset`) and loaded again under the new
   *   window exactly as a new code would be — it keeps the slot it held if the new window holds
   *   one now, gives it back if the new window starts beyond the lead time (taken again at the new
   *   load), and takes one if the new window makes it load now (at the site's limit: the
   *   not-subscribed error, no slot). The slot is freed at the new `endsAt`. Programming then
   *   follows the usual path (PIN, `scheduled_on_device`/`set_on_device`; on an offline hub it
   *   waits with `delay_in_setting_on_device` until reconnect).
   * - A code already refused at the limit (not-subscribed error) stays refused: its window and PIN
   *   change, it never takes a slot (delete it and create a new one).
   * Failures: 404 `access_code_not_found` (gone, or not on the given `deviceId`), 404
   * `device_not_found` (unknown `deviceId`); 400 `invalid_input` (code being removed:
   * `data.reason: 'access_code_being_removed'`; bad window — one bound missing for an ongoing
   * code, `ends_at` not after `starts_at` or not in the future, bounds with `type: 'ongoing'`;
   * bad name; `code` without custom-PIN subscription → `data.reason: 'custom_pin_not_allowed'`,
   * not 6–10 digits); 409 `duplicate_access_code`; 429 `rate_limit_exceeded` (10/min per device).
   */
  updateAccessCode(params: UpdateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.api('update_access_code', this.updateAccessCodeNow, params);
  }

  private updateAccessCodeNow(params: UpdateAccessCodeParams): SimResult<AccessCodeRecord> {
    const t = this.nowMs;
    const id = params.accessCodeId;
    const code = this.codes.get(id);
    if (!code) return err(notFound('access_code_not_found', 'Access code', id, 'access_code_id'));
    if (params.deviceId !== undefined && params.deviceId !== code.deviceId) {
      if (!this.locks.has(params.deviceId))
        return err(notFound('device_not_found', 'Device', params.deviceId, 'device_id'));
      return err({
        type: 'access_code_not_found',
        message: `Access code ${id} is not on device ${params.deviceId}: give the code's own device_id or leave it out (a code cannot move to another lock; create a new one there).`,
        data: { device_id: params.deviceId, access_code_id: id },
      });
    }
    if (code.status === 'removing')
      return err(
        invalid(
          'access_code_id',
          `access code ${id} is being removed and can no longer be changed; create a new one`,
          {
            reason: 'access_code_being_removed',
            access_code_id: id,
          },
        ),
      );
    const lock = this.locks.get(code.deviceId)!;
    const site = this.sites.get(code.siteId)!;
    if (params.name !== undefined && params.name !== null && typeof params.name !== 'string')
      return err(invalid('name', 'must be a string or null'));

    // The new window.
    let type = code.type;
    let startsAt = code.startsAt;
    let endsAt = code.endsAt;
    const hasStart = params.startsAt !== undefined;
    const hasEnd = params.endsAt !== undefined;
    if (params.type !== undefined && params.type !== 'ongoing' && params.type !== 'time_bound')
      return err(invalid('type', 'must be "ongoing" or "time_bound"'));
    if (hasStart && !Number.isFinite(params.startsAt))
      return err(invalid('starts_at', 'must be a valid instant'));
    if (hasEnd && !Number.isFinite(params.endsAt)) return err(invalid('ends_at', 'must be a valid instant'));
    if (params.type === 'ongoing') {
      if (hasStart || hasEnd)
        return err(
          invalid(
            hasStart ? 'starts_at' : 'ends_at',
            'an ongoing code has no window: leave starts_at and ends_at out with type "ongoing"',
          ),
        );
      type = 'ongoing';
      startsAt = null;
      endsAt = null;
    } else if (hasStart || hasEnd || params.type === 'time_bound') {
      if (code.type === 'ongoing' && !(hasStart && hasEnd))
        return err(
          invalid(
            hasStart ? 'ends_at' : 'starts_at',
            'an ongoing code becomes time-bound only with both starts_at and ends_at',
          ),
        );
      type = 'time_bound';
      startsAt = hasStart ? params.startsAt! : startsAt;
      endsAt = hasEnd ? params.endsAt! : endsAt;
      if (endsAt! <= startsAt!) return err(invalid('ends_at', 'must be after starts_at'));
      if (endsAt! <= t) return err(invalid('ends_at', 'must be in the future'));
    }
    const windowChanged = type !== code.type || startsAt !== code.startsAt || endsAt !== code.endsAt;

    // The new PIN.
    let pinChanged = false;
    if (params.code !== undefined) {
      if (!site.hasCustomPinSubscription)
        return err(
          invalid(
            'code',
            `site ${site.siteId} has no custom-PIN subscription, so Salto generates every PIN; omit "code"`,
            { reason: 'custom_pin_not_allowed' },
          ),
        );
      if (typeof params.code !== 'string' || !PIN_PATTERN.test(params.code))
        return err(invalid('code', 'must be 6–10 digits'));
      pinChanged = params.code !== code.code;
      if (pinChanged && site.pins.has(params.code))
        return err({
          type: 'duplicate_access_code',
          message: `That PIN is already used by another live code of site ${site.siteId}; choose another or omit "code".`,
          data: { device_id: lock.deviceId },
        });
    }
    const nameChanged = params.name !== undefined && (params.name ?? null) !== code.name;
    const limited = this.rateLimit(code.deviceId, 'update_access_code');
    if (limited) return err(limited);
    if (!windowChanged && !pinChanged && !nameChanged) return ok(codeView(code));

    // Everything is valid: apply.
    if (nameChanged) code.name = params.name ?? null;
    if (pinChanged) {
      if (code.code !== null) site.pins.delete(code.code);
      code.code = params.code!;
      code.isWaitingForCodeAssignment = false;
      site.pins.add(code.code);
    }
    code.type = type;
    code.startsAt = startsAt;
    code.endsAt = endsAt;
    this.emit('access_code.changed', lock.connectedAccountId, { deviceId: lock.deviceId, accessCodeId: id });
    if (windowChanged || pinChanged) this.redefine(code, site, lock, windowChanged);
    return ok(codeView(code));
  }

  /** Takes a code off the lock and loads it again under its (new) window; see {@link updateAccessCode}. */
  private redefine(code: CodeState, site: SiteState, lock: LockState, windowChanged: boolean): void {
    const t = this.nowMs;
    const refused = code.loaded && !code.holdsSlot;
    if (windowChanged && code.type === 'time_bound') this.schedule(code.endsAt!, 'expire', code.accessCodeId);
    if (refused) return;
    if (code.holdsSlot) {
      code.holdsSlot = false;
      site.used--;
    }
    code.loaded = false;
    code.onDevice = false;
    code.isScheduledOnDevice = false;
    code.status = code.type === 'ongoing' ? 'setting' : 'unset';
    dropDelayWarning(code);
    const loadAt = code.type === 'ongoing' ? t : code.startsAt! - site.slotLeadTimeMs;
    if (loadAt <= t) this.load(code, site, lock);
    else this.schedule(loadAt, 'load', code.accessCodeId);
    this.refreshSiteFlags(site);
  }

  /**
   * Someone types `pin` on the lock's keypad (Seam sandbox `/locks/simulate/keypad_code_entry`).
   * A control method: no faults, no rate limits. The PIN opens the lock when a code of this lock
   * has it, is `set`, holds a slot and `now` is inside its window; the check runs at the IQ hub,
   * so it still works while the hub is offline from the cloud (`offline`: codes already on the
   * lock keep working) but may be dropped on a `weak` link (failure draw). Privacy mode refuses
   * every PIN; in office mode the door is already free. Outcomes: `unlocked` (emits
   * `lock.unlocked` with `method: keycode`, `access_code_id`, `access_code_is_managed: true`;
   * relocks after `relockMs`), `already_free` (nothing emitted), `denied` (emits
   * `lock.access_denied`, with `access_code_id` when the PIN matched a code of this lock).
   * Failures: 404 `device_not_found`; 400 `access_codes_not_supported` (no PIN pad);
   * 400 `invalid_input` (`pin` not a string of digits).
   */
  enterKeypadCode(deviceId: string, pin: string): SimResult<KeypadEntryResult> {
    const t = this.catchUp();
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (!lock.capabilities.accessCodes)
      return err({
        type: 'access_codes_not_supported',
        message: `Device ${deviceId} (${lock.name}) has no PIN pad, so no PIN can be typed on it.`,
        data: { device_id: deviceId },
      });
    if (typeof pin !== 'string' || !/^\d{1,12}$/.test(pin))
      return err(invalid('code', 'must be 1–12 digits'));
    let match: CodeState | undefined;
    for (const c of this.codes.values()) {
      if (c.code === pin && c.deviceId === deviceId) {
        match = c;
        break;
      }
    }
    const accessCodeId = match?.accessCodeId ?? null;
    let reason: KeypadDenialReason | null = null;
    let message = '';
    if (lock.privacyMode) {
      reason = 'privacy_mode';
      message = `${lock.name} is in privacy mode: it refuses every PIN until privacy mode is turned off.`;
    } else if (lock.officeMode) {
      return ok({ outcome: 'already_free', accessCodeId });
    } else if (!match) {
      reason = 'unknown_code';
      message = `No access code of ${lock.name} has that PIN; the door stayed locked.`;
    } else if (match.loaded && !match.holdsSlot && match.status !== 'removing') {
      reason = 'not_subscribed';
      message = `Access code ${match.accessCodeId} holds no user slot (the site reached its limit), so Salto refuses it.`;
    } else if (
      (match.startsAt !== null && t < match.startsAt) ||
      (match.endsAt !== null && t >= match.endsAt)
    ) {
      reason = 'outside_window';
      message = `Access code ${match.accessCodeId} is outside its window (${new Date(match.startsAt!).toISOString()} to ${new Date(match.endsAt!).toISOString()}).`;
    } else if (match.status !== 'set') {
      reason = 'code_not_set';
      message = `Access code ${match.accessCodeId} is not active on ${lock.name} (status ${match.status}).`;
    } else if (lock.hubLink === 'weak' && chance(this.rng, this.config.weakLink.failureProbability)) {
      reason = 'hub_unreachable';
      message = `${lock.name} could not check the PIN: its link to the IQ hub is weak. Try again.`;
    }
    const acc = lock.connectedAccountId;
    if (reason !== null) {
      this.emit('lock.access_denied', acc, accessCodeId !== null ? { deviceId, accessCodeId } : { deviceId });
      return ok({ outcome: 'denied', reason, accessCodeId, message });
    }
    lock.locked = false;
    this.emit('lock.unlocked', acc, {
      deviceId,
      accessCodeId: accessCodeId!,
      data: { method: 'keycode', access_code_is_managed: true },
    });
    this.schedule(t + this.config.timings.relockMs, 'relock', deviceId);
    return ok({ outcome: 'unlocked', accessCodeId: accessCodeId! });
  }

  /**
   * Remote unlock (Seam `/locks/unlock_door`): returns a `pending` UNLOCK_DOOR attempt that ends
   * after `unlockMs` in `success` (emits `lock.unlocked` with `method: remote`, relocks later)
   * or `error` — `hub_disconnected` when the hub is offline at request or completion time,
   * `salto_ks_privacy_mode` in privacy mode, `uncategorized_error` on a weak link's failure draw.
   * Failures: 404 `device_not_found`; 400 `remote_unlock_not_supported`; 429.
   */
  unlockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.api('unlock_door', this.remoteActionNow, { deviceId, actionType: 'UNLOCK_DOOR' } as const);
  }

  /**
   * Remote lock (Seam `/locks/lock_door`). Salto locks relock by themselves, so this mostly
   * confirms; it is what ends office mode. Returns a `pending` LOCK_DOOR attempt that ends after
   * `unlockMs` in `success` (the lock is locked, office mode off; emits `lock.locked` with
   * `method: remote` and the attempt id, `action_attempt.lock_door.succeeded`) or `error`
   * (`hub_disconnected` when offline at request or completion time, `uncategorized_error` on a weak
   * link's failure draw). Privacy mode does not refuse locking. Needs the same pass-through waiver
   * as unlocking. Failures: 404 `device_not_found`; 400 `remote_lock_not_supported`; 429.
   */
  lockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.api('lock_door', this.remoteActionNow, { deviceId, actionType: 'LOCK_DOOR' } as const);
  }

  private remoteActionNow(p: {
    readonly deviceId: string;
    readonly actionType: 'UNLOCK_DOOR' | 'LOCK_DOOR';
  }): SimResult<ActionAttemptRecord> {
    const t = this.nowMs;
    const { deviceId, actionType } = p;
    const unlock = actionType === 'UNLOCK_DOOR';
    const lock = this.locks.get(deviceId);
    if (!lock) return err(notFound('device_not_found', 'Device', deviceId, 'device_id'));
    if (!lock.capabilities.remoteUnlock)
      return err({
        type: unlock ? 'remote_unlock_not_supported' : 'remote_lock_not_supported',
        message: `Device ${deviceId} (${lock.name}) cannot be ${unlock ? 'unlocked' : 'locked'} remotely: its site has no Salto pass-through waiver. Ask Seam/Salto to enable remote lock and unlock.`,
        data: { device_id: deviceId },
      });
    const limited = this.rateLimit(deviceId, unlock ? 'unlock_door' : 'lock_door');
    if (limited) return err(limited);
    const attempt: AttemptState = {
      actionAttemptId: this.newId(),
      actionType,
      deviceId,
      status: 'pending',
      createdAt: t,
      completedAt: null,
      error: null,
      doomed: unlock ? this.unlockBlocker(lock) : this.offlineBlocker(lock),
    };
    this.attempts.set(attempt.actionAttemptId, attempt);
    this.schedule(
      t + this.draw(this.config.timings.unlockMs, this.hubFactor(lock)),
      'unlock_done',
      attempt.actionAttemptId,
    );
    return ok(attemptView(attempt));
  }

  // ───────────────────────── transitions ─────────────────────────

  private handle(tr: QueuedTransition): void {
    if (tr.kind === 'unlock_done') {
      this.finishAttempt(tr.target);
      return;
    }
    if (tr.kind === 'relock') {
      const lock = this.locks.get(tr.target);
      if (lock && !lock.locked) {
        lock.locked = true;
        this.emit('lock.locked', lock.connectedAccountId, {
          deviceId: lock.deviceId,
          data: { method: 'automatic' },
        });
      }
      return;
    }
    const code = this.codes.get(tr.target);
    if (!code) return;
    const lock = this.locks.get(code.deviceId)!;
    const site = this.sites.get(code.siteId)!;
    const t = this.nowMs;
    switch (tr.kind) {
      // `load`, `activate` and `expire` are due at an instant of the code's window; an update
      // that moved the window leaves the old ones queued, and they are ignored here.
      case 'load':
        if (
          code.status !== 'removing' &&
          !code.loaded &&
          code.startsAt !== null &&
          tr.at === code.startsAt - site.slotLeadTimeMs
        )
          this.load(code, site, lock);
        return;
      case 'assign_pin':
        if (code.code === null && code.loaded && code.status !== 'removing') this.assignPin(code, site);
        return;
      case 'program':
        this.program(code, site, lock);
        return;
      case 'activate':
        if (
          code.status === 'unset' &&
          code.isScheduledOnDevice &&
          code.holdsSlot &&
          tr.at === code.startsAt
        ) {
          code.status = 'set';
          this.emit('access_code.set_on_device', lock.connectedAccountId, {
            deviceId: lock.deviceId,
            accessCodeId: code.accessCodeId,
            data: { code: code.code },
          });
        }
        return;
      case 'expire':
        if (code.status !== 'removing' && tr.at === code.endsAt) this.startRemoval(code, lock);
        return;
      case 'remove': {
        if (code.status !== 'removing') return;
        if (code.onDevice) {
          if (lock.hubLink === 'offline') {
            lock.parked.push({ kind: 'remove', codeId: code.accessCodeId });
            if (!code.warnings.some((w) => w.code === 'delay_in_removing_from_device')) {
              code.warnings.push({
                code: 'delay_in_removing_from_device',
                message: `The lock's IQ hub is offline; the code is removed once it reconnects.`,
                createdAt: t,
              });
              this.emit('access_code.delay_in_removing_from_device', lock.connectedAccountId, {
                deviceId: lock.deviceId,
                accessCodeId: code.accessCodeId,
              });
            }
            return;
          }
          if (lock.hubLink === 'weak' && chance(this.rng, this.config.weakLink.failureProbability)) {
            this.schedule(
              t + Math.max(1, this.draw(this.config.timings.removalMs, this.hubFactor(lock))),
              'remove',
              code.accessCodeId,
            );
            return;
          }
        }
        this.codes.delete(code.accessCodeId);
        if (code.code !== null) site.pins.delete(code.code);
        if (code.onDevice)
          this.emit('access_code.removed_from_device', lock.connectedAccountId, {
            deviceId: lock.deviceId,
            accessCodeId: code.accessCodeId,
          });
        if (!code.deleteRequested)
          this.emit('access_code.deleted', lock.connectedAccountId, {
            deviceId: lock.deviceId,
            accessCodeId: code.accessCodeId,
            data: { code: code.code },
          });
        return;
      }
    }
  }

  /** Takes a slot if one is free (else the not-subscribed error) and starts PIN assignment + programming. */
  private load(code: CodeState, site: SiteState, lock: LockState): void {
    const t = this.nowMs;
    code.loaded = true;
    if (site.used < site.slotLimit) {
      code.holdsSlot = true;
      site.used++;
      this.refreshSiteFlags(site);
      if (code.type === 'time_bound' && code.startsAt! <= t) code.status = 'setting';
    } else {
      code.errors.push(this.notSubscribedIssue(t));
      code.status = 'unset';
    }
    const pinAt = code.code === null ? t + this.draw(this.config.timings.pinAssignmentMs) : t;
    if (code.code === null) this.schedule(pinAt, 'assign_pin', code.accessCodeId);
    if (code.holdsSlot) {
      const programAt = Math.max(
        pinAt,
        t + this.draw(this.config.timings.programmingMs, this.hubFactor(lock)),
      );
      this.schedule(programAt, 'program', code.accessCodeId);
    }
  }

  private assignPin(code: CodeState, site: SiteState): void {
    const taken = site.pins;
    let pin = randomDigits(this.rng, site.pinLength);
    for (let i = 0; taken.has(pin) && i < 10_000; i++) pin = randomDigits(this.rng, site.pinLength);
    if (taken.has(pin)) {
      code.errors.push({
        code: 'failed_to_set_on_device',
        message: `Salto could not generate a free ${site.pinLength}-digit PIN on site ${site.siteId}; delete unused codes.`,
        createdAt: this.nowMs,
      });
      return;
    }
    code.code = pin;
    code.isWaitingForCodeAssignment = false;
    site.pins.add(pin);
  }

  private program(code: CodeState, site: SiteState, lock: LockState): void {
    const t = this.nowMs;
    if (code.status === 'removing' || !code.holdsSlot || code.onDevice) return;
    if (lock.hubLink === 'offline') {
      lock.parked.push({ kind: 'program', codeId: code.accessCodeId });
      this.delayWarning(
        code,
        lock,
        `The lock's IQ hub is offline; the code is programmed once it reconnects.`,
      );
      return;
    }
    if (lock.hubLink === 'weak' && chance(this.rng, this.config.weakLink.failureProbability)) {
      this.delayWarning(code, lock, `The lock's link to its IQ hub is weak; programming is being retried.`);
      this.schedule(
        t + Math.max(1, this.draw(this.config.timings.programmingMs, this.hubFactor(lock))),
        'program',
        code.accessCodeId,
      );
      return;
    }
    if (code.code === null) this.assignPin(code, site);
    code.onDevice = true;
    dropDelayWarning(code);
    const acc = lock.connectedAccountId;
    const fields = { deviceId: lock.deviceId, accessCodeId: code.accessCodeId, data: { code: code.code } };
    if (code.type === 'time_bound' && t < code.startsAt!) {
      code.isScheduledOnDevice = true;
      code.status = 'unset';
      this.emit('access_code.scheduled_on_device', acc, fields);
      this.schedule(code.startsAt!, 'activate', code.accessCodeId);
    } else {
      code.status = 'set';
      this.emit('access_code.set_on_device', acc, fields);
    }
  }

  private delayWarning(code: CodeState, lock: LockState, message: string): void {
    if (code.warnings.some((w) => w.code === 'delay_in_setting_on_device')) return;
    code.warnings.push({ code: 'delay_in_setting_on_device', message, createdAt: this.nowMs });
    this.emit('access_code.delay_in_setting_on_device', lock.connectedAccountId, {
      deviceId: lock.deviceId,
      accessCodeId: code.accessCodeId,
    });
  }

  private startRemoval(code: CodeState, lock: LockState): void {
    const site = this.sites.get(code.siteId)!;
    if (code.holdsSlot) {
      code.holdsSlot = false;
      site.used--;
      this.refreshSiteFlags(site);
    }
    code.status = 'removing';
    dropDelayWarning(code);
    const delay = this.draw(this.config.timings.removalMs, code.onDevice ? this.hubFactor(lock) : 1);
    this.schedule(this.nowMs + delay, 'remove', code.accessCodeId);
  }

  private offlineBlocker(lock: LockState): { type: string; message: string } | null {
    return lock.hubLink === 'offline'
      ? {
          type: 'hub_disconnected',
          message: `Lock ${lock.deviceId} (${lock.name}) could not be reached: its IQ hub is offline. Check the hub's power and network.`,
        }
      : null;
  }

  private unlockBlocker(lock: LockState): { type: string; message: string } | null {
    const offline = this.offlineBlocker(lock);
    if (offline) return offline;
    if (lock.privacyMode)
      return {
        type: 'salto_ks_privacy_mode',
        message: `Lock ${lock.deviceId} (${lock.name}) is in privacy mode and refuses remote unlocks until it is turned off.`,
      };
    return null;
  }

  /** Ends a pending UNLOCK_DOOR or LOCK_DOOR attempt (transition `unlock_done`, named before locks had attempts). */
  private finishAttempt(attemptId: string): void {
    const a = this.attempts.get(attemptId);
    if (a?.status !== 'pending') return;
    const lock = this.locks.get(a.deviceId)!;
    const unlock = a.actionType === 'UNLOCK_DOOR';
    // Privacy mode refuses opening the door, not locking it.
    let error = a.doomed ?? (unlock ? this.unlockBlocker(lock) : this.offlineBlocker(lock));
    if (!error && lock.hubLink === 'weak' && chance(this.rng, this.config.weakLink.failureProbability))
      error = {
        type: 'uncategorized_error',
        message: `Lock ${lock.deviceId} (${lock.name}) did not confirm the ${unlock ? 'unlock' : 'lock'}: its link to the IQ hub is weak. Try again or check the hub's placement.`,
      };
    a.completedAt = this.nowMs;
    a.doomed = null;
    const acc = lock.connectedAccountId;
    const deviceId = lock.deviceId;
    if (error) {
      a.status = 'error';
      a.error = error;
      this.emit(unlock ? 'action_attempt.unlock_door.failed' : 'action_attempt.lock_door.failed', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: a.actionType, status: 'error' },
      });
    } else if (unlock) {
      a.status = 'success';
      lock.locked = false;
      this.emit('lock.unlocked', acc, { deviceId, actionAttemptId: attemptId, data: { method: 'remote' } });
      this.emit('action_attempt.unlock_door.succeeded', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: 'UNLOCK_DOOR', status: 'success' },
      });
      this.schedule(this.nowMs + this.config.timings.relockMs, 'relock', deviceId);
    } else {
      a.status = 'success';
      // Locking is how someone with rights ends (manual) office mode; a pending relock then finds it locked.
      lock.locked = true;
      if (lock.officeMode) {
        lock.officeMode = false;
        lock.officeModeSince = this.nowMs;
      }
      this.emit('lock.locked', acc, { deviceId, actionAttemptId: attemptId, data: { method: 'remote' } });
      this.emit('action_attempt.lock_door.succeeded', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: 'LOCK_DOOR', status: 'success' },
      });
    }
    this.finishedAttempts.push(attemptId);
    while (this.finishedAttempts.length > this.config.actionAttemptRetention) {
      const old = this.finishedAttempts.shift()!;
      this.attempts.delete(old);
    }
  }

  // ───────────────────────── views ─────────────────────────

  private notSubscribedIssue(t: Instant): SimIssue {
    return {
      code: this.config.notSubscribedErrorCode,
      message:
        'The Salto KS site user behind this code is not subscribed: the site reached its user-slot limit. Delete this code, free a slot, or raise the site limit, then create it again.',
      createdAt: t,
    };
  }

  private refreshSiteFlags(site: SiteState): void {
    const reached = site.used >= site.slotLimit;
    const almost = site.slotLimit > 0 ? site.used / site.slotLimit > ALMOST_REACHED_RATIO : site.used > 0;
    if (reached && site.limitReachedSince === null) site.limitReachedSince = this.nowMs;
    if (!reached) site.limitReachedSince = null;
    if (almost && site.almostReachedSince === null) site.almostReachedSince = this.nowMs;
    if (!almost) site.almostReachedSince = null;
  }

  private siteView(s: SiteState): SiteView {
    return {
      siteId: s.siteId,
      siteName: s.siteName,
      connectedAccountId: s.connectedAccountId,
      slotLimit: s.slotLimit,
      hasCustomPinSubscription: s.hasCustomPinSubscription,
      timeZone: s.timeZone,
      slotLeadTimeMs: s.slotLeadTimeMs,
      pinLength: s.pinLength,
      createdAt: s.createdAt,
      used: s.used,
      almostReached: s.almostReachedSince !== null,
      limitReached: s.limitReachedSince !== null,
    };
  }

  private accountView(a: Mutable<ConnectedAccountRecord>): ConnectedAccountView {
    const sites = [...this.sites.values()].filter((s) => s.connectedAccountId === a.connectedAccountId);
    const count = (s: SiteState): SiteSlotCount => ({
      siteId: s.siteId,
      siteName: s.siteName,
      subscribedSiteUserCount: s.used,
      siteUserSubscriptionLimit: s.slotLimit,
    });
    const errors: AccountIssue[] = [];
    const warnings: AccountIssue[] = [];
    const full = sites.filter((s) => s.limitReachedSince !== null);
    if (full.length > 0)
      errors.push({
        code: 'salto_ks_subscription_limit_exceeded',
        message: `Salto KS subscription limit reached on ${full.map((s) => s.siteName).join(', ')}: new access codes cannot be subscribed. Delete codes or raise the site's user limit.`,
        createdAt: Math.min(...full.map((s) => s.limitReachedSince!)),
        sites: full.map(count),
      });
    const almost = sites.filter((s) => s.almostReachedSince !== null);
    if (almost.length > 0)
      warnings.push({
        code: 'salto_ks_subscription_limit_almost_reached',
        message: `Salto KS sites above 80 % of their user limit: ${almost.map((s) => s.siteName).join(', ')}.`,
        createdAt: Math.min(...almost.map((s) => s.almostReachedSince!)),
        sites: almost.map(count),
      });
    return { ...a, errors, warnings };
  }

  private deviceView(l: LockState): DeviceView {
    const site = this.sites.get(l.siteId)!;
    const errors: DeviceIssue[] = [];
    const warnings: SimIssue[] = [];
    if (l.hubLink === 'offline')
      errors.push({
        code: 'hub_disconnected',
        message: `The IQ hub of ${l.name} is offline: remote unlock and code changes wait until it reconnects.`,
        createdAt: l.hubLinkSince,
        isDeviceError: true,
        isConnectedAccountError: false,
      });
    if (site.limitReachedSince !== null)
      errors.push({
        code: 'salto_ks_subscription_limit_exceeded',
        message: `Site ${site.siteName} reached its Salto KS user limit (${site.slotLimit}): new access codes cannot be subscribed.`,
        createdAt: site.limitReachedSince,
        isDeviceError: false,
        isConnectedAccountError: true,
      });
    if (l.hubLink === 'weak')
      warnings.push({
        code: 'device_has_flaky_connection',
        message: `${l.name} has a weak link to its IQ hub: operations are slow and may fail.`,
        createdAt: l.hubLinkSince,
      });
    if (l.privacyMode)
      warnings.push({
        code: 'salto_ks_privacy_mode',
        message: `${l.name} is in privacy mode: access codes and remote unlocks will not open the door.`,
        createdAt: l.privacyModeSince,
      });
    if (l.officeMode)
      warnings.push({
        code: 'salto_ks_office_mode',
        message: `${l.name} is in office mode: access codes will not unlock the door (it is already free).`,
        createdAt: l.officeModeSince,
      });
    if (site.almostReachedSince !== null)
      warnings.push({
        code: 'salto_ks_subscription_limit_almost_reached',
        message: `Site ${site.siteName} is above 80 % of its Salto KS user limit.`,
        createdAt: site.almostReachedSince,
      });
    return {
      deviceId: l.deviceId,
      siteId: l.siteId,
      hubId: l.hubId,
      connectedAccountId: l.connectedAccountId,
      name: l.name,
      saltoLockId: l.saltoLockId,
      lockType: l.lockType,
      capabilities: { ...l.capabilities },
      hubLink: l.hubLink,
      privacyMode: l.privacyMode,
      officeMode: l.officeMode,
      batteryLevel: l.batteryLevel,
      locked: l.locked,
      createdAt: l.createdAt,
      deviceType: l.hubLink === 'weak' ? 'unknown' : 'salto_lock',
      online: l.hubLink !== 'offline',
      hasCustomPinSubscription: site.hasCustomPinSubscription,
      errors,
      warnings,
    };
  }

  // ───────────────────────── snapshots ─────────────────────────

  /**
   * Plain-JSON snapshot of the whole world (configuration, RNG state, clock time, every record,
   * pending transitions, events, rate-limit windows, faults). Event listeners are not included.
   */
  toJSON(): WorldSnapshot {
    this.catchUp();
    const clone = <T>(x: T): T => structuredClone(x);
    return {
      version: 1,
      config: clone(this.config),
      rng: this.rng.getState(),
      now: this.nowMs,
      seq: this.seq,
      eventSeq: this.eventSeq,
      faultSeq: this.faultSeq,
      saltoLockSeq: this.saltoLockSeq,
      accounts: [...this.accounts.values()].map(clone),
      sites: [...this.sites.values()].map((site) => ({ ...clone(site), pins: [...site.pins] })),
      hubs: [...this.hubs.values()].map(clone),
      locks: [...this.locks.values()].map(clone),
      codes: [...this.codes.values()].map(clone),
      attempts: [...this.attempts.values()].map(clone),
      finishedAttempts: [...this.finishedAttempts],
      transitions: this.queue.toJSON(),
      events: this.events.toArray().map(clone),
      rateWindows: [...this.rateWindows].flatMap(([device, perOp]) =>
        [...perOp].map(([op, calls]) => [device, op, [...calls]] as const),
      ),
      faults: this.faults.map(clone),
    };
  }

  /**
   * Restores a snapshot exactly: continuing the restored world gives the same results as
   * continuing the original. Default clock: a `VirtualClock` at the snapshot's time; a given
   * clock must not be behind the snapshot (due transitions are processed on the next call).
   */
  static fromJSON(snapshot: WorldSnapshot, options: { clock?: Clock } = {}): SimResult<SaltoKsWorld> {
    if (typeof snapshot !== 'object' || snapshot === null || snapshot.version !== 1)
      return err(invalid('snapshot', 'must be an object returned by SaltoKsWorld.toJSON (version 1)'));
    const created = SaltoKsWorld.create({
      config: snapshot.config,
      clock: options.clock ?? new VirtualClock(snapshot.now),
    });
    if (!created.ok) return created;
    const w = created.value;
    const clone = <T>(x: unknown): T => structuredClone(x) as T;
    w.rng.setState(snapshot.rng);
    w.nowMs = snapshot.now;
    w.seq = snapshot.seq;
    w.eventSeq = snapshot.eventSeq;
    w.faultSeq = snapshot.faultSeq;
    w.saltoLockSeq = snapshot.saltoLockSeq;
    for (const a of snapshot.accounts) w.accounts.set(a.connectedAccountId, clone(a));
    for (const s of snapshot.sites as (Omit<SiteState, 'pins'> & { pins: string[] })[])
      w.sites.set(s.siteId, { ...clone<Omit<SiteState, 'pins'>>(s), pins: new Set(s.pins) });
    for (const h of snapshot.hubs) w.hubs.set(h.hubId, clone(h));
    for (const l of snapshot.locks as LockState[]) w.locks.set(l.deviceId, clone(l));
    for (const c of snapshot.codes as CodeState[]) w.codes.set(c.accessCodeId, clone(c));
    for (const a of snapshot.attempts as AttemptState[]) w.attempts.set(a.actionAttemptId, clone(a));
    w.finishedAttempts = [...snapshot.finishedAttempts];
    w.queue = new TransitionQueue(clone(snapshot.transitions));
    w.events = new EventLog(w.config.eventLogCapacity, clone<SimEvent[]>(snapshot.events));
    for (const [device, op, calls] of snapshot.rateWindows) {
      let perOp = w.rateWindows.get(device);
      if (!perOp) {
        perOp = new Map();
        w.rateWindows.set(device, perOp);
      }
      perOp.set(op, [...calls]);
    }
    w.faults = clone(snapshot.faults);
    return ok(w);
  }
}

const isMutation = (op: SimOperation): boolean =>
  op === 'create_access_code' ||
  op === 'update_access_code' ||
  op === 'delete_access_code' ||
  op === 'unlock_door' ||
  op === 'lock_door';

const isHubLink = (x: unknown): x is HubLink => x === 'good' || x === 'weak' || x === 'offline';

const batteryStatus = (level: number): string =>
  level < 0.1 ? 'critical' : level < LOW_BATTERY ? 'low' : level < 0.9 ? 'good' : 'full';

/** Fresh copies of `issues` (views never share state with the world). Usually empty: no callback then. */
const copyIssues = (issues: readonly SimIssue[]): SimIssue[] =>
  issues.length === 0 ? [] : issues.map((i) => ({ ...i }));

/** Drops the `delay_in_setting_on_device` warning (a new array, as before; none to drop is the common case). */
function dropDelayWarning(code: CodeState): void {
  if (code.warnings.length > 0)
    code.warnings = code.warnings.filter((w) => w.code !== 'delay_in_setting_on_device');
}

function codeView(c: CodeState): AccessCodeRecord {
  return {
    accessCodeId: c.accessCodeId,
    deviceId: c.deviceId,
    siteId: c.siteId,
    name: c.name,
    code: c.code,
    type: c.type,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    status: c.status,
    createdAt: c.createdAt,
    isWaitingForCodeAssignment: c.isWaitingForCodeAssignment,
    isScheduledOnDevice: c.isScheduledOnDevice,
    holdsSlot: c.holdsSlot,
    loaded: c.loaded,
    errors: copyIssues(c.errors),
    warnings: copyIssues(c.warnings),
  };
}

function attemptView(a: AttemptState): ActionAttemptRecord {
  return {
    actionAttemptId: a.actionAttemptId,
    actionType: a.actionType,
    deviceId: a.deviceId,
    status: a.status,
    createdAt: a.createdAt,
    completedAt: a.completedAt,
    error: a.error ? { ...a.error } : null,
  };
}

function siteParamProblems(p: AddSiteParams): SimFailure | null {
  if (typeof p.siteName !== 'string' || p.siteName.trim() === '')
    return invalid('siteName', 'must be a non-empty string');
  if (!Number.isInteger(p.slotLimit) || p.slotLimit < 0)
    return invalid('slotLimit', 'must be an integer ≥ 0');
  if (p.pinLength !== undefined && !(Number.isInteger(p.pinLength) && p.pinLength >= 6 && p.pinLength <= 10))
    return invalid('pinLength', 'must be an integer from 6 to 10');
  if (p.slotLeadTimeMs !== undefined && !(Number.isInteger(p.slotLeadTimeMs) && p.slotLeadTimeMs >= 0))
    return invalid('slotLeadTimeMs', 'must be an integer ≥ 0');
  if (p.timeZone !== undefined && !isTimeZone(p.timeZone))
    return invalid('timeZone', `${JSON.stringify(p.timeZone)} is not an IANA time zone`);
  return null;
}

/** The canonical IANA zones this runtime knows, listed on first use. */
let canonicalTimeZones: ReadonlySet<string> | undefined;

/**
 * Whether `Intl.DateTimeFormat` accepts `zone`. The first `DateTimeFormat` a process creates loads
 * ICU's locale and calendar data (~10 ms: most of the default world's build, so of
 * `keyslot-sim serve`'s start-up), so a canonical name (`Europe/Madrid`) is looked up in
 * `Intl.supportedValuesOf('timeZone')` (~1 ms, every entry is one `DateTimeFormat` accepts);
 * anything else — aliases (`UTC`, `Asia/Calcutta`), other casings, junk — is still decided by
 * `DateTimeFormat` itself, so the accepted set is exactly the same.
 */
export function isTimeZone(zone: string): boolean {
  canonicalTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
