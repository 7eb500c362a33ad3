export * from './application/index.js';
export * from './domain/index.js';
export * from './infrastructure/index.js';
export * from './ports/index.js';
