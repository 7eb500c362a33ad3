// Load generator for the HTTP benchmarks: `clients` concurrent clients in this process, each on
// its own keep-alive connection (node:http Agent), each looping create → list → delete of an
// access code on its own device, Seam-style (POST + JSON + bearer key). Bounded by time and by
// request count. Any non-2xx answer or transport error stops the run with the server's words.

import { Agent, request } from 'node:http';

/**
 * @typedef {object} Target
 * @property {number} port
 * @property {string} apiKey
 * @property {string[]} deviceIds one per client
 */

/**
 * One POST; resolves to the status and the body text.
 * @param {Agent} agent
 * @param {number} port
 * @param {string} apiKey
 * @param {string} path
 * @param {unknown} payload
 * @returns {Promise<{ status: number, body: string }>}
 */
export function post(agent, port, apiKey, path, payload) {
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        },
      },
      (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * @param {string} what
 * @param {{ status: number, body: string }} r
 */
function expectOk(what, r) {
  if (r.status < 200 || r.status > 299) {
    throw new Error(`${what} answered ${r.status}: ${r.body.slice(0, 500)}`);
  }
  return r;
}

/**
 * Runs the create/list/delete loop on `target` with `clients` clients until `ms` have passed
 * or `maxRequests` were sent; returns the requests completed and the wall time taken.
 * @param {Target} target
 * @param {{ clients: number, ms: number, maxRequests: number }} load
 */
export async function runCrudLoad(target, load) {
  const agent = new Agent({ keepAlive: true, maxSockets: load.clients });
  let sent = 0;
  let done = 0;
  /** @type {Record<string, number>} */
  const bytes = { create: 0, list: 0, delete: 0 };
  const start = performance.now();
  const deadline = start + load.ms;
  /** @param {number} c */
  const client = async (c) => {
    const device_id = target.deviceIds[c % target.deviceIds.length];
    let i = 0;
    while (performance.now() < deadline && sent + 3 <= load.maxRequests) {
      sent += 3;
      const created = expectOk(
        'POST /access_codes/create',
        await post(agent, target.port, target.apiKey, '/access_codes/create', {
          device_id,
          name: `bench ${c}-${i++}`,
        }),
      );
      const id = JSON.parse(created.body).access_code?.access_code_id;
      if (typeof id !== 'string')
        throw new Error(`create gave no access_code_id: ${created.body.slice(0, 300)}`);
      const listed = expectOk(
        'POST /access_codes/list',
        await post(agent, target.port, target.apiKey, '/access_codes/list', { device_id }),
      );
      const deleted = expectOk(
        'POST /access_codes/delete',
        await post(agent, target.port, target.apiKey, '/access_codes/delete', { access_code_id: id }),
      );
      bytes['create'] = created.body.length;
      bytes['list'] = listed.body.length;
      bytes['delete'] = deleted.body.length;
      done += 3;
    }
  };
  try {
    await Promise.all(Array.from({ length: load.clients }, (_, c) => client(c)));
  } finally {
    agent.destroy();
  }
  return { requests: done, ms: performance.now() - start, bytes };
}
