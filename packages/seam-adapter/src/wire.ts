/**
 * Seam's wire shapes, validated at the boundary with zod. Tolerant of extra fields (objects strip
 * what they do not name) and of fields Seam marks optional or has dropped over time (see the
 * reference's §7); strict on what the mapping relies on (ids, statuses, dates it reads).
 */
import { z } from 'zod';

/**
 * Seam's ids (devices, access codes, action attempts, connected accounts, Connect Webviews) are
 * UUIDs: every route's request schema says `format: uuid`, and Seam answers 400 to anything else.
 */
const SEAM_ID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
export const isSeamId = (x: unknown): x is string => typeof x === 'string' && SEAM_ID.test(x);

const isoInstant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date-time');

export const seamErrorEnvelope = z.object({
  error: z.object({
    type: z.string(),
    message: z.string().optional(),
    data: z.unknown().optional(),
  }),
});

export const pagination = z.object({
  next_page_cursor: z.string().nullable().optional(),
  has_next_page: z.boolean(),
});

const notice = z.object({
  message: z.string().optional(),
  created_at: z.string().optional(),
});

/**
 * One `salto_ks_metadata.sites[]` entry of the subscription-limit notices. Every field is optional
 * since `@seamapi/types` 1.9xx; an entry without a usable `site_id` is skipped, a missing or
 * malformed count is treated as not reported (never as a failed read).
 */
export const saltoKsSiteCounts = z.object({
  site_id: z.string().min(1),
  site_name: z.string().optional().catch(undefined),
  subscribed_site_user_count: z.number().int().nonnegative().optional().catch(undefined),
  site_user_subscription_limit: z.number().int().nonnegative().optional().catch(undefined),
});
export type SaltoKsSiteCounts = z.infer<typeof saltoKsSiteCounts>;

/** Entries are validated one by one (`saltoKsSiteCounts`), so one odd entry never fails the account. */
const saltoNoticeMetadata = z
  .object({ sites: z.array(z.unknown()).optional().catch(undefined) })
  .optional()
  .catch(undefined);

export const deviceError = notice.extend({
  error_code: z.string(),
  is_device_error: z.boolean().optional(),
  is_connected_account_error: z.boolean().optional(),
});
export const deviceWarning = notice.extend({ warning_code: z.string() });

export const saltoKsMetadata = z.object({
  lock_id: z.string().optional(),
  customer_reference: z.string().optional(),
  site_id: z.string().min(1).optional(),
  site_name: z.string().optional(),
  has_custom_pin_subscription: z.boolean().optional(),
});

export const device = z.object({
  device_id: z.string().min(1),
  device_type: z.string(),
  display_name: z.string().optional(),
  nickname: z.string().nullable().optional(),
  connected_account_id: z.string().min(1),
  location: z
    .object({ timezone: z.string().nullable().optional(), time_zone: z.string().nullable().optional() })
    .nullable()
    .optional(),
  properties: z.object({
    online: z.boolean().optional(),
    name: z.string().optional(),
    appearance: z.object({ name: z.string().optional() }).optional(),
    salto_ks_metadata: saltoKsMetadata.optional(),
    salto_metadata: saltoKsMetadata.optional(),
  }),
  device_manufacturer: z.object({ manufacturer: z.string().optional() }).optional(),
  capabilities_supported: z.array(z.string()).optional(),
  can_remotely_unlock: z.boolean().optional(),
  can_program_online_access_codes: z.boolean().optional(),
  errors: z.array(deviceError).default([]),
  warnings: z.array(deviceWarning).default([]),
});
export type WireDevice = z.infer<typeof device>;

export const connectedAccount = z.object({
  connected_account_id: z.string().min(1),
  account_type: z.string().optional(),
  display_name: z.string().optional(),
  account_type_display_name: z.string().optional(),
  errors: z
    .array(notice.extend({ error_code: z.string(), salto_ks_metadata: saltoNoticeMetadata }))
    .default([]),
  warnings: z
    .array(notice.extend({ warning_code: z.string(), salto_ks_metadata: saltoNoticeMetadata }))
    .default([]),
});
export type WireConnectedAccount = z.infer<typeof connectedAccount>;

export const accessCodeError = notice.extend({ error_code: z.string() });

export const accessCode = z
  .object({
    access_code_id: z.string().min(1),
    device_id: z.string().min(1),
    name: z.string().nullable().optional(),
    // Salto assigns the PIN later: null until then.
    code: z.string().nullable().default(null),
    type: z.enum(['ongoing', 'time_bound']).optional(),
    starts_at: isoInstant.nullable().optional(),
    ends_at: isoInstant.nullable().optional(),
    status: z.string(),
    is_waiting_for_code_assignment: z.boolean().optional(),
    errors: z.array(accessCodeError).default([]),
    warnings: z.array(notice.extend({ warning_code: z.string() })).default([]),
  })
  .refine((c) => c.type !== 'time_bound' || (c.starts_at != null && c.ends_at != null), {
    message: 'a time_bound access code must carry starts_at and ends_at',
    path: ['starts_at'],
  });
export type WireAccessCode = z.infer<typeof accessCode>;

export const actionAttempt = z.object({
  action_attempt_id: z.string().min(1),
  action_type: z.string(),
  status: z.enum(['pending', 'success', 'error']),
  device_id: z.string().optional(),
  error: z.object({ type: z.string(), message: z.string().optional() }).nullable().optional(),
});
export type WireActionAttempt = z.infer<typeof actionAttempt>;

export const connectWebview = z.object({
  connect_webview_id: z.string().min(1),
  url: z.string().min(1),
  status: z.string(),
  login_successful: z.boolean().optional(),
  connected_account_id: z.string().nullable().optional(),
  authorized_at: z.string().nullable().optional(),
  selected_provider: z.string().nullable().optional(),
  customer_key: z.string().nullable().optional(),
  custom_redirect_url: z.string().nullable().optional(),
  custom_redirect_failure_url: z.string().nullable().optional(),
});
export type WireConnectWebview = z.infer<typeof connectWebview>;

/** Response envelopes, one per route family. Items are validated one by one after the envelope. */
export const responses = {
  devicesList: z.object({ devices: z.array(z.unknown()), pagination: pagination.optional() }),
  deviceGet: z.object({ device }),
  connectedAccountsList: z.object({
    connected_accounts: z.array(connectedAccount),
    pagination: pagination.optional(),
  }),
  connectedAccountGet: z.object({ connected_account: connectedAccount }),
  accessCodesList: z.object({ access_codes: z.array(accessCode), pagination: pagination.optional() }),
  accessCodeGet: z.object({ access_code: accessCode }),
  accessCodeCreate: z.object({ access_code: accessCode }),
  actionAttempt: z.object({ action_attempt: actionAttempt }),
  anything: z.object({}),
  connectWebview: z.object({ connect_webview: connectWebview }),
} as const;

/** Seam event, as delivered by webhooks and `/events/list`. */
export const event = z.object({
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  occurred_at: isoInstant.optional(),
  created_at: isoInstant.optional(),
  device_id: z.string().optional(),
  access_code_id: z.string().optional(),
  connected_account_id: z.string().optional(),
  connect_webview_id: z.string().optional(),
  action_attempt_id: z.string().optional(),
  customer_key: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  method: z.string().optional(),
  error_code: z.string().optional(),
  status: z.string().optional(),
  error: z.object({ type: z.string().optional(), message: z.string().optional() }).nullable().optional(),
});
export type WireEvent = z.infer<typeof event>;
