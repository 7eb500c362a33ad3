// The durable grant stores (@keyslot/postgres-store) against each other and against core's
// in-memory store, in process against the simulated world (`SaltoKsSimulator`, no HTTP):
//
// - grant+revoke cycles/s (GrantAccess then RevokeAccess, one lock, ongoing) with PGlite in a
//   directory and with a PostgreSQL server (started from npm's binaries), vs InMemoryGrantStore;
// - the time to open a PGlite store holding 10^5 grants and read its site, vs an empty one;
// - GrantAccess+RevokeAccess on a site with 10^5 stored grants vs one with 10^2 (PGlite; the
//   target: at most 2× slower). The stored grants are revoked and cleaned up, as a long-lived
//   site's history is, so the slot plan is the same size on both sites.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_POLICY,
  GrantAccess,
  InMemoryGrantStore,
  RevokeAccess,
  silentLogger,
  VirtualClock,
} from '@keyslot/core';
import { migrate, openPgliteClient, pgliteGrantStore, postgresGrantStore } from '@keyslot/postgres-store';
import { createTestDatabase, startTestPostgres } from '@keyslot/postgres-store/testing';
import { SaltoKsSimulator, SaltoKsWorld } from '@keyslot/salto-sim';

/** @param {{ ok: boolean, error?: { message: string } }} r @param {string} what */
function must(r, what) {
  if (!r.ok) throw new Error(`${what}: ${r.error?.message}`);
  return /** @type {any} */ (r).value;
}

/**
 * A world with one site (1000 slots) per name, one PIN lock each; rate limits off.
 * @param {string[]} siteNames
 */
function world(siteNames) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1), { autoAdvance: true });
  const w = new SaltoKsWorld({ seed: 11, clock, config: { rateLimits: { enabled: false } } });
  /** @type {Record<string, { siteId: string, lockId: string }>} */
  const sites = {};
  for (const name of siteNames) {
    const account = must(w.addConnectedAccount({ displayName: name }), 'account');
    const site = must(
      w.addSite({ connectedAccountId: account.connectedAccountId, siteName: name, slotLimit: 1000 }),
      'site',
    );
    const hub = must(w.addHub({ siteId: site.siteId, name: 'IQ' }), 'hub');
    const lock = must(w.addLock({ hubId: hub.hubId, name: 'DOOR', lockType: 'wall_reader_pin' }), 'lock');
    sites[name] = { siteId: site.siteId, lockId: lock.deviceId };
  }
  /** @param {string} name */
  const site = (name) => {
    const found = sites[name];
    if (!found) throw new Error(`no site ${name}`);
    return found;
  };
  return { gateway: new SaltoKsSimulator({ world: w, clock }), clock, site };
}

/**
 * `n` grant+revoke cycles on one site; returns cycles per second.
 * @param {{ gateway: any, clock: any }} env
 * @param {import('@keyslot/core').GrantStore} store
 * @param {{ siteId: string, lockId: string }} site
 * @param {{ next: number }} cursor
 * @param {number} n
 */
async function cycles(env, store, site, cursor, n) {
  const deps = {
    gateway: env.gateway,
    store,
    clock: env.clock,
    logger: silentLogger,
    policy: DEFAULT_POLICY,
  };
  const grant = new GrantAccess(deps);
  const revoke = new RevokeAccess(deps);
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    // Keys per site: two contenders may share one store.
    const key = `bench-${site.siteId}-${cursor.next++}`;
    const g = await grant.execute({
      key,
      holder: 'h',
      siteId: site.siteId,
      lockIds: [site.lockId],
      window: { kind: 'ongoing' },
    });
    if (!g.ok) throw new Error(`grant: ${g.error.code} ${g.error.message}`);
    const r = await revoke.execute(key);
    if (!r.ok) throw new Error(`revoke: ${r.error.code} ${r.error.message}`);
  }
  return (n * 1000) / (performance.now() - t0);
}

/**
 * Writes `n` revoked, cleaned-up grants of `siteId` straight into the database (one statement).
 * @param {import('@keyslot/postgres-store').SqlQueryable} db
 * @param {string} siteId
 * @param {string} lockId
 * @param {number} n
 */
async function fill(db, siteId, lockId, n) {
  await db.query(
    `INSERT INTO keyslot_site (site_id, revision) VALUES ($1, $2)
       ON CONFLICT (site_id) DO UPDATE SET revision = EXCLUDED.revision`,
    [siteId, n],
  );
  await db.query(
    `INSERT INTO keyslot_grant (grant_key, site_id, holder, lock_ids, access_window, created_at, revoked_at,
                                cleaned_up_at, version, site_revision)
     SELECT $1 || '-old-' || i, $1, 'holder', ARRAY[$2]::text[], '{"kind":"ongoing"}'::jsonb,
            1767225600000, 1767225600001, 1767225600002, 3, i
       FROM generate_series(1, $3::integer) AS i`,
    [siteId, lockId, n],
  );
}

