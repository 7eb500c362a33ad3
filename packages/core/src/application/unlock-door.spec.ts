/**
 * UnlockDoor, what its caller and its operator see: the exact outcome or typed error of each
 * request (and the field an invalid one names), the provider calls in their order, how the attempt
 * is polled, what a provider or store failure says, and the one log record of each request.
 */
import { describe, expect, it } from 'vitest';
import type { AccessPolicy } from '../domain/policy.js';
import { ok } from '../domain/result.js';
import type { StoreFailure } from '../ports/grant-store.js';
import type { GatewayFailureCode } from '../ports/lock-gateway.js';
import { FAILURES, FailingStore } from './failing-store.test-helpers.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';
import { UnlockDoor } from './unlock-door.js';
import {
  logsFrom,
  type MakeWorldOptions,
  makeWorld,
  NOW,
  request,
  worldWithStore,
} from './use-cases.test-helpers.js';

type RemoteUnlock = AccessPolicy['remoteUnlock'];

/** Locks L1..L3 whose remote unlock the policy allows `remoteUnlock` to ask for. */
const world = (remoteUnlock: RemoteUnlock = 'anyone', options: MakeWorldOptions = {}) =>
  makeWorld({ ...options, policy: { remoteUnlock } });

/** The same over a store that fails on cue. */
const failingWorld = (remoteUnlock: RemoteUnlock) =>
  worldWithStore((inner) => new FailingStore(inner, null), { policy: { remoteUnlock } });

/** UnlockDoor's one record per request. */
const unlockLog = (level: 'info' | 'error', fields: Record<string, unknown>) => ({
  level,
  message: 'unlock door',
  fields,
});

/** The provider calls of an unlock of L1 whose attempt was looked at `polls` times. */
const sentThenPolled = (polls: number) => [
  'getLock:L1',
  'unlock:L1',
  ...Array.from({ length: polls }, () => 'getUnlockAttempt'),
];

/** L1 opened by the world's first attempt, for no holder. */
const UNLOCKED_L1 = { code: 'unlocked', lockId: 'L1', attemptId: 'attempt-1', holder: null, grantKey: null };

/** The reason the fake provider gives for a failure `code`. */
const fakeReason = (code: GatewayFailureCode) => `fake provider: ${code.replaceAll('_', ' ')}`;

/** UnlockDoor's result when the provider failed `operation` on L1 with `code`. */
const providerFailedOn = (operation: string, code: GatewayFailureCode, message: string) => ({
  ok: false,
  error: {
    code: 'provider_failed',
    message,
    operation,
    failure: { code, message: fakeReason(code) },
    lockId: 'L1',
  },
});

/** A provider whose finished attempts carry no reason (`error: null`, as a provider may answer). */
class ReasonlessGateway extends FakeLockGateway {
  override async getUnlockAttempt(id: string) {
    const r = await super.getUnlockAttempt(id);
    return r.ok ? ok({ ...r.value, error: null }) : r;
  }
}

describe('UnlockDoor refuses bad input before asking the provider anything', () => {
  it('built with a bad policy: throws InvalidPolicyError naming UnlockDoor and the bad field', () => {
    const w = world();
    const bad = { ...w.policy, remoteUnlock: 'everyone' } as unknown as AccessPolicy;
    expect(() => new UnlockDoor({ ...w, policy: bad })).toThrow(
      expect.objectContaining({
        name: 'InvalidPolicyError',
        message: expect.stringMatching(/^UnlockDoor: .*remoteUnlock/),
      }),
    );
  });

  const NOT_AN_OBJECT = {
    code: 'invalid_input',
    message: 'Invalid input: request: must be an object { lockId, holder?, timeoutMs? }.',
    issues: [{ field: 'request', message: 'must be an object { lockId, holder?, timeoutMs? }' }],
  };

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a lock id alone', 'L1'],
    ['a number', 42],
  ])('%s is not a request: names "request", logs it with no lock id', async (_, input) => {
    const w = world();
    expect(await w.unlock.execute(input)).toEqual({ ok: false, error: NOT_AN_OBJECT });
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'invalid_input', lockId: null, reason: NOT_AN_OBJECT.message }),
    ]);
    expect(w.gateway.calls).toEqual([]);
  });

  const LOCK_ID = { field: 'lockId', message: 'must be a non-empty string' };
  const HOLDER = { field: 'holder', message: 'must be a non-empty string when given' };
  const TIMEOUT = { field: 'timeoutMs', message: 'must be a finite number of ms ≥ 0' };
  const POLL = { field: 'pollIntervalMs', message: 'must be a finite number of ms > 0' };

  it.each([
    ['no lock id', {}, [LOCK_ID], null],
    ['a numeric lock id', { lockId: 42 }, [LOCK_ID], null],
    ['a blank lock id', { lockId: '  ' }, [LOCK_ID], '  '],
    ['an empty holder', { lockId: 'L1', holder: '' }, [HOLDER], 'L1'],
    ['a blank holder', { lockId: 'L1', holder: ' \t' }, [HOLDER], 'L1'],
    ['a numeric holder', { lockId: 'L1', holder: 7 }, [HOLDER], 'L1'],
    ['a null holder', { lockId: 'L1', holder: null }, [HOLDER], 'L1'],
    ['a negative timeout', { lockId: 'L1', timeoutMs: -1 }, [TIMEOUT], 'L1'],
    ['a zero poll interval', { lockId: 'L1', pollIntervalMs: 0 }, [POLL], 'L1'],
    [
      'everything wrong at once',
      { lockId: 7, holder: 9, timeoutMs: Number.NaN, pollIntervalMs: '500' },
      [LOCK_ID, HOLDER, TIMEOUT, POLL],
      null,
    ],
  ])('%s: names each wrong field with its rule', async (_, input, issues, loggedLockId) => {
    const w = world();
    const r = await w.unlock.execute(input);
    const message = `Invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`;
    expect(r).toEqual({ ok: false, error: { code: 'invalid_input', message, issues } });
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'invalid_input', lockId: loggedLockId, reason: message }),
    ]);
    expect(w.gateway.calls).toEqual([]);
  });

  it('a deadline of 0 ms is allowed: the attempt is looked at once, then the wait ends', async () => {
    const w = world();
    const r = await w.unlock.execute({ lockId: 'L1', timeoutMs: 0 });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'unlock_timed_out', attemptId: 'attempt-1', waitedMs: 0 },
    });
    expect(w.gateway.calls).toEqual(sentThenPolled(0));
  });
});

