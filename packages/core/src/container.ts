/**
 * The inversify composition of @keyslot/core (subpath `@keyslot/core/container`). The only file of
 * core that imports inversify (an optional peer dependency): the domain, ports and use cases
 * stay framework-free and can be composed by hand just as well.
 */
import { Container, ContainerModule, type ServiceIdentifier } from 'inversify';
import { AwaitPins } from './application/await-pins.js';
import { ACCESS_POLICY as ACCESS_POLICY_SYMBOL } from './application/deps.js';
import { InvalidPolicyError } from './application/errors.js';
import { GrantAccess } from './application/grant-access.js';
import { ReconcileSite } from './application/reconcile-site.js';
import { ReportSlotUsage } from './application/report-slot-usage.js';
import { RevokeAccess } from './application/revoke-access.js';
import { UnlockDoor } from './application/unlock-door.js';
import { type AccessPolicy, DEFAULT_POLICY, parsePolicy } from './domain/policy.js';
import { SystemClock } from './infrastructure/clock.js';
import { InMemoryGrantStore } from './infrastructure/in-memory-grant-store.js';
import { createConsoleLogger } from './infrastructure/logging.js';
import {
  ACCESS_GRANT_GATEWAY as ACCESS_GRANT_GATEWAY_SYMBOL,
  type AccessGrantGateway,
} from './ports/access-grant-gateway.js';
import { CLOCK as CLOCK_SYMBOL, type Clock } from './ports/clock.js';
import { GRANT_STORE as GRANT_STORE_SYMBOL, type GrantStore } from './ports/grant-store.js';
import { LOCK_GATEWAY as LOCK_GATEWAY_SYMBOL, type LockGateway } from './ports/lock-gateway.js';
import { LOGGER as LOGGER_SYMBOL, type Logger } from './ports/logger.js';
import { RANDOM_SOURCE as RANDOM_SOURCE_SYMBOL, type RandomSource } from './ports/random-source.js';

// Typed tokens: the same `Symbol.for` values as the ports' tokens, annotated so that
// `container.get(LOCK_GATEWAY)` is a `LockGateway` (a bare symbol would type as `unknown`).
export const LOCK_GATEWAY: ServiceIdentifier<LockGateway> = LOCK_GATEWAY_SYMBOL;
export const ACCESS_GRANT_GATEWAY: ServiceIdentifier<AccessGrantGateway> = ACCESS_GRANT_GATEWAY_SYMBOL;
export const GRANT_STORE: ServiceIdentifier<GrantStore> = GRANT_STORE_SYMBOL;
export const CLOCK: ServiceIdentifier<Clock> = CLOCK_SYMBOL;
export const LOGGER: ServiceIdentifier<Logger> = LOGGER_SYMBOL;
export const RANDOM_SOURCE: ServiceIdentifier<RandomSource> = RANDOM_SOURCE_SYMBOL;
export const ACCESS_POLICY: ServiceIdentifier<AccessPolicy> = ACCESS_POLICY_SYMBOL;

/** The use-case classes double as their own service identifiers: `container.get(GrantAccess)`. */
export {
  AwaitPins,
  GrantAccess,
  InvalidPolicyError,
  ReconcileSite,
  ReportSlotUsage,
  RevokeAccess,
  UnlockDoor,
};

type UseCase = new (deps: {
  gateway: LockGateway;
  store: GrantStore;
  clock: Clock;
  logger: Logger;
  policy: AccessPolicy;
}) => unknown;

const USE_CASES: readonly UseCase[] = [
  GrantAccess,
  RevokeAccess,
  AwaitPins,
  UnlockDoor,
  ReconcileSite,
  ReportSlotUsage,
];

/** The use cases that work over an `AccessGrantGateway` (all but `UnlockDoor`). */
type AcsUseCase = new (deps: {
  accessGrants: AccessGrantGateway;
  store: GrantStore;
  clock: Clock;
  logger: Logger;
  policy: AccessPolicy;
}) => unknown;

const ACS_USE_CASES: readonly AcsUseCase[] = [
  GrantAccess,
  RevokeAccess,
  AwaitPins,
  ReconcileSite,
  ReportSlotUsage,
];

/**
 * Binds every use case as a singleton, built from LOCK_GATEWAY, GRANT_STORE, CLOCK, LOGGER and
 * ACCESS_POLICY — which the composition root (or an adapter's module) must bind.
 */
export const keyslotCoreModule = new ContainerModule(({ bind }) => {
  for (const UseCaseClass of USE_CASES) {
    bind(UseCaseClass as ServiceIdentifier<unknown>)
      .toResolvedValue(
        (gateway: LockGateway, store: GrantStore, clock: Clock, logger: Logger, policy: AccessPolicy) =>
          new UseCaseClass({ gateway, store, clock, logger, policy }),
        [LOCK_GATEWAY, GRANT_STORE, CLOCK, LOGGER, ACCESS_POLICY],
      )
      .inSingletonScope();
  }
});

/**
 * The same for sites reached as a Salto KS access control system: every use case but
 * `UnlockDoor` built from ACCESS_GRANT_GATEWAY (instead of LOCK_GATEWAY) and the other ports.
 * `UnlockDoor` resolves to a clear configuration error: on Salto KS, an ACS entrance unlocks
 * remotely only with a `cloud_key` credential, which keyslot does not issue; unlock through the
 * lock integration's `LockGateway` instead.
 */
