export * from './access-grant-gateway-contract.js';
export * from './apply-actions.js';
export * from './arbitraries.js';
export * from './exactly-once.js';
export * from './gateway-contract.js';
export * from './grant-store-contract.js';
export * from './process-app.js';
export * from './scenario-commands.js';
