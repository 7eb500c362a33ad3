/**
 * Seam webhooks: Svix ("standard webhooks") signature verification on the raw body, and the
 * mapping of Seam events to typed keyslot events. Unsigned, stale or tampered deliveries are
 * rejected; unknown event types become `unknown_event`, never an exception.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock, Instant, Result } from '@keyslot/core';
import { err, ok, SystemClock } from '@keyslot/core';
import { SeamAdapterConfigError } from './errors.js';
import { INSPECT, type Inspect, inspectAs } from './inspect.js';
import { scrubProviderText } from './redaction.js';
import { event as eventSchema, type WireEvent } from './wire.js';

export const DEFAULT_WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export type WebhookRejectionCode =
  | 'webhook_unsigned'
  | 'webhook_stale'
  | 'webhook_bad_signature'
  | 'webhook_malformed';

export interface WebhookRejection {
  readonly code: WebhookRejectionCode;
  readonly message: string;
}

interface EventBase {
  readonly eventId: string;
  /** Seam's `event_type`, kept as sent. */
  readonly eventType: string;
  readonly occurredAt: Instant | null;
}

export type AccessCodeEventKind =
  | 'code_created'
  | 'code_changed'
  | 'code_scheduled'
  | 'code_set'
  | 'code_setting_delayed'
  | 'code_failed_to_set'
  | 'code_removed'
  | 'code_removal_delayed'
  | 'code_failed_to_remove'
  | 'code_deleted'
  | 'code_modified_externally'
  | 'code_deleted_externally';

/** Typed keyslot view of a Seam event. `pin` is present only where Seam sends the code; never log it. */
export type SeamWebhookEvent = EventBase &
  (
    | {
        readonly kind: AccessCodeEventKind;
        readonly accessCodeId: string;
        readonly lockId: string | null;
        /** Only on `code_set` / `code_scheduled`: the PIN Salto assigned (may be null). */
        readonly pin?: string | null;
      }
    | {
        readonly kind: 'lock_unlocked' | 'lock_locked';
        readonly lockId: string;
        /** `keycode`, `manual`, `automatic`, `seamapi`, `unknown`… */
        readonly method: string | null;
        readonly accessCodeId: string | null;
        readonly actionAttemptId: string | null;
      }
    | { readonly kind: 'lock_access_denied'; readonly lockId: string; readonly accessCodeId: string | null }
    | {
        readonly kind: 'unlock_succeeded' | 'unlock_failed';
        readonly actionAttemptId: string;
        readonly lockId: string | null;
        readonly error: { readonly providerCode: string; readonly message: string } | null;
      }
    | {
        readonly kind: 'device_disconnected';
        readonly lockId: string;
        /** `account_disconnected` | `hub_disconnected` | `device_disconnected` (or null). */
        readonly reason: string | null;
      }
    | {
        readonly kind:
          | 'device_connected'
          | 'device_added'
          | 'device_removed'
          | 'connection_flaky'
          | 'connection_stabilized';
        readonly lockId: string;
      }
    | { readonly kind: 'privacy_mode_changed'; readonly lockId: string; readonly active: boolean }
    | {
        readonly kind:
          | 'account_connected'
          | 'account_disconnected'
          | 'account_sync_completed'
          | 'account_reauthorization_requested'
          | 'account_deleted';
        readonly connectedAccountId: string;
        readonly connectWebviewId: string | null;
        readonly customerKey: string | null;
      }
    | {
        readonly kind: 'webview_login_succeeded' | 'webview_login_failed';
        readonly connectWebviewId: string;
        readonly connectedAccountId: string | null;
        readonly customerKey: string | null;
      }
    | { readonly kind: 'unknown_event'; readonly reason: string }
  );

const ACCESS_CODE_EVENTS = {
  'access_code.created': 'code_created',
  'access_code.changed': 'code_changed',
  'access_code.scheduled_on_device': 'code_scheduled',
  'access_code.set_on_device': 'code_set',
  'access_code.delay_in_setting_on_device': 'code_setting_delayed',
  'access_code.failed_to_set_on_device': 'code_failed_to_set',
  'access_code.removed_from_device': 'code_removed',
  'access_code.delay_in_removing_from_device': 'code_removal_delayed',
  'access_code.failed_to_remove_from_device': 'code_failed_to_remove',
  'access_code.deleted': 'code_deleted',
  'access_code.modified_external_to_seam': 'code_modified_externally',
  'access_code.deleted_external_to_seam': 'code_deleted_externally',
} as const satisfies Record<string, AccessCodeEventKind>;

