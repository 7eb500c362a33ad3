import { randomUUID } from 'node:crypto';
import type { Route, RouteContext } from '../http.js';
import { paginate } from '../pagination.js';
import { failure, invalidParam, success } from '../reply.js';
import { connectedAccountJson, iso, type Json } from '../seam-views.js';
import type { ConnectWebviewRecord, SimState } from '../sim-state.js';
import { failureReply, READ, WRITE, withParams } from './seam-common.js';

/** Seam's Connect Webview and connected-account routes. */

export function webviewJson(state: SimState, w: ConnectWebviewRecord, baseUrl: string): Json {
  return {
    ...w,
    workspace_id: state.workspaceId,
    url: `${baseUrl}/_sim/connect_webviews/view?connect_webview_id=${w.connect_webview_id}`,
    accepted_devices: [],
    any_device_allowed: false,
    any_provider_allowed: false,
  };
}

export function accountRoutes(state: SimState): Route[] {
  const world = () => state.world;
  const origin = (ctx: RouteContext) => new URL(ctx.routeUrl).origin;
  return [
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
  ];
}