describe('UnlockDoor opens the door', () => {
  it('reads the lock, sends the unlock once, polls its attempt at the interval asked, and logs it', async () => {
    const w = world();
    w.gateway.scriptUnlock('L1', 3, 'success');
    const r = await w.unlock.execute({ lockId: 'L1', pollIntervalMs: 250 });
    expect(r).toEqual({
      ok: true,
      value: UNLOCKED_L1,
    });
    expect(w.gateway.calls).toEqual(sentThenPolled(3));
    expect(w.clock.now()).toBe(NOW + 750);
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'unlocked', lockId: 'L1', attemptId: 'attempt-1', grantKey: null }),
    ]);
  });

  it('polls every 500 ms by default and waits 15 s by default', async () => {
    const w = world();
    w.gateway.scriptUnlock('L1', 2, 'success');
    await w.unlock.execute({ lockId: 'L1' });
    expect(w.clock.now()).toBe(NOW + 1000);
    const slow = world();
    slow.gateway.scriptUnlock('L1', 1000, 'success');
    const r = await slow.unlock.execute({ lockId: 'L1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unlock_timed_out', waitedMs: 15_000 } });
    expect(slow.gateway.count('getUnlockAttempt')).toBe(30);
  });

  it('under active_grant_holders, for the holder of an active grant on the lock: names the grant', async () => {
    const w = world('active_grant_holders');
    await w.grant.execute(request({ key: 'bob-1', holder: 'bob', lockIds: ['L1'] }));
    await w.grant.execute(request({ key: 'alice-1', holder: 'alice', lockIds: ['L1', 'L2'] }));
    const logs = logsFrom(w);
    const r = await w.unlock.execute({ lockId: 'L2', holder: 'alice' });
    expect(r).toEqual({
      ok: true,
      value: { code: 'unlocked', lockId: 'L2', attemptId: 'attempt-4', holder: 'alice', grantKey: 'alice-1' },
    });
    expect(logs()).toEqual([
      unlockLog('info', { outcome: 'unlocked', lockId: 'L2', attemptId: 'attempt-4', grantKey: 'alice-1' }),
    ]);
  });

  it('under active_grant_holders, another holder’s grant on the lock does not count', async () => {
    const w = world('active_grant_holders');
    await w.grant.execute(request({ key: 'bob-1', holder: 'bob', lockIds: ['L1'] }));
    const logs = logsFrom(w);
    const r = await w.unlock.execute({ lockId: 'L1', holder: 'alice' });
    const message =
      'Holder "alice" has no active grant on lock "L1" right now; grant access first, or wait for the grant\'s window to start.';
    expect(r).toEqual({
      ok: false,
      error: { code: 'no_active_grant', lockId: 'L1', holder: 'alice', message },
    });
    expect(logs()).toEqual([
      unlockLog('info', { outcome: 'no_active_grant', lockId: 'L1', reason: message }),
    ]);
    expect(w.gateway.count('unlock')).toBe(0);
  });
});

