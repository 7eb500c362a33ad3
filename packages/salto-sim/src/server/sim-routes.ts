import type { HubLink } from '@keyslot/core';
import { z } from 'zod/v4';
import { restoreWorldSnapshot, SIM_OPERATIONS } from '../world/snapshot-schema.js';
import type { ActiveFault, DeviceView, SimFailure, SiteView } from '../world/types.js';
import { completeConnectWebview } from './connect-webviews.js';
import type { Route, RouteContext } from './http.js';
import { limitsJson } from './limits.js';
import { type ErrorReply, failure, type Reply, success, validationTree } from './reply.js';
import { failureReply } from './seam-routes.js';
import { deviceJson, iso, type Json } from './seam-views.js';
import type { SimState } from './sim-state.js';
import { bool, num, parseParams, uuid } from './validation.js';

/**
 * Simulator-only controls under `/_sim/*` (same bearer key): hub links, slot limits, modes,
 * battery, capabilities, clock, faults, rate limits, building the world, Connect Webview
 * completion, snapshot/restore and reset. Not part of Seam's API.
 */

const hubLink = z.enum(['good', 'weak', 'offline']);

/** Snapshots can be much larger than ordinary requests. */
export const RESTORE_MAX_BODY_BYTES = 64 * 1024 * 1024;

function handler<S extends z.ZodType>(
  schema: S,
  fn: (p: z.output<S>, ctx: RouteContext) => Reply | Promise<Reply>,
) {
  return async (ctx: RouteContext): Promise<Reply> => {
    const p = parseParams(schema, ctx.params);
    return p.ok ? fn(p.value, ctx) : p.error;
  };
}

function siteJson(s: SiteView): Json {
  return {
    site_id: s.siteId,
    site_name: s.siteName,
    connected_account_id: s.connectedAccountId,
    slot_limit: s.slotLimit,
    slots_used: s.used,
    almost_reached: s.almostReached,
    limit_reached: s.limitReached,
    has_custom_pin_subscription: s.hasCustomPinSubscription,
    time_zone: s.timeZone,
    slot_lead_time_ms: s.slotLeadTimeMs,
    pin_length: s.pinLength,
    created_at: iso(s.createdAt),
  };
}

