import type { AccessCodeRecord, SimResult } from '../../world/types.js';
import type { Route } from '../http.js';
import { paginate } from '../pagination.js';
import { failure, invalidParam, success } from '../reply.js';
import { accessCodeJson, iso } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { failureReply, READ, toMs, ViewContext, WRITE, withParams } from './seam-common.js';

/** Seam's access-code routes (`/access_codes/*`) over the world's access-code commands and queries. */
export function accessCodeRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
    {
      path: '/access_codes/create',
      methods: WRITE,
      handle: withParams('accessCodesCreate', (p) => {
        const r = world().createAccessCode({
          deviceId: p.device_id,
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.code !== undefined ? { code: p.code } : {}),
          ...(p.starts_at !== undefined && p.ends_at !== undefined
            ? { startsAt: toMs(p.starts_at), endsAt: toMs(p.ends_at) }
            : {}),
        });
        state.scheduleTick();
        if (!r.ok) return failureReply(r.error);
        const access_code = accessCodeJson(r.value, new ViewContext(state).device(r.value.deviceId));
        return success({
          access_code,
          action_attempt: state.recordAttempt('CREATE_ACCESS_CODE', 'success', { access_code }, null),
        });
      }),
    },
    {
      path: '/access_codes/list',
      methods: READ,
      handle: withParams('accessCodesList', (p, ctx) => {
        const r = world().listAccessCodes({
          ...(p.device_id !== undefined ? { deviceId: p.device_id } : {}),
          ...(p.access_code_ids !== undefined ? { accessCodeIds: p.access_code_ids } : {}),
        });
        if (!r.ok) return failureReply(r.error);
        const page = paginate(r.value, (c) => ({ id: c.accessCodeId, createdAt: iso(c.createdAt) }), {
          params: p,
          defaultLimit: 55_000,
          routeUrl: ctx.routeUrl,
        });
        if (!page.ok) return page.error;
        const v = new ViewContext(state);
        return success({
          access_codes: page.value.items.map((c) => accessCodeJson(c, v.device(c.deviceId))),
          pagination: page.value.pagination,
        });
      }),
    },
    {
      path: '/access_codes/get',
      methods: READ,
      handle: withParams('accessCodesGet', (p) => {
        let r: SimResult<AccessCodeRecord>;
        if (p.access_code_id !== undefined) r = world().getAccessCode(p.access_code_id);
        else {
          const all = world().listAccessCodes({ deviceId: p.device_id as string });
          if (!all.ok) return failureReply(all.error);
          const found = all.value.find((c) => c.code !== null && c.code === p.code);
          if (!found) {
            return failure(
              404,
              'access_code_not_found',
              `Device ${p.device_id} has no access code with that PIN.`,
              {
                data: { device_id: p.device_id },
              },
            );
          }
          r = { ok: true, value: found };
        }
        if (!r.ok) return failureReply(r.error);
        return success({
          access_code: accessCodeJson(r.value, new ViewContext(state).device(r.value.deviceId)),
        });
      }),
    },
    {
      // PUT is what Seam's SDK sends; PATCH and POST are Seam's other verbs for it.
      path: '/access_codes/update',
      methods: ['POST', 'PUT', 'PATCH'],
      handle: withParams('accessCodesUpdate', (p) => {
        if (p.is_managed === false) {
          return invalidParam(
            'is_managed',
            'the simulator does not model unmanaged access codes: leave is_managed out or true',
          );
        }
        const r = world().updateAccessCode({
          accessCodeId: p.access_code_id,
          ...(p.device_id !== undefined ? { deviceId: p.device_id } : {}),
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.code !== undefined ? { code: p.code } : {}),
          ...(p.type !== undefined ? { type: p.type } : {}),
          ...(p.starts_at !== undefined ? { startsAt: toMs(p.starts_at) } : {}),
          ...(p.ends_at !== undefined ? { endsAt: toMs(p.ends_at) } : {}),
        });
        state.scheduleTick();
        if (!r.ok) return failureReply(r.error);
        const access_code = accessCodeJson(r.value, new ViewContext(state).device(r.value.deviceId));
        return success({
          action_attempt: state.recordAttempt('UPDATE_ACCESS_CODE', 'success', { access_code }, null),
        });
      }),
    },
    {
      path: '/access_codes/delete',
      methods: ['POST', 'DELETE'],
      handle: withParams('accessCodesDelete', (p) => {
        if (p.device_id !== undefined) {
          const c = world()
            .inspectAccessCodes({ deviceId: p.device_id })
            .find((x) => x.accessCodeId === p.access_code_id);
          if (!c && world().inspectDevice(p.device_id) !== null) {
            return failure(
              404,
              'access_code_not_found',
              `Access code ${p.access_code_id} is not on device ${p.device_id}.`,
              {
                data: { device_id: p.device_id, access_code_id: p.access_code_id },
              },
            );
          }
        }
        const r = world().deleteAccessCode(p.access_code_id);
        state.scheduleTick();
        return r.ok
          ? success({ action_attempt: state.recordAttempt('DELETE_ACCESS_CODE', 'success', {}, null) })
          : failureReply(r.error);
      }),
    },
  ];
}