describe('UnlockDoor reads the grant store only when the policy needs the holder’s grants', () => {
  it('under "anyone", a holder is not looked up: an unavailable store does not stop the unlock', async () => {
    const { w, store } = failingWorld('anyone');
    store.failOn('listBySite');
    const r = await w.unlock.execute({ lockId: 'L1', holder: 'alice' });
    expect(r).toMatchObject({ ok: true, value: { code: 'unlocked', holder: 'alice', grantKey: null } });
    expect(store.calls).toBe(0);
  });

  it('under active_grant_holders without a holder: refused for the missing holder, the store unread', async () => {
    const { w, store } = failingWorld('active_grant_holders');
    store.failOn('listBySite');
    const r = await w.unlock.execute({ lockId: 'L1' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'no_active_grant',
        lockId: 'L1',
        holder: null,
        message:
          'Remote unlock of lock "L1" is only for holders of an active grant, and no holder was given; pass the holder.',
      },
    });
    expect(store.calls).toBe(0);
  });

  it('under active_grant_holders, a lock the provider does not know is refused, the store unread', async () => {
    const { w, store } = failingWorld('active_grant_holders');
    store.failOn('listBySite');
    const r = await w.unlock.execute({ lockId: 'L9', holder: 'alice' });
    const message = 'Lock "L9" was not found at the provider; check the lock id.';
    expect(r).toEqual({ ok: false, error: { code: 'lock_not_found', lockId: 'L9', message } });
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'lock_not_found', lockId: 'L9', reason: message }),
    ]);
    expect(w.gateway.calls).toEqual(['getLock:L9']);
    expect(store.calls).toBe(0);
  });

  const retryable = FAILURES[0] as StoreFailure;
  const lasting = FAILURES[2] as StoreFailure;
  it.each([
    [retryable.code, retryable, 'once the store is back'],
    [lasting.code, lasting, 'once the store is fixed (see the failure)'],
  ])(
    'a store failure reading the holder’s grants (%s): nothing is sent, and it says so',
    async (_, failure, when) => {
      const { w, store } = failingWorld('active_grant_holders');
      await w.grant.execute(request({ lockIds: ['L1'] }));
      store.failOn('listBySite', { failure });
      const logs = logsFrom(w);
      const r = await w.unlock.execute({ lockId: 'L1', holder: 'alice' });
      const message =
        `Lock "L1" was not unlocked: the grant store failed listBySite (${failure.code}: ${failure.message}) ` +
        `while reading the holder's grants, before anything was sent to the lock: nothing was changed. Try again ${when}.`;
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'store_failed',
          message,
          operation: 'listBySite',
          failure,
          retryable: failure.retryable,
        },
      });
      expect(logs()).toEqual([
        unlockLog('error', { outcome: 'store_failed', lockId: 'L1', reason: message }),
      ]);
      expect(w.gateway.count('unlock')).toBe(0);
    },
  );
});

describe('UnlockDoor when the provider refuses or fails', () => {
  it('a failure reading the lock is provider_failed naming getLock: nothing is sent', async () => {
    const w = world();
    w.gateway.inject('getLock', { kind: 'fail', code: 'unavailable' });
    const r = await w.unlock.execute({ lockId: 'L1' });
    const message =
      'The lock provider failed getLock for lock "L1" (unavailable: fake provider: unavailable); retry later; nothing was half-done.';
    expect(r).toEqual(providerFailedOn('getLock', 'unavailable', message));
    expect(w.gateway.calls).toEqual(['getLock:L1']);
    expect(w.logger.entries).toEqual([
      unlockLog('error', { outcome: 'provider_failed', lockId: 'L1', reason: message }),
    ]);
  });

  it.each<GatewayFailureCode>(['hub_offline', 'privacy_mode', 'capability_missing', 'lock_not_found'])(
    'the unlock refused by the provider with %s (the lock changed since it was read): that refusal, not retried',
    async (code) => {
      const w = world();
      w.gateway.inject('unlock', { kind: 'fail', code });
      const r = await w.unlock.execute({ lockId: 'L1' });
      const message = `Unlock of lock "L1" was refused by the provider: ${fakeReason(code)}`;
      expect(r).toEqual({ ok: false, error: { code, lockId: 'L1', message } });
      expect(w.gateway.calls).toEqual(sentThenPolled(0));
      expect(w.logger.entries).toEqual([unlockLog('info', { outcome: code, lockId: 'L1', reason: message })]);
    },
  );

  it('the unlock’s reply lost: the door may have opened, so it is not retried and the caller is told to check', async () => {
    const w = world();
    w.gateway.inject('unlock', { kind: 'lose_reply' });
    const r = await w.unlock.execute({ lockId: 'L1' });
    const message =
      'The reply to the unlock of lock "L1" was lost, so the door may or may not have opened; it was not retried ' +
      "(unlocks are not idempotent). Check the lock's events or ask the holder before unlocking again.";
    expect(r).toEqual({ ok: false, error: { code: 'unlock_outcome_unknown', lockId: 'L1', message } });
    expect(w.gateway.calls).toEqual(sentThenPolled(0));
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'unlock_outcome_unknown', lockId: 'L1', reason: message }),
    ]);
  });

  it.each<GatewayFailureCode>(['unavailable', 'rate_limited'])(
    'the unlock failing with %s: provider_failed naming unlock, the door not opened, not retried',
    async (code) => {
      const w = world();
      w.gateway.inject('unlock', { kind: 'fail', code });
      const r = await w.unlock.execute({ lockId: 'L1' });
      const reason = fakeReason(code);
      const message = `The lock provider failed unlock for lock "L1" (${code}: ${reason}); the door was not opened; try again.`;
      expect(r).toEqual(providerFailedOn('unlock', code, message));
      expect(w.gateway.calls).toEqual(sentThenPolled(0));
      expect(w.logger.entries).toEqual([
        unlockLog('error', { outcome: 'provider_failed', lockId: 'L1', reason: message }),
      ]);
    },
  );
});

