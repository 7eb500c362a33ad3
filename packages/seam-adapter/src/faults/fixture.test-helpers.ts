/**
 * The whole-stack fixture of the exactly-once fault scenarios: a simulated Salto KS world behind
 * the simulator's Seam-compatible HTTP server on 127.0.0.1, and fresh `SeamLockGateway`s over it
 * (lock path) or fresh `SeamAccessGrantGateway`s (ACS path, `httpAcsFixture`).
 */
import { DEFAULT_SLOT_LEAD_TIME_MS, silentLogger, VirtualClock } from '@keyslot/core';
import type { AcsExactlyOnceFixture, InjectedFault, LockExactlyOnceFixture } from '@keyslot/core/testing';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { type SimServer, startSimServer } from '@keyslot/salto-sim/server';
import { acsProviderView, providerView } from '@keyslot/salto-sim/testing';
import { SeamAccessGrantGateway } from '../acs-gateway.js';
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

/** The simulator server of one scenario: its world, the schema check of every call, and `/_sim` controls. */
async function faultsServer(seed: number, slotLimit: number) {
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
  const limit = { known: slotLimit };
  const sim = async (route: string, body: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} → HTTP ${res.status}: ${await res.text()}`);
  };
  const controls = {
    server,
    clock,
    maxLatencyMs: MAX_LATENCY_MS,
    injectFault: (fault: InjectedFault, target: string, count: number) =>
      sim('/_sim/faults', {
        kind: fault.kind,
        count,
        operations: [target],
        ...(fault.kind === 'server_error' ? { status: fault.status } : {}),
        ...(fault.kind === 'latency' ? { latency_ms: fault.ms } : {}),
      }),
    clearFaults: () => sim('/_sim/faults/clear', {}),
    setSlotLimit: async (next: number) => {
      await sim('/_sim/slot_limit', { site_id: accountId, slot_limit: next });
      limit.known = next;
    },
    advance: (ms: number) => sim('/_sim/clock/advance', { ms }),
    close: async () => {
      try {
        await schemas.assertClean();
      } finally {
        await server.close();
      }
    },
  };
  return { world, accountId, lockIds, server, schemas, limit, sim, controls };
}

export async function httpFixture(
  seed: number,
  slotLimit: number,
): Promise<LockExactlyOnceFixture & { server: SimServer; close(): Promise<void> }> {
  const { accountId, lockIds, server, schemas, limit, sim, controls } = await faultsServer(seed, slotLimit);
  return {
    ...controls,
    siteId: accountId,
    lockIds,
    slotLeadTimeMs: DEFAULT_SLOT_LEAD_TIME_MS,
    faultTargets: FAULT_TARGETS,
    newGateway: () =>
      new SeamLockGateway(
        {
          apiKey: API_KEY,
          endpoint: server.url,
          fetch: schemas.fetch,
          slotLimitFor: (id) => (id === accountId ? limit.known : undefined),
        },
        { clock: controls.clock, logger: silentLogger },
      ),
    setHubLink: (lockId, link) => sim('/_sim/hub_link', { device_id: lockId, hub_link: link }),
    inspect: () => providerView(server.world, accountId),
  };
}

/** Simulator operations behind the routes the Access Grants gateway calls. */
export const ACS_FAULT_TARGETS = [
  'create_access_grant',
  'delete_access_grant',
  'get_access_grant',
  'list_access_grants',
  'list_access_methods',
  'list_acs_systems',
  'list_acs_entrances',
  'list_acs_users',
  'get_acs_user',
  'list_connected_accounts',
  'list_devices',
  'list_access_codes',
] as const;

/**
 * The same world reached as a Salto KS access control system over HTTP: fresh
 * `SeamAccessGrantGateway`s, the site's ACS system as the site and its locks' entrances as doors.
 */
export async function httpAcsFixture(
  seed: number,
  slotLimit: number,
): Promise<AcsExactlyOnceFixture & { server: SimServer; close(): Promise<void> }> {
  const { world, accountId, lockIds, server, schemas, limit, sim, controls } = await faultsServer(
    seed,
    slotLimit,
  );
  const siteId = world.acs.acsSystemIdOf(accountId);
  const deviceOf = new Map(lockIds.map((id) => [world.acs.acsEntranceIdOf(id), id]));
  return {
    ...controls,
    path: 'access_grants',
    siteId,
    lockIds: [...deviceOf.keys()],
    slotLeadTimeMs: 0,
    faultTargets: ACS_FAULT_TARGETS,
    newAccessGrants: () =>
      new SeamAccessGrantGateway(
        {
          apiKey: API_KEY,
          endpoint: server.url,
          fetch: schemas.fetch,
          slotLimitFor: (id) => (id === siteId ? limit.known : undefined),
        },
        { clock: controls.clock, logger: silentLogger },
      ),
    setHubLink: (doorId, link) =>
      sim('/_sim/hub_link', { device_id: deviceOf.get(doorId) ?? doorId, hub_link: link }),
    inspect: () => acsProviderView(server.world, accountId),
  };
}
