import type { Clock } from '@keyslot/core';
import { createDefaultWorld, type DefaultWorldIds } from '../world/default-world.js';
import type { WorldConfigInput } from '../world/types.js';
import type { SimLimits } from './limits.js';
import { expectSeamResponse } from './seam-contract.test-helpers.js';
import { type SimServer, startSimServer } from './server.js';
import type { DeliveryOptions } from './webhooks.js';

export const TEST_KEY = 'seam_test_key_for_the_simulator';

/** Salto delays short enough for a real-clock test (SDK polling) to finish quickly. */
export const FAST_TIMINGS = {
  pinAssignmentMs: [20, 80],
  programmingMs: [20, 80],
  removalMs: [20, 80],
  unlockMs: [20, 80],
  relockMs: 100,
} as const;

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked against Seam's schemas, then read freely.
  readonly body: any;
}

export interface TestServer {
  readonly server: SimServer;
  readonly ids: DefaultWorldIds;
  readonly url: string;
  /**
   * Every response the server sent (to the helpers, the SDK or anyone) that broke Seam's
   * schemas, checked server-side; tests assert it stays empty.
   */
  readonly violations: string[];
  /** POST (or GET with a query) a route; every response is checked against Seam's schemas. */
  call(
    route: string,
    params?: Record<string, unknown>,
    init?: { method?: string; key?: string | null },
  ): Promise<CallResult>;
  /** A raw request (bad bodies, headers); the response is still checked for the Seam envelope. */
  raw(route: string, init: RequestInit): Promise<CallResult>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    seed?: number;
    clock?: Clock;
    config?: WorldConfigInput;
    webhooks?: DeliveryOptions;
    limits?: Partial<SimLimits>;
  } = {},
): Promise<TestServer> {
  const { world, ids } = createDefaultWorld({
    seed: options.seed ?? 7,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const violations: string[] = [];
  const server = await startSimServer({
    world,
    apiKey: TEST_KEY,
    port: 0,
    onResponse: ({ path, status, requestId, payload }) => {
      if (status === 0) return; // dropped on purpose (reply_lost fault)
      if (payload === '') return; // the console's HTML, script and event stream are not Seam replies
      try {
        const headers = new Headers({ 'seam-request-id': requestId, 'content-type': 'application/json' });
        expectSeamResponse(status, headers, JSON.parse(payload), path);
      } catch (e) {
        violations.push(`${path} → ${status}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const raw = async (route: string, init: RequestInit): Promise<CallResult> => {
    const res = await fetch(server.url + route, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${route}: response is not JSON: ${text.slice(0, 200)}`);
    }
    expectSeamResponse(res.status, res.headers, body, route.split('?')[0] as string);
    return { status: res.status, headers: res.headers, body };
  };
  return {
    server,
    ids,
    url: server.url,
    violations,
    raw,
    call(route, params = {}, init = {}) {
      const method = init.method ?? 'POST';
      const headers: Record<string, string> = {};
      if (init.key !== null) headers['authorization'] = `Bearer ${init.key ?? TEST_KEY}`;
      if (method === 'GET') {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(params)) {
          if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
          else if (v !== undefined) q.append(k, String(v));
        }
        const qs = q.toString();
        return raw(qs ? `${route}?${qs}` : route, { method, headers });
      }
      headers['content-type'] = 'application/json';
      return raw(route, { method, headers, body: JSON.stringify(params) });
    },
    close: () => server.close(),
  };
}
