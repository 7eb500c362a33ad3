import {
  type AccessGrantGateway,
  AwaitPins,
  DEFAULT_POLICY,
  GrantAccess,
  InMemoryGrantStore,
  ReportSlotUsage,
  RevokeAccess,
  silentLogger,
  VirtualClock,
} from '@keyslot/core';
import {
  ACCESS_GRANT_GATEWAY,
  createKeyslotContainer,
  GrantAccess as ResolvedGrantAccess,
} from '@keyslot/core/container';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { SALTO_KS_ACS_SIMULATOR, saltoSimAcsModule } from '../module.js';
import { SaltoKsAcsSimulator } from './acs-simulator.js';
import { SaltoKsSimulator } from './salto-ks-simulator.js';

/** One default world reached both ways: the lock integration and the access control system. */
function bothPaths() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1), { autoAdvance: true });
  const { simulator: locks, ids } = SaltoKsSimulator.withDefaultWorld({ seed: 4, clock });
  const acs = new SaltoKsAcsSimulator({ world: locks.world });
  const fourLocks = [ids.locks.frontDoor, ids.locks.apartment1, ids.locks.apartment2, ids.locks.gym];
  const base = { store: new InMemoryGrantStore(), clock, logger: silentLogger, policy: DEFAULT_POLICY };
  return {
    clock,
    locks,
    acs,
    ids,
    fourLocks,
    fourDoors: fourLocks.map((l) => acs.world.acs.acsEntranceIdOf(l)),
    acsSiteId: acs.world.acs.acsSystemIdOf(ids.sites.apartments),
    viaLocks: { ...base, gateway: locks },
    viaAcs: { ...base, store: new InMemoryGrantStore(), accessGrants: acs },
    used: () => acs.world.inspectSite(ids.sites.apartments)?.used,
  };
}

const stay = (siteId: string, lockIds: readonly string[], key = 'stay-1') => ({
  key,
  holder: 'Ana García',
  siteId,
  lockIds,
  window: { kind: 'ongoing' },
});

describe('GrantAccess on the simulator, the same four-door stay both ways', () => {
  it('takes ONE slot through the ACS path and four through the lock integration', async () => {
    const w = bothPaths();
    expect(w.used()).toBe(0);
    const acs = await new GrantAccess(w.viaAcs).execute(stay(w.acsSiteId, w.fourDoors));
    expect(acs.ok && acs.value.code).toBe('granted');
    await w.acs.settle();
    expect(w.used()).toBe(1);
    const locks = await new GrantAccess(w.viaLocks).execute(stay(w.ids.sites.apartments, w.fourLocks));
    expect(locks.ok && locks.value.code).toBe('granted');
    await w.locks.settle();
    expect(w.used()).toBe(1 + 4);
    // Each path's report sees the one pool.
    const report = await new ReportSlotUsage(w.viaAcs).execute(w.acsSiteId);
    expect(report).toMatchObject({
      ok: true,
      value: { sites: [{ used: 5, limit: 10, plannedNow: 1, unmanaged: 4 }] },
    });
  });

  it('the ACS grant’s one PIN opens all four doors; revoking frees its slot at once', async () => {
    const w = bothPaths();
    await new GrantAccess(w.viaAcs).execute(stay(w.acsSiteId, w.fourDoors));
    const pins = await new AwaitPins(w.viaAcs).execute('stay-1', { timeoutMs: 60_000 });
    expect(pins.ok && pins.value.pins.map((p) => p.lockId)).toEqual(w.fourDoors);
    expect(pins.ok && new Set(pins.value.pins.map((p) => p.pin)).size).toBe(1);
    const revoked = await new RevokeAccess(w.viaAcs).execute('stay-1');
    expect(revoked).toMatchObject({ ok: true, value: { code: 'revoked', cleanupPending: [] } });
    expect(w.used()).toBe(0);
    expect(w.acs.world.accessGrants.inspectAccessGrants()).toEqual([]);
  });

  it('a reply lost after the Access Grant was made: found by its key, never made twice', async () => {
    const w = bothPaths();
    w.acs.world.injectFault({ kind: 'reply_lost', operations: ['create_access_grant'] });
    const r = await new GrantAccess(w.viaAcs).execute(stay(w.acsSiteId, w.fourDoors));
    expect(r.ok && r.value.code).toBe('granted');
    expect(w.acs.world.accessGrants.inspectAccessGrants()).toHaveLength(1);
    expect(w.used()).toBe(1);
  });
});

