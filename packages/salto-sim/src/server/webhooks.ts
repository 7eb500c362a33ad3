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
  /** Per-attempt timeout (ms). */
  readonly timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch read at call time. */
  readonly fetch?: typeof fetch;
  /** Reports a delivery that gave up (after every retry). */
  readonly onGiveUp?: (webhook: WebhookRecord, event: WebhookEvent, lastError: string) => void;
}

export const SVIX_RETRY_DELAYS_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/**
 * Registered webhooks and their in-flight deliveries. Deliveries run on real timers (a receiver
 * checks `svix-timestamp` against its own wall clock), independent of the world's clock.
 */
export class WebhookDispatcher {
  private readonly hooks = new Map<string, WebhookRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: DeliveryOptions = {}) {}

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

  /** Sends `event` to every webhook subscribed to its type. */
  dispatch(event: WebhookEvent): void {
    if (this.closed) return;
    for (const hook of this.hooks.values()) {
      if (hook.event_types.includes('*') || hook.event_types.includes(event.event_type)) {
        void this.attempt(hook, event, JSON.stringify(event), 0);
      }
    }
  }

  /** Cancels pending retries and in-flight requests. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inflight) c.abort();
    this.inflight.clear();
  }

  private async attempt(hook: WebhookRecord, event: WebhookEvent, body: string, n: number): Promise<void> {
    if (this.closed) return;
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
    if (failure === null || this.closed) return;
    const delays = this.options.retryDelaysMs ?? SVIX_RETRY_DELAYS_MS;
    const delay = delays[n];
    // A webhook deleted meanwhile gets no more retries.
    if (delay === undefined || !this.hooks.has(hook.webhook_id)) {
      this.options.onGiveUp?.(hook, event, failure);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(hook, event, body, n + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
