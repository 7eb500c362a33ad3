import { err, type Instant, ok } from '@keyslot/core/domain';
import { randomInt } from '@keyslot/core/infrastructure';
import { isAdvanceableClock } from '@keyslot/core/ports';
import { invalid } from './failures.js';
import { QueuedTransition, type TransitionKind } from './heap.js';
import type { EventListener, LockState, Mutable, WorldState } from './state.js';
import type { DelayRange, SimEvent, SimEventType, SimResult } from './types.js';
import { formatUuid } from './uuid.js';

/** Runs one due transition; the world's front routes it to the room that owns its kind. */
export interface TransitionHandler {
  handle(tr: QueuedTransition): void;
}

/** The fields of an event besides those the runtime fills in. */
export type EventFields = Omit<
  SimEvent,
  'eventId' | 'sequence' | 'eventType' | 'occurredAt' | 'createdAt' | 'connectedAccountId'
>;

/**
 * The world's runtime: time (catching up with the clock, the queue of scheduled transitions), the
 * seeded random draws (delays, ids) and event emission. Every draw comes from one generator in
 * call order, and every transition runs "at" its own instant, so the same seed and the same calls
 * at the same clock times give the same world.
 */
export class Runtime {
  constructor(
    private readonly s: WorldState,
    private readonly transitions: TransitionHandler,
  ) {}

  /**
   * Processes each due transition in time order (ties by creation order), each at its own
   * scheduled instant, then moves the world's time to the clock's. Returns the new time.
   */
  catchUp(): Instant {
    const s = this.s;
    const target = Math.max(s.nowMs, s.clock.now());
    for (let next = s.queue.peek(); next && next.at <= target; next = s.queue.peek()) {
      s.queue.pop();
      s.nowMs = Math.max(s.nowMs, next.at);
      this.transitions.handle(next);
    }
    s.nowMs = target;
    return target;
  }

  /** Moves a virtual clock forward by `ms` and processes everything that became due. */
  async advance(ms: number): Promise<SimResult<Instant>> {
    if (!Number.isFinite(ms) || ms < 0) return err(invalid('ms', `must be a finite number ≥ 0, got ${ms}`));
    const clock = this.s.clock;
    if (!isAdvanceableClock(clock))
      return err(
        invalid('clock', 'this world runs on a real clock, which cannot be advanced; wait instead', {
          reason: 'clock_not_virtual',
        }),
      );
    await clock.advance(ms);
    return ok(this.catchUp());
  }

  /** Schedules `kind` for `target`: the code id, or the attempt id (`unlock_done`), or the device id (`relock`). */
  schedule(at: Instant, kind: TransitionKind, target: string): void {
    this.s.queue.push(new QueuedTransition(at, this.s.seq++, kind, target));
  }

  /** A delay drawn from `range` (seeded), times `factor`. */
  draw(range: DelayRange, factor = 1): number {
    return Math.round(randomInt(this.s.rng, range[0], range[1]) * factor);
  }

  /** The slowdown of hub-bound work on `lock` (its weak link's factor, else 1). */
  hubFactor(lock: LockState): number {
    return lock.hubLink === 'weak' ? this.s.config.weakLink.slowdownFactor : 1;
  }

  /** A UUID v4-shaped id from four draws of the world's generator (see {@link formatUuid}). */
  newId(): string {
    const rng = this.s.rng;
    return formatUuid(rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32());
  }

  /** Calls `listener` with every event from now on. Returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.s.listeners.add(listener);
    return () => this.s.listeners.delete(listener);
  }

  /** Logs an event at the world's time and hands it to the listeners. */
  emit(eventType: SimEventType, connectedAccountId: string, fields: EventFields = {}): void {
    const s = this.s;
    // The id's draws are taken now (the random stream stays in call order); the log formats
    // the id only when the event is read, and below before a listener sees it.
    const rng = s.rng;
    const a = rng.nextUint32();
    const b = rng.nextUint32();
    const c = rng.nextUint32();
    const d = rng.nextUint32();
    const event: Mutable<SimEvent> = {
      eventId: '',
      sequence: ++s.eventSeq,
      eventType,
      occurredAt: s.nowMs,
      createdAt: s.nowMs,
      connectedAccountId,
    };
    // Same keys, in the same order, as spreading `fields` (every caller lists them in this
    // order and never passes one as undefined), without the generic spread's cost.
    if (fields.deviceId !== undefined) event.deviceId = fields.deviceId;
    if (fields.accessCodeId !== undefined) event.accessCodeId = fields.accessCodeId;
    if (fields.actionAttemptId !== undefined) event.actionAttemptId = fields.actionAttemptId;
    if (fields.data !== undefined) event.data = fields.data;
    s.events.push(event, a, b, c, d);
    if (s.listeners.size === 0) return;
    event.eventId = formatUuid(a, b, c, d);
    for (const l of s.listeners) {
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
}
