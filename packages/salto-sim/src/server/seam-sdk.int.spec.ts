import { readFileSync } from 'node:fs';
import { SystemClock } from '@keyslot/core';
import { isSeamHttpApiError, isSeamHttpUnauthorizedError, SeamHttp } from '@seamapi/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seamSdkExample } from './seam-sdk.example.js';
import { FAST_TIMINGS, startTestServer, TEST_KEY, type TestServer } from './test-server.test-helpers.js';

/**
 * Seam's official JavaScript client (@seamapi/http 1.102.0) pointed at the simulator, on a real
 * clock with short Salto delays so the SDK's own polling finishes quickly.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock: new SystemClock(), config: { timings: FAST_TIMINGS } });
});
afterAll(async () => {
  await t.close();
  // Every body the SDK received was also checked against Seam's schemas on the way out.
  expect(t.violations).toEqual([]);
});

describe('Seam JavaScript SDK against the simulator', () => {
  it('runs the README example: lists locks, reads a generated PIN, hits the slot limit, unlocks, gets typed errors', async () => {
    const lines: string[] = [];
    const summary = await seamSdkExample(t.url, TEST_KEY, (l) => lines.push(l));
    expect(summary.lockCount).toBe(8);
    expect(summary.pin).toMatch(/^\d{6}$/);
    expect(summary.refused?.error_code).toBe('salto_site_user_not_subscribed');
    expect(summary.unlockStatus).toBe('success');
    expect(summary.errors).toHaveLength(3);
    expect(summary.errors[0]).toMatch(/^invalid_input: /);
    expect(summary.errors[1]).toMatch(/^remote_unlock_not_supported \(HTTP 400, request [0-9a-f-]{36}\)$/);
    expect(summary.errors[2]).toBe('unlock failed: hub_disconnected');
    expect(lines.join('\n')).not.toContain(summary.pin as string);
  });

  it('is shown verbatim in the package README', () => {
    const source = readFileSync(new URL('./seam-sdk.example.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const code = source.slice(source.indexOf('import {')).trimEnd();
    expect(code.length).toBeGreaterThan(500);
    expect(readme).toContain(code);
  });

  it('pages with the SDK paginator and maps 401 and 404 to typed errors', async () => {
    const seam = SeamHttp.fromApiKey(TEST_KEY, { endpoint: t.url });
    const pages = seam.createPaginator(seam.devices.list({ limit: 3 }));
    const all = await pages.flattenToArray();
    expect(all.map((d) => d.device_id).sort()).toEqual(Object.values(t.ids.locks).sort());

    const gone = await seam.accessCodes.get({ access_code_id: '00000000-0000-4000-8000-000000000000' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isSeamHttpApiError(gone) && gone.code).toBe('access_code_not_found');

    const wrongKey = SeamHttp.fromApiKey('seam_wrong_key_123', { endpoint: t.url });
    const unauthorized = await wrongKey.devices.list().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isSeamHttpUnauthorizedError(unauthorized)).toBe(true);

    const account = await seam.connectedAccounts.get({ connected_account_id: t.ids.connectedAccountId });
    expect(account.account_type).toBe('salto_ks');
  });

  it('updates an access code through the SDK (PUT /access_codes/update) and types the refusal of a caller PIN', async () => {
    const seam = SeamHttp.fromApiKey(TEST_KEY, { endpoint: t.url });
    const created = await seam.accessCodes.create({ device_id: t.ids.locks.apartment1, name: 'sdk guest' });
    await seam.accessCodes.update({ access_code_id: created.access_code_id, name: 'sdk guest 2' });
    expect((await seam.accessCodes.get({ access_code_id: created.access_code_id })).name).toBe('sdk guest 2');
    const refused = await seam.accessCodes
      .update({ access_code_id: created.access_code_id, code: '482913' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isSeamHttpApiError(refused) && refused.code).toBe('invalid_input');
    await seam.accessCodes.delete({ access_code_id: created.access_code_id });
  });
});
