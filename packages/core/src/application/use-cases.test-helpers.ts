import { type AccessCode, grantKeyOf } from '../domain/access-code.js';
import type { GrantKey } from '../domain/grant.js';
import type { Lock } from '../domain/lock.js';
import { type AccessPolicy, DEFAULT_POLICY } from '../domain/policy.js';
import type { Site } from '../domain/site.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import type { GrantStore } from '../ports/grant-store.js';
import { AwaitPins } from './await-pins.js';
import type { CoreDeps } from './deps.js';
import { GrantAccess } from './grant-access.js';
import { ReconcileSite } from './reconcile-site.js';
import { ReportSlotUsage } from './report-slot-usage.js';
import { RevokeAccess } from './revoke-access.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';
import { UnlockDoor } from './unlock-door.js';

/** 2026-06-01T00:00:00Z */
export const NOW = 1_780_272_000_000;
export const DAY = 86_400_000;

export interface World extends CoreDeps {
  readonly gateway: FakeLockGateway;
  readonly store: InMemoryGrantStore;
  readonly clock: VirtualClock;
  readonly logger: MemoryLogger;
  readonly grant: GrantAccess;
  readonly revoke: RevokeAccess;
  readonly awaitPins: AwaitPins;
  readonly unlock: UnlockDoor;
  readonly reconcile: ReconcileSite;
  readonly report: ReportSlotUsage;
}

export interface MakeWorldOptions {
  policy?: Partial<AccessPolicy>;
  site?: Partial<Site>;
  locks?: readonly Lock[];
  /** Scheduled codes hold their slot only once loaded, as in Salto (see `FakeGatewayOptions`). */
  scheduledLoading?: boolean;
  /** The store the use cases see, around the world's in-memory one (e.g. one that fails on cue). */
  wrapStore?: (store: InMemoryGrantStore) => GrantStore;
}

/** One site with locks L1..L3 on a fake provider, an in-memory store, a self-advancing virtual clock. */
export function makeWorld(options: MakeWorldOptions = {}): World {
  const clock = new VirtualClock(NOW, { autoAdvance: true });
  const gateway = new FakeLockGateway({
    clock,
    scheduledLoading: options.scheduledLoading ?? false,
  }).addSite(testSite(options.site), options.locks ?? [testLock('L1'), testLock('L2'), testLock('L3')]);
  const deps = {
    gateway,
    store: new InMemoryGrantStore(),
    clock,
    logger: new MemoryLogger(),
    policy: { ...DEFAULT_POLICY, ...options.policy },
  };
  const used = options.wrapStore ? { ...deps, store: options.wrapStore(deps.store) } : deps;
  return {
    ...deps,
    grant: new GrantAccess(used),
    revoke: new RevokeAccess(used),
    awaitPins: new AwaitPins(used),
    unlock: new UnlockDoor(used),
    reconcile: new ReconcileSite(used),
    report: new ReportSlotUsage(used),
  };
}

/** keyslot's codes at the provider (those whose name carries a grant key). */
export const ourCodes = (w: World, key?: GrantKey): AccessCode[] =>
  w.gateway.allCodes().filter((c) => {
    const k = grantKeyOf(c.name);
    return k !== null && (key === undefined || k === key);
  });

export const request = (over: Record<string, unknown> = {}) => ({
  key: 'booking-1',
  holder: 'alice',
  siteId: 'site-1',
  lockIds: ['L1', 'L2'],
  window: { kind: 'ongoing' },
  ...over,
});

/** A world whose use cases see `wrap(store)` (a store that fails on cue, one that is contended), and that store. */
export function worldWithStore<S extends GrantStore>(
  wrap: (store: InMemoryGrantStore) => S,
  options: Omit<MakeWorldOptions, 'wrapStore'> = {},
): { w: World; store: S } {
  let store: S | undefined;
  const w = makeWorld({
    ...options,
    wrapStore: (inner) => {
      store = wrap(inner);
      return store;
    },
  });
  return { w, store: store! };
}

/** The log records a world's logger is given from now on (call it, act, then read them). */
export const logsFrom = (w: { readonly logger: MemoryLogger }) => {
  const start = w.logger.entries.length;
  return () => w.logger.entries.slice(start);
};
