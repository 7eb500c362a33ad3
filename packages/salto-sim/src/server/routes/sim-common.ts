import { z } from 'zod/v4';
import type { DeviceView, SimResult, SiteView } from '../../world/types.js';
import type { RouteContext } from '../http.js';
import { type Reply, success } from '../reply.js';
import { deviceJson, iso, type Json } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { parseParams } from '../validation.js';
import { failureReply } from './seam-common.js';

/**
 * What the simulator-only `/_sim/*` routes share: zod-checked parameters, the reply to a world
 * result, and the JSON of sites, devices and the clock. Loaded on the first `/_sim/` call.
 */

export const hubLink = z.enum(['good', 'weak', 'offline']);

export function handler<S extends z.ZodType>(
  schema: S,
  fn: (p: z.output<S>, ctx: RouteContext) => Reply | Promise<Reply>,
) {
  return async (ctx: RouteContext): Promise<Reply> => {
    const p = parseParams(schema, ctx.params);
    return p.ok ? fn(p.value, ctx) : p.error;
  };
}

/** Replies to a world result (`body` of its value, or its failure) and lets due work run. */
export function done<T>(state: SimState, r: SimResult<T>, body: (v: T) => Json): Reply {
  state.scheduleTick();
  return r.ok ? success(body(r.value)) : failureReply(r.error);
}

/** A device as Seam JSON, with its site. */
export const deviceJsonOf = (state: SimState, d: DeviceView): Json =>
  deviceJson(d, state.world.inspectSite(d.siteId) ?? undefined);

export function siteJson(s: SiteView): Json {
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

export function clockJson(state: SimState): Json {
  const now = state.world.now();
  const next = state.world.nextTransitionAt();
  return {
    clock: state.virtualClock ? 'virtual' : 'real',
    now: iso(now),
    next_transition_at: next === null ? null : iso(next),
    pending_transitions: state.world.pendingTransitions,
  };
}
