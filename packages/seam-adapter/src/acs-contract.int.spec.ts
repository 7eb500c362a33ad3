/**
 * Core's AccessGrantGateway contract, run against `SeamAccessGrantGateway` pointed at the
 * simulator's Seam-compatible HTTP server on 127.0.0.1 (ephemeral port): Seam's Salto KS ACS
 * integration and Access Grants, offline, over real HTTP. Controls (slot limit, time) go through
 * the server's `/_sim/*` routes; every request and 2xx reply is checked against Seam's newest
 * OpenAPI. Faults over real sockets on this path: the last block.
 */
import { MemoryLogger, VirtualClock } from '@keyslot/core';
import { type AccessGrantContractFixture, describeAccessGrantGatewayContract } from '@keyslot/core/testing';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { startSimServer } from '@keyslot/salto-sim/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import { useSeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';

const API_KEY = 'seam_acs_contract_key_1234';
const SETTLE_MS = 10 * 60_000;
const T0 = Date.UTC(2026, 2, 1);
const schemas = useSeamSchemaCheck();

interface AcsServerFixture extends AccessGrantContractFixture {
  sim(route: string, body: Record<string, unknown>): Promise<unknown>;
  readonly logger: MemoryLogger;
  /** The lock integration's device ids of the contract site's locks. */
  readonly lockIds: readonly string[];
  /** Slots used on the contract site, as the simulated world counts them. */
  worldUsed(): number;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function acsServerFixture(): Promise<AcsServerFixture> {
  // Two Salto KS sites behind one account, each an ACS system; the contract's site has five
  // PIN-pad doors, the other one door (so listing every door and the site filter both matter).
  const world = new SaltoKsWorld({ seed: 11, clock: new VirtualClock(T0) });
  const account = must(world.addConnectedAccount({ displayName: 'ACS contract account' }));
  const site = must(
    world.addSite({
      connectedAccountId: account.connectedAccountId,
      siteName: 'ACS contract site',
      slotLimit: 10,
    }),
  );
  const hub = must(world.addHub({ siteId: site.siteId, name: 'IQ' }));
  const locks = ['A', 'B', 'C', 'D', 'E'].map(
    (name) => must(world.addLock({ hubId: hub.hubId, name, lockType: 'wall_reader_pin' })).deviceId,
  );
  const other = must(
    world.addSite({
      connectedAccountId: account.connectedAccountId,
      siteName: 'Other ACS site',
      slotLimit: 2,
    }),
  );
  must(world.addLock({ hubId: must(world.addHub({ siteId: other.siteId, name: 'IQ 2' })).hubId, name: 'Z' }));
  const server = await startSimServer({ world, apiKey: API_KEY });

  const siteId = world.acs.acsSystemIdOf(site.siteId);
  const doorIds = locks.map((d) => world.acs.acsEntranceIdOf(d));
  // What the application knows about its plan (Seam reports limits only above 80 %).
  let knownLimit = 10;
  const logger = new MemoryLogger('info');
  const gateway = new SeamAccessGrantGateway(
    {
      apiKey: API_KEY,
      endpoint: server.url,
      slotLimitFor: (id) =>
        id === siteId ? knownLimit : id === world.acs.acsSystemIdOf(other.siteId) ? 2 : undefined,
      recoveryDelayMs: 0,
      fetch: schemas.fetch,
    },
    { clock: new VirtualClock(T0, { autoAdvance: true }), logger },
  );
  const sim = async (route: string, body: Record<string, unknown>): Promise<unknown> => {
    const res = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} → HTTP ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    gateway,
    siteId,
    doorIds: [doorIds[0]!, doorIds[1]!, doorIds[2]!, doorIds[3]!, doorIds[4]!],
    control: {
      setSlotLimit: async (_siteId, limit) => {
        await sim('/_sim/slot_limit', { site_id: site.siteId, slot_limit: limit });
        knownLimit = limit;
      },
      now: async () => Date.parse(((await sim('/_sim/clock', {})) as { now: string }).now),
      advance: async (ms) => {
        await sim('/_sim/clock/advance', { ms });
      },
      settle: async () => {
        await sim('/_sim/clock/advance', { ms: SETTLE_MS });
      },
    },
    cleanup: () => server.close(),
    sim,
    logger,
    lockIds: locks,
    worldUsed: () => world.inspectSite(site.siteId)?.used ?? -1,
  };
}

