/**
 * The one place where the world's ACS records become Seam JSON (`acs_system`, `acs_entrance`,
 * `acs_access_group`, `acs_user`, `acs_credential`, `user_identity`, `access_grant`,
 * `access_method`), as Seam's Salto KS ACS integration answers (`@seamapi/types` field names).
 */
import type {
  AccessGrantRecord,
  AccessGroupRecord,
  AccessMethodRecord,
  AcsCredentialRecord,
  AcsEntranceView,
  AcsSystemView,
  AcsUserRecord,
  SimIssue,
  UserIdentityRecord,
} from '../world/types.js';
import { iso, type Json, SIM_WORKSPACE_ID } from './seam-views.js';

const errorJson = (i: SimIssue): Json => ({
  error_code: i.code,
  message: i.message,
  created_at: iso(i.createdAt),
});
const warningJson = (i: SimIssue): Json => ({
  warning_code: i.code,
  message: i.message,
  created_at: iso(i.createdAt),
});

/** Salto's own battery word, as on the lock's `salto_ks_metadata`. */
const batteryWord = (level: number): string => (level >= 0.5 ? 'fresh' : level >= 0.2 ? 'low' : 'very_low');

export function acsSystemJson(x: AcsSystemView): Json {
  return {
    acs_system_id: x.acsSystemId,
    name: x.name,
    external_type: 'salto_ks_site',
    external_type_display_name: 'Salto KS site',
    system_type: 'salto_ks_site',
    system_type_display_name: 'Salto KS site',
    is_credential_manager: false,
    default_credential_manager_acs_system_id: null,
    acs_user_count: x.acsUserCount,
    acs_access_group_count: x.accessGroupCount,
    location: { time_zone: x.timeZone },
    connected_account_id: x.connectedAccountId,
    connected_account_ids: [x.connectedAccountId],
    image_url: 'https://connect.getseam.com/assets/images/acs_systems/salto_ks_site.png',
    image_alt_text: 'Salto KS logo',
    created_at: iso(x.createdAt),
    workspace_id: SIM_WORKSPACE_ID,
    errors: x.errors.map(errorJson),
    warnings: x.warnings.map(warningJson),
  };
}

export function acsEntranceJson(e: AcsEntranceView): Json {
  return {
    acs_entrance_id: e.acsEntranceId,
    acs_system_id: e.acsSystemId,
    connected_account_id: e.connectedAccountId,
    display_name: e.name,
    created_at: iso(e.createdAt),
    space_ids: [],
    is_locked: e.locked,
    can_unlock_with_code: e.canUnlockWithCode,
    can_unlock_with_mobile_key: e.canUnlockWithMobileKey,
    can_unlock_with_card: false,
    can_unlock_with_cloud_key: false,
    salto_ks_metadata: {
      door_name: e.name,
      locked_state: e.locked ? 'locked' : 'unlocked',
      lock_type: e.lockType,
      online: e.online,
      battery_level: batteryWord(e.batteryLevel),
      left_open_alarm: false,
      intrusion_alarm: false,
      privacy_mode: e.privacyMode,
    },
    errors: [],
    warnings: e.warnings.map(warningJson),
  };
}

export function accessGroupJson(g: AccessGroupRecord): Json {
  return {
    acs_access_group_id: g.accessGroupId,
    acs_system_id: g.acsSystemId,
    connected_account_id: g.connectedAccountId,
    workspace_id: SIM_WORKSPACE_ID,
    name: g.name,
    display_name: g.name,
    access_group_type: 'salto_ks_access_group',
    access_group_type_display_name: 'Salto KS Access Group',
    external_type: 'salto_ks_access_group',
    external_type_display_name: 'Salto KS Access Group',
    created_at: iso(g.createdAt),
    errors: [],
    warnings: [],
    pending_mutations: [],
    is_managed: true,
  };
}

export function acsUserJson(u: AcsUserRecord, identity?: UserIdentityRecord): Json {
  return {
    acs_user_id: u.acsUserId,
    acs_system_id: u.acsSystemId,
    connected_account_id: u.connectedAccountId,
    workspace_id: SIM_WORKSPACE_ID,
    created_at: iso(u.createdAt),
    display_name: u.fullName,
    full_name: u.fullName,
    ...(u.emailAddress !== null ? { email_address: u.emailAddress, email: u.emailAddress } : {}),
    ...(u.phoneNumber !== null ? { phone_number: u.phoneNumber } : {}),
    external_type: 'salto_site_user',
    external_type_display_name: 'Salto site user',
    is_suspended: u.isSuspended,
    access_schedule: u.accessSchedule
      ? {
          starts_at: iso(u.accessSchedule.startsAt),
          ends_at: u.accessSchedule.endsAt === null ? null : iso(u.accessSchedule.endsAt),
        }
      : { starts_at: iso(u.createdAt), ends_at: null },
    ...(u.userIdentityId !== null
      ? {
          user_identity_id: u.userIdentityId,
          user_identity_full_name: identity?.fullName ?? null,
          user_identity_email_address: identity?.emailAddress ?? null,
          user_identity_phone_number: identity?.phoneNumber ?? null,
        }
      : {}),
    salto_ks_metadata: { is_subscribed: u.isSubscribed },
    errors: u.errors.map(errorJson),
    warnings: u.warnings.map(warningJson),
    pending_mutations: [],
    last_successful_sync_at: iso(u.createdAt),
    is_managed: true,
  };
}

