import { z } from 'zod/v4';
import { jsonRecord } from '../world/schema-issues.js';
import { bool, isoDateTime, limit, list, num, pageCursor, uuid } from './validation.js';

/**
 * Request parameters of each Seam route the simulator serves (Seam API 1.724.0 field names).
 * Unknown parameters are ignored, as a lenient server would; known ones are type-checked, and
 * a bad one is 400 `invalid_input` naming it.
 */

/** Seam's cap on `custom_metadata` keys. */
export const MAX_METADATA_KEYS = 50;

const deviceFilters = {
  connected_account_id: uuid().optional(),
  connected_account_ids: list(uuid()).optional(),
  connect_webview_id: uuid().optional(),
  device_ids: list(uuid()).optional(),
  device_type: z.string().min(1).optional(),
  device_types: list(z.string().min(1)).optional(),
  manufacturer: z.string().min(1).optional(),
  search: z.string().min(1).optional(),
  created_before: isoDateTime().optional(),
  custom_metadata_has: jsonRecord(z.string(), z.union([z.string(), z.boolean()])).optional(),
  customer_key: z.string().optional(),
  user_identifier_key: z.string().optional(),
  space_id: uuid().optional(),
  include_if: list(z.string()).optional(),
  exclude_if: list(z.string()).optional(),
};

export const devicesList = z.object({ ...deviceFilters, limit: limit(), page_cursor: pageCursor() });
export const locksList = z.object(deviceFilters);

const byDeviceIdOrName = z
  .object({ device_id: uuid().optional(), name: z.string().min(1).optional() })
  .refine((p) => (p.device_id === undefined) !== (p.name === undefined), {
    message: 'Give exactly one of device_id or name',
    path: ['device_id'],
  });
export const devicesGet = byDeviceIdOrName;

export const deviceAction = z.object({ device_id: uuid(), sync: bool().optional() });

export const actionAttemptsGet = z.object({ action_attempt_id: uuid() });

const digits = z.string().regex(/^\d+$/, 'must contain digits only');

export const accessCodesCreate = z
  .object({
    device_id: uuid(),
    name: z.string().max(200).nullable().optional(),
    code: digits.min(4).max(10).optional(),
    starts_at: isoDateTime().optional(),
    ends_at: isoDateTime().optional(),
    prefer_native_scheduling: bool().optional(),
    preferred_code_length: num().pipe(z.number().int().min(4).max(10)).optional(),
    use_backup_access_code_pool: bool().optional(),
    allow_external_modification: bool().optional(),
    is_external_modification_allowed: bool().optional(),
    is_one_time_use: bool().optional(),
    is_offline_access_code: bool().optional(),
    use_offline_access_code: bool().optional(),
    max_time_rounding: z.enum(['1hour', '1day', '1h', '1d']).optional(),
    attempt_for_offline_device: bool().optional(),
    common_code_key: z.string().min(1).optional(),
    sync: bool().optional(),
  })
  .check((ctx) => {
    const p = ctx.value;
    if ((p.starts_at === undefined) !== (p.ends_at === undefined)) {
      ctx.issues.push({
        code: 'custom',
        input: p,
        path: [p.starts_at === undefined ? 'starts_at' : 'ends_at'],
        message:
          'starts_at and ends_at go together: give both for a time-bound code, neither for an ongoing one',
      });
    } else if (
      p.starts_at !== undefined &&
      p.ends_at !== undefined &&
      Date.parse(p.ends_at) <= Date.parse(p.starts_at)
    ) {
      ctx.issues.push({ code: 'custom', input: p, path: ['ends_at'], message: 'must be after starts_at' });
    }
    for (const unsupported of [
      'is_offline_access_code',
      'use_offline_access_code',
      'is_one_time_use',
      'use_backup_access_code_pool',
    ] as const) {
      if (p[unsupported] === true) {
        ctx.issues.push({
          code: 'custom',
          input: p,
          path: [unsupported],
          message: 'Salto KS locks do not support this; leave it out or false',
        });
      }
    }
  });

export const accessCodesList = z
  .object({
    device_id: uuid().optional(),
    access_code_ids: list(uuid()).optional(),
    customer_key: z.string().optional(),
    user_identifier_key: z.string().optional(),
    limit: limit(),
    page_cursor: pageCursor(),
  })
  .refine((p) => p.device_id !== undefined || p.access_code_ids !== undefined, {
    message: 'Give device_id or access_code_ids',
    path: ['device_id'],
  });