export const keyslotAcsModule = new ContainerModule(({ bind }) => {
  for (const UseCaseClass of ACS_USE_CASES) {
    bind(UseCaseClass as ServiceIdentifier<unknown>)
      .toResolvedValue(
        (
          accessGrants: AccessGrantGateway,
          store: GrantStore,
          clock: Clock,
          logger: Logger,
          policy: AccessPolicy,
        ) => new UseCaseClass({ accessGrants, store, clock, logger, policy }),
        [ACCESS_GRANT_GATEWAY, GRANT_STORE, CLOCK, LOGGER, ACCESS_POLICY],
      )
      .inSingletonScope();
  }
  bind(UnlockDoor).toDynamicValue(() => {
    throw new Error(
      'UnlockDoor works on the lock integration only: a Salto KS entrance reached as an access control system unlocks remotely only with a cloud_key credential, which keyslot does not issue. Build a container with { gateway } (a LockGateway) to unlock doors.',
    );
  });
});

interface KeyslotContainerPorts {
  /** Default: a new `InMemoryGrantStore`. */
  readonly store?: GrantStore;
  /** Default: `SystemClock` (unless the gateway module binds CLOCK, e.g. the simulator's virtual clock). */
  readonly clock?: Clock;
  /** Default: JSON lines on stderr, redacted. */
  readonly logger?: Logger;
  /** Validated with `parsePolicy`; missing fields take their defaults. Default: `DEFAULT_POLICY`. */
  readonly policy?: Partial<AccessPolicy>;
  /** Bound to RANDOM_SOURCE when given (adapters such as the simulator use it). */
  readonly random?: RandomSource;
}

/**
 * What `createKeyslotContainer` is built from: the provider on ONE path, and the other ports.
 * - `gateway`: Seam's lock integration (one access code, one slot, per lock): a `LockGateway`
 *   instance, or an adapter's `ContainerModule` that binds LOCK_GATEWAY.
 * - `accessGrants`: Seam's Salto KS access control system (one access grant, one slot, per
 *   person): an `AccessGrantGateway` instance, or a `ContainerModule` that binds
 *   ACCESS_GRANT_GATEWAY. Every use case but `UnlockDoor`.
 */
export type KeyslotContainerOptions = KeyslotContainerPorts &
  (
    | { readonly gateway: LockGateway | ContainerModule; readonly accessGrants?: undefined }
    | { readonly accessGrants: AccessGrantGateway | ContainerModule; readonly gateway?: undefined }
  );

/**
 * A ready container: the provider (instance or module) on one path, defaults for the other ports,
 * and `keyslotCoreModule` (lock integration) or `keyslotAcsModule` (ACS). Explicit options win over
 * what the gateway module binds.
 */
export function createKeyslotContainer(options: KeyslotContainerOptions): Container {
  const parsed = parsePolicy(options.policy ?? DEFAULT_POLICY);
  if (!parsed.ok) {
    throw new InvalidPolicyError(
      `createKeyslotContainer: ${parsed.error.message} Fix the policy option.`,
      parsed.error.issues,
    );
  }
  const container = new Container();
  const acs = options.accessGrants !== undefined;
  const provider = options.accessGrants ?? options.gateway;
  const token = acs ? ACCESS_GRANT_GATEWAY : LOCK_GATEWAY;
  const tokenName = acs ? 'ACCESS_GRANT_GATEWAY' : 'LOCK_GATEWAY';
  if (provider instanceof ContainerModule) {
    container.load(provider);
    if (!container.isBound(token)) {
      throw new Error(
        `createKeyslotContainer: the ${acs ? 'accessGrants' : 'gateway'} module did not bind ${tokenName}; bind it in the module or pass ${acs ? 'an AccessGrantGateway' : 'a LockGateway'} instance.`,
      );
    }
  } else if (provider === undefined || provider === null) {
    throw new Error(
      'createKeyslotContainer: give the provider — { gateway } (a LockGateway: Seam\u2019s lock integration) or { accessGrants } (an AccessGrantGateway: Salto KS as an access control system).',
    );
  } else {
    container.bind(token as ServiceIdentifier<unknown>).toConstantValue(provider);
  }
  const provide = <T>(id: ServiceIdentifier<T>, given: T | undefined, fallback: () => T): void => {
    if (given !== undefined) {
      if (container.isBound(id)) container.unbind(id);
      container.bind(id).toConstantValue(given);
    } else if (!container.isBound(id)) {
      container.bind(id).toConstantValue(fallback());
    }
  };
  provide(GRANT_STORE, options.store, () => new InMemoryGrantStore());
  provide(CLOCK, options.clock, () => new SystemClock());
  provide(LOGGER, options.logger, () => createConsoleLogger());
  provide(ACCESS_POLICY, options.policy === undefined ? undefined : parsed.value, () => parsed.value);
  if (options.random !== undefined)
    provide(RANDOM_SOURCE, options.random, () => options.random as RandomSource);
  container.load(acs ? keyslotAcsModule : keyslotCoreModule);
  return container;
}
