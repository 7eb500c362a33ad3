export { DEFAULT_WORLD_CONFIG, resolveWorldConfig } from './config.js';
export { createDefaultWorld, type DefaultWorldIds, type DefaultWorldOptions } from './default-world.js';
export type { Transition, TransitionKind } from './heap.js';
export { parseWorldSnapshot, restoreWorldSnapshot, SNAPSHOT_LIMITS } from './snapshot-schema.js';
export * from './types.js';
export { type EventListener, SaltoKsWorld, type WorldOptions, type WorldSnapshot } from './world.js';
