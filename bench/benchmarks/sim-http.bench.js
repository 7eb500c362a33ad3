// The simulator server over HTTP: requests per second and server CPU per request while 8
// concurrent keep-alive clients loop create → list → delete of an access code (each client on
// its own lock), against Seam's fake server doing the same, and against a bare `node:http`
// server answering the simulator's own bodies with no work at all (the physical limit).
//
// Each server runs in its own child process on 127.0.0.1 (an ephemeral port); its CPU time is
// read from /proc/<pid>/stat around each round. The simulator is the shipped CLI
// (`keyslot-sim serve --clock real --rate-limits off --world <file>`) on a world with one site
// and 8 PIN locks whose removal delay is 0, so each list answers the same single code as the
// fake's (which deletes at once) rather than a growing tail of `removing` codes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '@keyslot/core';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { startServerChild } from '../lib/children.js';
import { post, runCrudLoad } from '../lib/load.js';

const CLIENTS = 8;
const SIM_KEY = 'seam_bench_sim_key';
const FAKE_KEY = 'seam_apikey1_token';
const cliPath = fileURLToPath(new URL('./cli.js', import.meta.resolve('@keyslot/salto-sim')));
const fakeServer = fileURLToPath(new URL('../servers/fake-server.js', import.meta.url));
const bareServer = fileURLToPath(new URL('../servers/bare-server.js', import.meta.url));

/** A world snapshot for the CLI: one site, one hub, one PIN lock per client; ids of the locks. */
function benchWorld() {
  const world = new SaltoKsWorld({
    seed: 11,
    clock: new SystemClock(),
    config: { rateLimits: { enabled: false }, timings: { removalMs: [0, 0] } },
  });
  const account = world.addConnectedAccount({ displayName: 'Bench' });
  if (!account.ok) throw new Error(account.error.message);
  const site = world.addSite({
    connectedAccountId: account.value.connectedAccountId,
    siteName: 'Bench site',
    slotLimit: 1_000,
  });
  if (!site.ok) throw new Error(site.error.message);
  const hub = world.addHub({ siteId: site.value.siteId });
  if (!hub.ok) throw new Error(hub.error.message);
  /** @type {string[]} */
  const deviceIds = [];
  for (let i = 0; i < CLIENTS; i++) {
    const lock = world.addLock({ hubId: hub.value.hubId, name: `BENCH ${i}`, lockType: 'escutcheon_pin' });
    if (!lock.ok) throw new Error(lock.error.message);
    deviceIds.push(lock.value.deviceId);
  }
  return { snapshot: world.toJSON(), deviceIds };
}

/**
 * Records one create/list/delete cycle's answers, for the bare server to replay.
 * @param {number} port
 * @param {string} deviceId
 */
