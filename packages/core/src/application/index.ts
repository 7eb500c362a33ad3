export * from './await-pins.js';
export { ACCESS_POLICY, type CoreDeps, type PortDeps } from './deps.js';
export { type GrantNotFound, InvalidPolicyError, type ProviderFailed, type SiteNotFound } from './errors.js';
export * from './grant-access.js';
export * from './reconcile-site.js';
export * from './report-slot-usage.js';
export * from './revoke-access.js';
export type { StoreFailed, StoreOperation } from './store-failures.js';
export * from './unlock-door.js';
