// The physical limit for the HTTP benchmark: a bare `node:http` server that reads each request
// body in full and answers with a canned JSON body for its path (the simulator's own answers,
// recorded by the benchmark) — no routing framework, no validation, no state. Usage:
//   node bare-server.js <bodies.json>   (bodies.json: { "/path": "<response body>" }, optional)
// Prints "LISTENING <port>"; stops on SIGTERM.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** @type {Record<string, string>} */
const bodies = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : {};
const fallback = '{"ok":true}';

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = bodies[path] ?? fallback;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