async function recordBodies(port, deviceId) {
  const agent = new Agent({ keepAlive: false });
  try {
    const created = await post(agent, port, SIM_KEY, '/access_codes/create', {
      device_id: deviceId,
      name: 'x',
    });
    const id = JSON.parse(created.body).access_code.access_code_id;
    const listed = await post(agent, port, SIM_KEY, '/access_codes/list', { device_id: deviceId });
    const deleted = await post(agent, port, SIM_KEY, '/access_codes/delete', { access_code_id: id });
    return {
      '/access_codes/create': created.body,
      '/access_codes/list': listed.body,
      '/access_codes/delete': deleted.body,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * VmRSS of a process in MB, or NaN without /proc.
 * @param {number} pid
 */
async function rssMb(pid) {
  try {
    const { readFileSync } = await import('node:fs');
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'Simulator over HTTP',
  subject: 'keyslot-sim server',
  baseline: "Seam's fake server / bare node:http",
  unit: 'request',
  cases: [
    {
      label: `${CLIENTS} clients create/list/delete`,
      async open(options, log) {
        const roundMs = Number(process.env['BENCH_HTTP_ROUND_MS'] ?? (options.quick ? 400 : 1_500));
        const maxRequests = 300_000;
        const dir = mkdtempSync(join(tmpdir(), 'keyslot-bench-'));
        /** @type {import('../lib/children.js').ServerChild[]} */
        const children = [];
        const close = async () => {
          await Promise.all(children.map((c) => c.stop()));
          rmSync(dir, { recursive: true, force: true });
        };
        try {
          const { snapshot, deviceIds } = benchWorld();
          const worldFile = join(dir, 'world.json');
          writeFileSync(worldFile, JSON.stringify(snapshot));
          log('Simulator over HTTP: starting the simulator, the fake and the bare server…');
          const sim = await startServerChild(
            [cliPath, 'serve', '--port', '0', '--quiet', '--clock', 'real', '--rate-limits', 'off'].concat([
              '--world',
              worldFile,
              '--api-key',
              SIM_KEY,
            ]),
            /Listening on http:\/\/127\.0\.0\.1:(\d+)/,
          );
          children.push(sim);
          const bodies = await recordBodies(sim.port, deviceIds[0] ?? '');
          const bodiesFile = join(dir, 'bodies.json');
          writeFileSync(bodiesFile, JSON.stringify(bodies));
          const bare = await startServerChild([bareServer, bodiesFile], /LISTENING (\d+)/);
          children.push(bare);
          const fake = await startServerChild([fakeServer, String(CLIENTS)], /LISTENING (\d+)/);
          children.push(fake);
          const fakeDevices = Array.from({ length: CLIENTS }, (_, i) => `bench_device_${i}`);

          /** @type {Record<string, Record<string, number>>} */
          const bytes = {};
          /**
           * @param {string} name
           * @param {import('../lib/children.js').ServerChild} child
           * @param {import('../lib/load.js').Target} target
           */
          const contender = (name, child, target) => async () => {
            const cpu0 = child.cpuMs();
            const r = await runCrudLoad(target, { clients: CLIENTS, ms: roundMs, maxRequests });
            const cpu = child.cpuMs() - cpu0;
            bytes[name] = r.bytes;
            return { 'req/s': (r.requests * 1000) / r.ms, 'µs CPU/req': (cpu * 1000) / r.requests };
          };
          return {
            contenders: {
              simulator: contender('simulator', sim, { port: sim.port, apiKey: SIM_KEY, deviceIds }),
              'seam fake': contender('seam fake', fake, {
                port: fake.port,
                apiKey: FAKE_KEY,
                deviceIds: fakeDevices,
              }),
              'bare node:http': contender('bare node:http', bare, {
                port: bare.port,
                apiKey: SIM_KEY,
                deviceIds,
              }),
            },
            comparisons: [
              {
                label: 'req/s vs bare node:http',
                subject: 'simulator',
                baseline: 'bare node:http',
                metric: 'req/s',
                better: 'higher',
                minRatio: 0.8,
              },
              {
                label: 'req/s vs Seam fake',
                subject: 'simulator',
                baseline: 'seam fake',
                metric: 'req/s',
                better: 'higher',
              },
              {
                label: 'CPU/req vs Seam fake',
                subject: 'simulator',
                baseline: 'seam fake',
                metric: 'µs CPU/req',
                better: 'lower',
                minRatio: 2,
              },
              {
                label: 'CPU/req vs bare node:http',
                subject: 'simulator',
                baseline: 'bare node:http',
                metric: 'µs CPU/req',
                better: 'lower',
              },
            ],
            info: () => ({
              roundMs,
              bodyBytes: Object.entries(bytes)
                .map(([n, b]) => `${n} ${b['create']}/${b['list']}/${b['delete']}`)
                .join('; '),
            }),
            close: async () => {
              const rss = await Promise.all(children.map(async (c) => `${await rssMb(c.pid)} MB`));
              log(`Simulator over HTTP: RSS at the end (sim, bare, fake): ${rss.join(', ')}`);
              await close();
            },
          };
        } catch (e) {
          await close();
          throw e;
        }
      },
    },
  ],
};
