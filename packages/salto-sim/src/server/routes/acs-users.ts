import { acsEntranceJson } from '../acs-views.js';
import type { Route } from '../http.js';
import type { Params } from '../params.js';
import type { SimState } from '../sim-state.js';
import { done, many, ms, one, userJson } from './acs-common.js';
import { READ, WRITE, withParams } from './seam-common.js';

type UserRef = Params<'acsUsersRef'>;
const ref = (p: UserRef) => ({
  ...(p.acs_user_id !== undefined ? { acsUserId: p.acs_user_id } : {}),
  ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
  ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
});

/** Seam's `/acs/users/*` over the world's ACS users (Salto KS subscription rules in `world/acs/users.ts`). */
export function acsUserRoutes(state: SimState): Route[] {
  const acs = () => state.world.acs;
  const view = (u: Parameters<typeof userJson>[1]) => userJson(state, u);
  return [
    {
      path: '/acs/users/create',
      methods: WRITE,
      handle: withParams('acsUsersCreate', (p) => {
        const email = p.email_address ?? p.email;
        const sched = p.access_schedule;
        return one(
          state,
          'acs_user',
          acs().createUser({
            acsSystemId: p.acs_system_id,
            fullName: p.full_name,
            ...(email !== undefined ? { emailAddress: email } : {}),
            ...(p.phone_number !== undefined ? { phoneNumber: p.phone_number } : {}),
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
            ...(p.acs_access_group_ids !== undefined ? { accessGroupIds: p.acs_access_group_ids } : {}),
            ...(sched
              ? {
                  accessSchedule: {
                    ...(sched.starts_at !== undefined ? { startsAt: Date.parse(sched.starts_at) } : {}),
                    ...(sched.ends_at != null ? { endsAt: Date.parse(sched.ends_at) } : {}),
                  },
                }
              : {}),
          }),
          view,
          true,
        );
      }),
    },
    {
      path: '/acs/users/get',
      methods: READ,
      handle: withParams('acsUsersRef', (p) => one(state, 'acs_user', acs().getUser(ref(p)), view)),
    },
    {
      path: '/acs/users/list',
      methods: READ,
      handle: withParams('acsUsersList', (p, ctx) =>
        many(
          acs().listUsers({
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
          }),
          'acs_users',
          view,
          (u) => u.acsUserId,
          { params: p, ctx },
        ),
      ),
    },
    {
      path: '/acs/users/update',
      methods: ['POST', 'PATCH'],
      handle: withParams('acsUsersUpdate', (p) => {
        const email = p.email_address ?? p.email;
        const sched = p.access_schedule;
        return done(
          state,
          acs().updateUser({
            acsUserId: p.acs_user_id,
            ...(p.full_name !== undefined ? { fullName: p.full_name } : {}),
            ...(email !== undefined ? { emailAddress: email } : {}),
            ...(p.phone_number !== undefined ? { phoneNumber: p.phone_number } : {}),
            ...(sched
              ? {
                  accessSchedule: {
                    startsAt: Date.parse(sched.starts_at),
                    endsAt: ms(sched.ends_at ?? undefined) ?? null,
                  },
                }
              : {}),
          }),
        );
      }),
    },
    {
      path: '/acs/users/delete',
      methods: ['POST', 'DELETE'],
      handle: withParams('acsUsersRef', (p) => done(state, acs().deleteUser(ref(p)))),
    },
    {
      path: '/acs/users/suspend',
      methods: WRITE,
      handle: withParams('acsUsersRef', (p) => done(state, acs().setUserSuspended(ref(p), true))),
    },
    {
      path: '/acs/users/unsuspend',
      methods: WRITE,
      handle: withParams('acsUsersRef', (p) => done(state, acs().setUserSuspended(ref(p), false))),
    },
    {
      path: '/acs/users/add_to_access_group',
      methods: ['POST', 'PUT'],
      handle: withParams('acsUsersGroup', (p) =>
        done(state, acs().setUserAccessGroup(p.acs_user_id, p.acs_access_group_id, true)),
      ),
    },
    {
      path: '/acs/users/remove_from_access_group',
      methods: ['POST', 'DELETE'],
      handle: withParams('acsUsersGroup', (p) =>
        done(state, acs().setUserAccessGroup(p.acs_user_id, p.acs_access_group_id, false)),
      ),
    },
    {
      path: '/acs/users/list_accessible_entrances',
      methods: READ,
      handle: withParams('acsUsersRef', (p) =>
        many(acs().listUserEntrances(ref(p)), 'acs_entrances', acsEntranceJson, (x) => x.acsEntranceId),
      ),
    },
  ];
}
