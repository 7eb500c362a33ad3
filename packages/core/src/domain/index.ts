export * from './access-code.js';
export * from './grant.js';
export * from './lock.js';
export * from './result.js';
export * from './site.js';
export * from './slot-plan.js';
export * from './slot-usage.js';
export * from './time.js';
