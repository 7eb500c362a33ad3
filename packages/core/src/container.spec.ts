import { Container, ContainerModule } from 'inversify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FakeLockGateway, testLock, testSite } from './application/testing-gateway.test-helpers.js';
import {
  ACCESS_POLICY,
  CLOCK,
  createKeyslotContainer,
  GRANT_STORE,
  GrantAccess,
  InvalidPolicyError,
  keyslotCoreModule,
  LOCK_GATEWAY,
  LOGGER,
  ReportSlotUsage,
  RevokeAccess,
} from './container.js';
import { type AccessPolicy, DEFAULT_POLICY } from './domain/policy.js';
import { VirtualClock } from './infrastructure/clock.js';
import { InMemoryGrantStore } from './infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from './infrastructure/logging.js';
import type { GrantStore } from './ports/grant-store.js';
import type { LockGateway } from './ports/lock-gateway.js';

const NOW = 1_780_272_000_000;

function fakeGateway(clock = new VirtualClock(NOW, { autoAdvance: true })) {
  return new FakeLockGateway({ clock }).addSite(testSite({ slotLimit: 5 }), [testLock('L1'), testLock('L2')]);
}

describe('keyslot container', () => {
  it('composes the use cases over a gateway instance with defaults for the rest, and runs one', async () => {
    const logger = new MemoryLogger();
    const container = createKeyslotContainer({
      gateway: fakeGateway(),
      logger,
      clock: new VirtualClock(NOW),
    });
    const grant = container.get(GrantAccess);
    expect(container.get(GrantAccess)).toBe(grant); // singleton
    const r = await grant.execute({
      key: 'b-1',
      holder: 'alice',
      siteId: 'site-1',
      lockIds: ['L1'],
      window: { kind: 'ongoing' },
    });
    expect(r).toMatchObject({ ok: true, value: { code: 'granted' } });
    expect(container.get(GRANT_STORE)).toBeInstanceOf(InMemoryGrantStore);
    expect(await container.get(GRANT_STORE).get('b-1')).toMatchObject({ key: 'b-1', version: 1 });
    expect(container.get(ACCESS_POLICY)).toEqual(DEFAULT_POLICY);
    expect(logger.entries.some((e) => e.message === 'grant done')).toBe(true);
    // The revoke use case shares the same store and gateway.
    expect(await container.get(RevokeAccess).execute('b-1')).toMatchObject({
      ok: true,
      value: { code: 'revoked' },
    });
  });

  it('loads an adapter module that binds the gateway and its own clock; explicit options win', async () => {
    const simClock = new VirtualClock(NOW + 1000, { autoAdvance: true });
    const adapterModule = new ContainerModule(({ bind }) => {
      bind(CLOCK).toConstantValue(simClock);
      bind(LOCK_GATEWAY).toResolvedValue((clock) => fakeGateway(clock as VirtualClock), [CLOCK]);
    });
    const container = createKeyslotContainer({
      gateway: adapterModule,
      logger: new MemoryLogger(),
      policy: { reservedSlots: 4 },
    });
    expect(container.get(CLOCK)).toBe(simClock);
    expect(container.get(ACCESS_POLICY).reservedSlots).toBe(4);
    const report = await container.get(ReportSlotUsage).execute('site-1');
    expect(report).toMatchObject({ ok: true, value: { sites: [{ limit: 5, reserved: 4, headroom: 1 }] } });

    const mine = new VirtualClock(NOW);
    expect(
      createKeyslotContainer({ gateway: adapterModule, clock: mine, logger: new MemoryLogger() }).get(CLOCK),
    ).toBe(mine);
  });

  it('can be composed by hand: bind the ports, load keyslotCoreModule', async () => {
    const container = new Container();
    const clock = new VirtualClock(NOW, { autoAdvance: true });
    container.bind(LOCK_GATEWAY).toConstantValue(fakeGateway(clock));
    container.bind(GRANT_STORE).toConstantValue(new InMemoryGrantStore());
    container.bind(CLOCK).toConstantValue(clock);
    container.bind(LOGGER).toConstantValue(new MemoryLogger());
    container.bind(ACCESS_POLICY).toConstantValue(DEFAULT_POLICY);
    container.load(keyslotCoreModule);
    expect(await container.get(ReportSlotUsage).execute()).toMatchObject({
      ok: true,
      value: { code: 'slot_usage' },
    });
  });

  it('refuses an invalid policy at composition time, naming the field', () => {
    const make = () => createKeyslotContainer({ gateway: fakeGateway(), policy: { reservedSlots: -1 } });
    expect(make).toThrow(InvalidPolicyError);
    expect(make).toThrow(/reservedSlots: must be a non-negative integer/);
  });

  it('refuses a gateway module that binds no gateway', () => {
    expect(() => createKeyslotContainer({ gateway: new ContainerModule(() => {}) })).toThrow(
      /did not bind LOCK_GATEWAY/,
    );
  });

  it('types what it resolves', () => {
    const container = createKeyslotContainer({ gateway: fakeGateway(), logger: new MemoryLogger() });
    expectTypeOf(container.get(LOCK_GATEWAY)).toEqualTypeOf<LockGateway>();
    expectTypeOf(container.get(GRANT_STORE)).toEqualTypeOf<GrantStore>();
    expectTypeOf(container.get(ACCESS_POLICY)).toEqualTypeOf<AccessPolicy>();
    expectTypeOf(container.get(GrantAccess)).toEqualTypeOf<GrantAccess>();
  });
});