describe('SaltoKsAcsSimulator failure mapping', () => {
  it('unknown system → site_not_found, unknown entrance → lock_not_found, a door of another site → invalid_input', async () => {
    const w = bothPaths();
    const base = {
      key: 'k',
      siteId: w.acsSiteId,
      window: { kind: 'ongoing' } as const,
      holder: 'h',
      methods: ['code'] as const,
    };
    expect(await w.acs.listDoors('nope')).toMatchObject({ ok: false, error: { code: 'site_not_found' } });
    expect(await w.acs.listAccessGrants('nope')).toMatchObject({
      ok: false,
      error: { code: 'site_not_found' },
    });
    expect(await w.acs.createAccessGrant({ ...base, doorIds: ['nope'] })).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found' },
    });
    const office = w.acs.world.acs.acsEntranceIdOf(w.ids.locks.officeEntrance);
    expect(await w.acs.createAccessGrant({ ...base, doorIds: [w.fourDoors[0]!, office] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(w.acs.world.accessGrants.inspectAccessGrants()).toEqual([]);
  });

  it('shows an offline entrance as an offline door and one without a PIN pad as taking no codes', async () => {
    const w = bothPaths();
    const doors = await w.acs.listDoors(w.acsSiteId);
    const byLock = (deviceId: string) =>
      doors.ok ? doors.value.find((d) => d.id === w.acs.world.acs.acsEntranceIdOf(deviceId)) : undefined;
    expect(byLock(w.ids.locks.rooftop)?.hubLink).toBe('offline');
    expect(byLock(w.ids.locks.bikeStorage)?.capabilities.accessCodes).toBe(false);
    expect(byLock(w.ids.locks.frontDoor)).toMatchObject({ hubLink: 'good', siteId: w.acsSiteId });
  });
});

describe('saltoSimAcsModule', () => {
  it('binds ACCESS_GRANT_GATEWAY to an ACS simulator; createKeyslotContainer runs the use cases over it', async () => {
    const container = new Container();
    container.load(saltoSimAcsModule({ seed: 2 }));
    const gateway = container.get<AccessGrantGateway>(ACCESS_GRANT_GATEWAY);
    expect(gateway).toBe(container.get(SALTO_KS_ACS_SIMULATOR));
    const sites = await gateway.listSites();
    expect(sites.ok && sites.value.map((s) => [s.name, s.slotCostModel])).toEqual([
      ['Casa Sol Apartments', 'user_per_grant'],
      ['Harbour Office', 'user_per_grant'],
    ]);

    const app = createKeyslotContainer({
      accessGrants: saltoSimAcsModule({ seed: 2 }),
      logger: silentLogger,
    });
    const sim = app.get(SALTO_KS_ACS_SIMULATOR);
    const site = (await sim.listSites()).ok
      ? sim.world.acs.acsSystemIdOf(sim.world.inspectAll().sites[0]!.siteId)
      : '';
    const doors = await sim.listDoors(site);
    const withCodes = doors.ok
      ? doors.value.filter((d) => d.capabilities.accessCodes && d.hubLink === 'good')
      : [];
    const r = await app.get(ResolvedGrantAccess).execute(
      stay(
        site,
        withCodes.map((d) => d.id),
      ),
    );
    expect(r.ok && r.value.accessGrantId).toBe(
      sim.world.accessGrants.inspectAccessGrants()[0]?.accessGrantId,
    );
  });
});
