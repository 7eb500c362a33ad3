import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { createRequestListener, type Route } from './http.js';
import { success } from './reply.js';
import { list, num, parseParams } from './validation.js';

/** The framework layer alone, with toy routes: envelope, auth, body rules, query decoding. */

const KEY = 'seam_test_key_123';
let server: Server;
let base: string;
let writes = 0;

const routes: Route[] = [
  { path: '/health', methods: ['GET', 'POST'], auth: false, handle: () => success({ msg: 'up' }) },
  {
    path: '/echo',
    methods: ['GET', 'POST'],
    handle: (ctx) => {
      const p = parseParams(
        z.object({ n: num().optional(), ids: list(z.string()).optional() }).passthrough(),
        ctx.params,
      );
      if (!p.ok) return p.error;
      return success({ params: p.value });
    },
  },
  {
    path: '/write',
    methods: ['POST'],
    handle: (ctx) => {
      const p = parseParams(z.object({ device_id: z.string().uuid() }), ctx.params);
      if (!p.ok) return p.error;
      writes++;
      return success({});
    },
  },
  {
    path: '/crash',
    methods: ['POST'],
    handle: () => {
      throw new Error('boom');
    },
  },
];

beforeAll(async () => {
  server = createServer(
    createRequestListener(routes, { apiKey: KEY, maxBodyBytes: 1024, onInternalError: () => undefined }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const auth = { authorization: `Bearer ${KEY}` };
async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(base + path, init);
  const body = (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> };
  return {
    status: res.status,
    body,
    requestId: res.headers.get('seam-request-id'),
    type: res.headers.get('content-type'),
  };
}
const post = (
  path: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => call(path, { method: 'POST', body, headers: { ...auth, ...headers } });

describe('Seam envelope', () => {
  it('adds ok:true and a seam-request-id, and /health needs no key', async () => {
    const r = await call('/health');
    expect(r).toMatchObject({ status: 200, body: { msg: 'up', ok: true } });
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.type).toMatch(/^application\/json/);
  });

  it('401 unauthorized without or with a wrong bearer key', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: KEY }] as Record<
      string,
      string
    >[]) {
      const r = await call('/echo', { headers });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
      expect(r.requestId).toBeTruthy();
      expect(JSON.stringify(r.body)).not.toContain(KEY);
    }
  });

  it('404 for an unknown route, 405 for a wrong method', async () => {
    expect(await call('/nope', { headers: auth })).toMatchObject({
      status: 404,
      body: { ok: false, error: { type: 'not_found' } },
    });
    expect(await call('/write', { headers: auth })).toMatchObject({
      status: 405,
      body: { ok: false, error: { type: 'method_not_allowed' } },
    });
  });

  it('500 internal_server_error when a handler crashes, and the server keeps serving', async () => {
    const r = await post('/crash', '{}');
    expect(r).toMatchObject({ status: 500, body: { ok: false, error: { type: 'internal_server_error' } } });
    expect((await call('/health')).status).toBe(200);
  });
});

describe('request bodies', () => {
  it('400 invalid_content_type for a non-JSON body, and nothing is written', async () => {
    const r = await post('/write', 'device_id=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r).toMatchObject({ status: 400, body: { ok: false, error: { type: 'invalid_content_type' } } });
    const r2 = await post('/write', '{"device_id":"8a7b1d3e-1111-4222-8333-944445555666"}', {});
    expect(r2.status).toBe(400);
    expect(writes).toBe(0);
  });

  it('400 invalid_input for malformed JSON or a non-object body', async () => {
    for (const body of ['{"device_id":', '[1,2]', 'null', '"x"']) {
      const r = await post('/write', body);
      expect(r).toMatchObject({ status: 400, body: { ok: false, error: { type: 'invalid_input' } } });
    }
    expect(writes).toBe(0);
  });

  it('400 invalid_input naming the field for missing or mistyped parameters', async () => {
    const missing = await post('/write', '{}');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      type: 'invalid_input',
      validation_errors: { device_id: { _errors: ['Required'] } },
    });
    expect(String(missing.body.error?.['message'])).toContain('device_id');
    const wrong = await post('/write', '{"device_id": 12}');
    expect(wrong.body.error).toMatchObject({ type: 'invalid_input' });
    expect(String(wrong.body.error?.['message'])).toContain('device_id');
    expect(writes).toBe(0);
  });

  it('413 for bodies over the cap, declared or streamed, and the server stays up', async () => {
    const big = JSON.stringify({ device_id: 'x'.repeat(5000) });
    const r = await post('/write', big);
    expect(r).toMatchObject({ status: 413, body: { ok: false, error: { type: 'payload_too_large' } } });
    // Chunked (no content-length): the cap applies while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${base}/write`,
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } },
        (res) => {
          let b = '';
          res.on('data', (c: Buffer) => {
            b += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('x'.repeat(400));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ ok: false, error: { type: 'payload_too_large' } });
    expect(writes).toBe(0);
    expect((await call('/health')).status).toBe(200);
  });
});

describe('query strings', () => {
  it('decodes repeated keys, brackets and numbers like Seam SDK requests, merged with a JSON body', async () => {
    const r = await call('/echo?n=5&ids=a&ids=b&meta.team=blue', { headers: auth });
    expect(r.body).toEqual({ ok: true, params: { n: 5, ids: ['a', 'b'], meta: { team: 'blue' } } });
    const r2 = await call('/echo?ids[]=a', { headers: auth });
    expect(r2.body).toEqual({ ok: true, params: { ids: ['a'] } });
    const r3 = await post('/echo?n=1', '{"n": 2}');
    expect(r3.body).toEqual({ ok: true, params: { n: 2 } });
  });
});
