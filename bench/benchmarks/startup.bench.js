// Start-up to first answered request: from spawning `node` to the first 2xx answer of
// POST /devices/list, for the simulator's CLI (`keyslot-sim serve`, its seeded default world),
// Seam's fake server (created, seeded, listening — what its own bin does), and a bare
// `node:http` server (node's own start-up: the floor). Each start is a fresh process.

import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startServerChild } from '../lib/children.js';
import { post } from '../lib/load.js';

const cliPath = fileURLToPath(new URL('./cli.js', import.meta.resolve('@keyslot/salto-sim')));
const fakeServer = fileURLToPath(new URL('../servers/fake-server.js', import.meta.url));
const bareServer = fileURLToPath(new URL('../servers/bare-server.js', import.meta.url));
const SIM_KEY = 'seam_bench_sim_key';

/**
 * Starts a server, sends the first request, stops it; returns ms from spawn to the answer.
 * @param {string[]} args
 * @param {RegExp} portLine
 * @param {string} apiKey
 */
async function startAndAsk(args, portLine, apiKey) {
  const child = await startServerChild(args, portLine);
  const agent = new Agent({ keepAlive: false });
  try {
    const r = await post(agent, child.port, apiKey, '/devices/list', {});
    const answeredAt = performance.now();
    if (r.status !== 200) throw new Error(`first request answered ${r.status}: ${r.body.slice(0, 300)}`);
    return { first: answeredAt - child.startedAt, listening: child.listeningAt - child.startedAt };
  } finally {
    agent.destroy();
    await child.stop();
  }
}

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'Start-up',
  subject: 'keyslot-sim serve',
  baseline: "Seam's fake server",
  unit: 'start',
  cases: [
    {
      label: 'spawn → first answer',
      async open() {
        /**
         * @param {string[]} args
         * @param {RegExp} portLine
         * @param {string} apiKey
         */
        const contender = (args, portLine, apiKey) => async () => {
          const t = await startAndAsk(args, portLine, apiKey);
          return { 'ms to first answer': t.first, 'ms to listening': t.listening };
        };
        return {
          contenders: {
            simulator: contender(
              [cliPath, 'serve', '--port', '0', '--quiet', '--api-key', SIM_KEY],
              /Listening on http:\/\/127\.0\.0\.1:(\d+)/,
              SIM_KEY,
            ),
            'seam fake': contender([fakeServer], /LISTENING (\d+)/, 'seam_apikey1_token'),
            'bare node:http': contender([bareServer], /LISTENING (\d+)/, 'none'),
          },
          comparisons: [
            {
              label: 'vs Seam fake',
              subject: 'simulator',
              baseline: 'seam fake',
              metric: 'ms to first answer',
              better: 'lower',
              minRatio: 5,
            },
            {
              label: 'vs bare node:http',
              subject: 'simulator',
              baseline: 'bare node:http',
              metric: 'ms to first answer',
              better: 'lower',
            },
          ],
          close: async () => {},
        };
      },
    },
  ],
};
