/**
 * The ONE place where a failed Seam call becomes core's `GatewayFailure`. Transport failures are
 * typed values (`SeamCallFailure`); this module decides what they mean for the caller.
 */
import type { GatewayFailure, GatewayFailureCode } from '@keyslot/core';
import { NOT_SUBSCRIBED_ERROR_CODES, OFFLINE_ERROR_CODES, PRIVACY_MODE_CODES } from './mapping.js';

/** A Seam call that did not give a usable reply. Messages are already scrubbed of keys and PINs. */
export type SeamCallFailure =
  | {
      readonly kind: 'http';
      readonly route: string;
      readonly status: number;
      /** Seam's `error.type`; null when the body was not Seam's JSON envelope. */
      readonly errorType: string | null;
      readonly message: string;
      readonly requestId?: string;
      readonly retryAfterMs?: number;
    }
  /** fetch rejected. `maybeSent` is false only when the connection was surely never made. */
  | { readonly kind: 'network'; readonly route: string; readonly maybeSent: boolean; readonly detail: string }
  | { readonly kind: 'timeout'; readonly route: string; readonly timeoutMs: number }
  /** 2xx, but the body is not what Seam documents (not JSON, or a shape the adapter cannot rely on). */
  | {
      readonly kind: 'invalid_response';
      readonly route: string;
      readonly status: number;
      readonly requestId?: string;
      readonly detail: string;
    }
  /** The adapter's own per-device throttle would have to wait longer than allowed. */
  | { readonly kind: 'throttled'; readonly route: string; readonly retryAfterMs: number };

export interface FailureContext {
  /** What was being done, for the message: "create an access code on lock L1". */
  readonly action: string;
  /** Whether the call changes state at Seam (create, delete, unlock, webview). */
  readonly mutation: boolean;
  /** What a 404 without a known `error.type` means here. */
  readonly notFound?: GatewayFailureCode;
  /**
   * How to find out whether an ambiguous mutation took effect, for the `outcome_unknown` message
   * (default: the lock path's "list the lock’s codes by grant key").
   */
  readonly lookUp?: string;
}

/**
 * Did the call perhaps take effect without us seeing the reply? Only mutations can be ambiguous:
 * a timeout, a dropped connection after sending, a gateway error (502/504, the origin may still be
 * working), or a 2xx we could not read.
 */
export function isAmbiguous(f: SeamCallFailure): boolean {
  switch (f.kind) {
    case 'timeout':
    case 'invalid_response':
      return true;
    case 'network':
      return f.maybeSent;
    case 'http':
      return f.status === 502 || f.status === 504;
    case 'throttled':
      return false;
  }
}

/** Seam's error types naming an id it does not know (or no longer has), and what each means. */
const NOT_FOUND_TYPES: Readonly<Record<string, GatewayFailureCode>> = {
  device_not_found: 'lock_not_found',
  access_code_not_found: 'access_code_not_found',
  connected_account_not_found: 'site_not_found',
  // The ACS path: a site is an ACS system, a door an entrance.
  acs_system_not_found: 'site_not_found',
  acs_entrance_not_found: 'lock_not_found',
  access_grant_not_found: 'access_grant_not_found',
};

/** Seam's error types for "that key is already taken" (409). */
const EXISTS_TYPES: Readonly<Record<string, GatewayFailureCode>> = {
  duplicate_access_grant_key: 'access_grant_exists',
};

const CAPABILITY_TYPES: ReadonlySet<string> = new Set([
  'capability_not_supported',
  'device_does_not_support_remote_unlock',
  'unsupported_device',
  'remote_unlock_not_allowed',
]);

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
const ref = (requestId: string | undefined) => (requestId ? `, Seam request ${requestId}` : '');

function httpFailureCode(
  f: Extract<SeamCallFailure, { kind: 'http' }>,
  ctx: FailureContext,
): GatewayFailureCode {
  const t = f.errorType;
  if (f.status === 429) return 'rate_limited';
  if (t && NOT_FOUND_TYPES[t]) return NOT_FOUND_TYPES[t];
  if (t && EXISTS_TYPES[t]) return EXISTS_TYPES[t];
  if (f.status === 404) return ctx.notFound ?? 'provider_issue';
  if (t && OFFLINE_ERROR_CODES.has(t)) return 'hub_offline';
  if (t && PRIVACY_MODE_CODES.has(t)) return 'privacy_mode';
  if (t && CAPABILITY_TYPES.has(t)) return 'capability_missing';
  if (t === 'invalid_input' || t === 'invalid_content_type' || t === 'invalid_query_params') {
    return 'invalid_input';
  }
  if (f.status >= 500) return ctx.mutation && isAmbiguous(f) ? 'outcome_unknown' : 'unavailable';
  return 'provider_issue';
}

