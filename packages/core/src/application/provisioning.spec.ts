/**
 * `ensureCode` by example: one code per grant and lock, never created blindly twice — what it
 * returns, what it asks the provider (in order), what is left at the provider, and what it logs.
 */
import { describe, expect, it } from 'vitest';
import { type AccessCode, codeNameFor } from '../domain/access-code.js';
import { ONGOING } from '../domain/time.js';
import { VirtualClock } from '../infrastructure/clock.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import { ensureCode } from './provisioning.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';
import { NOW } from './use-cases.test-helpers.js';

const KEY = 'booking-1';

function setUp(slotLimit = 10) {
  const gateway = new FakeLockGateway({ clock: new VirtualClock(NOW) }).addSite(testSite({ slotLimit }), [
    testLock('L1'),
  ]);
  const logger = new MemoryLogger();
  const ensure = (lookFirst: boolean) =>
    ensureCode(gateway, logger, { key: KEY, lockId: 'L1', window: ONGOING, lookFirst });
  /** Makes a code of the grant on L1 directly (as an earlier run did); refused when the site is full. */
  const existingCode = async (): Promise<AccessCode> => {
    const made = await gateway.createAccessCode({ lockId: 'L1', name: codeNameFor(KEY), window: ONGOING });
    if (!made.ok) throw new Error(made.error.message);
    gateway.calls.length = 0;
    return made.value;
  };
  return { gateway, logger, ensure, existingCode };
}

const created = (code: AccessCode) => ({
  level: 'info',
  message: 'access code created',
  fields: { grantKey: KEY, lockId: 'L1', accessCodeId: code.id, status: code.status },
});
const replyLost = (attempt: number) => ({
  level: 'warn',
  message: 'create access code: reply lost; looking the code up by grant key',
  fields: { grantKey: KEY, lockId: 'L1', attempt },
});
const refusedDeleted = (code: AccessCode, deleted: boolean) => ({
  level: 'warn',
  message: 'access code refused at the slot limit; deleted it',
  fields: { grantKey: KEY, lockId: 'L1', accessCodeId: code.id, deleted },
});

