export * from './apply-actions.js';
export * from './arbitraries.js';
