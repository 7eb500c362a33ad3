/**
 * The app process of the crash tests (bundled by `app-bundle.test-helpers.ts`, run by
 * `childProcessApp`): core's use cases over this Seam adapter (lock path, or the ACS path with
 * `path: 'access_grants'`), talking HTTP to the simulator server
 * in the test process, and a durable store on the test's database. It is killed with SIGKILL and
 * started again; the database and the simulator are all that survive.
 */
import { silentLogger, VirtualClock } from '@keyslot/core';
import { serveScenarioApp } from '@keyslot/core/testing';
import { pgliteGrantStore, postgresGrantStore } from '@keyslot/postgres-store';
import { SeamAccessGrantGateway } from '../acs-gateway.js';
import { SeamLockGateway } from '../gateway.js';
import { CRASH_APP_ENV, type CrashAppConfig } from './crash-app-config.test-helpers.js';

const config = JSON.parse(process.env[CRASH_APP_ENV] ?? 'null') as CrashAppConfig;
const clock = new VirtualClock(config.now, { autoAdvance: true });
let slotLimit = config.slotLimit;
const store =
  'dataDir' in config.store
    ? pgliteGrantStore({ dataDir: config.store.dataDir })
    : postgresGrantStore({ connectionString: config.store.connectionString, maxConnections: 2 });
await store.open();
const options = {
  apiKey: config.apiKey,
  endpoint: config.endpoint,
  slotLimitFor: (id: string) => (id === config.siteId ? slotLimit : undefined),
};
const deps = { clock, logger: silentLogger };
const common = {
  store,
  clock,
  logger: silentLogger,
  policy: config.policy,
  setSlotLimit: (limit: number) => {
    slotLimit = limit;
  },
};
serveScenarioApp(
  config.path === 'access_grants'
    ? { ...common, accessGrants: new SeamAccessGrantGateway(options, deps) }
    : { ...common, gateway: new SeamLockGateway(options, deps) },
);
