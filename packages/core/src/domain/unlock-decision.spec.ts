import { describe, expect, it } from 'vitest';
import { grant, lock, NOW, policy } from './decisions.test-helpers.js';
import type { Lock } from './lock.js';
import type { AccessPolicy } from './policy.js';
import { DAY_MS } from './time.js';
import { activeGrantFor, decideUnlock, evaluateUnlock, type UnlockDecision } from './unlock-decision.js';

/**
 * Every refusal of the unlock rule with its exact code, fields and message, in the order the
 * rule checks them (who may ask, then what the lock can do). Policy-level cases are in policy.spec.ts.
 */

const refusal = (d: UnlockDecision): unknown => (d.ok ? d : d.error);
const anyone = policy({ remoteUnlock: 'anyone' });
const ask = (l: Lock | null, p: AccessPolicy = anyone): UnlockDecision =>
  decideUnlock(p, { lock: l, now: NOW }, { lockId: 'L1' });

describe('activeGrantFor', () => {
  const mine = grant({ key: 'mine', lockIds: ['L2', 'L1'] });
  it('finds the first grant of the holder on the lock that is live and open at now', () => {
    const others = [
      grant({ key: 'bob', holder: 'bob' }),
      grant({ key: 'revoked', revokedAt: NOW - 1 }),
      grant({ key: 'other-lock', lockIds: ['L2'] }),
      grant({ key: 'later', window: { kind: 'scheduled', startsAt: NOW + 1, endsAt: NOW + DAY_MS } }),
      grant({ key: 'over', window: { kind: 'scheduled', startsAt: NOW - DAY_MS, endsAt: NOW } }),
    ];
    expect(activeGrantFor(others, 'alice', 'L1', NOW)).toBeNull();
    expect(activeGrantFor([...others, mine, grant({ key: 'second' })], 'alice', 'L1', NOW)).toBe(mine);
    expect(activeGrantFor([mine], 'alice', 'L1', NOW + 365 * DAY_MS)).toBe(mine);
  });

  it('finds none for no holder', () => {
    expect(activeGrantFor([mine], null, 'L1', NOW)).toBeNull();
  });
});

