import { z } from 'zod/v4';
import { bool, isoDateTime, limit, list, pageCursor, uuid } from './validation.js';

/**
 * Request parameters of Seam's ACS, user-identity and Access Grant routes the simulator serves
 * (`@seamapi/types` field names). Unknown parameters are ignored; known ones are type-checked.
 */

const page = { limit: limit(), page_cursor: pageCursor() };
const text = () => z.string().min(1).max(1_000);
const email = () => z.string().email().max(1_000);

/** `acs_user_id`, or `user_identity_id` with `acs_system_id`. */
const userRef = z
  .object({
    acs_user_id: uuid().optional(),
    user_identity_id: uuid().optional(),
    acs_system_id: uuid().optional(),
  })
  .refine(
    (p) => p.acs_user_id !== undefined || (p.user_identity_id !== undefined && p.acs_system_id !== undefined),
    {
      message: 'Give acs_user_id, or user_identity_id with acs_system_id',
      path: ['acs_user_id'],
    },
  );

export const acsSystemsList = z.object({
  connected_account_id: uuid().optional(),
  search: z.string().optional(),
});
export const acsSystemsGet = z.object({ acs_system_id: uuid() });

export const acsEntrancesList = z.object({
  acs_system_id: uuid().optional(),
  acs_entrance_ids: list(uuid()).optional(),
  acs_credential_id: uuid().optional(),
  ...page,
});
export const acsEntrancesGet = z.object({ acs_entrance_id: uuid() });

export const acsAccessGroupsList = z.object({
  acs_system_id: uuid().optional(),
  acs_user_id: uuid().optional(),
});
export const acsAccessGroupsById = z.object({ acs_access_group_id: uuid() });

export const acsUsersCreate = z.object({
  acs_system_id: uuid(),
  full_name: text(),
  email_address: email().optional(),
  email: email().optional(),
  phone_number: z.string().min(1).max(100).optional(),
  user_identity_id: uuid().optional(),
  acs_access_group_ids: list(uuid()).optional(),
  access_schedule: z
    .object({ starts_at: isoDateTime().optional(), ends_at: isoDateTime().nullable().optional() })
    .optional(),
});
export const acsUsersUpdate = z.object({
  acs_user_id: uuid(),
  full_name: text().optional(),
  email_address: email().optional(),
  email: email().optional(),
  phone_number: z.string().min(1).max(100).optional(),
  access_schedule: z.object({ starts_at: isoDateTime(), ends_at: isoDateTime().nullable() }).optional(),
});
export const acsUsersRef = userRef;
export const acsUsersList = z.object({
  acs_system_id: uuid().optional(),
  user_identity_id: uuid().optional(),
  ...page,
});
export const acsUsersGroup = z.object({ acs_user_id: uuid(), acs_access_group_id: uuid() });

export const acsCredentialsCreate = z.object({
  acs_user_id: uuid().optional(),
  user_identity_id: uuid().optional(),
  acs_system_id: uuid().optional(),
  access_method: z.string().min(1),
  code: z.string().optional(),
  is_multi_phone_sync_credential: bool().optional(),
  starts_at: isoDateTime().optional(),
  ends_at: isoDateTime().optional(),
});
export const acsCredentialsList = z.object({
  acs_user_id: uuid().optional(),
  acs_system_id: uuid().optional(),
  user_identity_id: uuid().optional(),
  ...page,
});
export const acsCredentialsById = z.object({ acs_credential_id: uuid() });

const identityFields = {
  user_identity_key: z.string().min(1).max(1_000).nullable().optional(),
  email_address: email().nullable().optional(),
  phone_number: z.string().min(1).max(100).nullable().optional(),
  full_name: z.string().min(1).max(1_000).nullable().optional(),
};
export const userIdentitiesCreate = z.object(identityFields);
export const userIdentitiesGet = z
  .object({ user_identity_id: uuid().optional(), user_identity_key: z.string().min(1).optional() })
  .refine((p) => (p.user_identity_id === undefined) !== (p.user_identity_key === undefined), {
    message: 'Give exactly one of user_identity_id or user_identity_key',
    path: ['user_identity_id'],
  });
export const userIdentitiesList = z.object({ user_identity_ids: list(uuid()).optional(), ...page });

export const accessGrantsCreate = z
  .object({
    user_identity_id: uuid().optional(),
    user_identity: z.object(identityFields).optional(),
    acs_entrance_ids: list(uuid()).optional(),
    device_ids: list(uuid()).optional(),
    space_ids: list(uuid()).optional(),
    requested_access_methods: z
      .array(z.object({ mode: z.string().min(1), code: z.string().optional() }))
      .min(1, 'request at least one access method'),
    starts_at: isoDateTime().optional(),
    ends_at: isoDateTime().nullable().optional(),
    access_grant_key: z.string().min(1).max(1_000).optional(),
    name: z.string().max(1_000).nullable().optional(),
  })
  .check((ctx) => {
    const p = ctx.value;
    if ((p.user_identity_id === undefined) === (p.user_identity === undefined))
      ctx.issues.push({
        code: 'custom',
        input: p,
        path: ['user_identity_id'],
        message: 'Give exactly one of user_identity_id or user_identity',
      });
    for (const other of ['device_ids', 'space_ids'] as const)
      if (p[other] !== undefined)
        ctx.issues.push({
          code: 'custom',
          input: p,
          path: [other],
          message: `the simulator grants Salto KS entrances through the ACS path: give acs_entrance_ids (${other} are not modelled; use /access_codes/create for the lock path)`,
        });
    if (p.acs_entrance_ids === undefined || p.acs_entrance_ids.length === 0)
      ctx.issues.push({
        code: 'custom',
        input: p,
        path: ['acs_entrance_ids'],
        message: 'give at least one entrance',
      });
  });
export const accessGrantsGet = z
  .object({ access_grant_id: uuid().optional(), access_grant_key: z.string().min(1).optional() })
  .refine((p) => (p.access_grant_id === undefined) !== (p.access_grant_key === undefined), {
    message: 'Give exactly one of access_grant_id or access_grant_key',
    path: ['access_grant_id'],
  });
export const accessGrantsList = z.object({
  access_grant_key: z.string().min(1).nullable().optional(),
  access_grant_ids: list(uuid()).optional(),
  user_identity_id: uuid().optional(),
  acs_system_id: uuid().optional(),
  acs_entrance_id: uuid().optional(),
  ...page,
});
export const accessGrantsDelete = z.object({ access_grant_id: uuid() });
export const accessMethodsGet = z.object({ access_method_id: uuid() });
export const accessMethodsList = z.object({
  access_grant_id: uuid().optional(),
  access_grant_key: z.string().min(1).optional(),
  acs_entrance_id: uuid().optional(),
});
