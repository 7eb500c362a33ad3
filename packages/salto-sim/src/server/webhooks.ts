import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Webhook delivery signed like Seam's (Svix / Standard Webhooks): secret `whsec_<base64 key>`,
 * signed content `"<svix-id>.<svix-timestamp>.<raw body>"`, HMAC-SHA256, header
 * `svix-signature: v1,<base64 digest>`. Seam's `SeamWebhook.verify` (and `svix`) accept it.
 */

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** The `v1,<base64>` signature of one delivery. `timestampSeconds` is Unix seconds. */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secretKey(secret))
    .update(`${msgId}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${digest}`;
}

export type WebhookVerification =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'missing_headers' | 'bad_timestamp' | 'no_matching_signature' };

/** Verifies a delivery the way Svix does (for tests and for users who want no extra dependency). */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): WebhookVerification {
  const id = headers['svix-id'];
  const ts = headers['svix-timestamp'];
  const sig = headers['svix-signature'];
  if (!id || !ts || !sig) return { ok: false, code: 'missing_headers' };
  const t = Number(ts);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds)
    return { ok: false, code: 'bad_timestamp' };
  const expected = Buffer.from(signWebhook(secret, id, t, body));
  for (const candidate of sig.split(' ')) {
    const c = Buffer.from(candidate);
    if (c.length === expected.length && timingSafeEqual(c, expected)) return { ok: true };
  }
  return { ok: false, code: 'no_matching_signature' };
}

export interface WebhookRecord {
  readonly webhook_id: string;
  readonly url: string;
  readonly event_types: string[];
  readonly secret: string;
}

export interface WebhookEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly [field: string]: unknown;
}

export interface DeliveryOptions {
  /** Delays before each retry after a failed attempt (ms). Seam/Svix: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
  readonly retryDelaysMs?: readonly number[];
  /** Per-attempt timeout (ms). Default 15 000. */
  readonly timeoutMs?: number;
  /** Deliveries in flight at once (default 16); the rest wait in the queue. */
  readonly maxConcurrent?: number;
  /** Deliveries waiting, first attempts and retries (default 10 000); when full the oldest is dropped. */
  readonly maxQueued?: number;
  /** Injected for tests; defaults to the global fetch read at call time. */
  readonly fetch?: typeof fetch;
  /** Reports a delivery that gave up (after every retry). */
  readonly onGiveUp?: (webhook: WebhookRecord, event: WebhookEvent, lastError: string) => void;
  /**
   * Reports deliveries dropped because the queue was full: at most one call per second, with the
   * number dropped since the last call. Default: a warning on stderr.
   */
  readonly onDropped?: (dropped: number, maxQueued: number) => void;
}

export const SVIX_RETRY_DELAYS_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** One delivery of one event to one webhook, waiting in the queue (for a slot or for its retry time). */
interface Job {
  readonly hook: WebhookRecord;
  readonly event: WebhookEvent;
  /** The event's JSON, shared by every webhook it goes to. */
  readonly body: string;
  /** Attempts made so far. */
  readonly n: number;
  timer: NodeJS.Timeout | null;
}

const warnDropped = (dropped: number, maxQueued: number): void => {
  process.stderr.write(
    `[keyslot-sim] warning: dropped ${dropped} webhook deliver${dropped === 1 ? 'y' : 'ies'} (oldest first): more than ${maxQueued} were waiting. Receivers are down or slow; fix them or delete their webhooks.\n`,
  );
};

/**
 * Registered webhooks and their deliveries. Deliveries run on real timers (a receiver checks
 * `svix-timestamp` against its own wall clock), independent of the world's clock.
 *
 * Bounded: at most `maxConcurrent` POSTs in flight; every other delivery (a first attempt waiting
 * for a slot, or a retry waiting for its time) is in one queue of at most `maxQueued`, and a full
 * queue drops its oldest delivery (reported through `onDropped`). An event's JSON is built once.
 */
export class WebhookDispatcher {
  private readonly hooks = new Map<string, WebhookRecord>();
  /** Every waiting delivery, oldest first. */
  private readonly queued = new Set<Job>();
  /** Waiting deliveries whose time has come, in order. */
  private readonly ready = new Set<Job>();
  private readonly inflight = new Set<AbortController>();
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private droppedTotal = 0;
  private droppedUnreported = 0;
  private lastDropReport = 0;
  private closed = false;