describeAccessGrantGatewayContract(
  'SeamAccessGrantGateway → simulator HTTP server on 127.0.0.1',
  acsServerFixture,
  {
    describe,
    it,
    expect,
    beforeEach,
    afterEach,
  },
);

describe('SeamAccessGrantGateway → simulator HTTP server: faults over real sockets', () => {
  const input = (fx: AcsServerFixture, key: string) => ({
    key,
    siteId: fx.siteId,
    doorIds: fx.doorIds.slice(0, 4),
    window: { kind: 'ongoing' as const },
    holder: 'Lost Reply',
    methods: ['code' as const],
  });

  it('a create whose reply is lost (connection dropped after commit) is found by key, not made twice', async () => {
    const fx = await acsServerFixture();
    try {
      await fx.sim('/_sim/faults', { kind: 'reply_lost', operations: ['create_access_grant'], count: 1 });
      const r = await fx.gateway.createAccessGrant(input(fx, 'lost-reply'));
      expect(r.ok && r.value.key).toBe('lost-reply');
      const listed = await fx.gateway.listAccessGrants(fx.siteId);
      expect(listed.ok && listed.value.filter((g) => g.key === 'lost-reply').map((g) => g.id)).toEqual([
        r.ok && r.value.id,
      ]);
      const messages = fx.logger.entries.map((e) => e.message);
      expect(messages).toContain('seam access grant create reply lost; looking it up by key');
      expect(messages).toContain('seam access grant create recovered: the grant exists');
    } finally {
      await fx.cleanup();
    }
  });

  it('a 503 on a create is unavailable, not retried, and nothing is made', async () => {
    const fx = await acsServerFixture();
    try {
      await fx.sim('/_sim/faults', {
        kind: 'server_error',
        status: 503,
        operations: ['create_access_grant'],
        count: 1,
      });
      const r = await fx.gateway.createAccessGrant(input(fx, 'refused'));
      expect(r.ok ? 'ok' : r.error.code).toBe('unavailable');
      expect(await fx.gateway.findAccessGrant('refused')).toEqual({ ok: true, value: null });
    } finally {
      await fx.cleanup();
    }
  });

  it('one pool: a lock-integration code and an Access Grant on the same site are two Salto users, both counted', async () => {
    const fx = await acsServerFixture();
    try {
      await fx.sim('/access_codes/create', { device_id: fx.lockIds[0], name: 'lock path code' });
      const made = await fx.gateway.createAccessGrant(input(fx, 'one-pool'));
      expect(made.ok).toBe(true);
      const usage = await fx.gateway.getSlotUsage(fx.siteId);
      expect(usage.ok && usage.value.used).toBe(2);
      expect(fx.worldUsed()).toBe(2);
    } finally {
      await fx.cleanup();
    }
  });

  it('a lost delete reply is settled by reading the grant: the slot is free and the grant gone', async () => {
    const fx = await acsServerFixture();
    try {
      const made = await fx.gateway.createAccessGrant(input(fx, 'lost-delete'));
      if (!made.ok) throw new Error(made.error.message);
      await fx.sim('/_sim/faults', { kind: 'reply_lost', operations: ['delete_access_grant'], count: 1 });
      expect(await fx.gateway.deleteAccessGrant(made.value.id)).toEqual({ ok: true, value: undefined });
      expect(await fx.gateway.findAccessGrant('lost-delete')).toEqual({ ok: true, value: null });
    } finally {
      await fx.cleanup();
    }
  });
});
