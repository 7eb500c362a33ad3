import { randomUUID } from 'node:crypto';
import type {
  AccessCodeRecord,
  DeviceView,
  SimFailure,
  SimOperation,
  SimResult,
  SiteView,
} from '../world/types.js';
import { httpStatusOf } from './failure-status.js';
import type { Route, RouteContext } from './http.js';
import { paginate } from './pagination.js';
import { checkParams, type Params, type SchemaName } from './params.js';
import { type ErrorReply, failure, invalidParam, type Reply, success } from './reply.js';
import {
  accessCodeJson,
  actionAttemptJson,
  connectedAccountJson,
  deviceJson,
  eventJson,
  iso,
  type Json,
} from './seam-views.js';
import type { ConnectWebviewRecord, SimState } from './sim-state.js';

/**
 * The Seam API routes a Salto KS lock integration uses, over the simulated world.
 * Read routes take GET or POST (as Seam's), mutations POST (plus Seam's extra verbs).
 */

const READ = ['GET', 'POST'] as const;
const WRITE = ['POST'] as const;

/** A world failure as a Seam error reply (`reply_lost` drops the connection instead). */
export function failureReply(f: SimFailure): ErrorReply | { kind: 'drop' } {
  if (f.type === 'reply_lost') return { kind: 'drop' };
  const headers: Record<string, string> = {};
  if (f.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(f.retryAfterMs / 1000)));
  return failure(httpStatusOf(f), f.type, f.message, {
    ...(f.data !== undefined ? { data: f.data } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  });
}

/** Validates params against the named schema (see params.ts), then runs `fn`; shared by every handler. */
function withParams<K extends SchemaName>(
  schema: K,
  fn: (p: Params<K>, ctx: RouteContext) => Reply | Promise<Reply>,
) {
  return (ctx: RouteContext): Reply | Promise<Reply> => {
    const p = checkParams(schema, ctx.params);
    if (p instanceof Promise) return p.then((r) => (r.ok ? fn(r.value, ctx) : r.error));
    return p.ok ? fn(p.value, ctx) : p.error;
  };
}

/**
 * Applies an injected latency fault (`/_sim/faults` kind `latency`) before the world call. The
 * delay is wall-clock time whatever the world's clock: it simulates a slow network, not Salto.
 */
function withLatency(state: SimState, op: SimOperation, handle: Route['handle']): Route['handle'] {
  return (ctx) => {
    const ms = state.world.takeLatency(op);
    if (ms > 0) return new Promise((resolve) => setTimeout(resolve, ms)).then(() => handle(ctx));
    return handle(ctx);
  };
}

/** Per-request caches of the lookups the views need. */
class ViewContext {
  private readonly sites = new Map<string, SiteView | null>();
  private readonly devices = new Map<string, DeviceView | null>();
  constructor(private readonly state: SimState) {}
  site(id: string): SiteView | undefined {
    if (!this.sites.has(id)) this.sites.set(id, this.state.world.inspectSite(id));
    return this.sites.get(id) ?? undefined;
  }
  device(id: string): DeviceView | undefined {
    if (!this.devices.has(id)) this.devices.set(id, this.state.world.inspectDevice(id));
    return this.devices.get(id) ?? undefined;
  }
  deviceJson(d: DeviceView): Json {
    return deviceJson(d, this.site(d.siteId));
  }
}

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

const toMs = (s: string): number => Date.parse(s);

function webviewJson(state: SimState, w: ConnectWebviewRecord, baseUrl: string): Json {
  return {
    ...w,
    workspace_id: state.workspaceId,
    url: `${baseUrl}/_sim/connect_webviews/view?connect_webview_id=${w.connect_webview_id}`,
    accepted_devices: [],
    any_device_allowed: false,
    any_provider_allowed: false,
  };
}

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
  return routes(state).map((r) => {
    const op = OPERATION_OF[r.path];
    return op ? { ...r, handle: withLatency(state, op, r.handle) } : r;
  });
}

