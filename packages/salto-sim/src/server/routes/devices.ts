import type { DeviceView, SimResult } from '../../world/types.js';
import type { Route } from '../http.js';
import { paginate } from '../pagination.js';
import type { Params } from '../params.js';
import { success } from '../reply.js';
import { actionAttemptJson, deviceJson, iso } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { failureReply, READ, ViewContext, WRITE, withParams } from './seam-common.js';

/**
 * Seam's device and lock routes over the world's locks: list/get, remote unlock and lock (pending
 * action attempts), and Seam's sandbox simulations (connect/disconnect, keypad code entry).
 */

type DeviceFilter = Params<'locksList'>;

/** The Seam device filters the world does not apply itself. */
function filterDevices(state: SimState, devices: DeviceView[], p: DeviceFilter): DeviceView[] {
  const accountIds = p.connected_account_ids ? new Set(p.connected_account_ids) : null;
  const types = p.device_types ? new Set(p.device_types) : null;
  const search = p.search?.toLowerCase();
  const before = p.created_before !== undefined ? Date.parse(p.created_before) : null;
  let webviewAccount: string | null | undefined;
  if (p.connect_webview_id !== undefined)
    webviewAccount = state.webviews.get(p.connect_webview_id)?.connected_account_id ?? null;
  const flag = (d: DeviceView, name: string): boolean => {
    const j = deviceJson(d, undefined) as Record<string, unknown>;
    return j[name] === true;
  };
  return devices.filter(
    (d) =>
      (!accountIds || accountIds.has(d.connectedAccountId)) &&
      (p.device_type === undefined || d.deviceType === p.device_type) &&
      (!types || types.has(d.deviceType)) &&
      (p.manufacturer === undefined || p.manufacturer === 'salto') &&
      (search === undefined || d.deviceId.includes(search) || d.name.toLowerCase().includes(search)) &&
      (before === null || d.createdAt < before) &&
      (webviewAccount === undefined || d.connectedAccountId === webviewAccount) &&
      // Simulated devices carry no custom metadata, so any metadata filter matches nothing.
      (p.custom_metadata_has === undefined || Object.keys(p.custom_metadata_has).length === 0) &&
      p.space_id === undefined &&
      (!p.include_if || p.include_if.every((f) => flag(d, f))) &&
      !p.exclude_if?.some((f) => flag(d, f)),
  );
}

function listDevices(state: SimState, p: DeviceFilter): SimResult<DeviceView[]> {
  const r = state.world.listDevices({
    ...(p.connected_account_id !== undefined ? { connectedAccountId: p.connected_account_id } : {}),
    ...(p.device_ids !== undefined ? { deviceIds: p.device_ids } : {}),
  });
  return r.ok ? { ok: true, value: filterDevices(state, r.value, p) } : r;
}

function getDevice(
  state: SimState,
  p: { device_id?: string | undefined; name?: string | undefined },
): SimResult<DeviceView> {
  if (p.device_id !== undefined) return state.world.getDevice(p.device_id);
  const all = state.world.listDevices();
  if (!all.ok) return all;
  const found = all.value.find((d) => d.name === p.name);
  return found
    ? { ok: true, value: found }
    : {
        ok: false,
        error: {
          type: 'device_not_found',
          message: `No device is named ${JSON.stringify(p.name)}. List devices to see their names.`,
          data: { name: p.name },
        },
      };
}

export function deviceRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
    {
      path: '/devices/list',
      methods: READ,
      handle: withParams('devicesList', (p, ctx) => {
        const r = listDevices(state, p);
        if (!r.ok) return failureReply(r.error);
        const page = paginate(r.value, (d) => ({ id: d.deviceId, createdAt: iso(d.createdAt) }), {
          params: p,
          defaultLimit: 500,
          routeUrl: ctx.routeUrl,
        });
        if (!page.ok) return page.error;
        const v = new ViewContext(state);
        return success({
          devices: page.value.items.map((d) => v.deviceJson(d)),
          pagination: page.value.pagination,
        });
      }),
    },
    {
      path: '/devices/get',
      methods: READ,
      handle: withParams('devicesGet', (p) => {
        const r = getDevice(state, p);
        return r.ok ? success({ device: new ViewContext(state).deviceJson(r.value) }) : failureReply(r.error);
      }),
    },
    {
      path: '/locks/list',
      methods: READ,
      handle: withParams('locksList', (p) => {
        const r = listDevices(state, p);
        if (!r.ok) return failureReply(r.error);
        // Not paginated (as in Seam 1.724): the world's creation order.
        const v = new ViewContext(state);
        const devices = r.value.map((d) => v.deviceJson(d));
        return success({ devices, locks: devices });
      }),
    },
    {
      path: '/locks/get',
      methods: READ,
      handle: withParams('devicesGet', (p) => {
        const r = getDevice(state, p);
        if (!r.ok) return failureReply(r.error);
        const device = new ViewContext(state).deviceJson(r.value);
        return success({ device, lock: device });
      }),
    },
    {
      path: '/locks/unlock_door',
      methods: WRITE,
      handle: withParams('deviceAction', (p) => {
        const r = world().unlockDoor(p.device_id);
        state.scheduleTick();
        return r.ok ? success({ action_attempt: actionAttemptJson(r.value) }) : failureReply(r.error);
      }),
    },
    {
      // Salto KS locks relock by themselves: a pending LOCK_DOOR attempt that confirms (and ends office mode).
      path: '/locks/lock_door',
      methods: WRITE,
      handle: withParams('deviceAction', (p) => {
        const r = world().lockDoor(p.device_id);
        state.scheduleTick();
        return r.ok ? success({ action_attempt: actionAttemptJson(r.value) }) : failureReply(r.error);
      }),
    },
    {
      path: '/action_attempts/get',
      methods: READ,
      handle: withParams('actionAttemptsGet', (p) => {
        const synthetic = state.syntheticAttempt(p.action_attempt_id);
        if (synthetic) return success({ action_attempt: synthetic });
        const r = world().getActionAttempt(p.action_attempt_id);
        return r.ok ? success({ action_attempt: actionAttemptJson(r.value) }) : failureReply(r.error);
      }),
    },

    // ───────────── Seam's sandbox simulation routes ─────────────
    ...(
      [
        ['/devices/simulate/connect', 'good'],
        ['/devices/simulate/disconnect', 'offline'],
        ['/devices/simulate/connect_to_hub', 'good'],
        ['/devices/simulate/disconnect_from_hub', 'offline'],
      ] as const
    ).map(
      ([path, link]): Route => ({
        path,
        methods: WRITE,
        handle: withParams('deviceAction', (p) => {
          const r = world().setHubLink(p.device_id, link);
          state.scheduleTick();
          return r.ok ? success({}) : failureReply(r.error);
        }),
      }),
    ),
    {
      // The world decides (and emits lock.unlocked / lock.access_denied); the reply is a finished attempt.
      path: '/locks/simulate/keypad_code_entry',
      methods: WRITE,
      handle: withParams('keypadCodeEntry', (p) => {
        const r = world().enterKeypadCode(p.device_id, p.code);
        state.scheduleTick();
        if (!r.ok) return failureReply(r.error);
        const e = r.value;
        const attempt =
          e.outcome === 'denied'
            ? state.recordAttempt('SIMULATE_KEYPAD_CODE_ENTRY', 'error', null, {
                type: e.reason,
                message: e.message,
              })
            : state.recordAttempt('SIMULATE_KEYPAD_CODE_ENTRY', 'success', {}, null);
        return success({ action_attempt: attempt });
      }),
    },
  ];
}