  constructor(private readonly options: DeliveryOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? 16;
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  create(url: string, eventTypes: readonly string[] | undefined): WebhookRecord {
    const hook: WebhookRecord = {
      webhook_id: randomUUID(),
      url,
      event_types: eventTypes && eventTypes.length > 0 ? [...eventTypes] : ['*'],
      secret: newWebhookSecret(),
    };
    this.hooks.set(hook.webhook_id, hook);
    return hook;
  }

  get(id: string): WebhookRecord | undefined {
    return this.hooks.get(id);
  }

  list(): WebhookRecord[] {
    return [...this.hooks.values()];
  }

  get size(): number {
    return this.hooks.size;
  }

  delete(id: string): boolean {
    return this.hooks.delete(id);
  }

  clear(): void {
    this.hooks.clear();
  }

  /** Whether `dispatch` can send anything (a webhook is registered and the dispatcher is open). */
  get active(): boolean {
    return !this.closed && this.hooks.size > 0;
  }

  /** Deliveries in flight, waiting, and dropped so far (for `GET /_sim/limits`). */
  get stats(): { inFlight: number; queued: number; dropped: number } {
    return { inFlight: this.inflight.size, queued: this.queued.size, dropped: this.droppedTotal };
  }

  /** Sends `event` to every webhook subscribed to its type. */
  dispatch(event: WebhookEvent): void {
    if (this.closed) return;
    let body: string | undefined;
    for (const hook of this.hooks.values()) {
      if (hook.event_types.includes('*') || hook.event_types.includes(event.event_type)) {
        body ??= JSON.stringify(event);
        this.enqueue({ hook, event, body, n: 0, timer: null }, 0);
      }
    }
  }

  /** Cancels pending retries and in-flight requests. */
  close(): void {
    this.closed = true;
    for (const job of this.queued) if (job.timer) clearTimeout(job.timer);
    this.queued.clear();
    this.ready.clear();
    for (const c of this.inflight) c.abort();
    this.inflight.clear();
  }

  private enqueue(job: Job, delayMs: number): void {
    while (this.queued.size >= this.maxQueued) this.dropOldest();
    this.queued.add(job);
    if (delayMs <= 0) {
      this.ready.add(job);
      this.pump();
      return;
    }
    job.timer = setTimeout(() => {
      job.timer = null;
      this.ready.add(job);
      this.pump();
    }, delayMs);
    job.timer.unref();
  }

  private dropOldest(): void {
    const oldest = this.queued.values().next().value as Job;
    this.queued.delete(oldest);
    this.ready.delete(oldest);
    if (oldest.timer) clearTimeout(oldest.timer);
    this.droppedTotal++;
    this.droppedUnreported++;
    const now = Date.now();
    if (now - this.lastDropReport >= 1_000) {
      this.lastDropReport = now;
      (this.options.onDropped ?? warnDropped)(this.droppedUnreported, this.maxQueued);
      this.droppedUnreported = 0;
    }
  }

  /** Starts waiting deliveries whose time has come while a slot is free. */
  private pump(): void {
    while (!this.closed && this.inflight.size < this.maxConcurrent && this.ready.size > 0) {
      const job = this.ready.values().next().value as Job;
      this.ready.delete(job);
      this.queued.delete(job);
      void this.attempt(job);
    }
  }

  private async attempt(job: Job): Promise<void> {
    const { hook, event, body, n } = job;
    const msgId = `msg_${event.event_id}`;
    const ts = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    this.inflight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 15_000);
    let failure: string | null = null;
    try {
      const f = this.options.fetch ?? globalThis.fetch;
      const res = await f(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'svix-id': msgId,
          'svix-timestamp': String(ts),
          'svix-signature': signWebhook(hook.secret, msgId, ts, body),
          'user-agent': 'keyslot-sim-webhooks',
        },
        body,
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) failure = `HTTP ${res.status}`;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timeout);
      this.inflight.delete(controller);
    }
    if (this.closed) return;
    if (failure !== null) {
      const delays = this.options.retryDelaysMs ?? SVIX_RETRY_DELAYS_MS;
      const delay = delays[n];
      // A webhook deleted meanwhile gets no more retries.
      if (delay === undefined || !this.hooks.has(hook.webhook_id))
        this.options.onGiveUp?.(hook, event, failure);
      else this.enqueue({ hook, event, body, n: n + 1, timer: null }, delay);
    }
    this.pump();
  }
}
