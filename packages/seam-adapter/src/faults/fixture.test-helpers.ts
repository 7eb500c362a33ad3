/**
 * The whole-stack fixture of the exactly-once fault scenarios: a simulated Salto KS world behind
 * the simulator's Seam-compatible HTTP server on 127.0.0.1, and fresh `SeamLockGateway`s over it.
 */
import { DEFAULT_SLOT_LEAD_TIME_MS, silentLogger, VirtualClock } from '@keyslot/core';
import type { ExactlyOnceFixture } from '@keyslot/core/testing';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { type SimServer, startSimServer } from '@keyslot/salto-sim/server';
import { providerView } from '@keyslot/salto-sim/testing';
import { SeamLockGateway } from '../gateway.js';
import { SeamSchemaCheck } from '../testing/validating-fetch.test-helpers.js';

export const API_KEY = 'seam_faults_test_key_1234';
const T0 = Date.UTC(2026, 2, 1);
/** Simulator operations behind the routes the adapter calls. */
export const FAULT_TARGETS = [
  'create_access_code',
  'delete_access_code',
  'list_access_codes',
  'get_access_code',
  'list_devices',
  'get_device',
  'list_connected_accounts',
  'unlock_door',
  'get_action_attempt',
] as const;
/** Latency faults delay the HTTP reply in wall-clock time: keep them small. */
export const MAX_LATENCY_MS = 25;

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export async function httpFixture(
  seed: number,
  slotLimit: number,
): Promise<ExactlyOnceFixture & { server: SimServer; close(): Promise<void> }> {
  const clock = new VirtualClock(T0, { autoAdvance: true });
  const world = new SaltoKsWorld({ seed, clock });
  // One site, given a fixed UUID (the `/_sim/slot_limit` control takes UUIDs); devices carry it as
  // `salto_ks_metadata.site_id`, so the adapter and the account's slot notices name the same site.
  const accountId = '0f0f0f0f-0000-4000-8000-00000000fa17';
  must(world.addConnectedAccount({ displayName: 'Faults account', connectedAccountId: accountId }));
  must(
    world.addSite({ connectedAccountId: accountId, siteId: accountId, siteName: 'Faults site', slotLimit }),
  );
  const hub = must(world.addHub({ siteId: accountId, name: 'IQ' }));
  const lockIds = ['A', 'B', 'C'].map(
    (name) => must(world.addLock({ hubId: hub.hubId, name, lockType: 'wall_reader_pin' })).deviceId,
  );
  const server = await startSimServer({ world, apiKey: API_KEY });
  // Every request of every gateway of the scenario, and every reply it gets, against Seam's newest
  // OpenAPI; `close()` fails the run on any finding.
  const schemas = new SeamSchemaCheck();
  let knownLimit = slotLimit;
  const sim = async (route: string, body: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} → HTTP ${res.status}: ${await res.text()}`);
  };
  return {
    server,
    siteId: accountId,
    lockIds,
    clock,
    slotLeadTimeMs: DEFAULT_SLOT_LEAD_TIME_MS,
    faultTargets: FAULT_TARGETS,
    maxLatencyMs: MAX_LATENCY_MS,
    newGateway: () =>
      new SeamLockGateway(
        {
          apiKey: API_KEY,
          endpoint: server.url,
          fetch: schemas.fetch,
          slotLimitFor: (id) => (id === accountId ? knownLimit : undefined),
        },
        { clock, logger: silentLogger },
      ),
    injectFault: (fault, target, count) =>
      sim('/_sim/faults', {
        kind: fault.kind,
        count,
        operations: [target],
        ...(fault.kind === 'server_error' ? { status: fault.status } : {}),
        ...(fault.kind === 'latency' ? { latency_ms: fault.ms } : {}),
      }),
    clearFaults: () => sim('/_sim/faults/clear', {}),
    setHubLink: (lockId, link) => sim('/_sim/hub_link', { device_id: lockId, hub_link: link }),
    setSlotLimit: async (limit) => {
      await sim('/_sim/slot_limit', { site_id: accountId, slot_limit: limit });
      knownLimit = limit;
    },
    advance: (ms) => sim('/_sim/clock/advance', { ms }),
    inspect: () => providerView(server.world, accountId),
    close: async () => {
      try {
        await schemas.assertClean();
      } finally {
        await server.close();
      }
    },
  };
}
