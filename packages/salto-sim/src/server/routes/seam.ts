import type { SimOperation } from '../../world/types.js';
import type { Route } from '../http.js';
import { success } from '../reply.js';
import { iso } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { accessCodeRoutes } from './access-codes.js';
import { accountRoutes } from './accounts.js';
import { deviceRoutes } from './devices.js';
import { eventRoutes } from './events.js';
import { READ, withLatency } from './seam-common.js';

/**
 * The Seam API routes a Salto KS lock integration uses, over the simulated world, one file per
 * route group: `devices.ts`, `access-codes.ts`, `accounts.ts`, `events.ts`. Read routes take GET
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
};

export function seamRoutes(state: SimState): Route[] {
  return [
    healthRoute(),
    ...deviceRoutes(state),
    ...accessCodeRoutes(state),
    ...accountRoutes(state),
    ...eventRoutes(state),
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
