import { accessGrantJson, accessMethodJson, userIdentityJson } from '../acs-views.js';
import type { Route } from '../http.js';
import type { SimState } from '../sim-state.js';
import { done, many, ms, one } from './acs-common.js';
import { READ, WRITE, withParams } from './seam-common.js';

const identity = (p: {
  user_identity_key?: string | null | undefined;
  email_address?: string | null | undefined;
  phone_number?: string | null | undefined;
  full_name?: string | null | undefined;
}) => ({
  ...(p.user_identity_key !== undefined ? { userIdentityKey: p.user_identity_key } : {}),
  ...(p.email_address !== undefined ? { emailAddress: p.email_address } : {}),
  ...(p.phone_number !== undefined ? { phoneNumber: p.phone_number } : {}),
  ...(p.full_name !== undefined ? { fullName: p.full_name } : {}),
});

/** Seam's `/user_identities/*`, `/access_grants/*` and `/access_methods/*` over Salto KS entrances. */
export function accessGrantRoutes(state: SimState): Route[] {
  const ag = () => state.world.accessGrants;
  return [
    {
      path: '/user_identities/create',
      methods: WRITE,
      handle: withParams('userIdentitiesCreate', (p) =>
        one(state, 'user_identity', ag().createUserIdentity(identity(p)), userIdentityJson, true),
      ),
    },
    {
      path: '/user_identities/get',
      methods: READ,
      handle: withParams('userIdentitiesGet', (p) =>
        one(
          state,
          'user_identity',
          ag().getUserIdentity(
            p.user_identity_id !== undefined
              ? { userIdentityId: p.user_identity_id }
              : { userIdentityKey: p.user_identity_key ?? '' },
          ),
          userIdentityJson,
        ),
      ),
    },
    {
      path: '/user_identities/list',
      methods: READ,
      handle: withParams('userIdentitiesList', (p, ctx) =>
        many(
          ag().listUserIdentities(
            p.user_identity_ids !== undefined ? { userIdentityIds: p.user_identity_ids } : {},
          ),
          'user_identities',
          userIdentityJson,
          (i) => i.userIdentityId,
          { params: p, ctx },
        ),
      ),
    },
    {
      path: '/access_grants/create',
      methods: WRITE,
      handle: withParams('accessGrantsCreate', (p) =>
        one(
          state,
          'access_grant',
          ag().createAccessGrant({
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
            ...(p.user_identity !== undefined ? { userIdentity: identity(p.user_identity) } : {}),
            acsEntranceIds: p.acs_entrance_ids ?? [],
            requestedAccessMethods: p.requested_access_methods.map((r) => ({
              mode: r.mode,
              ...(r.code !== undefined ? { code: r.code } : {}),
            })),
            ...(p.starts_at !== undefined ? { startsAt: ms(p.starts_at)! } : {}),
            ...(p.ends_at !== undefined ? { endsAt: p.ends_at === null ? null : ms(p.ends_at)! } : {}),
            ...(p.access_grant_key !== undefined ? { accessGrantKey: p.access_grant_key } : {}),
            ...(p.name !== undefined ? { name: p.name } : {}),
          }),
          accessGrantJson,
          true,
        ),
      ),
    },
    {
      path: '/access_grants/get',
      methods: READ,
      handle: withParams('accessGrantsGet', (p) =>
        one(
          state,
          'access_grant',
          ag().getAccessGrant(
            p.access_grant_id !== undefined
              ? { accessGrantId: p.access_grant_id }
              : { accessGrantKey: p.access_grant_key ?? '' },
          ),
          accessGrantJson,
        ),
      ),
    },
    {
      path: '/access_grants/list',
      methods: READ,
      handle: withParams('accessGrantsList', (p, ctx) =>
        many(
          ag().listAccessGrants({
            ...(p.access_grant_key != null ? { accessGrantKey: p.access_grant_key } : {}),
            ...(p.access_grant_ids !== undefined ? { accessGrantIds: p.access_grant_ids } : {}),
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.acs_entrance_id !== undefined ? { acsEntranceId: p.acs_entrance_id } : {}),
          }),
          'access_grants',
          accessGrantJson,
          (g) => g.accessGrantId,
          { params: p, ctx },
        ),
      ),
    },
    {
      path: '/access_grants/delete',
      methods: ['POST', 'DELETE'],
      handle: withParams('accessGrantsDelete', (p) => done(state, ag().deleteAccessGrant(p.access_grant_id))),
    },
    {
      path: '/access_methods/get',
      methods: READ,
      handle: withParams('accessMethodsGet', (p) =>
        one(state, 'access_method', ag().getAccessMethod(p.access_method_id), accessMethodJson),
      ),
    },
    {
      path: '/access_methods/list',
      methods: READ,
      handle: withParams('accessMethodsList', (p) =>
        many(
          ag().listAccessMethods({
            ...(p.access_grant_id !== undefined ? { accessGrantId: p.access_grant_id } : {}),
            ...(p.access_grant_key !== undefined ? { accessGrantKey: p.access_grant_key } : {}),
            ...(p.acs_entrance_id !== undefined ? { acsEntranceId: p.acs_entrance_id } : {}),
          }),
          'access_methods',
          accessMethodJson,
          (m) => m.accessMethodId,
        ),
      ),
    },
  ];
}