/** @type {string[]} */
const temps = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'keyslot-bench-store-'));
  temps.push(d);
  return join(d, 'db');
};
const removeTemps = () => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
};

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'Grant stores',
  subject: '@keyslot/postgres-store',
  baseline: 'InMemoryGrantStore',
  unit: 'grant+revoke',
  cases: [
    {
      label: 'grant+revoke cycles/s, in process',
      async open(options, log) {
        log('Grant stores: starting PostgreSQL and PGlite…');
        const env = world(['memory', 'pglite', 'postgres']);
        const server = await startTestPostgres();
        const db = await createTestDatabase(server.url);
        const stores = {
          memory: new InMemoryGrantStore(),
          pglite: pgliteGrantStore({ dataDir: tempDir() }),
          postgres: postgresGrantStore({ connectionString: db.url }),
        };
        await stores.pglite.open();
        await stores.postgres.open();
        const n = options.quick ? 10 : 40;
        const cursors = { memory: { next: 0 }, pglite: { next: 0 }, postgres: { next: 0 } };
        /** @param {'memory' | 'pglite' | 'postgres'} name */
        const contender = (name) => async () => ({
          'cycles/s': await cycles(env, stores[name], env.site(name), cursors[name], n),
        });
        return {
          contenders: {
            'in-memory': contender('memory'),
            pglite: contender('pglite'),
            postgres: contender('postgres'),
          },
          comparisons: [
            {
              label: 'PGlite vs in-memory',
              subject: 'pglite',
              baseline: 'in-memory',
              metric: 'cycles/s',
              better: 'higher',
            },
            {
              label: 'PostgreSQL vs in-memory',
              subject: 'postgres',
              baseline: 'in-memory',
              metric: 'cycles/s',
              better: 'higher',
            },
          ],
          info: () => ({ cyclesPerRound: n }),
          close: async () => {
            await stores.pglite.close();
            await stores.postgres.close();
            await db.drop();
            await server.stop();
            removeTemps();
          },
        };
      },
    },
    {
      label: 'open a PGlite store holding 10^5 grants',
      async open(options, log) {
        const n = options.quick ? 10_000 : 100_000;
        log(`Grant stores: writing ${n.toLocaleString('en-US')} grants into a PGlite directory…`);
        const full = tempDir();
        const empty = tempDir();
        for (const [dir, count] of /** @type {const} */ ([
          [full, n],
          [empty, 0],
        ])) {
          const c = await openPgliteClient(dir);
          await migrate(c);
          if (count > 0) await fill(c, 'site-big', 'lock-1', count);
          await c.close();
        }
        /** @param {string} dir @param {number} expected */
        const openAndRead = (dir, expected) => async () => {
          const t0 = performance.now();
          const store = pgliteGrantStore({ dataDir: dir });
          const grants = await store.listBySite('site-big');
          const ms = performance.now() - t0;
          await store.close();
          if (grants.length !== expected)
            throw new Error(`read ${grants.length} grants, expected ${expected}`);
          return { 'ms to open and read the site': ms };
        };
        return {
          contenders: { [`${n} grants`]: openAndRead(full, n), empty: openAndRead(empty, 0) },
          comparisons: [
            {
              label: `${n} grants vs empty`,
              subject: `${n} grants`,
              baseline: 'empty',
              metric: 'ms to open and read the site',
              better: 'lower',
            },
          ],
          warmupRounds: 0,
          close: async () => removeTemps(),
        };
      },
    },
    {
      label: 'GrantAccess with 10^5 stored grants on the site vs 10^2 (PGlite)',
      async open(options, log) {
        const big = options.quick ? 10_000 : 100_000;
        log(`Grant stores: a PGlite store with sites of ${big.toLocaleString('en-US')} and 100 grants…`);
        const env = world(['big', 'small']);
        const dir = tempDir();
        const c = await openPgliteClient(dir);
        await migrate(c);
        await fill(c, env.site('big').siteId, env.site('big').lockId, big);
        await fill(c, env.site('small').siteId, env.site('small').lockId, 100);
        await c.close();
        const store = pgliteGrantStore({ dataDir: dir });
        const n = options.quick ? 10 : 40;
        const cursors = { big: { next: 0 }, small: { next: 0 } };
        /** @param {'big' | 'small'} name */
        const contender = (name) => async () => ({
          'cycles/s': await cycles(env, store, env.site(name), cursors[name], n),
        });
        return {
          contenders: { [`${big} grants`]: contender('big'), '100 grants': contender('small') },
          comparisons: [
            {
              label: `${big} vs 100 stored grants`,
              subject: `${big} grants`,
              baseline: '100 grants',
              metric: 'cycles/s',
              better: 'higher',
              minRatio: 0.5,
            },
          ],
          info: () => ({ cyclesPerRound: n }),
          close: async () => {
            await store.close();
            removeTemps();
          },
        };
      },
    },
  ],
};
