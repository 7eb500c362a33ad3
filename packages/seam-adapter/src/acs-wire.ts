/**
 * Seam's wire shapes for the Salto KS access control system (ACS) path and Access Grants,
 * validated with zod at the boundary: `acs_system`, `acs_entrance`, `acs_user`, `user_identity`,
 * `access_grant`, `access_method` (field names and types as in the newest `@seamapi/types`
 * OpenAPI document). Like `wire.ts`: extra fields are ignored, fields Seam marks optional are
 * tolerated, and what the mapping relies on (ids, dates it reads, flags) is checked.
 */
import { z } from 'zod';
import { pagination } from './wire.js';

const isoInstant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date-time');
const errorNotice = z.object({ error_code: z.string(), message: z.string().optional() });
const warningNotice = z.object({ warning_code: z.string(), message: z.string().optional() });
const notices = { errors: z.array(errorNotice).default([]), warnings: z.array(warningNotice).default([]) };

/** Seam's `external_type` of a Salto KS site seen as an access control system. */
export const SALTO_KS_SITE = 'salto_ks_site';

export const acsSystem = z.object({
  acs_system_id: z.string().min(1),
  name: z.string(),
  external_type: z.string().optional(),
  /** Deprecated alias of `external_type`, still sent. */
  system_type: z.string().optional(),
  connected_account_id: z.string().min(1),
  location: z.object({ time_zone: z.string().nullable().optional() }).nullable().optional().catch(undefined),
  acs_user_count: z.number().optional(),
  ...notices,
});
export type WireAcsSystem = z.infer<typeof acsSystem>;

export const acsEntrance = z.object({
  acs_entrance_id: z.string().min(1),
  acs_system_id: z.string().min(1),
  display_name: z.string(),
  connected_account_id: z.string().optional(),
  can_unlock_with_code: z.boolean().optional(),
  can_unlock_with_mobile_key: z.boolean().optional(),
  can_unlock_with_card: z.boolean().optional(),
  can_unlock_with_cloud_key: z.boolean().optional(),
  is_locked: z.boolean().optional(),
  salto_ks_metadata: z
    .object({
      door_name: z.string().optional(),
      lock_type: z.string().optional(),
      online: z.boolean().optional(),
      privacy_mode: z.boolean().optional(),
    })
    .optional()
    .catch(undefined),
  ...notices,
});
export type WireAcsEntrance = z.infer<typeof acsEntrance>;

export const acsUser = z.object({
  acs_user_id: z.string().min(1),
  acs_system_id: z.string().min(1),
  user_identity_id: z.string().nullable().optional(),
  full_name: z.string().nullable().optional(),
  display_name: z.string().optional(),
  is_suspended: z.boolean().optional(),
  access_schedule: z.object({ starts_at: isoInstant, ends_at: isoInstant.nullable() }).nullable().optional(),
  salto_ks_metadata: z.object({ is_subscribed: z.boolean().optional() }).optional().catch(undefined),
  ...notices,
});
export type WireAcsUser = z.infer<typeof acsUser>;

export const userIdentity = z.object({
  user_identity_id: z.string().min(1),
  user_identity_key: z.string().nullable().optional(),
  full_name: z.string().nullable().optional(),
  acs_user_ids: z.array(z.string()).optional(),
});
export type WireUserIdentity = z.infer<typeof userIdentity>;

export const accessGrant = z.object({
  access_grant_id: z.string().min(1),
  access_grant_key: z.string().optional(),
  user_identity_id: z.string().min(1),
  name: z.string().nullable().optional(),
  access_method_ids: z.array(z.string().min(1)),
  requested_access_methods: z
    .array(z.object({ mode: z.string(), created_access_method_ids: z.array(z.string()).optional() }))
    .default([]),
  starts_at: isoInstant,
  ends_at: isoInstant.nullable(),
  created_at: isoInstant.optional(),
  ...notices,
});
export type WireAccessGrant = z.infer<typeof accessGrant>;

export const accessMethod = z.object({
  access_method_id: z.string().min(1),
  mode: z.string(),
  /** The PIN of a `code` method: null until Salto generated and issued it. Never logged. */
  code: z.string().nullable().optional(),
  is_issued: z.boolean(),
  issued_at: isoInstant.nullable().optional(),
  ...notices,
});
export type WireAccessMethod = z.infer<typeof accessMethod>;

/** Response envelopes of the ACS and Access Grants routes the adapter calls. */
export const acsResponses = {
  acsSystemsList: z.object({ acs_systems: z.array(acsSystem) }),
  acsSystemGet: z.object({ acs_system: acsSystem }),
  acsEntrancesList: z.object({ acs_entrances: z.array(acsEntrance), pagination: pagination.optional() }),
  acsEntranceGet: z.object({ acs_entrance: acsEntrance }),
  acsUsersList: z.object({ acs_users: z.array(acsUser), pagination: pagination.optional() }),
  userIdentityGet: z.object({ user_identity: userIdentity }),
  accessGrantGet: z.object({ access_grant: accessGrant }),
  accessGrantsList: z.object({ access_grants: z.array(accessGrant), pagination: pagination.optional() }),
  accessMethodGet: z.object({ access_method: accessMethod }),
  accessMethodsList: z.object({ access_methods: z.array(accessMethod) }),
} as const;
