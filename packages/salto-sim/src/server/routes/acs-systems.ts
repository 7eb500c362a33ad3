import { accessGroupJson, acsEntranceJson, acsSystemJson } from '../acs-views.js';
import type { Route } from '../http.js';
import type { SimState } from '../sim-state.js';
import { many, one, userJson } from './acs-common.js';
import { READ, withParams } from './seam-common.js';

/** Seam's `/acs/systems/*`, `/acs/entrances/*` and `/acs/access_groups/*` (read-only: synced from Salto). */
export function acsSystemRoutes(state: SimState): Route[] {
  const acs = () => state.world.acs;
  return [
    {
      path: '/acs/systems/list',
      methods: READ,
      handle: withParams('acsSystemsList', (p) =>
        many(
          acs().listSystems(
            p.connected_account_id !== undefined ? { connectedAccountId: p.connected_account_id } : {},
          ),
          'acs_systems',
          acsSystemJson,
          (x) => x.acsSystemId,
        ),
      ),
    },
    {
      path: '/acs/systems/get',
      methods: READ,
      handle: withParams('acsSystemsGet', (p) =>
        one(state, 'acs_system', acs().getSystem(p.acs_system_id), acsSystemJson),
      ),
    },
    {
      path: '/acs/entrances/list',
      methods: READ,
      handle: withParams('acsEntrancesList', (p, ctx) =>
        many(
          acs().listEntrances({
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.acs_entrance_ids !== undefined ? { acsEntranceIds: p.acs_entrance_ids } : {}),
            ...(p.acs_credential_id !== undefined ? { acsCredentialId: p.acs_credential_id } : {}),
          }),
          'acs_entrances',
          acsEntranceJson,
          (x) => x.acsEntranceId,
          { params: p, ctx },
        ),
      ),
    },
    {
      path: '/acs/entrances/get',
      methods: READ,
      handle: withParams('acsEntrancesGet', (p) =>
        one(state, 'acs_entrance', acs().getEntrance(p.acs_entrance_id), acsEntranceJson),
      ),
    },
    {
      path: '/acs/access_groups/list',
      methods: READ,
      handle: withParams('acsAccessGroupsList', (p) =>
        many(
          acs().listAccessGroups({
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.acs_user_id !== undefined ? { acsUserId: p.acs_user_id } : {}),
          }),
          'acs_access_groups',
          accessGroupJson,
          (x) => x.accessGroupId,
        ),
      ),
    },
    {
      path: '/acs/access_groups/get',
      methods: READ,
      handle: withParams('acsAccessGroupsById', (p) =>
        one(state, 'acs_access_group', acs().getAccessGroup(p.acs_access_group_id), accessGroupJson),
      ),
    },
    {
      path: '/acs/access_groups/list_users',
      methods: READ,
      handle: withParams('acsAccessGroupsById', (p) =>
        many(
          acs().listAccessGroupUsers(p.acs_access_group_id),
          'acs_users',
          (u) => userJson(state, u),
          (u) => u.acsUserId,
        ),
      ),
    },
    {
      path: '/acs/access_groups/list_accessible_entrances',
      methods: READ,
      handle: withParams('acsAccessGroupsById', (p) =>
        many(
          acs().listAccessGroupEntrances(p.acs_access_group_id),
          'acs_entrances',
          acsEntranceJson,
          (x) => x.acsEntranceId,
        ),
      ),
    },
  ];
}
