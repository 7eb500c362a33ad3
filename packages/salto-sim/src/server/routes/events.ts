import type { Route } from '../http.js';
import { failure, success } from '../reply.js';
import { eventJson } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { failureReply, READ, toMs, WRITE, withParams } from './seam-common.js';

/** Seam's event log and webhook routes. */
export function eventRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
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
  ];
}