const DEVICE_EVENTS = {
  'device.connected': 'device_connected',
  'device.added': 'device_added',
  'device.removed': 'device_removed',
  'device.deleted': 'device_removed',
  'device.connection_became_flaky': 'connection_flaky',
  'device.connection_stabilized': 'connection_stabilized',
} as const;

const ACCOUNT_EVENTS = {
  'connected_account.connected': 'account_connected',
  'connected_account.created': 'account_connected',
  'connected_account.disconnected': 'account_disconnected',
  'connected_account.completed_first_sync': 'account_sync_completed',
  'connected_account.completed_first_sync_after_reconnection': 'account_sync_completed',
  'connected_account.reauthorization_requested': 'account_reauthorization_requested',
  'connected_account.deleted': 'account_deleted',
} as const;

const has = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);

/** Seam event (already parsed) → typed keyslot event. Total: unknown or incomplete events → `unknown_event`. */
export function toSeamWebhookEvent(e: WireEvent): SeamWebhookEvent {
  const at = e.occurred_at ?? e.created_at;
  const base: EventBase = {
    eventId: e.event_id,
    eventType: e.event_type,
    occurredAt: at ? Date.parse(at) : null,
  };
  const t = e.event_type;
  const missing = (field: string): SeamWebhookEvent => ({
    ...base,
    kind: 'unknown_event',
    reason: `${t} without ${field}`,
  });
  if (has(ACCESS_CODE_EVENTS, t)) {
    if (!e.access_code_id) return missing('access_code_id');
    const kind: AccessCodeEventKind = ACCESS_CODE_EVENTS[t];
    return {
      ...base,
      kind,
      accessCodeId: e.access_code_id,
      lockId: e.device_id ?? null,
      ...(kind === 'code_set' || kind === 'code_scheduled' ? { pin: e.code ?? null } : {}),
    };
  }
  if (t === 'lock.unlocked' || t === 'lock.locked') {
    if (!e.device_id) return missing('device_id');
    return {
      ...base,
      kind: t === 'lock.unlocked' ? 'lock_unlocked' : 'lock_locked',
      lockId: e.device_id,
      method: e.method ?? null,
      accessCodeId: e.access_code_id ?? null,
      actionAttemptId: e.action_attempt_id ?? null,
    };
  }
  if (t === 'lock.access_denied') {
    if (!e.device_id) return missing('device_id');
    return {
      ...base,
      kind: 'lock_access_denied',
      lockId: e.device_id,
      accessCodeId: e.access_code_id ?? null,
    };
  }
  if (t === 'action_attempt.unlock_door.succeeded' || t === 'action_attempt.unlock_door.failed') {
    if (!e.action_attempt_id) return missing('action_attempt_id');
    const failed = t.endsWith('failed');
    return {
      ...base,
      kind: failed ? 'unlock_failed' : 'unlock_succeeded',
      actionAttemptId: e.action_attempt_id,
      lockId: e.device_id ?? null,
      error: failed
        ? {
            providerCode: e.error?.type ?? 'unknown_error',
            message: e.error?.message
              ? scrubProviderText(e.error.message)
              : 'Seam reports the unlock failed.',
          }
        : null,
    };
  }
  if (t === 'device.disconnected') {
    if (!e.device_id) return missing('device_id');
    return { ...base, kind: 'device_disconnected', lockId: e.device_id, reason: e.error_code ?? null };
  }
  if (has(DEVICE_EVENTS, t)) {
    if (!e.device_id) return missing('device_id');
    return { ...base, kind: DEVICE_EVENTS[t], lockId: e.device_id };
  }
  if (t === 'device.salto.privacy_mode_activated' || t === 'device.salto.privacy_mode_deactivated') {
    if (!e.device_id) return missing('device_id');
    return { ...base, kind: 'privacy_mode_changed', lockId: e.device_id, active: t.endsWith('_activated') };
  }
  if (has(ACCOUNT_EVENTS, t)) {
    if (!e.connected_account_id) return missing('connected_account_id');
    return {
      ...base,
      kind: ACCOUNT_EVENTS[t],
      connectedAccountId: e.connected_account_id,
      connectWebviewId: e.connect_webview_id ?? null,
      customerKey: e.customer_key ?? null,
    };
  }
  if (t === 'connect_webview.login_succeeded' || t === 'connect_webview.login_failed') {
    if (!e.connect_webview_id) return missing('connect_webview_id');
    return {
      ...base,
      kind: t.endsWith('succeeded') ? 'webview_login_succeeded' : 'webview_login_failed',
      connectWebviewId: e.connect_webview_id,
      connectedAccountId: e.connected_account_id ?? null,
      customerKey: e.customer_key ?? null,
    };
  }
  return { ...base, kind: 'unknown_event', reason: `event type ${t} is not mapped` };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.join(' ');
  }
  return undefined;
}

