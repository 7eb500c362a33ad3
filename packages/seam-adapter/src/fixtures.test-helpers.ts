/** Seam-shaped replies for nock specs (shapes from the reference's §3–§4 samples). */
import { MemoryLogger, VirtualClock } from '@keyslot/core';
import type { SeamAdapterOptions } from './config.js';
import { SeamLockGateway } from './gateway.js';

export const SEAM = 'https://connect.getseam.com';
export const API_KEY = 'seam_testkey_9f8e7d6c5b4a';
export const ACCOUNT = 'ca-0001';
export const T0 = Date.UTC(2026, 2, 1, 12);

export function saltoDevice(
  id: string,
  over: Record<string, unknown> = {},
  props: Record<string, unknown> = {},
) {
  return {
    device_id: id,
    device_type: 'salto_lock',
    display_name: `Door ${id}`,
    space_ids: [],
    capabilities_supported: ['access_code', 'lock'],
    can_remotely_unlock: true,
    can_program_online_access_codes: true,
    connected_account_id: ACCOUNT,
    workspace_id: 'ws-1',
    location: null,
    created_at: '2026-01-01T00:00:00.000Z',
    is_managed: true,
    custom_metadata: {},
    errors: [],
    warnings: [],
    device_manufacturer: { manufacturer: 'salto', display_name: 'Salto' },
    properties: {
      online: true,
      locked: true,
      name: `Door ${id}`,
      appearance: { name: `Door ${id}` },
      model: { display_name: 'wall reader', manufacturer_display_name: 'Salto' },
      battery_level: 1,
      supported_code_lengths: [6],
      salto_ks_metadata: {
        lock_id: `lock_${id}`,
        customer_reference: `Door ${id}`,
        lock_type: 'wall_reader_pin',
        battery_level: 'fresh',
        locked_state: 'locked',
        site_id: 'site-1',
        site_name: 'Main office',
        has_custom_pin_subscription: false,
        ...props,
      },
    },
    ...over,
  };
}

export function account(over: Record<string, unknown> = {}) {
  return {
    connected_account_id: ACCOUNT,
    account_type: 'salto_ks',
    account_type_display_name: 'Salto KS',
    display_name: 'admin@example.com',
    created_at: '2026-01-01T00:00:00.000Z',
    errors: [],
    warnings: [],
    custom_metadata: {},
    automatically_manage_new_devices: true,
    ...over,
  };
}

export function accessCode(id: string, over: Record<string, unknown> = {}) {
  return {
    access_code_id: id,
    device_id: 'dev-1',
    workspace_id: 'ws-1',
    name: `keyslot:grant-${id}`,
    code: null,
    common_code_key: null,
    type: 'ongoing',
    status: 'setting',
    created_at: '2026-03-01T12:00:00.000Z',
    errors: [],
    warnings: [],
    is_managed: true,
    is_waiting_for_code_assignment: true,
    is_backup_access_code_available: false,
    is_external_modification_allowed: false,
    is_one_time_use: false,
    is_offline_access_code: false,
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
    { apiKey: API_KEY, retryBaseDelayMs: 100, recoveryDelayMs: 500, ...options },
    { clock, logger },
  );
  return { gateway, clock, logger };
}
