/**
 * Core's LockGateway contract, run against this adapter pointed at the simulator's Seam-compatible
 * HTTP server on 127.0.0.1 (ephemeral port): the whole stack, offline, over real HTTP. The test
 * controls (slot limit, hub link, time) go through the server's `/_sim/*` routes too.
 */
import { MemoryLogger, ONGOING, VirtualClock } from '@keyslot/core';
import { describeLockGatewayContract, type GatewayContractFixture } from '@keyslot/core/testing';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { startSimServer } from '@keyslot/salto-sim/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeamLockGateway } from './gateway.js';
import { useSeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';

const API_KEY = 'seam_contract_test_key_1234';
const SETTLE_MS = 10 * 60_000;
const schemas = useSeamSchemaCheck();

interface ServerFixture extends GatewayContractFixture {
  sim(route: string, body: Record<string, unknown>): Promise<void>;
  readonly logger: MemoryLogger;
}

async function serverFixture(): Promise<ServerFixture> {
  // Two Salto KS sites behind one account: devices carry `salto_ks_metadata.site_id` (as Seam
  // sends since 2026-02), so the adapter keeps the sites and their slot counts apart.
  const world = new SaltoKsWorld({ seed: 7, clock: new VirtualClock(Date.UTC(2026, 2, 1)) });
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const account = must(world.addConnectedAccount({ displayName: 'Contract account' }));
  const site = must(
    world.addSite({
      connectedAccountId: account.connectedAccountId,
      siteName: 'Contract site',
      slotLimit: 10,
    }),
  );
  const hub = must(world.addHub({ siteId: site.siteId, name: 'IQ' }));
  const lockA = must(world.addLock({ hubId: hub.hubId, name: 'A', lockType: 'wall_reader_pin' })).deviceId;
  const lockB = must(world.addLock({ hubId: hub.hubId, name: 'B', lockType: 'escutcheon_pin' })).deviceId;
  const otherSite = must(
    world.addSite({ connectedAccountId: account.connectedAccountId, siteName: 'Other site', slotLimit: 1 }),
  );
  const otherHub = must(world.addHub({ siteId: otherSite.siteId, name: 'IQ 2' }));
  must(world.addLock({ hubId: otherHub.hubId, name: 'C', lockType: 'escutcheon_pin' }));
  const server = await startSimServer({ world, apiKey: API_KEY });

  // What the application knows about its plan (Seam reports limits only above 80 %).
  let knownLimit = 10;
  const logger = new MemoryLogger('info');
  const gateway = new SeamLockGateway(
    {
      apiKey: API_KEY,
      endpoint: server.url,
      fetch: schemas.fetch,
      slotLimitFor: (id) => (id === site.siteId ? knownLimit : id === otherSite.siteId ? 1 : undefined),
      recoveryDelayMs: 0,
    },
    {
      clock: new VirtualClock(Date.UTC(2026, 2, 1), { autoAdvance: true }),
      logger,
    },
  );
  const sim = async (route: string, body: Record<string, unknown>) => {
    const res = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} → HTTP ${res.status}: ${await res.text()}`);
  };
  return {
    gateway,
    siteId: site.siteId,
    lockIds: [lockA, lockB],
    control: {
      setSlotLimit: async (_siteId, limit) => {
        await sim('/_sim/slot_limit', { site_id: site.siteId, slot_limit: limit });
        knownLimit = limit;
      },
      setHubLink: (lockId, link) => sim('/_sim/hub_link', { device_id: lockId, hub_link: link }),
      settle: () => sim('/_sim/clock/advance', { ms: SETTLE_MS }),
    },
    cleanup: () => server.close(),
    sim,
    logger,
  };
}

describeLockGatewayContract('SeamLockGateway → simulator HTTP server on 127.0.0.1', serverFixture, {
  describe,
  it,
  expect,
  beforeEach,
  afterEach,
});

describe('SeamLockGateway → simulator HTTP server: faults over real sockets', () => {
  it('a create whose reply is lost (connection dropped after commit) is found, not created twice', async () => {
    const fx = await serverFixture();
    try {
      const lockId = fx.lockIds[0];
      await fx.sim('/_sim/faults', { kind: 'reply_lost', operations: ['create_access_code'], count: 1 });
      const r = await fx.gateway.createAccessCode({ lockId, name: 'keyslot:lost-reply', window: ONGOING });
      expect(r.ok).toBe(true);
      const listed = await fx.gateway.listAccessCodes(lockId);
      if (!listed.ok) throw new Error(listed.error.message);
      const mine = listed.value.filter((c) => c.name === 'keyslot:lost-reply');
      expect(mine.length).toBe(1);
      expect(r.ok && r.value.id).toBe(mine[0]?.id);
      // The reply really was lost and the code found by lookup.
      const messages = fx.logger.entries.map((e) => e.message);
      expect(messages).toContain('seam create reply lost; looking the code up by name');
      expect(messages).toContain('seam create recovered: the code exists');
    } finally {
      await fx.cleanup();
    }
  });

  it('a 503 on a create is returned as unavailable, not retried, and nothing is created', async () => {
    const fx = await serverFixture();
    try {
      const lockId = fx.lockIds[0];
      await fx.sim('/_sim/faults', {
        kind: 'server_error',
        status: 503,
        operations: ['create_access_code'],
        count: 1,
      });
      const r = await fx.gateway.createAccessCode({ lockId, name: 'keyslot:refused', window: ONGOING });
      expect(r.ok ? 'ok' : r.error.code).toBe('unavailable');
      const listed = await fx.gateway.listAccessCodes(lockId);
      expect(listed.ok && listed.value.filter((c) => c.name === 'keyslot:refused').length).toBe(0);
    } finally {
      await fx.cleanup();
    }
  });
});
