/**
 * Seam-shaped replies for nock specs, as today's Seam sends them: every object carries what Seam's
 * newest OpenAPI requires (shapes as the simulator server sends them), and ids are UUIDs made from
 * readable labels (`uuid('dev-1')`). Gateways from `makeGateway` send through `nockSchemas`, which
 * checks every request and reply against that OpenAPI; a spec using it calls
 * `afterEach(() => nockSchemas.assertClean())`.
 */
import { createHash } from 'node:crypto';
import { MemoryLogger, VirtualClock } from '@keyslot/core';
import type { SeamAdapterOptions } from './config.js';
import { SeamLockGateway } from './gateway.js';
import { SeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';
import { isSeamId } from './wire.js';

export const SEAM = 'https://connect.getseam.com';
export const API_KEY = 'seam_testkey_9f8e7d6c5b4a';
export const T0 = Date.UTC(2026, 2, 1, 12);

/**
 * A stable UUID (v4-shaped) for a readable test label: `uuid('dev-1')` is the same in every run.
 * A label that already is a UUID is kept as it is.
 */
export function uuid(label: string): string {
  if (isSeamId(label)) return label;
  const h = createHash('sha256').update(label).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const ACCOUNT = uuid('connected-account');
export const WORKSPACE = uuid('workspace');
const CREATED = '2026-01-01T00:00:00.000Z';

/** The check every `makeGateway` gateway sends through. */
export const nockSchemas = new SeamSchemaCheck();

export function saltoDevice(
  label: string,
  over: Record<string, unknown> = {},
  props: Record<string, unknown> = {},
) {
  const name = `Door ${label}`;
  return {
    device_id: uuid(label),
    device_type: 'salto_lock',
    display_name: name,
    space_ids: [] as string[],
    capabilities_supported: ['access_code', 'lock'],
    can_remotely_unlock: true as boolean | undefined,
    can_program_online_access_codes: true,
    connected_account_id: ACCOUNT,
    workspace_id: WORKSPACE,
    location: undefined as unknown, // optional, never null, in today's Seam
    created_at: CREATED,
    is_managed: true,
    custom_metadata: {},
    errors: [] as unknown[],
    warnings: [] as unknown[],
    device_manufacturer: { manufacturer: 'salto', display_name: 'Salto' },
    properties: {
      online: true,
      locked: true,
      name,
      appearance: { name },
      model: {
        display_name: 'Wall Reader PIN',
        manufacturer_display_name: 'Salto',
        has_built_in_keypad: true,
        can_connect_accessory_keypad: false,
        online_access_codes_supported: true,
        offline_access_codes_supported: false,
      },
      manufacturer: 'salto',
      battery_level: 1,
      supported_code_lengths: [6],
      salto_ks_metadata: {
        lock_id: `lock_${label}`,
        customer_reference: name,
        lock_type: 'wall_reader_pin',
        battery_level: 'fresh',
        locked_state: 'locked',
        model: 'wall_reader_pin',
        site_id: 'site-1',
        site_name: 'Main office',
        has_custom_pin_subscription: false,
        ...props,
      },
    },
    ...over,
  };
}

/** A device notice as Seam sends it (`message` and `created_at` are required). */
export const deviceError = (error_code: string, message: string) => ({
  error_code,
  message,
  is_device_error: true,
  created_at: CREATED,
});
export const deviceWarning = (warning_code: string, message: string) => ({
  warning_code,
  message,
  created_at: CREATED,
});

export function account(over: Record<string, unknown> = {}) {
  return {
    connected_account_id: ACCOUNT,
    created_at: CREATED,
    account_type: 'salto_ks',
    account_type_display_name: 'Salto KS',
    display_name: 'admin@example.com',
    user_identifier: { username: 'admin@example.com', exclusive: true },
    errors: [] as unknown[],
    warnings: [] as unknown[],
    custom_metadata: {},
    automatically_manage_new_devices: true,
    accepted_capabilities: ['lock'],
    ...over,
  };
}

/** The account notices that carry Seam's per-site counts (above 80 %: almost; at the limit: exceeded). */
export function slotNotice(kind: 'almost' | 'exceeded', sites: unknown, message: string = kind) {
  return kind === 'almost'
    ? {
        warning_code: 'salto_ks_subscription_limit_almost_reached',
        message,
        created_at: CREATED,
        salto_ks_metadata: { sites },
      }
    : {
        error_code: 'salto_ks_subscription_limit_exceeded',
        message,
        created_at: CREATED,
        is_connected_account_error: true,
        salto_ks_metadata: { sites },
      };
}

/** An access-code error (`is_access_code_error`), e.g. the slot-limit refusal on one code. */
export const codeError = (error_code: string, message: string) => ({
  error_code,
  message,
  is_access_code_error: true,
});

export function accessCode(label: string, over: Record<string, unknown> = {}) {
  return {
    access_code_id: uuid(label),
    device_id: uuid('dev-1'),
    workspace_id: WORKSPACE,
    name: `keyslot:grant-${label}`,
    code: null as string | null,
    common_code_key: null,
    type: 'ongoing',
    status: 'setting',
    created_at: '2026-03-01T12:00:00.000Z',
    errors: [] as unknown[],
    warnings: [] as unknown[],
    is_managed: true,
    is_scheduled_on_device: false,
    is_waiting_for_code_assignment: true,
    is_backup_access_code_available: false,
    is_external_modification_allowed: false,
    is_one_time_use: false,
    is_offline_access_code: false,
    pending_mutations: [] as unknown[],
    ...over,
  };
}

type AttemptStatus = 'pending' | 'success' | 'error';
/** An action attempt as Seam sends it: `result` set on success, `error` on error, both null while pending. */
export function actionAttempt(
  label: string,
  action_type: 'UNLOCK_DOOR' | 'CREATE_ACCESS_CODE' | 'DELETE_ACCESS_CODE',
  status: AttemptStatus,
  extra: { result?: unknown; error?: { type: string; message: string } } = {},
) {
  return {
    action_attempt_id: uuid(label),
    action_type,
    status,
    result: status === 'success' ? (extra.result ?? {}) : null,
    error: status === 'error' ? (extra.error ?? { type: 'unknown', message: 'failed' }) : null,
  };
}

/** The reply of `/access_codes/create`: the code and its (already successful) action attempt. */
export const created = (code: ReturnType<typeof accessCode>) => ({
  access_code: code,
  action_attempt: actionAttempt(`create-${code.access_code_id}`, 'CREATE_ACCESS_CODE', 'success', {
    result: { access_code: code },
  }),
  ok: true,
});

export function connectWebview(label: string, over: Record<string, unknown> = {}) {
  return {
    connect_webview_id: uuid(label),
    created_at: '2026-03-01T12:00:00.000Z',
    url: `${SEAM}/connect_webviews/view?connect_webview_id=${uuid(label)}&auth_token=t`,
    status: 'pending',
    login_successful: false,
    connected_account_id: null as string | null,
    authorized_at: null as string | null,
    selected_provider: null,
    accepted_providers: ['salto_ks'],
    accepted_capabilities: ['lock'],
    custom_redirect_url: null as string | null,
    custom_redirect_failure_url: null as string | null,
    custom_metadata: {},
    automatically_manage_new_devices: true,
    wait_for_device_creation: false,
    device_selection_mode: 'none',
    customer_key: null as string | null,
    workspace_id: WORKSPACE,
    accepted_devices: [],
    any_device_allowed: false,
    any_provider_allowed: false,
    ...over,
  };
}

export const page = (next: string | null) => ({
  next_page_cursor: next,
  has_next_page: next !== null,
  next_page_url: null,
});

export const reqId = (id: string) => ({ 'seam-request-id': id });

export function makeGateway(options: Partial<SeamAdapterOptions> = {}) {
  const clock = new VirtualClock(T0, { autoAdvance: true });
  const logger = new MemoryLogger('debug');
  const gateway = new SeamLockGateway(
    { apiKey: API_KEY, retryBaseDelayMs: 100, recoveryDelayMs: 500, fetch: nockSchemas.fetch, ...options },
    { clock, logger },
  );
  return { gateway, clock, logger };
}
