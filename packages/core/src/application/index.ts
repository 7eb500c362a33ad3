export * from './await-pins.js';
export {
  ACCESS_POLICY,
  type CoreDeps,
  type GrantNotFound,
  type ProviderFailed,
  type SiteNotFound,
} from './deps.js';
export * from './grant-access.js';
export * from './reconcile-site.js';
export * from './report-slot-usage.js';
export * from './revoke-access.js';
export * from './unlock-door.js';
