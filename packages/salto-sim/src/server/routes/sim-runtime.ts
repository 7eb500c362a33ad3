import { z } from 'zod/v4';
import { SIM_OPERATIONS } from '../../world/snapshot-schema.js';
import type { ActiveFault } from '../../world/types.js';
import type { Route } from '../http.js';
import { limitsJson } from '../limits.js';
import { failure, success } from '../reply.js';
import type { Json } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { bool, num } from '../validation.js';
import { failureReply } from './seam-common.js';
import { clockJson, done, handler } from './sim-common.js';

/** `/_sim/*` controls of the world's runtime: the clock, injected faults, rate limits. */
export function simRuntimeRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
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
          return done(state, r, (f) => ({ fault: faultJson(f) }));
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
      path: '/_sim/limits',
      methods: ['GET', 'POST'],
      handle: () => success(limitsJson(state.limits, state.usage())),
    },
    {
      path: '/_sim/rate_limits',
      methods: ['POST'],
      handle: handler(z.object({ enabled: bool() }), (p) => {
        world().setRateLimitsEnabled(p.enabled);
        return success({ rate_limits: world().config.rateLimits });
      }),
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
