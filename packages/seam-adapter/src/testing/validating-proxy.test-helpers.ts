/**
 * A checking proxy on 127.0.0.1 for an adapter that runs in ANOTHER process (the crash tests' app,
 * killed with SIGKILL): it forwards each request to the simulator server through a
 * `SeamSchemaCheck`'s fetch, so that process's requests and replies are checked against Seam's
 * newest OpenAPI like the in-process ones. A connection the server drops is dropped onwards (a
 * lost reply stays lost); nothing else changes on the way.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SeamSchemaCheck } from './validating-fetch.test-helpers.js';

/** Request headers the adapter sends that matter to the server. */
const FORWARDED_REQUEST = ['authorization', 'content-type', 'accept', 'seam-sdk-name'];
/** Reply headers the adapter reads. */
const FORWARDED_REPLY = ['content-type', 'seam-request-id', 'retry-after'];

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface ValidatingProxy {
  /** Give this to the other process as the adapter's `endpoint`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startValidatingProxy(target: string, check: SeamSchemaCheck): Promise<ValidatingProxy> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await bodyOf(req);
        const headers: Record<string, string> = {};
        for (const h of FORWARDED_REQUEST) {
          const v = req.headers[h];
          if (typeof v === 'string') headers[h] = v;
        }
        const method = req.method ?? 'GET';
        const reply = await check.fetch(`${target}${req.url ?? '/'}`, {
          method,
          headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
        });
        const text = await reply.text();
        const out: Record<string, string> = {};
        for (const h of FORWARDED_REPLY) {
          const v = reply.headers.get(h);
          if (v !== null) out[h] = v;
        }
        res.writeHead(reply.status, out).end(text);
      } catch {
        // The server dropped the connection (or the client went away): drop ours too.
        req.socket.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