export function acsCredentialJson(c: AcsCredentialRecord, userIdentityId: string | null): Json {
  return {
    acs_credential_id: c.acsCredentialId,
    acs_user_id: c.acsUserId,
    ...(userIdentityId !== null ? { user_identity_id: userIdentityId } : {}),
    acs_system_id: c.acsSystemId,
    connected_account_id: c.connectedAccountId,
    workspace_id: SIM_WORKSPACE_ID,
    display_name: c.accessMethod === 'code' ? 'PIN Code Credential' : 'Multi Phone Sync Credential',
    access_method: c.accessMethod,
    code: c.code,
    is_issued: c.isIssued,
    issued_at: c.issuedAt === null ? null : iso(c.issuedAt),
    is_multi_phone_sync_credential: c.isMultiPhoneSyncCredential,
    external_type: 'salto_ks_credential',
    external_type_display_name: 'Salto KS Credential',
    ...(c.startsAt !== null ? { starts_at: iso(c.startsAt) } : {}),
    ...(c.endsAt !== null ? { ends_at: iso(c.endsAt) } : {}),
    created_at: iso(c.createdAt),
    is_latest_desired_state_synced_with_provider: c.isIssued,
    latest_desired_state_synced_with_provider_at: c.issuedAt === null ? null : iso(c.issuedAt),
    errors: [],
    warnings: c.isIssued
      ? []
      : [
          {
            warning_code: 'waiting_to_be_issued',
            message: 'Salto KS has not issued this credential yet.',
            created_at: iso(c.createdAt),
          },
        ],
    is_managed: true,
  };
}

export function userIdentityJson(i: UserIdentityRecord): Json {
  return {
    user_identity_id: i.userIdentityId,
    user_identity_key: i.userIdentityKey,
    email_address: i.emailAddress,
    phone_number: i.phoneNumber,
    full_name: i.fullName,
    display_name: i.fullName ?? i.emailAddress ?? i.phoneNumber ?? i.userIdentityKey ?? 'User identity',
    created_at: iso(i.createdAt),
    workspace_id: SIM_WORKSPACE_ID,
    acs_user_ids: [...i.acsUserIds],
    errors: [],
    warnings: [],
  };
}

const MODE_NAME = { code: 'PIN Code Credential', mobile_key: 'Mobile Key Credential' } as const;

export function accessGrantJson(g: AccessGrantRecord): Json {
  return {
    access_grant_id: g.accessGrantId,
    ...(g.accessGrantKey !== null ? { access_grant_key: g.accessGrantKey } : {}),
    user_identity_id: g.userIdentityId,
    workspace_id: SIM_WORKSPACE_ID,
    name: g.name,
    display_name: g.name ?? `Access Grant for ${g.acsEntranceIds.length} Salto KS entrance(s)`,
    location_ids: [],
    space_ids: [],
    requested_access_methods: g.requestedAccessMethods.map((r) => ({
      display_name: MODE_NAME[r.mode],
      mode: r.mode,
      created_at: iso(r.createdAt),
      created_access_method_ids: [...r.accessMethodIds],
    })),
    access_method_ids: [...g.accessMethodIds],
    created_at: iso(g.createdAt),
    starts_at: iso(g.startsAt),
    ends_at: g.endsAt === null ? null : iso(g.endsAt),
    warnings: [],
    errors: [],
    pending_mutations: [],
  };
}

export function accessMethodJson(m: AccessMethodRecord): Json {
  return {
    access_method_id: m.accessMethodId,
    workspace_id: SIM_WORKSPACE_ID,
    display_name: MODE_NAME[m.mode],
    mode: m.mode,
    code: m.code,
    is_issued: m.isIssued,
    issued_at: m.issuedAt === null ? null : iso(m.issuedAt),
    is_encoding_required: false,
    created_at: iso(m.createdAt),
    warnings: [],
    errors: [],
    pending_mutations: [],
  };
}
