import type { SimOperation } from '../../world/types.js';
import type { Route } from '../http.js';
import { success } from '../reply.js';
import { iso } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { accessCodeRoutes } from './access-codes.js';
import { accessGrantRoutes } from './access-grants.js';
import { accountRoutes } from './accounts.js';
import { acsCredentialRoutes } from './acs-credentials.js';
import { acsSystemRoutes } from './acs-systems.js';
import { acsUserRoutes } from './acs-users.js';
import { deviceRoutes } from './devices.js';
import { eventRoutes } from './events.js';
import { READ, withLatency } from './seam-common.js';

/**
 * The Seam API routes a Salto KS lock integration uses, over the simulated world, one file per
 * route group: `devices.ts`, `access-codes.ts`, `accounts.ts`, `events.ts`, and the ACS path's
 * `acs-systems.ts`, `acs-users.ts`, `acs-credentials.ts`, `access-grants.ts`. Read routes take GET
 * or POST (as Seam's), mutations POST (plus Seam's extra verbs). A new Seam route goes into its
 * group's file (or a new file listed here); its world operation into `OPERATION_OF`.
 */

/** The world operation behind each Seam route, for latency faults. */
const OPERATION_OF: Readonly<Record<string, SimOperation>> = {
  '/devices/list': 'list_devices',
  '/devices/get': 'get_device',
  '/locks/list': 'list_devices',
  '/locks/get': 'get_device',
  '/locks/unlock_door': 'unlock_door',
  '/locks/lock_door': 'lock_door',
  '/action_attempts/get': 'get_action_attempt',
  '/access_codes/create': 'create_access_code',
  '/access_codes/list': 'list_access_codes',
  '/access_codes/get': 'get_access_code',
  '/access_codes/update': 'update_access_code',
  '/access_codes/delete': 'delete_access_code',
  '/connected_accounts/list': 'list_connected_accounts',
  '/connected_accounts/get': 'get_connected_account',
  '/events/list': 'list_events',
  '/acs/systems/list': 'list_acs_systems',
  '/acs/systems/get': 'get_acs_system',
  '/acs/entrances/list': 'list_acs_entrances',
  '/acs/entrances/get': 'get_acs_entrance',
  '/acs/access_groups/list': 'list_acs_access_groups',
  '/acs/access_groups/get': 'get_acs_access_group',
  '/acs/access_groups/list_users': 'get_acs_access_group',
  '/acs/access_groups/list_accessible_entrances': 'get_acs_access_group',
  '/acs/users/create': 'create_acs_user',
  '/acs/users/get': 'get_acs_user',
  '/acs/users/list': 'list_acs_users',
  '/acs/users/update': 'update_acs_user',
  '/acs/users/delete': 'delete_acs_user',
  '/acs/users/suspend': 'update_acs_user',
  '/acs/users/unsuspend': 'update_acs_user',
  '/acs/users/add_to_access_group': 'update_acs_user',
  '/acs/users/remove_from_access_group': 'update_acs_user',
  '/acs/users/list_accessible_entrances': 'get_acs_user',
  '/acs/credentials/create': 'create_acs_credential',
  '/acs/credentials/get': 'get_acs_credential',
  '/acs/credentials/list': 'list_acs_credentials',
  '/acs/credentials/delete': 'delete_acs_credential',
  '/user_identities/create': 'create_user_identity',
  '/user_identities/get': 'get_user_identity',
  '/user_identities/list': 'list_user_identities',
  '/access_grants/create': 'create_access_grant',
  '/access_grants/get': 'get_access_grant',
  '/access_grants/list': 'list_access_grants',
  '/access_grants/delete': 'delete_access_grant',
  '/access_methods/get': 'get_access_method',
  '/access_methods/list': 'list_access_methods',
};

export function seamRoutes(state: SimState): Route[] {
  return [
    healthRoute(),
    ...deviceRoutes(state),
    ...accessCodeRoutes(state),
    ...accountRoutes(state),
    ...eventRoutes(state),
    ...acsSystemRoutes(state),
    ...acsUserRoutes(state),
    ...acsCredentialRoutes(state),
    ...accessGrantRoutes(state),
  ].map((r) => {
    const op = OPERATION_OF[r.path];
    return op ? { ...r, handle: withLatency(state, op, r.handle) } : r;
  });
}

function healthRoute(): Route {
  return {
    path: '/health',
    methods: READ,
    auth: false,
    handle: () =>
      success({
        msg: 'keyslot-sim is up',
        last_service_evaluation_at: iso(Date.now()),
        service_health_statuses: [],
      }),
  };
}
