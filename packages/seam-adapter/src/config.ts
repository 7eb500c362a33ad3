import { DEFAULT_SLOT_LEAD_TIME_MS } from '@keyslot/core';
import { z } from 'zod';
import { SeamAdapterConfigError } from './errors.js';
import { isSeamId } from './wire.js';

/** Seam's production endpoint (what `@seamapi/http` uses by default). */
export const DEFAULT_SEAM_ENDPOINT = 'https://connect.getseam.com';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Seam's documented per-device limits, per minute. */
export const SEAM_RATE_LIMITS = { create: 10, delete: 20, unlock: 15 } as const;

export interface SeamThrottleOptions {
  /** `/access_codes/create` calls per lock per minute (Seam: 10). */
  readonly createPerMinute?: number;
  /** `/access_codes/delete` calls per lock per minute (Seam: 20). */
  readonly deletePerMinute?: number;
  /** `/locks/unlock_door` calls per lock per minute (Seam: 15). */
  readonly unlockPerMinute?: number;
  /** Longest the adapter waits for a free slot before returning `rate_limited` (default 60 s). */
  readonly maxWaitMs?: number;
}

export interface SeamAdapterOptions {
  /** Seam API key (`seam_…`). Required. Never logged. */
  readonly apiKey: string;
  /** Base URL; default Seam's production endpoint. Point it at the simulator server to run offline. */
  readonly endpoint?: string;
  /** Injected fetch; default: `globalThis.fetch`, read at call time (so nock can intercept it). */
  readonly fetch?: FetchLike;
  /** Only use devices of this Salto KS connected account (default: every Salto KS lock of the workspace). */
  readonly connectedAccountId?: string;
  /**
   * Slot limit per Salto KS site id, used when Seam does not report one. Seam only reports a site's
   * limit in the `salto_ks_subscription_limit_almost_reached` / `…_exceeded` account notices
   * (above 80 % of the limit); below that the limit is unknown to Seam's API.
   */
  readonly siteSlotLimits?: Readonly<Record<string, number>>;
  /**
   * Slot limit of a site when Seam reports none, looked up on every call (e.g. from your own
   * database, so a changed plan needs no new adapter). Wins over `siteSlotLimits`; return
   * `undefined` when you do not know.
   */
  readonly slotLimitFor?: (siteId: string) => number | undefined;
  /** Slot limit for sites not in `siteSlotLimits` when Seam reports none. Default: none (unknown). */
  readonly defaultSiteSlotLimit?: number;
  /** Time zone of sites whose devices carry none (default `UTC`). */
  readonly defaultTimeZone?: string;
  /** How long before `startsAt` a time-bound code holds its slot (default 72 h, Salto's native scheduling). */
  readonly slotLeadTimeMs?: number;
  /** Deadline of every single HTTP call (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Retries of reads after 429/5xx/network/timeout (default 2). Mutations are never retried blindly. */
  readonly readRetries?: number;
  /** First backoff delay of read retries (default 200 ms; doubled each time, jittered by `random`). */
  readonly retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call returns `rate_limited` (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Client-side per-device throttle at Seam's limits; `false` turns it off. */
  readonly throttle?: SeamThrottleOptions | false;
  /**
   * How long `unlock` itself polls the action attempt (default 0: it returns the pending attempt,
   * as the port says, and core's UnlockDoor polls). `unlockAndWait` polls regardless.
   */
  readonly unlockWaitMs?: number;
  readonly unlockPollIntervalMs?: number;
  /** After a create whose reply was lost, wait this long before looking the code up (default 1 s). */
  readonly recoveryDelayMs?: number;
  /** Page size for paginated lists (default 500). */
  readonly pageLimit?: number;
  /** Webhook signing secret (`whsec_…`) for `SeamWebhookVerifier` in the DI module. Never logged. */
  readonly webhookSecret?: string;
}

export interface ResolvedSeamAdapterOptions {
  readonly apiKey: string;
  readonly endpoint: string;
  readonly fetch: FetchLike;
  readonly connectedAccountId: string | undefined;
  readonly siteSlotLimits: Readonly<Record<string, number>>;
  readonly slotLimitFor: ((siteId: string) => number | undefined) | undefined;
  readonly defaultSiteSlotLimit: number | undefined;
  readonly defaultTimeZone: string;
  readonly slotLeadTimeMs: number;
  readonly requestTimeoutMs: number;
  readonly readRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly throttle: Required<SeamThrottleOptions> | false;
  readonly unlockWaitMs: number;
  readonly unlockPollIntervalMs: number;
  readonly recoveryDelayMs: number;
  readonly pageLimit: number;
  readonly webhookSecret: string | undefined;
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

const nonNegInt = z.number().int().nonnegative();
const posInt = z.number().int().positive();
const ms = z.number().finite().nonnegative();

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

// Messages never echo values: the key (or a key pasted into the wrong variable) must not leak.
const optionsSchema = z.object({
  apiKey: z
    .string({ error: 'is required (a Seam API key, e.g. from SEAM_API_KEY)' })
    .refine((k) => k.trim().length > 0, 'is required (a Seam API key, e.g. from SEAM_API_KEY)')
    .refine(
      (k) => !/\s/.test(k),
      'must not contain whitespace (check for a stray newline or "Bearer " prefix)',
    ),
  endpoint: z
    .string({ error: 'must be a string URL' })
    .refine((u) => {
      try {
        const url = new URL(u);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
      } catch {
        return false;
      }
    }, 'must be an absolute http(s) URL such as https://connect.getseam.com or http://127.0.0.1:8080')
    .refine((u) => {
      try {
        const url = new URL(u);
        return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
      } catch {
        return true;
      }
    }, 'must not carry credentials, a query or a fragment (pass the key as apiKey)')
    .optional(),
  fetch: z
    .custom<FetchLike>((f) => typeof f === 'function', { error: 'must be a fetch-compatible function' })
    .optional(),
  connectedAccountId: z
    .string()
    .refine(isSeamId, 'must be a Seam connected account id (a UUID, as /connected_accounts/list returns)')
    .optional(),
  siteSlotLimits: z
    .record(z.string(), nonNegInt, { error: 'must map site ids to non-negative integers' })
    .optional(),
  slotLimitFor: z
    .custom<(siteId: string) => number | undefined>((f) => typeof f === 'function', {
      error: 'must be a function (siteId) => limit | undefined',
    })
    .optional(),
  defaultSiteSlotLimit: nonNegInt.optional(),
  defaultTimeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid')
    .optional(),
  slotLeadTimeMs: ms.optional(),
  requestTimeoutMs: posInt.optional(),
  readRetries: nonNegInt.max(10, 'must be at most 10').optional(),
  retryBaseDelayMs: ms.optional(),
  maxRetryAfterMs: ms.optional(),
  throttle: z
    .union([
      z.literal(false),
      z.object({
        createPerMinute: posInt.optional(),
        deletePerMinute: posInt.optional(),
        unlockPerMinute: posInt.optional(),
        maxWaitMs: ms.optional(),
      }),
    ])
    .optional(),
  unlockWaitMs: ms.optional(),
  unlockPollIntervalMs: posInt.optional(),
  recoveryDelayMs: ms.optional(),
  pageLimit: posInt.optional(),
  webhookSecret: z
    .string()
    .refine((s) => /^(whsec_)?[A-Za-z0-9+/]+={0,2}$/.test(s), 'must be a Svix secret "whsec_<base64>"')
    .optional(),
});

/** Validates options and fills defaults; throws `SeamAdapterConfigError` naming every bad field. */
export function resolveSeamAdapterOptions(input: unknown): ResolvedSeamAdapterOptions {
  if (typeof input !== 'object' || input === null) {
    throw new SeamAdapterConfigError([
      { field: 'options', message: 'must be an object with at least apiKey' },
    ]);
  }
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new SeamAdapterConfigError(
      parsed.error.issues.map((i) => ({
        field: i.path.length > 0 ? i.path.join('.') : 'options',
        message: i.message,
      })),
    );
  }
  const o = parsed.data;
  const t = o.throttle;
  return {
    apiKey: o.apiKey,
    endpoint: (o.endpoint ?? DEFAULT_SEAM_ENDPOINT).replace(/\/+$/, ''),
    fetch: o.fetch ?? defaultFetch,
    connectedAccountId: o.connectedAccountId,
    siteSlotLimits: o.siteSlotLimits ?? {},
    slotLimitFor: o.slotLimitFor,
    defaultSiteSlotLimit: o.defaultSiteSlotLimit,
    defaultTimeZone: o.defaultTimeZone ?? 'UTC',
    slotLeadTimeMs: o.slotLeadTimeMs ?? DEFAULT_SLOT_LEAD_TIME_MS,
    requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    readRetries: o.readRetries ?? 2,
    retryBaseDelayMs: o.retryBaseDelayMs ?? 200,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 30_000,
    throttle:
      t === false
        ? false
        : {
            createPerMinute: t?.createPerMinute ?? SEAM_RATE_LIMITS.create,
            deletePerMinute: t?.deletePerMinute ?? SEAM_RATE_LIMITS.delete,
            unlockPerMinute: t?.unlockPerMinute ?? SEAM_RATE_LIMITS.unlock,
            maxWaitMs: t?.maxWaitMs ?? 60_000,
          },
    unlockWaitMs: o.unlockWaitMs ?? 0,
    unlockPollIntervalMs: o.unlockPollIntervalMs ?? 1_000,
    recoveryDelayMs: o.recoveryDelayMs ?? 1_000,
    pageLimit: o.pageLimit ?? 500,
    webhookSecret: o.webhookSecret,
  };
}

/**
 * Options from the environment, Seam's conventions: `SEAM_API_KEY` (required) and
 * `SEAM_ENDPOINT` (optional; the deprecated `SEAM_API_URL` is read too), and keyslot's
 * `KEYSLOT_SITE_SLOT_LIMIT` (optional: `defaultSiteSlotLimit`). Explicit overrides win.
 * Throws `SeamAdapterConfigError` when the key is missing.
 */
export function seamOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<SeamAdapterOptions> = {},
): SeamAdapterOptions {
  const apiKey = overrides.apiKey ?? env['SEAM_API_KEY'];
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new SeamAdapterConfigError([
      { field: 'SEAM_API_KEY', message: 'is not set; export your Seam API key or pass apiKey explicitly' },
    ]);
  }
  const endpoint = overrides.endpoint ?? env['SEAM_ENDPOINT'] ?? env['SEAM_API_URL'];
  const limitText = env['KEYSLOT_SITE_SLOT_LIMIT']?.trim();
  let defaultSiteSlotLimit = overrides.defaultSiteSlotLimit;
  if (defaultSiteSlotLimit === undefined && limitText !== undefined && limitText !== '') {
    if (!/^\d+$/.test(limitText) || !Number.isSafeInteger(Number(limitText))) {
      throw new SeamAdapterConfigError([
        {
          field: 'KEYSLOT_SITE_SLOT_LIMIT',
          message: 'must be a whole number (the user-slot limit of your Salto KS sites), e.g. 25',
        },
      ]);
    }
    defaultSiteSlotLimit = Number(limitText);
  }
  const webhookSecret = overrides.webhookSecret ?? env['SEAM_WEBHOOK_SECRET'];
  return {
    ...overrides,
    apiKey,
    ...(endpoint !== undefined && endpoint !== '' ? { endpoint } : {}),
    ...(webhookSecret !== undefined && webhookSecret !== '' ? { webhookSecret } : {}),
    ...(defaultSiteSlotLimit !== undefined ? { defaultSiteSlotLimit } : {}),
  };
}