/** Maps a failed call to the domain outcome, with a message saying what happened, to what, and what to do. */
export function toGatewayFailure(f: SeamCallFailure, ctx: FailureContext): GatewayFailure {
  const unknownOutcome = (what: string): GatewayFailure => ({
    code: 'outcome_unknown',
    message:
      `Could not ${ctx.action}: ${what}, so Seam may or may not have applied it. ` +
      `Look the result up (${ctx.lookUp ?? 'list the lock’s codes by grant key'}) before trying again.`,
  });
  switch (f.kind) {
    case 'timeout':
      return ctx.mutation
        ? unknownOutcome(`no reply within ${f.timeoutMs} ms (${f.route})`)
        : {
            code: 'unavailable',
            message: `Could not ${ctx.action}: Seam did not answer ${f.route} within ${f.timeoutMs} ms. Try again later.`,
          };
    case 'network':
      return ctx.mutation && f.maybeSent
        ? unknownOutcome(`the connection failed (${f.detail}, ${f.route})`)
        : {
            code: 'unavailable',
            message: `Could not ${ctx.action}: Seam could not be reached on ${f.route} (${f.detail}). Check the network and endpoint, then try again.`,
          };
    case 'invalid_response':
      return ctx.mutation
        ? {
            ...unknownOutcome(`Seam's reply to ${f.route} could not be read (${f.detail})`),
            ...rid(f.requestId),
          }
        : {
            code: 'provider_issue',
            providerCode: 'invalid_response',
            message: `Could not ${ctx.action}: Seam's reply to ${f.route} (HTTP ${f.status}${ref(f.requestId)}) is not in the documented shape (${f.detail}). Report it with the request id.`,
            ...rid(f.requestId),
          };
    case 'throttled':
      return {
        code: 'rate_limited',
        providerCode: 'client_throttle',
        message: `Did not ${ctx.action}: Seam allows only a few ${f.route} calls per lock per minute and the next free slot is ${seconds(f.retryAfterMs)} away. Retry after that.`,
        retryAfterMs: f.retryAfterMs,
      };
    case 'http': {
      const code = httpFailureCode(f, ctx);
      const what = `Seam answered ${f.route} with HTTP ${f.status}${f.errorType ? ` ${f.errorType}` : ''}${ref(f.requestId)}: ${f.message}`;
      const base = {
        ...(f.errorType ? { providerCode: f.errorType } : {}),
        ...rid(f.requestId),
      };
      switch (code) {
        case 'rate_limited':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. Retry ${f.retryAfterMs !== undefined ? `after ${seconds(f.retryAfterMs)}` : 'in a minute'}.`,
            ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
          };
        case 'outcome_unknown':
          return { ...unknownOutcome(what), ...base };
        case 'unavailable':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. Nothing was changed; try again later.`,
          };
        case 'lock_not_found':
        case 'access_code_not_found':
        case 'site_not_found':
        case 'access_grant_not_found':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. Check the id; it may have been removed.`,
          };
        case 'access_grant_exists':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. Find the existing Access Grant by its key instead of creating it again.`,
          };
        case 'invalid_input':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. Fix the request and try again.`,
          };
        case 'hub_offline':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. The lock's IQ hub is not reachable; retry once it is back online.`,
          };
        case 'privacy_mode':
          return { code, ...base, message: `Could not ${ctx.action}: ${what}. The lock is in privacy mode.` };
        case 'capability_missing':
          return {
            code,
            ...base,
            message: `Could not ${ctx.action}: ${what}. The lock cannot do this (remote unlock needs Salto's pass-through waiver).`,
          };
        default:
          return {
            code: 'provider_issue',
            ...base,
            message: isNotSubscribedType(f.errorType)
              ? `Could not ${ctx.action}: ${what}. The Salto KS site is at its user limit; delete a code to free a slot, then try again.`
              : `Could not ${ctx.action}: ${what}. Check Seam's status and the request id.`,
          };
      }
    }
  }
}

const rid = (requestId: string | undefined) => (requestId ? { requestId } : {});

/** One of the three names of "user not subscribed" (normally a code's error, kept for a 4xx too). */
const isNotSubscribedType = (t: string | null): boolean => t !== null && NOT_SUBSCRIBED_ERROR_CODES.has(t);