describe('decideUnlock, exactly', () => {
  it('refuses a lock the provider did not return', () => {
    expect(refusal(ask(null))).toEqual({
      code: 'lock_not_found',
      lockId: 'L1',
      message: 'Lock "L1" was not found at the provider; check the lock id.',
    });
  });

  it('refuses a lock that is not the one asked for', () => {
    expect(refusal(ask(lock('L2')))).toEqual({
      code: 'invalid_input',
      message: 'Invalid input: lock.id: is "L2" but the request is for "L1".',
      issues: [{ field: 'lock.id', message: 'is "L2" but the request is for "L1"' }],
    });
  });

  it('under "nobody" refuses before looking at what the lock can do', () => {
    const cannot = lock('L1', { capabilities: { remoteUnlock: false, accessCodes: true } });
    expect(refusal(ask(cannot, policy({ remoteUnlock: 'nobody' })))).toEqual({
      code: 'remote_unlock_not_allowed',
      lockId: 'L1',
      message:
        'Remote unlock of lock "L1" is disabled by the policy (remoteUnlock: "nobody"); use a PIN or change the policy.',
    });
  });

  it('under "active_grant_holders" says whether the holder was missing or has no active grant', () => {
    const p = policy({ remoteUnlock: 'active_grant_holders' });
    const cannot = lock('L1', { capabilities: { remoteUnlock: false, accessCodes: true } });
    expect(
      refusal(decideUnlock(p, { lock: cannot, grantsOfHolder: [grant()], now: NOW }, { lockId: 'L1' })),
    ).toEqual({
      code: 'no_active_grant',
      lockId: 'L1',
      holder: null,
      message:
        'Remote unlock of lock "L1" is only for holders of an active grant, and no holder was given; pass the holder.',
    });
    // No grants given at all: the holder has none.
    expect(refusal(decideUnlock(p, { lock: cannot, now: NOW }, { lockId: 'L1', holder: 'bob' }))).toEqual({
      code: 'no_active_grant',
      lockId: 'L1',
      holder: 'bob',
      message:
        'Holder "bob" has no active grant on lock "L1" right now; grant access first, or wait for the grant\'s window to start.',
    });
  });

  it('permits an active grant holder with the grant that allows it', () => {
    const p = policy({ remoteUnlock: 'active_grant_holders' });
    const grants = [grant({ key: 'old', revokedAt: NOW - 1 }), grant({ key: 'stay-7' })];
    expect(
      decideUnlock(
        p,
        { lock: lock('L1', { hubLink: 'weak' }), grantsOfHolder: grants, now: NOW },
        {
          lockId: 'L1',
          holder: 'alice',
        },
      ),
    ).toEqual({ ok: true, value: { lockId: 'L1', holder: 'alice', grantKey: 'stay-7', hubLink: 'weak' } });
  });

  it('refuses a lock without remote opening, before its modes and hub', () => {
    const l = lock('L1', {
      name: 'Gate',
      capabilities: { remoteUnlock: false, accessCodes: true },
      modes: { privacy: true, office: false },
      hubLink: 'offline',
    });
    expect(refusal(ask(l))).toEqual({
      code: 'capability_missing',
      lockId: 'L1',
      message:
        'Lock "L1" (Gate) cannot be unlocked remotely (no remote-opening waiver on its IQ hub); ask Salto to enable remote opening for the site.',
    });
  });

  it('refuses a lock in privacy mode, before its hub', () => {
    const l = lock('L1', { modes: { privacy: true, office: true }, hubLink: 'offline' });
    expect(refusal(ask(l))).toEqual({
      code: 'privacy_mode',
      lockId: 'L1',
      message:
        'Lock "L1" (Door L1) is in privacy mode and refuses remote unlocks; it can only be opened from inside until privacy mode ends.',
    });
  });

  it('refuses an offline hub whatever the policy says of weak hubs', () => {
    expect(
      refusal(
        ask(lock('L1', { hubLink: 'offline' }), policy({ remoteUnlock: 'anyone', onWeakHub: 'accept' })),
      ),
    ).toEqual({
      code: 'hub_offline',
      lockId: 'L1',
      message:
        'The IQ hub of lock "L1" (Door L1) is offline, so no remote unlock can reach it; check the hub\'s power and internet link, or use a PIN.',
    });
  });

  it('refuses a weak hub only when the policy refuses weak hubs', () => {
    const weak = lock('L1', { hubLink: 'weak' });
    expect(refusal(ask(weak, policy({ remoteUnlock: 'anyone', onWeakHub: 'refuse' })))).toEqual({
      code: 'hub_weak',
      lockId: 'L1',
      message:
        'The hub link of lock "L1" (Door L1) is weak, and the policy refuses weak hubs; use a PIN, or set onWeakHub to "accept".',
    });
    expect(ask(lock('L1'), policy({ remoteUnlock: 'anyone', onWeakHub: 'refuse' }))).toEqual({
      ok: true,
      value: { lockId: 'L1', holder: null, grantKey: null, hubLink: 'good' },
    });
  });

  it('evaluateUnlock reads a missing lock as not found, and missing grants as none', () => {
    const d = evaluateUnlock(anyone, { lock: undefined as unknown as null, now: NOW }, { lockId: 'L1' });
    expect(d).toMatchObject({ ok: false, error: { code: 'lock_not_found', lockId: 'L1' } });
    const holders = policy({ remoteUnlock: 'active_grant_holders' });
    const none = evaluateUnlock(holders, { lock: lock('L1'), now: NOW }, { lockId: 'L1', holder: 'alice' });
    expect(none).toMatchObject({ ok: false, error: { code: 'no_active_grant', holder: 'alice' } });
  });
});
