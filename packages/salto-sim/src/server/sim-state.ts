import { type Clock, isAdvanceableClock } from '@keyslot/core/ports';
import type { SimEvent } from '../world/types.js';
import { SaltoKsWorld, type WorldSnapshot } from '../world/world.js';
import { uuidSequence } from './ids.js';
import { DEFAULT_SIM_LIMITS, type SimLimits, type SimUsage } from './limits.js';
import { eventJson, type Json, SIM_WORKSPACE_ID } from './seam-views.js';
import { type DeliveryOptions, WebhookDispatcher } from './webhooks.js';

/** A Connect Webview (Seam-layer onboarding object; the world only knows connected accounts). */
export interface ConnectWebviewRecord {
  readonly connect_webview_id: string;
  readonly created_at: string;
  status: 'pending' | 'failed' | 'authorized';
  login_successful: boolean;
  connected_account_id: string | null;
  authorized_at: string | null;
  selected_provider: string | null;
  readonly accepted_providers: string[];
  readonly accepted_capabilities: string[];
  readonly custom_redirect_url: string | null;
  readonly custom_redirect_failure_url: string | null;
  readonly custom_metadata: Record<string, string | boolean>;
  readonly automatically_manage_new_devices: boolean;
  readonly wait_for_device_creation: boolean;
  readonly device_selection_mode: 'none' | 'single' | 'multiple';
  readonly customer_key?: string;
}

/** Reports a failure outside any request (timers, event listeners); the server keeps running. */
export type BackgroundErrorHandler = (error: unknown, during: string) => void;

const logBackgroundError: BackgroundErrorHandler = (e, during) => {
  process.stderr.write(
    `[keyslot-sim] error during ${during} (the simulator keeps running): ${e instanceof Error ? e.stack : String(e)}\n`,
  );
};

/** Someone watching the server (the console's live stream); see {@link SimState.watch}. */
export interface StateWatcher {
  /** Each event of the current world (whichever world restore/reset swapped in). */
  event(e: SimEvent): void;
  /** Something may have changed: a request was answered, or the world was replaced. */
  changed(): void;
  /** The server is stopping. */
  closed(): void;
}

const MAX_SYNTHETIC_ATTEMPTS = 1000;

/**
 * Everything the server holds: the current world (replaced by restore/reset), the initial
 * snapshot (for reset), webhooks, Connect Webviews, and the action attempts Seam returns for
 * access-code mutations and keypad entries (the world models the remote lock/unlock attempts).
 */
export class SimState {
  world: SaltoKsWorld;
  readonly webhooks: WebhookDispatcher;
  /** Connect Webviews by id, oldest first (at most `limits.maxConnectWebviews`: see {@link addWebview}). */
  readonly webviews = new Map<string, ConnectWebviewRecord>();
  /** Open HTTP connections (set by the server). */
  connectionCount: () => number = () => 0;
  /** CREATE/UPDATE/DELETE_ACCESS_CODE and keypad attempts, by id (oldest dropped first). */
  private readonly syntheticAttempts = new Map<string, Json>();
  private readonly nextAttemptId = uuidSequence();
  private readonly initial: WorldSnapshot;
  private unsubscribe: () => void;
  private tickTimer: NodeJS.Timeout | null = null;
  /** The world instant `tickTimer` wakes the world at. */
  private tickAt: number | null = null;
  private closed = false;
  private readonly watchers = new Set<StateWatcher>();
  /** Counts world swaps (restore/reset): a watcher's cue that event sequences start again. */
  generation = 0;

  constructor(
    world: SaltoKsWorld,
    delivery: DeliveryOptions = {},
    private readonly onBackgroundError: BackgroundErrorHandler = logBackgroundError,
    readonly limits: SimLimits = DEFAULT_SIM_LIMITS,
  ) {
    this.world = world;
    this.initial = world.toJSON();
    this.webhooks = new WebhookDispatcher(delivery);
    this.unsubscribe = world.onEvent((e) => this.onEvent(e));
  }

  /** Keeps `w`, forgetting the oldest webviews beyond `limits.maxConnectWebviews`. */
  addWebview(w: ConnectWebviewRecord): void {
    this.webviews.set(w.connect_webview_id, w);
    for (const id of this.webviews.keys()) {
      if (this.webviews.size <= this.limits.maxConnectWebviews) break;
      this.webviews.delete(id);
    }
  }