function routes(state: SimState): Route[] {
  const world = () => state.world;
  const origin = (ctx: RouteContext) => new URL(ctx.routeUrl).origin;

  return [
    {
      path: '/health',
      methods: READ,
      auth: false,
      handle: () =>
        success({
          msg: 'keyslot-sim is up',
          last_service_evaluation_at: iso(Date.now()),
          service_health_statuses: [],
        }),
    },

    // ───────────── devices and locks ─────────────
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

    // ───────────── access codes ─────────────
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

    // ───────────── connect webviews and connected accounts ─────────────
    {
      path: '/connect_webviews/create',
      methods: WRITE,
      handle: withParams('connectWebviewsCreate', (p, ctx) => {
        const providers = p.accepted_providers ?? ['salto_ks'];
        if (!providers.some((x) => x === 'salto_ks' || x === 'salto')) {
          return invalidParam(
            'accepted_providers',
            'the simulator only simulates Salto KS: include "salto_ks" (other providers cannot be completed here)',
          );
        }
        const w: ConnectWebviewRecord = {
          connect_webview_id: randomUUID(),
          created_at: iso(world().now()),
          status: 'pending',
          login_successful: false,
          connected_account_id: null,
          authorized_at: null,
          selected_provider: null,
          accepted_providers: providers,
          accepted_capabilities: p.accepted_capabilities ?? ['lock'],
          custom_redirect_url: p.custom_redirect_url ?? null,
          custom_redirect_failure_url: p.custom_redirect_failure_url ?? p.custom_redirect_url ?? null,
          custom_metadata: p.custom_metadata ?? {},
          automatically_manage_new_devices: p.automatically_manage_new_devices ?? true,
          wait_for_device_creation: p.wait_for_device_creation ?? false,
          device_selection_mode: p.device_selection_mode ?? 'none',
          ...(p.customer_key !== undefined ? { customer_key: p.customer_key } : {}),
        };
        state.addWebview(w);
        return success({ connect_webview: webviewJson(state, w, origin(ctx)) });
      }),
    },
    {
      path: '/connect_webviews/get',
      methods: READ,
      handle: withParams('connectWebviewsGet', (p, ctx) => {
        const w = state.webviews.get(p.connect_webview_id);
        return w
          ? success({ connect_webview: webviewJson(state, w, origin(ctx)) })
          : failure(
              404,
              'connect_webview_not_found',
              `Connect Webview ${p.connect_webview_id} was not found.`,
              {
                data: { connect_webview_id: p.connect_webview_id },
              },
            );
      }),
    },
    {
      path: '/connect_webviews/list',
      methods: READ,
      handle: withParams('connectWebviewsList', (p, ctx) => {
        const rows = [...state.webviews.values()].filter(
          (w) => p.customer_key === undefined || w.customer_key === p.customer_key,
        );
        const page = paginate(rows, (w) => ({ id: w.connect_webview_id, createdAt: w.created_at }), {
          params: p,
          defaultLimit: 500,
          routeUrl: ctx.routeUrl,
        });
        if (!page.ok) return page.error;
        return success({
          connect_webviews: page.value.items.map((w) => webviewJson(state, w, origin(ctx))),
          pagination: page.value.pagination,
        });
      }),
    },
    {
      path: '/connected_accounts/list',
      methods: READ,
      handle: withParams('connectedAccountsList', (p, ctx) => {
        const r = world().listConnectedAccounts();
        if (!r.ok) return failureReply(r.error);
        const search = p.search?.toLowerCase();
        const rows = r.value.filter(
          (a) =>
            (search === undefined ||
              a.connectedAccountId.includes(search) ||
              a.displayName.toLowerCase().includes(search)) &&
            p.customer_key === undefined &&
            (p.custom_metadata_has === undefined || Object.keys(p.custom_metadata_has).length === 0),
        );
        const page = paginate(rows, (a) => ({ id: a.connectedAccountId, createdAt: iso(a.createdAt) }), {
          params: p,
          defaultLimit: 11_000,
          routeUrl: ctx.routeUrl,
        });
        if (!page.ok) return page.error;
        return success({
          connected_accounts: page.value.items.map(connectedAccountJson),
          pagination: page.value.pagination,
        });
      }),
    },
    {
      path: '/connected_accounts/get',
      methods: READ,
      handle: withParams('connectedAccountsGet', (p) => {
        if (p.connected_account_id === undefined) {
          return failure(
            404,
            'connected_account_not_found',
            `No connected account has the email ${p.email}.`,
            {
              data: { email: p.email },
            },
          );
        }
        const r = world().getConnectedAccount(p.connected_account_id);
        return r.ok ? success({ connected_account: connectedAccountJson(r.value) }) : failureReply(r.error);
      }),
    },

    // ───────────── events and webhooks ─────────────
    {
      path: '/events/list',
      methods: READ,
      handle: withParams('eventsList', (p) => {
        const between = p.between as [string, string] | undefined;
        const r = world().listEvents({
          ...(p.since !== undefined ? { since: toMs(p.since) } : {}),
          ...(between !== undefined ? { between: [toMs(between[0]), toMs(between[1])] as const } : {}),
          ...(p.device_id !== undefined ? { deviceId: p.device_id } : {}),
          ...(p.access_code_id !== undefined ? { accessCodeId: p.access_code_id } : {}),
          ...(p.connected_account_id !== undefined ? { connectedAccountId: p.connected_account_id } : {}),
        });
        if (!r.ok) return failureReply(r.error);
        const types = new Set([
          ...(p.event_types ?? []),
          ...(p.event_type !== undefined ? [p.event_type] : []),
        ]);
        const deviceIds = p.device_ids ? new Set(p.device_ids) : null;
        const codeIds = p.access_code_ids ? new Set(p.access_code_ids) : null;
        const eventIds = p.event_ids ? new Set(p.event_ids) : null;
        const webviewAccount =
          p.connect_webview_id !== undefined
            ? (state.webviews.get(p.connect_webview_id)?.connected_account_id ?? null)
            : undefined;
        const offset = p.unstable_offset ?? 0;
        const events = r.value
          .filter(
            (e) =>
              (types.size === 0 || types.has(e.eventType)) &&
              (!deviceIds || (e.deviceId !== undefined && deviceIds.has(e.deviceId))) &&
              (!codeIds || (e.accessCodeId !== undefined && codeIds.has(e.accessCodeId))) &&
              (!eventIds || eventIds.has(e.eventId)) &&
              (webviewAccount === undefined || e.connectedAccountId === webviewAccount),
          )
          .slice(offset, offset + (p.limit ?? 500))
          .map(eventJson);
        return success({ events });
      }),
    },
    {
      path: '/webhooks/create',
      methods: WRITE,
      handle: withParams('webhooksCreate', (p) =>
        state.webhooks.size >= state.limits.maxWebhooks
          ? failure(
              400,
              'invalid_input',
              `This workspace already has ${state.limits.maxWebhooks} webhooks (the simulator's limit, KEYSLOT_SIM_MAX_WEBHOOKS): delete one with /webhooks/delete first.`,
              { data: { reason: 'webhook_limit_reached', max_webhooks: state.limits.maxWebhooks } },
            )
          : success({ webhook: state.webhooks.create(p.url, p.event_types) }),
      ),
    },
    {
      path: '/webhooks/list',
      methods: READ,
      handle: () => success({ webhooks: state.webhooks.list() }),
    },
    {
      path: '/webhooks/get',
      methods: READ,
      handle: withParams('webhooksById', (p) => {
        const w = state.webhooks.get(p.webhook_id);
        return w
          ? success({ webhook: w })
          : failure(404, 'webhook_not_found', `Webhook ${p.webhook_id} was not found.`, {
              data: { webhook_id: p.webhook_id },
            });
      }),
    },
    {
      path: '/webhooks/delete',
      methods: ['POST', 'DELETE'],
      handle: withParams('webhooksById', (p) =>
        state.webhooks.delete(p.webhook_id)
          ? success({})
          : failure(404, 'webhook_not_found', `Webhook ${p.webhook_id} was not found.`, {
              data: { webhook_id: p.webhook_id },
            }),
      ),
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
