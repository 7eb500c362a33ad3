import { VirtualClock } from '@keyslot/core/infrastructure';
import { ACCESS_GRANT_GATEWAY, CLOCK, type Clock, LOCK_GATEWAY } from '@keyslot/core/ports';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { SaltoKsAcsSimulator } from './gateway/acs-simulator.js';
import { SaltoKsSimulator } from './gateway/salto-ks-simulator.js';
import type { WorldConfigInput } from './world/types.js';
import type { SaltoKsWorld } from './world/world.js';

/** DI token of the `SaltoKsSimulator` itself (for its control surface: hub link, limits, clock, faults). */
export const SALTO_KS_SIMULATOR: ServiceIdentifier<SaltoKsSimulator> = Symbol.for('keyslot.SaltoKsSimulator');

export interface SaltoSimModuleOptions {
  /** Serve this simulator. Default: a new one over the seeded default world. */
  readonly simulator?: SaltoKsSimulator;
  /** `default` (the seeded default world, the default) or `empty` (build it yourself through the token). */
  readonly world?: 'default' | 'empty';
  readonly seed?: number;
  /** The world's clock. Default: a `VirtualClock` at 2026-01-01T00:00:00Z. */
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
  /**
   * Also bind core's `CLOCK` to the simulator's clock, so use cases and the simulated world share
   * one (virtual) time. Default true; pass false when the container binds `CLOCK` elsewhere.
   */
  readonly bindClock?: boolean;
}

/**
 * An inversify module that swaps the real Seam gateway for the in-process simulator:
 * binds core's `LOCK_GATEWAY` and `SALTO_KS_SIMULATOR` to one simulator (and `CLOCK` to its clock).
 *
 * ```ts
 * const container = new Container();
 * container.load(saltoSimModule({ seed: 42 }));
 * const gateway = container.get<LockGateway>(LOCK_GATEWAY);
 * ```
 */
export function saltoSimModule(options: SaltoSimModuleOptions = {}): ContainerModule {
  return simulatorModule(options, SaltoKsSimulator, SALTO_KS_SIMULATOR, LOCK_GATEWAY);
}

/** The module of one in-process gateway class: the given simulator, or one over an empty or the default world. */
function simulatorModule<G extends { readonly world: SaltoKsWorld }, P>(
  options: Omit<SaltoSimModuleOptions, 'simulator'> & { readonly simulator?: G | undefined },
  Gateway: {
    new (o: { seed?: number; config?: WorldConfigInput; clock: Clock }): G;
    withDefaultWorld(o: { seed?: number; config?: WorldConfigInput; clock: Clock }): { simulator: G };
  },
  token: ServiceIdentifier<G>,
  port: symbol,
): ContainerModule {
  const clock = options.clock ?? options.simulator?.world.clock ?? new VirtualClock();
  const common = {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.config ? { config: options.config } : {}),
    clock,
  };
  const simulator =
    options.simulator ??
    (options.world === 'empty' ? new Gateway(common) : Gateway.withDefaultWorld(common).simulator);
  return new ContainerModule(({ bind }) => {
    bind(token).toConstantValue(simulator);
    bind(port as ServiceIdentifier<P>).toResolvedValue((sim: G) => sim as unknown as P, [token]);
    if (options.bindClock ?? true)
      bind(CLOCK as ServiceIdentifier<Clock>).toConstantValue(simulator.world.clock);
  });
}

/** DI token of the `SaltoKsAcsSimulator` itself (its control surface: limits, clock). */
export const SALTO_KS_ACS_SIMULATOR: ServiceIdentifier<SaltoKsAcsSimulator> = Symbol.for(
  'keyslot.SaltoKsAcsSimulator',
);

export interface SaltoSimAcsModuleOptions extends Omit<SaltoSimModuleOptions, 'simulator'> {
  /** Serve this ACS simulator. Default: a new one over the seeded default world. */
  readonly simulator?: SaltoKsAcsSimulator;
}

/**
 * The same for the access-control path: binds core's `ACCESS_GRANT_GATEWAY` and
 * `SALTO_KS_ACS_SIMULATOR` to one in-process `SaltoKsAcsSimulator` (and `CLOCK` to its clock), for
 * `createKeyslotContainer({ accessGrants: saltoSimAcsModule() })`.
 */
export function saltoSimAcsModule(options: SaltoSimAcsModuleOptions = {}): ContainerModule {
  return simulatorModule(options, SaltoKsAcsSimulator, SALTO_KS_ACS_SIMULATOR, ACCESS_GRANT_GATEWAY);
}
