import type { DeviceView, SimFailure, SimOperation, SiteView } from '../../world/types.js';
import { httpStatusOf } from '../failure-status.js';
import type { Route, RouteContext } from '../http.js';
import { checkParams, type Params, type SchemaName } from '../params.js';
import { type ErrorReply, failure, type Reply } from '../reply.js';
import { deviceJson, type Json } from '../seam-views.js';
import type { SimState } from '../sim-state.js';

/**
 * What every Seam route handler shares: verbs, parameter checking, latency faults, a world
 * failure as a Seam error reply, and the per-request view lookups. No zod here: the Seam routes
 * load at start-up, the `/_sim/*` controls (and zod) on first use.
 */

export const READ = ['GET', 'POST'] as const;
export const WRITE = ['POST'] as const;

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
export function withParams<K extends SchemaName>(
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
export function withLatency(state: SimState, op: SimOperation, handle: Route['handle']): Route['handle'] {
  return (ctx) => {
    const ms = state.world.takeLatency(op);
    if (ms > 0) return new Promise((resolve) => setTimeout(resolve, ms)).then(() => handle(ctx));
    return handle(ctx);
  };
}

/** Per-request caches of the lookups the views need. */
export class ViewContext {
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

/** An ISO 8601 request parameter as epoch milliseconds (already validated by the schema). */
export const toMs = (s: string): number => Date.parse(s);