describe('ensureCode', () => {
  it('creates the code once and logs it', async () => {
    const { gateway, logger, ensure } = setUp();
    const r = await ensure(false);
    const [code] = gateway.allCodes();
    expect(code).toMatchObject({ lockId: 'L1', name: codeNameFor(KEY), status: 'setting', issues: [] });
    expect(r).toEqual({ kind: 'ready', code });
    expect(gateway.calls).toEqual(['createAccessCode:L1']);
    expect(logger.entries).toEqual([created(code!)]);
  });

  it('deletes a code the provider refused at the slot limit, and logs both steps', async () => {
    const { gateway, logger, ensure } = setUp(0);
    const r = await ensure(false);
    expect(r).toMatchObject({ kind: 'refused_at_limit', cleanupFailure: null, code: { status: 'unset' } });
    const code = (r as { code: AccessCode }).code;
    expect(gateway.allCodes()).toEqual([]);
    expect(gateway.calls).toEqual(['createAccessCode:L1', `deleteAccessCode:L1`]);
    expect(logger.entries).toEqual([created(code), refusedDeleted(code, true)]);
  });

  it('says when the refused code could not be deleted (left for reconcile)', async () => {
    const { gateway, logger, ensure } = setUp(0);
    gateway.inject('deleteAccessCode', { kind: 'fail', code: 'rate_limited' });
    const r = await ensure(false);
    const [code] = gateway.allCodes();
    expect(r).toEqual({
      kind: 'refused_at_limit',
      code,
      cleanupFailure: { code: 'rate_limited', message: 'fake provider: rate limited' },
    });
    expect(logger.entries).toEqual([created(code!), refusedDeleted(code!, false)]);
  });

  it('with lookFirst, reuses the grant\u2019s live code without creating or logging', async () => {
    const { gateway, logger, ensure, existingCode } = setUp();
    const code = await existingCode();
    expect(await ensure(true)).toEqual({ kind: 'ready', code });
    expect(gateway.calls).toEqual(['listAccessCodes:L1']);
    expect(logger.entries).toEqual([]);
  });

  it('with lookFirst, takes the live code over a refused one left before it, and leaves both', async () => {
    const { gateway, logger, ensure, existingCode } = setUp();
    gateway.setSlotLimit('site-1', 0);
    const refused = await existingCode();
    gateway.setSlotLimit('site-1', 10);
    const live = await existingCode();
    expect(refused.status).toBe('unset');
    expect(gateway.allCodes().map((c) => c.id)).toEqual([refused.id, live.id]);
    expect(await ensure(true)).toEqual({ kind: 'ready', code: live });
    expect(gateway.calls).toEqual(['listAccessCodes:L1']);
    expect(logger.entries).toEqual([]);
  });

  it('with lookFirst, deletes a refused code it finds alone and reports the refusal', async () => {
    const { gateway, logger, ensure, existingCode } = setUp(0);
    const refused = await existingCode();
    expect(await ensure(true)).toEqual({ kind: 'refused_at_limit', code: refused, cleanupFailure: null });
    expect(gateway.calls).toEqual(['listAccessCodes:L1', 'deleteAccessCode:L1']);
    expect(gateway.allCodes()).toEqual([]);
    expect(logger.entries).toEqual([refusedDeleted(refused, true)]);
  });

  it('with lookFirst, fails without creating when the lock\u2019s codes cannot be listed', async () => {
    const { gateway, logger, ensure } = setUp();
    gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' });
    expect(await ensure(true)).toEqual({
      kind: 'failed',
      failure: { code: 'unavailable', message: 'fake provider: unavailable' },
    });
    expect(gateway.calls).toEqual(['listAccessCodes:L1']);
    expect(logger.entries).toEqual([]);
  });

  it('a refused create (not a lost reply) fails at once, without a lookup', async () => {
    const { gateway, logger, ensure } = setUp();
    gateway.inject('createAccessCode', { kind: 'fail', code: 'hub_offline' });
    expect(await ensure(false)).toEqual({
      kind: 'failed',
      failure: { code: 'hub_offline', message: 'fake provider: hub offline' },
    });
    expect(gateway.calls).toEqual(['createAccessCode:L1']);
    expect(logger.entries).toEqual([]);
  });

  it('after a lost reply, takes the code the create made instead of creating again', async () => {
    const { gateway, logger, ensure } = setUp();
    gateway.inject('createAccessCode', { kind: 'lose_reply' });
    const r = await ensure(false);
    const [code] = gateway.allCodes();
    expect(r).toEqual({ kind: 'ready', code });
    expect(gateway.calls).toEqual(['createAccessCode:L1', 'listAccessCodes:L1']);
    expect(logger.entries).toEqual([replyLost(1)]);
  });

  it.each([
    { lost: 1, creates: 2, ready: true },
    { lost: 2, creates: 3, ready: true },
    { lost: 3, creates: 3, ready: false },
    { lost: 4, creates: 3, ready: false },
  ])(
    'creates at most 3 times while replies are lost and lookups find nothing ($lost lost)',
    async ({ lost, creates, ready }) => {
      const { gateway, logger, ensure } = setUp();
      for (let i = 0; i < lost; i++)
        gateway.inject('createAccessCode', { kind: 'fail', code: 'outcome_unknown' });
      const r = await ensure(false);
      expect(gateway.count('createAccessCode')).toBe(creates);
      const lostNow = Math.min(lost, creates);
      expect(gateway.count('listAccessCodes')).toBe(lostNow);
      const warnings = Array.from({ length: lostNow }, (_, i) => replyLost(i + 1));
      if (ready) {
        const [code] = gateway.allCodes();
        expect(r).toEqual({ kind: 'ready', code });
        expect(logger.entries).toEqual([...warnings, created(code!)]);
      } else {
        expect(r).toEqual({
          kind: 'failed',
          failure: { code: 'outcome_unknown', message: 'fake provider: outcome unknown' },
        });
        expect(gateway.allCodes()).toEqual([]);
        expect(logger.entries).toEqual(warnings);
      }
    },
  );

  it('after a lost reply, a failed lookup fails with the lost reply and never creates again', async () => {
    const { gateway, logger, ensure } = setUp();
    gateway.inject('createAccessCode', { kind: 'fail', code: 'outcome_unknown' });
    gateway.inject('listAccessCodes', { kind: 'fail', code: 'rate_limited' });
    expect(await ensure(false)).toEqual({
      kind: 'failed',
      failure: { code: 'outcome_unknown', message: 'fake provider: outcome unknown' },
    });
    expect(gateway.calls).toEqual(['createAccessCode:L1', 'listAccessCodes:L1']);
    expect(logger.entries).toEqual([replyLost(1)]);
  });
});
