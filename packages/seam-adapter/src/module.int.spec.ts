import {
  ACCESS_GRANT_GATEWAY,
  type AccessGrantGateway,
  CLOCK,
  LOCK_GATEWAY,
  LOGGER,
  type LockGateway,
  MemoryLogger,
  VirtualClock,
} from '@keyslot/core';
import { Container } from 'inversify';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import { SeamAdapterConfigError } from './errors.js';
import { SeamLockGateway } from './gateway.js';
import {
  SEAM_ACCESS_GRANT_GATEWAY,
  SEAM_LOCK_GATEWAY,
  SEAM_WEBHOOK_VERIFIER,
  seamAccessGrantModule,
  seamAdapterModule,
} from './module.js';
import { useSeamSchemaCheck } from './testing/validating-fetch.test-helpers.js';
import { SeamWebhookVerifier } from './webhooks.js';

const schemas = useSeamSchemaCheck();

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
});

describe('seamAdapterModule', () => {
  it('binds LOCK_GATEWAY to one Seam gateway that uses the container’s clock and logger', async () => {
    const container = new Container();
    const logger = new MemoryLogger('debug');
    container.bind(CLOCK).toConstantValue(new VirtualClock(0, { autoAdvance: true }));
    container.bind(LOGGER).toConstantValue(logger);
    container.load(
      seamAdapterModule({ apiKey: 'seam_module_key', endpoint: 'http://seam.test', fetch: schemas.fetch }),
    );
    const gw = container.get<LockGateway>(LOCK_GATEWAY);
    expect(gw).toBeInstanceOf(SeamLockGateway);
    expect(container.get(SEAM_LOCK_GATEWAY)).toBe(gw);
    expect(container.isBound(SEAM_WEBHOOK_VERIFIER)).toBe(false);

    nock('http://seam.test')
      .post('/access_codes/get')
      .reply(
        404,
        { error: { type: 'access_code_not_found', message: 'nope' }, ok: false },
        { 'seam-request-id': 'r1' },
      );
    expect(await gw.getAccessCode('1b0e7d2c-93f1-4c1e-8d5a-6f2b9a0c4e17')).toMatchObject({
      ok: false,
      error: { code: 'access_code_not_found' },
    });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'seam call',
        fields: expect.objectContaining({ requestId: 'r1', status: 404 }),
      }),
    );
  });

  it('works without CLOCK/LOGGER bound, and binds the webhook verifier when a secret is given', () => {
    const container = new Container();
    container.load(
      seamAdapterModule({
        apiKey: 'seam_module_key',
        webhookSecret: `whsec_${Buffer.from('0123456789abcdef0123').toString('base64')}`,
      }),
    );
    expect(container.get<LockGateway>(LOCK_GATEWAY)).toBeInstanceOf(SeamLockGateway);
    expect(container.get(SEAM_WEBHOOK_VERIFIER)).toBeInstanceOf(SeamWebhookVerifier);
  });

  it('fails when the module is made, not on first use, for a bad configuration', () => {
    expect(() => seamAdapterModule({ apiKey: '' })).toThrow(SeamAdapterConfigError);
    expect(() => seamAdapterModule({ apiKey: 'k', endpoint: '::nope' })).toThrow(/endpoint/);
  });
});

describe('seamAccessGrantModule', () => {
  it('binds ACCESS_GRANT_GATEWAY to one SeamAccessGrantGateway using the container’s logger', async () => {
    const container = new Container();
    const logger = new MemoryLogger('debug');
    container.bind(CLOCK).toConstantValue(new VirtualClock(0, { autoAdvance: true }));
    container.bind(LOGGER).toConstantValue(logger);
    container.load(
      seamAccessGrantModule({
        apiKey: 'seam_module_key',
        endpoint: 'http://seam.test',
        fetch: schemas.fetch,
      }),
    );
    const gw = container.get<AccessGrantGateway>(ACCESS_GRANT_GATEWAY);
    expect(gw).toBeInstanceOf(SeamAccessGrantGateway);
    expect(container.get(SEAM_ACCESS_GRANT_GATEWAY)).toBe(gw);
    expect(container.isBound(LOCK_GATEWAY)).toBe(false);
    nock('http://seam.test')
      .post('/access_grants/get')
      .reply(
        404,
        { error: { type: 'access_grant_not_found', message: 'nope' }, ok: false },
        { 'seam-request-id': 'r2' },
      );
    expect(await gw.getAccessGrant('5d0c2b7a-8e41-4f3a-9c6d-1a2b3c4d5e6f')).toMatchObject({
      ok: false,
      error: { code: 'access_grant_not_found' },
    });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ message: 'seam call', fields: expect.objectContaining({ requestId: 'r2' }) }),
    );
  });

  it('fails when the module is made, for a bad configuration', () => {
    expect(() => seamAccessGrantModule({ apiKey: ' ' })).toThrow(SeamAdapterConfigError);
  });
});
