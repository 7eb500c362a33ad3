import { LOCK_GATEWAY, type LockGateway, ONGOING, VirtualClock } from '@keyslot/core';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { SALTO_KS_SIMULATOR, saltoSimModule } from '../module.js';
import { SaltoKsSimulator } from './salto-ks-simulator.js';

const setup = () =>
  SaltoKsSimulator.withDefaultWorld({ seed: 4, clock: new VirtualClock(Date.UTC(2026, 0, 1)) });

describe('SaltoKsSimulator failure mapping', () => {
  it('no PIN pad and no remote unlock → capability_missing; unknown site → site_not_found', async () => {
    const { simulator, ids } = setup();
    const code = await simulator.createAccessCode({
      lockId: ids.locks.bikeStorage,
      name: 'x',
      window: ONGOING,
    });
    expect(!code.ok && code.error).toMatchObject({
      code: 'capability_missing',
      providerCode: 'access_codes_not_supported',
    });
    const unlock = await simulator.unlock(ids.locks.apartment2);
    expect(!unlock.ok && unlock.error.code).toBe('capability_missing');
    const locks = await simulator.listLocks('no-such-site');
    expect(!locks.ok && locks.error.code).toBe('site_not_found');
    expect(!(await simulator.getSlotUsage('no-such-site')).ok).toBe(true);
  });

  it('a lost reply after commit → outcome_unknown, and the code exists (findable by name)', async () => {
    const { simulator, ids } = setup();
    simulator.injectFault({ kind: 'reply_lost', operations: ['create_access_code'] });
    const r = await simulator.createAccessCode({
      lockId: ids.locks.frontDoor,
      name: 'keyslot:g1',
      window: ONGOING,
    });
    expect(!r.ok && r.error.code).toBe('outcome_unknown');
    const listed = await simulator.listAccessCodes(ids.locks.frontDoor);
    expect(listed.ok && listed.value.map((c) => c.name)).toEqual(['keyslot:g1']);
  });

  it('5xx → unavailable; 429 → rate_limited with retryAfterMs', async () => {
    const { simulator, ids } = setup();
    simulator.injectFault({ kind: 'server_error', status: 503 });
    const a = await simulator.getLock(ids.locks.frontDoor);
    expect(!a.ok && a.error.code).toBe('unavailable');
    simulator.injectFault({ kind: 'rate_limited', retryAfterMs: 1234 });
    const b = await simulator.unlock(ids.locks.frontDoor);
    expect(!b.ok && b.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1234 });
  });

  it('latency faults advance the virtual clock before the call', async () => {
    const { simulator, ids } = setup();
    const t0 = simulator.world.now();
    simulator.injectFault({ kind: 'latency', latencyMs: 5_000 });
    expect((await simulator.getLock(ids.locks.frontDoor)).ok).toBe(true);
    expect(simulator.world.now() - t0).toBe(5_000);
  });

  it('a code on an offline lock carries the hub_offline issue until the hub reconnects', async () => {
    const { simulator, ids } = setup();
    const r = await simulator.createAccessCode({
      lockId: ids.locks.rooftop,
      name: 'keyslot:r',
      window: ONGOING,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.issues.map((i) => i.code)).toEqual(['hub_offline']);
    simulator.setHubLink(ids.locks.rooftop, 'good');
    await simulator.settle();
    const later = await simulator.getAccessCode(r.value.id);
    expect(later.ok && later.value).toMatchObject({ status: 'set', issues: [] });
  });

  it('rejects malformed input naming the field, without touching the world', async () => {
    const { simulator, ids } = setup();
    const r = await simulator.createAccessCode({
      lockId: ids.locks.frontDoor,
      name: 'x',
      window: { kind: 'scheduled', startsAt: 10, endsAt: 5 },
    });
    expect(!r.ok && r.error.code).toBe('invalid_input');
    expect(!r.ok && r.error.message).toContain('window.endsAt');
    expect(simulator.world.inspectAccessCodes()).toEqual([]);
  });
});

describe('saltoSimModule', () => {
  it('binds LOCK_GATEWAY and SALTO_KS_SIMULATOR to one simulator over the default world', async () => {
    const container = new Container();
    container.load(saltoSimModule({ seed: 2 }));
    const gateway = container.get<LockGateway>(LOCK_GATEWAY);
    const sim = container.get(SALTO_KS_SIMULATOR);
    expect(gateway).toBe(sim);
    const sites = await gateway.listSites();
    expect(sites.ok && sites.value.map((s) => s.name)).toEqual(['Casa Sol Apartments', 'Harbour Office']);
  });
});
