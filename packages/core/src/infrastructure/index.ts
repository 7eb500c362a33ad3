export * from './clock.js';
export * from './in-memory-grant-store.js';
export * from './logging.js';
export * from './random.js';
