/**
 * The server's resource limits: what a careless or hostile client can make it hold. Every limit
 * has a default, can be set through `startSimServer({ limits })` or a `KEYSLOT_SIM_*` environment
 * variable of `keyslot-sim serve`, and is reported by `GET /_sim/limits`.
 */
export interface SimLimits {
  /** Webhooks the workspace may register; one more is 400 `invalid_input` (`webhook_limit_reached`). */
  readonly maxWebhooks: number;
  /** Webhook deliveries (HTTP POSTs) in flight at once; the rest wait in the queue. */
  readonly maxConcurrentDeliveries: number;
  /** Deliveries waiting (first attempts and retries); when full, the oldest is dropped with a warning. */
  readonly maxQueuedDeliveries: number;
  /** One delivery attempt's timeout. */
  readonly deliveryTimeoutMs: number;
  /** Connect Webviews kept; creating one more forgets the oldest (404 afterwards). */
  readonly maxConnectWebviews: number;
  /**
   * Open connections. A new connection beyond the cap closes the oldest connection that has not
   * sent a request yet; when every connection is busy or has been used, the new one is closed.
   */
  readonly maxConnections: number;
  /** A connection must have sent its request headers within this (checked every second). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly idleTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_SIM_LIMITS: SimLimits = {
  maxWebhooks: 100,
  maxConcurrentDeliveries: 16,
  maxQueuedDeliveries: 10_000,
  deliveryTimeoutMs: 15_000,
  maxConnectWebviews: 1_000,
  maxConnections: 1_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 5_000,
  requestTimeoutMs: 60_000,
};

/** The smallest value each limit accepts (a zero cap or timeout would make the server useless). */
const MINIMUM: Readonly<Record<keyof SimLimits, number>> = {
  maxWebhooks: 0,
  maxConcurrentDeliveries: 1,
  maxQueuedDeliveries: 1,
  deliveryTimeoutMs: 100,
  maxConnectWebviews: 1,
  maxConnections: 1,
  headersTimeoutMs: 1_000,
  idleTimeoutMs: 100,
  requestTimeoutMs: 1_000,
};

const KEYS = Object.keys(DEFAULT_SIM_LIMITS) as (keyof SimLimits)[];

/** `maxWebhooks` → `KEYSLOT_SIM_MAX_WEBHOOKS`. */
export const limitEnvName = (key: keyof SimLimits): string =>
  `KEYSLOT_SIM_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

export type LimitsResult = { ok: true; value: SimLimits } | { ok: false; message: string };

/** The defaults with `input` over them; a value that is not an integer ≥ its minimum is refused by name. */
export function resolveLimits(
  input: Partial<Record<keyof SimLimits, unknown>> = {},
  nameOf: (key: keyof SimLimits) => string = (k) => k,
): LimitsResult {
  const out: Record<string, number> = { ...DEFAULT_SIM_LIMITS };
  const problems: string[] = [];
  for (const key of KEYS) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < MINIMUM[key])
      problems.push(`${nameOf(key)} must be an integer ≥ ${MINIMUM[key]} (got ${JSON.stringify(v)})`);
    else out[key] = v;
  }
  return problems.length
    ? { ok: false, message: `Invalid server limits: ${problems.join('; ')}.` }
    : { ok: true, value: out as unknown as SimLimits };
}

/** Limits from `KEYSLOT_SIM_*` variables (see {@link limitEnvName}); unset ones keep their default. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): LimitsResult {
  const input: Partial<Record<keyof SimLimits, unknown>> = {};
  for (const key of KEYS) {
    const raw = env[limitEnvName(key)];
    if (raw === undefined || raw === '') continue;
    input[key] = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  }
  return resolveLimits(input, limitEnvName);
}

/** Current use of each bounded resource, next to its limit on `GET /_sim/limits`. */
export interface SimUsage {
  readonly webhooks: number;
  readonly deliveriesInFlight: number;
  readonly deliveriesQueued: number;
  readonly deliveriesDropped: number;
  readonly connectWebviews: number;
  readonly connections: number;
}

/** The `GET /_sim/limits` body: each limit with its default, environment variable and current use. */
export function limitsJson(limits: SimLimits, usage: SimUsage): Record<string, unknown> {
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return {
    limits: Object.fromEntries(
      KEYS.map((k) => [snake(k), { value: limits[k], default: DEFAULT_SIM_LIMITS[k], env: limitEnvName(k) }]),
    ),
    usage: Object.fromEntries(Object.entries(usage).map(([k, v]) => [snake(k), v])),
  };
}
