import { VirtualClock } from '@keyslot/core/infrastructure';
import { CLOCK, type Clock, LOCK_GATEWAY, type LockGateway } from '@keyslot/core/ports';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { SaltoKsSimulator } from './gateway/salto-ks-simulator.js';
import type { WorldConfigInput } from './world/types.js';

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
  const clock = options.clock ?? options.simulator?.world.clock ?? new VirtualClock();
  const common = {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.config ? { config: options.config } : {}),
    clock,
  };
  const simulator =
    options.simulator ??
    (options.world === 'empty'
      ? new SaltoKsSimulator(common)
      : SaltoKsSimulator.withDefaultWorld(common).simulator);
  return new ContainerModule(({ bind }) => {
    bind(SALTO_KS_SIMULATOR).toConstantValue(simulator);
    bind(LOCK_GATEWAY as ServiceIdentifier<LockGateway>).toResolvedValue(
      (sim: SaltoKsSimulator): LockGateway => sim,
      [SALTO_KS_SIMULATOR],
    );
    if (options.bindClock ?? true)
      bind(CLOCK as ServiceIdentifier<Clock>).toConstantValue(simulator.world.clock);
  });
}
