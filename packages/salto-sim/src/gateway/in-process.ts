import type { Clock } from '@keyslot/core';
import { isAdvanceableClock } from '@keyslot/core/ports';
import { createDefaultWorld, type DefaultWorldIds } from '../world/default-world.js';
import type { SimOperation, WorldConfigInput } from '../world/types.js';
import { SaltoKsWorld } from '../world/world.js';

/** Awaited before each in-process gateway call reaches the world (race tests control interleavings). */
export type BeforeCall = (operation: SimOperation) => Promise<void>;

/**
 * What every in-process gateway call does before it reaches the world: the race hook, then the
 * operation's injected latency — under a virtual clock by advancing it, under a real clock by
 * sleeping.
 */
export async function enterWorld(
  world: SaltoKsWorld,
  beforeCall: BeforeCall | undefined,
  op: SimOperation,
): Promise<void> {
  if (beforeCall) await beforeCall(op);
  const latency = world.takeLatency(op);
  if (latency > 0) {
    if (isAdvanceableClock(world.clock)) await world.advance(latency);
    else await world.clock.sleep(latency);
  }
}

/** How an in-process gateway gets its world: a given one, or a new one from seed, clock and config. */
export interface WorldOptions {
  readonly world?: SaltoKsWorld;
  readonly seed?: number;
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
}

const worldInput = (o: Omit<WorldOptions, 'world'>) => ({
  ...(o.seed !== undefined ? { seed: o.seed } : {}),
  ...(o.clock ? { clock: o.clock } : {}),
  ...(o.config ? { config: o.config } : {}),
});

/** The world to serve: `options.world`, or a new empty one. */
export const worldFor = (o: WorldOptions): SaltoKsWorld => o.world ?? new SaltoKsWorld(worldInput(o));

/** The seeded default world (see `createDefaultWorld`) from seed, clock and config. */
export const defaultWorldFor = (
  o: Omit<WorldOptions, 'world'>,
): { world: SaltoKsWorld; ids: DefaultWorldIds } => createDefaultWorld(worldInput(o));