function decodeSecret(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new SeamAdapterConfigError([
      { field: 'webhookSecret', message: 'must be a Svix secret "whsec_<base64>"' },
    ]);
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length < 16) {
    throw new SeamAdapterConfigError([{ field: 'webhookSecret', message: 'decodes to fewer than 16 bytes' }]);
  }
  return key;
}

const reject = (code: WebhookRejectionCode, message: string): Result<never, WebhookRejection> =>
  err({ code, message });

/**
 * Verifies Seam's Svix-signed webhook deliveries (`svix-id`, `svix-timestamp`, `svix-signature`,
 * or the `webhook-*` names) with HMAC-SHA256 over `${id}.${timestamp}.${rawBody}`, a ±5 min
 * timestamp tolerance against the injected clock, and a constant-time compare.
 */
export class SeamWebhookVerifier {
  readonly #key: Buffer;
  private readonly clock: Clock;
  private readonly toleranceMs: number;

  constructor(secret: string, deps: { readonly clock?: Clock; readonly toleranceMs?: number } = {}) {
    if (typeof secret !== 'string' || secret === '') {
      throw new SeamAdapterConfigError([
        { field: 'webhookSecret', message: 'is required (Seam webhook secret whsec_…)' },
      ]);
    }
    this.#key = decodeSecret(secret);
    this.clock = deps.clock ?? new SystemClock();
    this.toleranceMs = deps.toleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  }

  /** Keeps the secret out of logs and JSON dumps. */
  toJSON(): Record<string, unknown> {
    return { toleranceMs: this.toleranceMs };
  }

  [INSPECT](_depth: number, options: object, inspect: Inspect): string {
    return inspectAs('SeamWebhookVerifier', this.toJSON(), options, inspect);
  }

  /** Checks the signature on the raw body (as received, before any JSON parsing) and returns the typed event. */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders): Result<SeamWebhookEvent, WebhookRejection> {
    const id = header(headers, 'svix-id') ?? header(headers, 'webhook-id');
    const ts = header(headers, 'svix-timestamp') ?? header(headers, 'webhook-timestamp');
    const sig = header(headers, 'svix-signature') ?? header(headers, 'webhook-signature');
    if (!id || !ts || !sig) {
      return reject(
        'webhook_unsigned',
        'Rejected a webhook without svix-id, svix-timestamp and svix-signature headers. Only Seam’s signed deliveries are accepted.',
      );
    }
    if (!/^\d{1,12}$/.test(ts.trim())) {
      return reject('webhook_malformed', 'Rejected a webhook whose svix-timestamp is not Unix seconds.');
    }
    const skew = this.clock.now() - Number(ts.trim()) * 1000;
    if (Math.abs(skew) > this.toleranceMs) {
      return reject(
        'webhook_stale',
        `Rejected a webhook whose timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'old' : 'in the future'} (tolerance ${this.toleranceMs / 1000} s). Check this server's clock; replays are refused.`,
      );
    }
    const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
    const expected = createHmac('sha256', this.#key)
      .update(Buffer.concat([Buffer.from(`${id}.${ts.trim()}.`, 'utf8'), body]))
      .digest();
    let matched = false;
    for (const part of sig.split(' ')) {
      const comma = part.indexOf(',');
      if (comma === -1 || part.slice(0, comma) !== 'v1') continue;
      const candidate = Buffer.from(part.slice(comma + 1), 'base64');
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
    if (!matched) {
      return reject(
        'webhook_bad_signature',
        'Rejected a webhook whose signature does not match. Check the webhook secret, and verify the raw body before any JSON parsing.',
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return reject('webhook_malformed', 'Rejected a signed webhook whose body is not JSON.');
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return reject(
        'webhook_malformed',
        `Rejected a signed webhook that is not a Seam event (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'bad shape'}).`,
      );
    }
    return ok(toSeamWebhookEvent(parsed.data));
  }
}

/** Signs a payload the way Svix does (for tests, and for the simulator's webhook sender). */
export function signSeamWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  rawBody: string,
): Record<'svix-id' | 'svix-timestamp' | 'svix-signature', string> {
  const key = decodeSecret(secret);
  const sig = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${rawBody}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': String(timestampSeconds), 'svix-signature': `v1,${sig}` };
}