describe('UnlockDoor waits for the attempt', () => {
  it.each([
    ['with the provider’s code and reason', FakeLockGateway, 'lock_jammed', 'The lock is jammed.'],
    ['without a reason (the provider gave none): says so', ReasonlessGateway, 'unknown', 'no reason given'],
  ])('an attempt that fails %s', async (_, Gateway, providerCode, reason) => {
    const w = world();
    const gateway = new Gateway({ clock: w.clock }).addSite(testSite(), [testLock('L1')]);
    gateway.scriptUnlock('L1', 1, 'error');
    const r = await new UnlockDoor({ ...w, gateway }).execute({ lockId: 'L1' });
    const message = `Lock "L1" did not open (${providerCode}: ${reason}); check the lock and its hub, then try again.`;
    expect(r).toEqual({
      ok: false,
      error: { code: 'unlock_failed', lockId: 'L1', attemptId: 'attempt-1', providerCode, message },
    });
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'unlock_failed', lockId: 'L1', reason: message }),
    ]);
  });

  it('gives up at the deadline, its last wait cut short to it, without unlocking again', async () => {
    const w = world();
    w.gateway.scriptUnlock('L1', 1000, 'success');
    const r = await w.unlock.execute({ lockId: 'L1', timeoutMs: 1200, pollIntervalMs: 500 });
    const message =
      'Lock "L1" did not confirm the unlock within 1200 ms (attempt attempt-1 still pending); the door may still open. ' +
      'Check the attempt later before unlocking again.';
    expect(r).toEqual({
      ok: false,
      error: { code: 'unlock_timed_out', lockId: 'L1', attemptId: 'attempt-1', waitedMs: 1200, message },
    });
    expect(w.clock.now()).toBe(NOW + 1200);
    expect(w.gateway.calls).toEqual(sentThenPolled(3));
    expect(w.logger.entries).toEqual([
      unlockLog('info', { outcome: 'unlock_timed_out', lockId: 'L1', reason: message }),
    ]);
  });

  it('looks past a poll that is unavailable or rate limited, and keeps the attempt it had', async () => {
    const w = world();
    w.gateway.scriptUnlock('L1', 2, 'success');
    w.gateway.inject('getUnlockAttempt', { kind: 'fail', code: 'unavailable' });
    w.gateway.inject('getUnlockAttempt', { kind: 'fail', code: 'rate_limited' });
    const r = await w.unlock.execute({ lockId: 'L1' });
    expect(r).toEqual({
      ok: true,
      value: UNLOCKED_L1,
    });
    expect(w.gateway.count('getUnlockAttempt')).toBe(4);
    expect(w.gateway.count('unlock')).toBe(1);
  });

  it.each<GatewayFailureCode>(['provider_issue', 'outcome_unknown'])(
    'a poll failing with %s: provider_failed naming getUnlockAttempt and the attempt to check',
    async (code) => {
      const w = world();
      w.gateway.scriptUnlock('L1', 3, 'success');
      w.gateway.inject('getUnlockAttempt', { kind: 'fail', code });
      const r = await w.unlock.execute({ lockId: 'L1' });
      const reason = fakeReason(code);
      const message = `The lock provider failed getUnlockAttempt for lock "L1" (${code}: ${reason}); the door may still open; check attempt attempt-1.`;
      expect(r).toEqual(providerFailedOn('getUnlockAttempt', code, message));
      expect(w.gateway.count('getUnlockAttempt')).toBe(1);
      expect(w.logger.entries).toEqual([
        unlockLog('error', { outcome: 'provider_failed', lockId: 'L1', reason: message }),
      ]);
    },
  );
});
