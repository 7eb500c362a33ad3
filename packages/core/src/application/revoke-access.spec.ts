/**
 * RevokeAccess, what its caller and its operator see: every refusal's exact error, the log record
 * of each outcome, what a store failure says at each point, and the retries on a grant that keeps
 * changing.
 */
import { describe, expect, it } from 'vitest';
import type { StoreFailure } from '../ports/grant-store.js';
import { ContendedStore } from './contended-store.test-helpers.js';
import { FailingStore } from './failing-store.test-helpers.js';
import { logsFrom, makeWorld, NOW, ourCodes, request, worldWithStore } from './use-cases.test-helpers.js';

describe('RevokeAccess refusals', () => {
  it.each([
    ['a number', 42],
    ['an empty key', ''],
    ['a key with a space', 'booking 1'],
    ['a key of 65 characters', 'k'.repeat(65)],
  ])('refuses %s: names the key and its rule, logs the refusal, changes nothing', async (_, key) => {
    const w = makeWorld();
    await w.grant.execute(request());
    const logs = logsFrom(w);
    const r = await w.revoke.execute(key);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Invalid input: key: must be 1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":".',
        issues: [{ field: 'key', message: 'must be 1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":"' }],
      },
    });
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'revoke refused: invalid input',
        fields: { outcome: 'invalid_input', fields: ['key'] },
      },
    ]);
    expect(ourCodes(w)).toHaveLength(2);
  });

  it('refuses an unknown key, and logs it with the key', async () => {
    const w = makeWorld();
    const logs = logsFrom(w);
    const r = await w.revoke.execute('nope');
    expect(r).toMatchObject({ ok: false, error: { code: 'grant_not_found', key: 'nope' } });
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'revoke refused: unknown grant',
        fields: { outcome: 'grant_not_found', grantKey: 'nope' },
      },
    ]);
  });
});

describe('RevokeAccess logs what it did', () => {
  it('revoked and cleaned up: an info record with the deleted codes', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const ids = ourCodes(w).map((c) => c.id);
    const logs = logsFrom(w);
    const r = await w.revoke.execute('booking-1');
    expect(r.ok && r.value.deleted).toEqual(ids);
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'grant revoked',
        fields: {
          outcome: 'revoked',
          grantKey: 'booking-1',
          deleted: ids,
          cleanedUp: true,
          cleanupPending: [],
        },
      },
    ]);
  });

  it('a code left at the provider: a warning naming the lock and the failure, not cleaned up', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const [onL1, onL2] = ourCodes(w);
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' }, 'L1');
    const logs = logsFrom(w);
    const r = await w.revoke.execute('booking-1');
    expect(r).toMatchObject({
      ok: true,
      value: { code: 'revoked', deleted: [onL2!.id], cleanupPending: [{ lockId: 'L1' }] },
    });
    expect(r.ok && r.value.grant.cleanedUpAt).toBeUndefined();
    expect(logs()).toEqual([
      {
        level: 'warn',
        message: 'grant revoked',
        fields: {
          outcome: 'revoked',
          grantKey: 'booking-1',
          deleted: [onL2!.id],
          cleanedUp: false,
          cleanupPending: [{ lockId: 'L1', failure: 'unavailable' }],
        },
      },
    ]);
    // Revoking again finishes it, and says the grant was revoked before.
    const again = logsFrom(w);
    await w.revoke.execute('booking-1');
    expect(again()).toEqual([
      {
        level: 'info',
        message: 'grant revoked',
        fields: {
          outcome: 'already_revoked',
          grantKey: 'booking-1',
          deleted: [onL1!.id],
          cleanedUp: true,
          cleanupPending: [],
        },
      },
    ]);
  });
});

