export * from './access-grant-gateway.js';
export * from './clock.js';
export * from './grant-store.js';
export * from './lock-gateway.js';
export * from './logger.js';
export * from './random-source.js';