export function simRoutes(state: SimState): Route[] {
  const world = () => state.world;
  const dev = (d: DeviceView) => deviceJson(d, world().inspectSite(d.siteId) ?? undefined);
  const done = <T>(
    r: { ok: true; value: T } | { ok: false; error: SimFailure },
    body: (v: T) => Json,
  ): Reply => {
    state.scheduleTick();
    return r.ok ? success(body(r.value)) : failureReply(r.error);
  };

  return [
    {
      path: '/_sim/hub_link',
      methods: ['POST'],
      handle: handler(
        z
          .object({ device_id: uuid().optional(), hub_id: uuid().optional(), hub_link: hubLink })
          .refine((p) => (p.device_id === undefined) !== (p.hub_id === undefined), {
            message: 'Give exactly one of device_id or hub_id',
            path: ['device_id'],
          }),
        (p) =>
          p.device_id !== undefined
            ? done(world().setHubLink(p.device_id, p.hub_link as HubLink), (d) => ({ device: dev(d) }))
            : done(world().setHubLinkForHub(p.hub_id as string, p.hub_link as HubLink), (ds) => ({
                devices: ds.map(dev),
              })),
      ),
    },
    {
      path: '/_sim/slot_limit',
      methods: ['POST'],
      handle: handler(z.object({ site_id: uuid(), slot_limit: num().pipe(z.number().int().min(0)) }), (p) =>
        done(world().setSlotLimit(p.site_id, p.slot_limit), (s) => ({ site: siteJson(s) })),
      ),
    },
    {
      path: '/_sim/custom_pin_subscription',
      methods: ['POST'],
      handle: handler(z.object({ site_id: uuid(), enabled: bool() }), (p) =>
        done(world().setCustomPinSubscription(p.site_id, p.enabled), (s) => ({ site: siteJson(s) })),
      ),
    },
    {
      path: '/_sim/modes',
      methods: ['POST'],
      handle: handler(
        z
          .object({ device_id: uuid(), privacy_mode: bool().optional(), office_mode: bool().optional() })
          .refine((p) => p.privacy_mode !== undefined || p.office_mode !== undefined, {
            message: 'Give privacy_mode and/or office_mode',
            path: ['privacy_mode'],
          }),
        (p) => {
          if (world().inspectDevice(p.device_id) === null) return failureReply(notFoundDevice(p.device_id));
          if (p.privacy_mode !== undefined) world().setPrivacyMode(p.device_id, p.privacy_mode);
          const r =
            p.office_mode !== undefined
              ? world().setOfficeMode(p.device_id, p.office_mode)
              : world().getDevice(p.device_id);
          return done(r, (d) => ({ device: dev(d) }));
        },
      ),
    },
    {
      path: '/_sim/battery',
      methods: ['POST'],
      handle: handler(
        z.object({ device_id: uuid(), battery_level: num().pipe(z.number().min(0).max(1)) }),
        (p) => done(world().setBatteryLevel(p.device_id, p.battery_level), (d) => ({ device: dev(d) })),
      ),
    },
    {
      path: '/_sim/capabilities',
      methods: ['POST'],
      handle: handler(
        z.object({ device_id: uuid(), remote_unlock: bool().optional(), access_codes: bool().optional() }),
        (p) =>
          done(
            world().setCapabilities(p.device_id, {
              ...(p.remote_unlock !== undefined ? { remoteUnlock: p.remote_unlock } : {}),
              ...(p.access_codes !== undefined ? { accessCodes: p.access_codes } : {}),
            }),
            (d) => ({ device: dev(d) }),
          ),
      ),
    },
    {
      path: '/_sim/clock',
      methods: ['GET', 'POST'],
      handle: () => success(clockJson(state)),
    },
    {
      path: '/_sim/clock/advance',
      methods: ['POST'],
      handle: handler(
        z.object({
          ms: num().pipe(
            z
              .number()
              .int()
              .min(0)
              .max(366 * 24 * 3_600_000),
          ),
        }),
        async (p) => {
          if (!state.virtualClock) {
            return failure(
              400,
              'invalid_input',
              'This simulator runs on the real clock, which cannot be advanced: restart it with --clock virtual, or wait.',
              { data: { reason: 'clock_not_virtual' } },
            );
          }
          const r = await world().advance(p.ms);
          return r.ok ? success(clockJson(state)) : failureReply(r.error);
        },
      ),
    },
    {
      path: '/_sim/faults',
      methods: ['POST'],
      handle: handler(
        z.object({
          kind: z.enum(['server_error', 'rate_limited', 'latency', 'reply_lost']),
          count: num().pipe(z.number().int().min(1).max(1_000_000)).optional(),
          operations: z.array(z.enum(SIM_OPERATIONS)).min(1).optional(),
          status: num()
            .pipe(z.union([z.literal(500), z.literal(503)]))
            .optional(),
          retry_after_ms: num().pipe(z.number().int().min(0)).optional(),
          latency_ms: num().pipe(z.number().int().min(0).max(120_000)).optional(),
        }),
        (p) => {
          const common = {
            ...(p.count !== undefined ? { count: p.count } : {}),
            ...(p.operations !== undefined ? { operations: p.operations } : {}),
          };
          const r =
            p.kind === 'server_error'
              ? world().injectFault({
                  kind: 'server_error',
                  ...(p.status !== undefined ? { status: p.status } : {}),
                  ...common,
                })
              : p.kind === 'rate_limited'
                ? world().injectFault({
                    kind: 'rate_limited',
                    ...(p.retry_after_ms !== undefined ? { retryAfterMs: p.retry_after_ms } : {}),
                    ...common,
                  })
                : p.kind === 'latency'
                  ? world().injectFault({ kind: 'latency', latencyMs: p.latency_ms ?? 1_000, ...common })
                  : world().injectFault({ kind: 'reply_lost', ...common });
          return done(r, (f) => ({ fault: faultJson(f) }));
        },
      ),
    },
    {
      path: '/_sim/faults/list',
      methods: ['GET', 'POST'],
      handle: () => success({ faults: world().listFaults().map(faultJson) }),
    },
    {
      path: '/_sim/faults/clear',
      methods: ['POST'],
      handle: () => {
        world().clearFaults();
        return success({});
      },
    },
    {
      path: '/_sim/rate_limits',
      methods: ['POST'],
      handle: handler(z.object({ enabled: bool() }), (p) => {
        world().setRateLimitsEnabled(p.enabled);
        return success({ rate_limits: world().config.rateLimits });
      }),
    },
    {
      path: '/_sim/sites/list',
      methods: ['GET', 'POST'],
      handle: () => done(world().listSites(), (sites) => ({ sites: sites.map(siteJson) })),
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
            (d) => ({ device: dev(d) }),
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
    {
      path: '/_sim/limits',
      methods: ['GET', 'POST'],
      handle: () => success(limitsJson(state.limits, state.usage())),
    },
    {
      path: '/_sim/snapshot',
      methods: ['GET', 'POST'],
      handle: () => success({ snapshot: world().toJSON() }),
    },
    {
      path: '/_sim/restore',
      methods: ['POST'],
      maxBodyBytes: RESTORE_MAX_BODY_BYTES,
      handle: (ctx) => {
        // The whole snapshot is checked and the new world built and run before it replaces the
        // current one: a refused snapshot changes nothing.
        const snap = ctx.params['snapshot'] ?? ctx.params;
        const r = restoreWorldSnapshot(snap, state.restoreOptions());
        if (!r.ok) return snapshotRefused(r.error);
        state.replaceWorld(r.value);
        return success(worldJson(state, 'snapshot'));
      },
    },
    {
      path: '/_sim/reset',
      methods: ['POST'],
      handle: () => {
        const r = state.restoreWorld(state.initialSnapshot());
        if (!r.ok) return failureReply(r.error);
        state.replaceWorld(r.value);
        state.webviews.clear();
        return success(worldJson(state, 'startup'));
      },
    },
  ];
}

/** Faults as the request that injects them spells them (snake_case, flat). */
function faultJson(f: ActiveFault): Json {
  const spec = f.spec;
  return {
    fault_id: f.faultId,
    kind: spec.kind,
    remaining: f.remaining,
    operations: f.operations === null ? null : [...f.operations],
    ...(spec.kind === 'server_error' && spec.status !== undefined ? { status: spec.status } : {}),
    ...(spec.kind === 'rate_limited' && spec.retryAfterMs !== undefined
      ? { retry_after_ms: spec.retryAfterMs }
      : {}),
    ...(spec.kind === 'latency' ? { latency_ms: spec.latencyMs } : {}),
  };
}

/** What `/_sim/reset` and `/_sim/restore` answer: the world now in place (its sites with slot usage), and its clock. */
function worldJson(state: SimState, from: 'startup' | 'snapshot'): Json {
  const sites = state.world.listSites();
  const devices = state.world.listDevices();
  return {
    world: {
      restored_from: from,
      sites: sites.ok ? sites.value.map(siteJson) : [],
      device_count: devices.ok ? devices.value.length : 0,
      access_code_count: state.world.inspectAccessCodes().length,
    },
    clock: clockJson(state),
  };
}

function clockJson(state: SimState): Json {
  const now = state.world.now();
  const next = state.world.nextTransitionAt();
  return {
    clock: state.virtualClock ? 'virtual' : 'real',
    now: iso(now),
    next_transition_at: next === null ? null : iso(next),
    pending_transitions: state.world.pendingTransitions,
  };
}

/** 400 `invalid_input` for a refused snapshot, each bad field under `snapshot.` in `validation_errors`. */
function snapshotRefused(f: SimFailure): ErrorReply | { kind: 'drop' } {
  const problems = (f.data?.['problems'] ?? null) as { path: string[]; message: string }[] | null;
  if (f.type !== 'invalid_input' || problems === null) return failureReply(f);
  return failure(400, 'invalid_input', f.message, {
    validation_errors: validationTree(
      problems.map((p) => ({ path: ['snapshot', ...p.path], message: p.message })),
    ),
  });
}

function notFoundDevice(id: string) {
  return {
    type: 'device_not_found' as const,
    message: `Device ${JSON.stringify(id)} was not found. List devices to get a current id.`,
    data: { device_id: id },
  };
}