describe('RevokeAccess when the grant store fails', () => {
  const unavailable = {
    code: 'store_unavailable',
    retryable: true,
    message: 'The database is down.',
  } as const satisfies StoreFailure;
  const corrupted = {
    code: 'store_corrupted',
    retryable: false,
    message: 'The database is damaged.',
  } as const satisfies StoreFailure;
  const head = 'Grant "booking-1" could not be revoked: the grant store failed';

  it.each([
    {
      at: 'reading the grant',
      operation: 'get',
      nth: 0,
      failure: unavailable,
      message: `${head} get (store_unavailable: The database is down.) before anything was changed. Revoke it again once the store is back (that is safe), or let ReconcileSite finish it.`,
      revoked: false,
      codesLeft: 2,
    },
    {
      at: 'recording the revocation',
      operation: 'save',
      nth: 0,
      failure: corrupted,
      message: `${head} save (store_corrupted: The database is damaged.) while recording its revocation, which may or may not have been kept; nothing was deleted at the provider. Revoke it again once the store is fixed (see the failure) (that is safe), or let ReconcileSite finish it.`,
      revoked: false,
      codesLeft: 2,
    },
    {
      at: 'recording the cleanup',
      operation: 'save',
      nth: 1,
      failure: unavailable,
      message: `${head} save (store_unavailable: The database is down.) after its revocation was recorded: it is revoked, but what the provider holds for it may not all be deleted or its cleanup recorded, so it holds its planned slots until that is done. Revoke it again once the store is back (that is safe), or let ReconcileSite finish it.`,
      revoked: true,
      codesLeft: 0,
    },
  ] as const)('failing while $at: says how far it got and what to do, and logs it', async (c) => {
    const { w, store } = worldWithStore((inner) => new FailingStore(inner, null));
    await w.grant.execute(request());
    store.failOn(c.operation, { nth: c.nth, failure: c.failure });
    const logs = logsFrom(w);
    const r = await w.revoke.execute('booking-1');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'store_failed',
        message: c.message,
        operation: c.operation,
        failure: c.failure,
        retryable: c.failure.retryable,
        grantKey: 'booking-1',
      },
    });
    expect(logs()).toEqual([
      {
        level: 'error',
        message: 'revoke failed: grant store',
        fields: { outcome: 'store_failed', grantKey: 'booking-1', reason: c.message },
      },
    ]);
    expect((await w.store.get('booking-1'))?.revokedAt).toBe(c.revoked ? NOW : null);
    expect(ourCodes(w)).toHaveLength(c.codesLeft);
  });
});

describe('RevokeAccess on a grant another instance keeps changing', () => {
  it('re-reads and saves again after each lost race, up to five saves in all', async () => {
    const { w, store } = worldWithStore((inner) => new ContendedStore(inner));
    await w.grant.execute(request());
    store.contend({ races: 4 });
    const r = await w.revoke.execute('booking-1');
    expect(r).toMatchObject({ ok: true, value: { code: 'revoked', cleanupPending: [] } });
    // Each retry revokes the grant as the other instance left it.
    expect(store.saves.slice(0, 5).map((g) => [g.holder, g.revokedAt !== null])).toEqual([
      ['alice', true],
      ["alice'", true],
      ["alice''", true],
      ["alice'''", true],
      ["alice''''", true],
    ]);
    expect(await w.store.get('booking-1')).toMatchObject({ holder: "alice''''", revokedAt: NOW });
    expect(ourCodes(w)).toEqual([]);
  });

  it('gives up after five lost races: revoke_conflict, logged, nothing revoked or deleted', async () => {
    const { w, store } = worldWithStore((inner) => new ContendedStore(inner));
    await w.grant.execute(request());
    store.contend({ races: 5 });
    const logs = logsFrom(w);
    const r = await w.revoke.execute('booking-1');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'revoke_conflict',
        message: 'Grant "booking-1" kept changing while it was being revoked; try again.',
        key: 'booking-1',
      },
    });
    expect(logs()).toEqual([
      {
        level: 'warn',
        message: 'revoke: grant keeps changing',
        fields: { outcome: 'revoke_conflict', grantKey: 'booking-1' },
      },
    ]);
    expect(store.saves).toHaveLength(5);
    expect((await w.store.get('booking-1'))?.revokedAt).toBeNull();
    expect(ourCodes(w)).toHaveLength(2);
  });

  it('a grant that is gone when re-read after a lost race: grant_not_found, nothing deleted', async () => {
    const { w, store } = worldWithStore((inner) => new ContendedStore(inner));
    await w.grant.execute(request());
    store.contend({ races: 1, vanishes: true });
    const r = await w.revoke.execute('booking-1');
    expect(r).toMatchObject({ ok: false, error: { code: 'grant_not_found', key: 'booking-1' } });
    expect(store.saves).toHaveLength(1);
    expect(ourCodes(w)).toHaveLength(2);
  });
});
