import { z } from 'zod/v4';
import { completeConnectWebview } from '../connect-webviews.js';
import type { Route } from '../http.js';
import { success } from '../reply.js';
import { iso } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { bool, num, uuid } from '../validation.js';
import { deviceJsonOf, done, handler, hubLink, siteJson } from './sim-common.js';

/** `/_sim/*` routes that build the world (sites, hubs, locks) and complete Connect Webviews. */
export function simTopologyRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
    {
      path: '/_sim/sites/list',
      methods: ['GET', 'POST'],
      handle: () => done(state, world().listSites(), (sites) => ({ sites: sites.map(siteJson) })),
    },
    {
      path: '/_sim/sites/add',
      methods: ['POST'],
      handle: handler(
        z.object({
          connected_account_id: uuid(),
          site_name: z.string().min(1).max(200),
          slot_limit: num().pipe(z.number().int().min(0)),
          has_custom_pin_subscription: bool().optional(),
          time_zone: z.string().min(1).optional(),
          slot_lead_time_ms: num().pipe(z.number().int().min(0)).optional(),
          pin_length: num().pipe(z.number().int().min(6).max(10)).optional(),
        }),
        (p) =>
          done(
            state,
            world().addSite({
              connectedAccountId: p.connected_account_id,
              siteName: p.site_name,
              slotLimit: p.slot_limit,
              ...(p.has_custom_pin_subscription !== undefined
                ? { hasCustomPinSubscription: p.has_custom_pin_subscription }
                : {}),
              ...(p.time_zone !== undefined ? { timeZone: p.time_zone } : {}),
              ...(p.slot_lead_time_ms !== undefined ? { slotLeadTimeMs: p.slot_lead_time_ms } : {}),
              ...(p.pin_length !== undefined ? { pinLength: p.pin_length } : {}),
            }),
            (s) => ({ site: siteJson(s) }),
          ),
      ),
    },
    {
      path: '/_sim/hubs/add',
      methods: ['POST'],
      handle: handler(z.object({ site_id: uuid(), name: z.string().min(1).max(200).optional() }), (p) =>
        done(
          state,
          world().addHub({ siteId: p.site_id, ...(p.name !== undefined ? { name: p.name } : {}) }),
          (h) => ({
            hub: { hub_id: h.hubId, site_id: h.siteId, name: h.name, created_at: iso(h.createdAt) },
          }),
        ),
      ),
    },
    {
      path: '/_sim/locks/add',
      methods: ['POST'],
      handle: handler(
        z.object({
          hub_id: uuid(),
          name: z.string().min(1).max(200),
          lock_type: z.string().min(1).max(100).optional(),
          remote_unlock: bool().optional(),
          access_codes: bool().optional(),
          hub_link: hubLink.optional(),
          battery_level: num().pipe(z.number().min(0).max(1)).optional(),
        }),
        (p) =>
          done(
            state,
            world().addLock({
              hubId: p.hub_id,
              name: p.name,
              ...(p.lock_type !== undefined ? { lockType: p.lock_type } : {}),
              capabilities: {
                ...(p.remote_unlock !== undefined ? { remoteUnlock: p.remote_unlock } : {}),
                ...(p.access_codes !== undefined ? { accessCodes: p.access_codes } : {}),
              },
              ...(p.hub_link !== undefined ? { hubLink: p.hub_link } : {}),
              ...(p.battery_level !== undefined ? { batteryLevel: p.battery_level } : {}),
            }),
            (d) => ({ device: deviceJsonOf(state, d) }),
          ),
      ),
    },
    {
      path: '/_sim/connect_webviews/complete',
      methods: ['POST'],
      handle: handler(
        z.object({
          connect_webview_id: uuid(),
          display_name: z.string().min(1).max(200).optional(),
          fail: bool().optional(),
        }),
        (p) => {
          const r = completeConnectWebview(state, p.connect_webview_id, {
            ...(p.fail !== undefined ? { fail: p.fail } : {}),
            ...(p.display_name !== undefined ? { displayName: p.display_name } : {}),
          });
          if (!r.ok) return r.error;
          return success({
            connect_webview_id: r.value.connect_webview_id,
            ...(r.value.connected_account_id !== null
              ? { connected_account_id: r.value.connected_account_id }
              : {}),
            status: r.value.status,
          });
        },
      ),
    },
  ];
}
