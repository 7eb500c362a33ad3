import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod/v4';
import { checkParams, fastParams, loadValidation, type SchemaName } from './params.js';

const { schemas, parseParams } = await loadValidation();

const ROUTES = [
  'devicesList',
  'locksList',
  'devicesGet',
  'actionAttemptsGet',
  'accessCodesCreate',
  'accessCodesList',
  'accessCodesGet',
  'accessCodesDelete',
  'connectedAccountsList',
  'connectedAccountsGet',
  'webhooksById',
  'eventsList',
] as const satisfies readonly SchemaName[];

const OWN_KEYS: Record<(typeof ROUTES)[number], readonly string[]> = {
  devicesList: ['limit'],
  locksList: ['device_ids'],
  devicesGet: ['device_id', 'name'],
  actionAttemptsGet: ['action_attempt_id'],
  accessCodesCreate: ['device_id', 'name'],
  accessCodesList: ['device_id'],
  accessCodesGet: ['access_code_id'],
  accessCodesDelete: ['access_code_id', 'device_id'],
  connectedAccountsList: ['search'],
  connectedAccountsGet: ['connected_account_id', 'email'],
  webhooksById: ['webhook_id'],
  eventsList: ['since', 'device_id'],
};

const DEVICE = '0b8ff1c6-1f5e-4c1b-9a6e-3c2d1e0f9a8b';

/** Values near the edges of what the fast checks accept. */
const value = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    DEVICE,
    DEVICE.toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    '0b8ff1c6-1f5e-9c1b-9a6e-3c2d1e0f9a8b', // version 9
    '0b8ff1c6-1f5e-4c1b-7a6e-3c2d1e0f9a8b', // variant 7
    `${DEVICE}\n`,
    '',
    'x'.repeat(200),
    'x'.repeat(201),
    'true',
    '1234',
  ),
  fc.string({ maxLength: 210 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.uuid(), { maxLength: 2 }),
);
const key = fc.constantFrom(
  'device_id',
  'name',
  'access_code_id',
  'action_attempt_id',
  'connected_account_id',
  'webhook_id',
  'code',
  'limit',
  'page_cursor',
  'sync',
  'starts_at',
  'is_one_time_use',
  'something_else',
  '__proto__',
);

describe('fast parameter checks', () => {
  /** Mostly the route's own parameters, so the fast path is taken often. */
  const request = fc.constantFrom(...ROUTES).chain((route) =>
    fc.tuple(
      fc.constant(route),
      fc.dictionary(
        fc.oneof(
          { arbitrary: fc.constantFrom(...OWN_KEYS[route]), weight: 6 },
          { arbitrary: key, weight: 1 },
        ),
        fc.oneof(
          {
            arbitrary: fc.constantFrom(
              DEVICE,
              null,
              'x'.repeat(200),
              'x'.repeat(201),
              '0b8ff1c6-1f5e-4c1b-ca6e-3c2d1e0f9a8b', // variant c
              '0b8ff1c6-1f5e-9c1b-9a6e-3c2d1e0f9a8b', // version 9
            ),
            weight: 2,
          },
          { arbitrary: value, weight: 3 },
        ),
        { maxKeys: 3 },
      ),
    ),
  );
  test.prop([request], { numRuns: 1000 })(
    'never accept what zod refuses and output exactly what zod outputs',
    ([route, params]) => {
      const fast = fastParams(route, params);
      const zod = parseParams(schemas[route] as z.ZodType, params);
      if (fast !== undefined) {
        expect(zod.ok).toBe(true);
        if (zod.ok) expect(fast).toStrictEqual(zod.value);
      }
    },
  );

  it('take the plain requests of the hot routes (so zod stays unloaded for them)', () => {
    expect(fastParams('accessCodesCreate', { device_id: DEVICE, name: 'Guest 12' })).toEqual({
      device_id: DEVICE,
      name: 'Guest 12',
    });
    expect(fastParams('accessCodesList', { device_id: DEVICE })).toEqual({ device_id: DEVICE });
    expect(fastParams('accessCodesDelete', { access_code_id: DEVICE })).toEqual({ access_code_id: DEVICE });
    expect(fastParams('devicesList', {})).toEqual({});
    // anything else goes to zod
    expect(fastParams('accessCodesCreate', { device_id: DEVICE, code: '1234' })).toBeUndefined();
    expect(fastParams('accessCodesList', {})).toBeUndefined();
    expect(fastParams('accessCodesDelete', { access_code_id: 'nope' })).toBeUndefined();
    expect(fastParams('eventsList', { since: '2026-01-01T00:00:00Z' })).toBeUndefined();
  });

  it('fall back to zod, with its error, for what they do not settle', async () => {
    const r = await checkParams('accessCodesDelete', { access_code_id: 'nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.status).toBe(400);
      expect(r.error.error.type).toBe('invalid_input');
      expect(r.error.error.message).toMatch(/^access_code_id: /);
    }
    const accepted = await checkParams('accessCodesCreate', { device_id: DEVICE, code: '1234' });
    expect(accepted).toEqual({ ok: true, value: { device_id: DEVICE, code: '1234' } });
  });
});
