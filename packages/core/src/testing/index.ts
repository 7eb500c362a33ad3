export * from './apply-actions.js';
export * from './arbitraries.js';
export * from './gateway-contract.js';