  /** Current use of each bounded resource (`GET /_sim/limits`). */
  usage(): SimUsage {
    const d = this.webhooks.stats;
    return {
      webhooks: this.webhooks.size,
      deliveriesInFlight: d.inFlight,
      deliveriesQueued: d.queued,
      deliveriesDropped: d.dropped,
      connectWebviews: this.webviews.size,
      connections: this.connectionCount(),
    };
  }

  get workspaceId(): string {
    return SIM_WORKSPACE_ID;
  }

  get virtualClock(): boolean {
    return isAdvanceableClock(this.world.clock);
  }

  private onEvent(e: SimEvent): void {
    for (const w of this.watchers) {
      try {
        w.event(e);
      } catch (err) {
        this.onBackgroundError(err, `the console's handling of ${e.eventType}`);
      }
    }
    // The Seam form of an event is only built when a webhook may want it.
    if (!this.webhooks.active) return;
    // A listener runs inside a world call: it must not fail that call (the world has changed).
    try {
      this.webhooks.dispatch(eventJson(e) as { event_id: string; event_type: string });
    } catch (err) {
      this.onBackgroundError(err, `webhook dispatch of ${e.eventType}`);
    }
  }

  /**
   * With a real clock nothing moves the world between requests, so a timer wakes it when its
   * next transition is due; events (and webhooks) then fire on time even when no one calls.
   */
  scheduleTick(): void {
    if (this.closed || this.virtualClock) return;
    const next = this.world.nextTransitionAt();
    // Already set for that instant (most requests change nothing due sooner): keep the timer.
    if (this.tickTimer !== null && next === this.tickAt) return;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    this.tickAt = next;
    if (next === null) return;
    const delay = Math.min(Math.max(0, next - this.world.clock.now()), 2_147_483_647);
    this.tickTimer = setTimeout(() => this.tick(), delay);
    this.tickTimer.unref();
  }

  /**
   * A timer callback must never throw out of the process: a transition that fails is logged
   * (it has been taken off the queue, so the world moves on) and the next one is scheduled.
   */
  private tick(): void {
    this.tickTimer = null;
    try {
      this.world.now();
    } catch (e) {
      this.onBackgroundError(e, 'a scheduled world transition');
    }
    try {
      this.scheduleTick();
    } catch (e) {
      this.onBackgroundError(e, 'scheduling the next world transition');
    }
  }

  /** Swaps in another world (restore/reset), keeping webhooks and webviews. */
  replaceWorld(next: SaltoKsWorld): void {
    this.unsubscribe();
    this.world = next;
    this.unsubscribe = next.onEvent((e) => this.onEvent(e));
    this.syntheticAttempts.clear();
    this.generation++;
    this.scheduleTick();
    this.changed();
  }

  /** Subscribes `watcher` until the returned function is called (or the server stops). */
  watch(watcher: StateWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Tells the watchers something may have changed (the server calls it after each answer). */
  changed(): void {
    for (const w of this.watchers) w.changed();
  }

  /** Restore options for this world's kind of clock (virtual: a new one at the snapshot's time). */
  restoreOptions(): { clock?: Clock } {
    return this.virtualClock ? {} : { clock: this.world.clock };
  }

  /** A world restored from a trusted `snapshot` (reset), on this world's kind of clock. */
  restoreWorld(snapshot: WorldSnapshot) {
    return SaltoKsWorld.fromJSON(snapshot, this.restoreOptions());
  }

  initialSnapshot(): WorldSnapshot {
    return this.initial;
  }

  recordAttempt(
    actionType: string,
    status: 'success' | 'error',
    result: Json | null,
    error: Json | null,
  ): Json {
    const attempt: Json = {
      action_attempt_id: this.nextAttemptId(),
      action_type: actionType,
      status,
      result,
      error,
    };
    this.syntheticAttempts.set(attempt['action_attempt_id'] as string, attempt);
    if (this.syntheticAttempts.size > MAX_SYNTHETIC_ATTEMPTS) {
      const oldest = this.syntheticAttempts.keys().next().value;
      if (oldest !== undefined) this.syntheticAttempts.delete(oldest);
    }
    return attempt;
  }

  syntheticAttempt(id: string): Json | undefined {
    return this.syntheticAttempts.get(id);
  }

  close(): void {
    this.closed = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.unsubscribe();
    this.webhooks.close();
    for (const w of [...this.watchers]) w.closed();
    this.watchers.clear();
  }
}
