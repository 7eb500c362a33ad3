/**
 * Seam-shaped replies of the Salto KS ACS path and Access Grants for nock specs: every required
 * field of the newest `@seamapi/types` OpenAPI resource, with UUID ids and ISO dates, as Seam's
 * Salto KS ACS integration answers (shapes as the simulator's server sends them, which are
 * checked against those schemas).
 */
import { MemoryLogger, VirtualClock } from '@keyslot/core';
import nock from 'nock';
import { afterEach, beforeAll, expect } from 'vitest';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import type { SeamAdapterOptions } from './config.js';
import { API_KEY, SEAM, T0 } from './fixtures.test-helpers.js';
import { useSeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';

export const WORKSPACE = '7d3c6a1e-0b5f-4e0a-9a77-3f1f2c9b0e01';
export const ACS_ACCOUNT = '0b8e4f3e-8f0c-4a57-9d0e-6c1d2a7b4c10';
export const SYSTEM = '4f40d0a7-756e-451f-ba4d-88081875dc5f';
export const OTHER_SYSTEM = 'd1192fcb-e2bf-4a1d-be9d-430702fc8deb';
export const DOORS = [
  '13a1114e-93d8-4066-917b-dd8ccb423262',
  '31f49330-4fe0-4e92-aad5-b42ed98fd396',
  '79a9cefe-1e0a-4b49-9a7c-df1eda6fbe5b',
  '8f9fecce-80a8-4e4a-965a-fcca8b83d94c',
] as const;
export const GRANT = '891bb93c-7fdd-4a13-b408-72a5aad1ffb1';
export const IDENTITY = '5c2b1d8e-3f4a-4b6c-8d9e-0a1b2c3d4e5f';
export const ACS_USER = 'a7e3c2d1-6b5a-4f9e-8d7c-1b2a3c4d5e6f';
export const METHOD = 'e71dd071-d3c6-4aee-b03a-daac6908529f';
export const CREATED = '2026-03-01T12:00:00.000Z';

type Over = Record<string, unknown>;

export function acsSystem(id = SYSTEM, name = 'Casa Sol Apartments', over: Over = {}) {
  return {
    acs_system_id: id,
    name,
    external_type: 'salto_ks_site',
    external_type_display_name: 'Salto KS site',
    system_type: 'salto_ks_site',
    system_type_display_name: 'Salto KS site',
    is_credential_manager: false,
    default_credential_manager_acs_system_id: null,
    acs_user_count: 0,
    acs_access_group_count: 1,
    location: { time_zone: 'Europe/Madrid' },
    connected_account_id: ACS_ACCOUNT,
    connected_account_ids: [ACS_ACCOUNT],
    image_url: 'https://connect.getseam.com/assets/images/acs_systems/salto_ks_site.png',
    image_alt_text: 'Salto KS logo',
    created_at: CREATED,
    workspace_id: WORKSPACE,
    errors: [],
    warnings: [],
    ...over,
  };
}

export function acsEntrance(id: string, name: string, over: Over = {}, meta: Over = {}) {
  return {
    acs_entrance_id: id,
    acs_system_id: SYSTEM,
    connected_account_id: ACS_ACCOUNT,
    display_name: name,
    created_at: CREATED,
    space_ids: [],
    is_locked: true,
    can_unlock_with_code: true,
    can_unlock_with_mobile_key: true,
    can_unlock_with_card: false,
    can_unlock_with_cloud_key: false,
    salto_ks_metadata: {
      door_name: name,
      locked_state: 'locked',
      lock_type: 'wall_reader_pin',
      online: true,
      battery_level: 'fresh',
      left_open_alarm: false,
      intrusion_alarm: false,
      privacy_mode: false,
      ...meta,
    },
    errors: [],
    warnings: [],
    ...over,
  };
}

export const NOT_SUBSCRIBED_WARNING = {
  warning_code: 'salto_ks_user_not_subscribed',
  message: 'The Salto KS user is not subscribed: its access schedule has not started.',
  created_at: CREATED,
};
export const LIMIT_EXCEEDED_ERROR = {
  error_code: 'salto_ks_subscription_limit_exceeded',
  message: 'The Salto KS site is at its subscription limit.',
  created_at: CREATED,
};

export function acsUser(over: Over = {}, subscribed = true) {
  return {
    acs_user_id: ACS_USER,
    acs_system_id: SYSTEM,
    connected_account_id: ACS_ACCOUNT,
    workspace_id: WORKSPACE,
    created_at: CREATED,
    display_name: 'Jane Guest',
    full_name: 'Jane Guest',
    external_type: 'salto_site_user',
    external_type_display_name: 'Salto site user',
    is_suspended: false,
    access_schedule: { starts_at: CREATED, ends_at: null },
    user_identity_id: IDENTITY,
    user_identity_full_name: 'Jane Guest',
    user_identity_email_address: null,
    user_identity_phone_number: null,
    salto_ks_metadata: { is_subscribed: subscribed },
    errors: [],
    warnings: [],
    pending_mutations: [],
    last_successful_sync_at: CREATED,
    is_managed: true,
    ...over,
  };
}

export function accessGrant(over: Over = {}) {
  return {
    access_grant_id: GRANT,
    access_grant_key: 'keyslot:booking-1',
    user_identity_id: IDENTITY,
    workspace_id: WORKSPACE,
    name: null,
    display_name: 'Access Grant for 2 Salto KS entrance(s)',
    location_ids: [],
    space_ids: [],
    requested_access_methods: [
      {
        display_name: 'PIN Code Credential',
        mode: 'code',
        created_at: CREATED,
        created_access_method_ids: [METHOD],
      },
    ],
    access_method_ids: [METHOD],
    created_at: CREATED,
    starts_at: '2026-03-02T15:00:00.000Z',
    ends_at: '2026-03-05T10:00:00.000Z',
    warnings: [],
    errors: [],
    pending_mutations: [],
    ...over,
  };
}

export function accessMethod(over: Over = {}) {
  return {
    access_method_id: METHOD,
    workspace_id: WORKSPACE,
    display_name: 'PIN Code Credential',
    mode: 'code',
    code: null,
    is_issued: false,
    issued_at: null,
    is_encoding_required: false,
    created_at: CREATED,
    warnings: [],
    errors: [],
    pending_mutations: [],
    ...over,
  };
}

/** A connected account whose notice reports this site's counts (Seam does so above 80 %). */
export function acsAccount(notices: { errors?: unknown[]; warnings?: unknown[] } = {}) {
  return {
    connected_account_id: ACS_ACCOUNT,
    account_type: 'salto_ks',
    account_type_display_name: 'Salto KS',
    display_name: 'admin@example.com',
    created_at: CREATED,
    errors: notices.errors ?? [],
    warnings: notices.warnings ?? [],
    custom_metadata: {},
    automatically_manage_new_devices: true,
    accepted_capabilities: ['lock'],
  };
}

export function siteCountsNotice(
  code: 'error' | 'warning',
  used: number,
  limit: number,
  name = 'Casa Sol Apartments',
) {
  const sites = [
    {
      site_id: '2a9c1f0e-7b6d-4c5e-9f8a-1b2c3d4e5f60',
      site_name: name,
      subscribed_site_user_count: used,
      site_user_subscription_limit: limit,
    },
  ];
  return code === 'error'
    ? {
        error_code: 'salto_ks_subscription_limit_exceeded',
        message: 'A Salto KS site is at its user limit.',
        created_at: CREATED,
        is_connected_account_error: true,
        salto_ks_metadata: { sites },
      }
    : {
        warning_code: 'salto_ks_subscription_limit_almost_reached',
        message: 'A Salto KS site is above 80 % of its user limit.',
        created_at: CREATED,
        salto_ks_metadata: { sites },
      };
}

export const acsPage = (next: string | null = null) => ({
  next_page_cursor: next,
  has_next_page: next !== null,
  next_page_url: null,
});

export function makeAcsGateway(options: Partial<SeamAdapterOptions> = {}) {
  const clock = new VirtualClock(T0, { autoAdvance: true });
  const logger = new MemoryLogger('debug');
  const gateway = new SeamAccessGrantGateway(
    { apiKey: API_KEY, retryBaseDelayMs: 100, recoveryDelayMs: 500, ...options },
    { clock, logger },
  );
  return { gateway, clock, logger };
}

/**
 * For a spec file: nock strictly (no net connect; after each test every interceptor was used and
 * none is left), and every request the gateway sends and 2xx reply it reads checked against Seam's
 * newest OpenAPI (`useSeamSchemaCheck`). `seam()` starts a Seam scope requiring the bearer key;
 * `gateway()` makes a gateway whose fetch is the schema check's.
 */
export function useAcsNock() {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const done = nock.isDone();
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(done).toBe(true);
  });
  const schemas = useSeamSchemaCheck();
  return {
    schemas,
    seam: () => nock(SEAM, { reqheaders: { authorization: `Bearer ${API_KEY}` } }),
    gateway: (options: Partial<SeamAdapterOptions> = {}) =>
      makeAcsGateway({ fetch: schemas.fetch, ...options }),
  };
}