export const accessCodesGet = z
  .object({ access_code_id: uuid().optional(), device_id: uuid().optional(), code: digits.optional() })
  .refine((p) => p.access_code_id !== undefined || (p.device_id !== undefined && p.code !== undefined), {
    message: 'Give access_code_id, or device_id and code',
    path: ['access_code_id'],
  });

export const accessCodesUpdate = z.object({
  access_code_id: uuid(),
  device_id: uuid().optional(),
  name: z.string().max(200).nullable().optional(),
  code: digits.min(4).max(10).optional(),
  starts_at: isoDateTime().optional(),
  ends_at: isoDateTime().optional(),
  type: z.enum(['ongoing', 'time_bound']).optional(),
  prefer_native_scheduling: bool().optional(),
  preferred_code_length: num().optional(),
  is_managed: bool().optional(),
  sync: bool().optional(),
});

export const accessCodesDelete = z.object({
  access_code_id: uuid(),
  device_id: uuid().optional(),
  sync: bool().optional(),
});

export const connectWebviewsCreate = z.object({
  accepted_providers: list(z.string().min(1)).optional(),
  provider_category: z.string().optional(),
  excluded_providers: list(z.string()).optional(),
  accepted_capabilities: list(z.enum(['lock', 'thermostat', 'noise_sensor', 'access_control'])).optional(),
  custom_redirect_url: z.string().url().optional(),
  custom_redirect_failure_url: z.string().url().optional(),
  customer_key: z.string().optional(),
  // Seam's limits: at most 50 keys of up to 40 characters, values up to 500 characters.
  custom_metadata: jsonRecord(z.string().max(40), z.union([z.string().max(500), z.boolean()]))
    .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, {
      message: `At most ${MAX_METADATA_KEYS} keys`,
    })
    .optional(),
  automatically_manage_new_devices: bool().optional(),
  wait_for_device_creation: bool().optional(),
  device_selection_mode: z.enum(['none', 'single', 'multiple']).optional(),
});

export const connectWebviewsGet = z.object({ connect_webview_id: uuid() });
export const connectWebviewsList = z.object({
  customer_key: z.string().optional(),
  user_identifier_key: z.string().optional(),
  custom_metadata_has: jsonRecord(z.string(), z.union([z.string(), z.boolean()])).optional(),
  limit: limit(),
  page_cursor: pageCursor(),
});

export const connectedAccountsList = z.object({
  customer_key: z.string().optional(),
  user_identifier_key: z.string().optional(),
  search: z.string().min(1).optional(),
  custom_metadata_has: jsonRecord(z.string(), z.union([z.string(), z.boolean()])).optional(),
  limit: limit(),
  page_cursor: pageCursor(),
});

export const connectedAccountsGet = z
  .object({ connected_account_id: uuid().optional(), email: z.string().email().optional() })
  .refine((p) => (p.connected_account_id === undefined) !== (p.email === undefined), {
    message: 'Give exactly one of connected_account_id or email',
    path: ['connected_account_id'],
  });

export const eventsList = z
  .object({
    since: isoDateTime().optional(),
    between: list(isoDateTime()).pipe(z.array(z.string()).length(2)).optional(),
    device_id: uuid().optional(),
    device_ids: list(uuid()).optional(),
    access_code_id: uuid().optional(),
    access_code_ids: list(uuid()).optional(),
    connected_account_id: uuid().optional(),
    connect_webview_id: uuid().optional(),
    event_type: z.string().min(1).optional(),
    event_types: list(z.string().min(1)).optional(),
    event_ids: list(uuid()).optional(),
    limit: num().pipe(z.number().int().min(1).max(10_000)).optional(),
    unstable_offset: num().pipe(z.number().int().min(0)).optional(),
  })
  .refine((p) => p.since !== undefined || p.between !== undefined || p.event_ids !== undefined, {
    message: 'Give since (a date-time) or between ([from, to])',
    path: ['since'],
  });

export const webhooksCreate = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' }),
  event_types: list(z.string().min(1)).optional(),
});
export const webhooksById = z.object({ webhook_id: uuid() });

export const keypadCodeEntry = z.object({ device_id: uuid(), code: digits.min(1).max(12) });

export const empty = z.object({});
export * from './acs-request-schemas.js';
