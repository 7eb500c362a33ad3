/**
 * AwaitPins, what its caller and its operator see: each refusal's exact error and the field it
 * names, the PINs once Salto has assigned them, the wait on the clock (and never past the
 * deadline), what is still missing when time is up, provider and store failures, and the log
 * record of each outcome. A PIN is handed to the caller, never written to a log or an error text.
 */
import { describe, expect, it } from 'vitest';
import { acsWorld, stay } from './acs-world.test-helpers.js';
import { FAILURES, FailingStore, SECRET } from './failing-store.test-helpers.js';
import { testLock } from './testing-gateway.test-helpers.js';
import { logsFrom, makeWorld, NOW, request, type World, worldWithStore } from './use-cases.test-helpers.js';

/** How many times the grant's codes on `lockId` were looked up. */
const looks = (w: World, lockId: string) =>
  w.gateway.calls.filter((c) => c === `listAccessCodes:${lockId}`).length;

/** L1 gets its PIN 2 s after the grant; L2's hub is offline, so it has no code (and no PIN) for now. */
const halfOfflineWorld = () =>
  makeWorld({
    policy: { onOfflineHub: 'accept_and_retry' },
    locks: [testLock('L1'), testLock('L2', { hubLink: 'offline' })],
  });

const KEY_RULE = 'must be a grant key (1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":")';
const WAIT_AND_ASK =
  'wait and ask again (Salto assigns PINs within seconds once the hub is reachable), or run ReconcileSite for locks with no code.';

describe('AwaitPins refusals', () => {
  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', {}],
    ['an empty key', ''],
    ['a key with a space', 'booking 1'],
    ['a key of 65 characters', 'k'.repeat(65)],
  ])('refuses %s as the key: names the key and its rule, logs it, asks nothing', async (_, key) => {
    const w = makeWorld();
    await w.grant.execute(request());
    const calls = w.gateway.calls.length;
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute(key);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: `Invalid input: key: ${KEY_RULE}.`,
        issues: [{ field: 'key', message: KEY_RULE }],
      },
    });
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'await pins refused: invalid input',
        fields: { outcome: 'invalid_input', fields: ['key'] },
      },
    ]);
    expect(w.gateway.calls.length).toBe(calls);
    expect(w.clock.now()).toBe(NOW);
  });

  it.each([
    [{ timeoutMs: -1 }, ['timeoutMs']],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, ['timeoutMs']],
    [{ pollIntervalMs: 0 }, ['pollIntervalMs']],
    [{ pollIntervalMs: Number.NaN }, ['pollIntervalMs']],
    [{ timeoutMs: Number.NaN, pollIntervalMs: -5 }, ['timeoutMs', 'pollIntervalMs']],
  ])('refuses the wait options %o, naming %o', async (options, fields) => {
    const w = makeWorld();
    await w.grant.execute(request());
    const calls = w.gateway.calls.length;
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('booking-1', options);
    expect(r.ok ? [] : r.error.code === 'invalid_input' && r.error.issues.map((i) => i.field)).toEqual(
      fields,
    );
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'await pins refused: invalid input',
        fields: { outcome: 'invalid_input', fields },
      },
    ]);
    expect(w.gateway.calls.length).toBe(calls);
  });

  it('names a bad key and both bad wait options at once, key first, in one message', async () => {
    const w = makeWorld();
    const r = await w.awaitPins.execute('no spaces', { timeoutMs: -1, pollIntervalMs: 0 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          `Invalid input: key: ${KEY_RULE}; timeoutMs: must be a finite number of ms ≥ 0; ` +
          'pollIntervalMs: must be a finite number of ms > 0.',
        issues: [
          { field: 'key', message: KEY_RULE },
          { field: 'timeoutMs', message: 'must be a finite number of ms ≥ 0' },
          { field: 'pollIntervalMs', message: 'must be a finite number of ms > 0' },
        ],
      },
    });
    expect(w.logger.entries.map((e) => e.fields)).toEqual([
      { outcome: 'invalid_input', fields: ['key', 'timeoutMs', 'pollIntervalMs'] },
    ]);
  });

  it('accepts a key of 64 characters of every allowed kind (and says no grant has it)', async () => {
    const w = makeWorld();
    const key = `Az09_-.:${'k'.repeat(56)}`;
    const logs = logsFrom(w);
    expect(await w.awaitPins.execute(key)).toEqual({
      ok: false,
      error: {
        code: 'grant_not_found',
        message: `No grant has the key "${key}"; check the key (grants are found by the key given when access was granted).`,
        key,
      },
    });
    expect(w.gateway.calls).toEqual([]);
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'await pins refused: unknown grant',
        fields: { outcome: 'grant_not_found', grantKey: key },
      },
    ]);
  });

  it('refuses a revoked grant: its codes are gone, grant again with a new key; the provider is not asked', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    await w.revoke.execute('booking-1');
    const calls = w.gateway.calls.length;
    const logs = logsFrom(w);
    expect(await w.awaitPins.execute('booking-1')).toEqual({
      ok: false,
      error: {
        code: 'grant_revoked',
        message:
          'Grant "booking-1" was revoked, so its codes are gone and it has no PINs; grant access again with a new key.',
        key: 'booking-1',
      },
    });
    expect(w.gateway.calls.length).toBe(calls);
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'await pins refused: grant revoked',
        fields: { outcome: 'grant_revoked', grantKey: 'booking-1' },
      },
    ]);
  });
});

describe('AwaitPins waits on the clock', () => {
  it('gives every PIN once Salto has assigned them, and logs the locks (not the PINs)', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 10_000, pollIntervalMs: 500 });
    const codes = w.gateway.allCodes();
    expect(r).toEqual({
      ok: true,
      value: {
        code: 'pins_ready',
        grantKey: 'booking-1',
        pins: ['L1', 'L2'].map((lockId) => {
          const c = codes.find((x) => x.lockId === lockId)!;
          return { lockId, accessCodeId: c.id, pin: c.pin };
        }),
      },
    });
    // The fake assigns PINs 2 s after creation: looks at 0, 0.5, 1, 1.5 and 2 s.
    expect(w.clock.now()).toBe(NOW + 2000);
    expect([looks(w, 'L1'), looks(w, 'L2')]).toEqual([5, 5]);
    expect(logs()).toEqual([
      {
        level: 'info',
        message: 'pins ready',
        fields: { outcome: 'pins_ready', grantKey: 'booking-1', locks: ['L1', 'L2'] },
      },
    ]);
    const pins = r.ok ? r.value.pins.map((p) => p.pin) : [];
    for (const pin of pins) expect(JSON.stringify(logs())).not.toContain(pin);
  });

  it('with a timeout of 0, looks once and says what is missing', async () => {
    const w = halfOfflineWorld();
    await w.grant.execute(request());
    const l1 = w.gateway.allCodes().find((c) => c.lockId === 'L1')!;
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 0 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'pins_not_ready',
        message: `Grant "booking-1" has no PIN yet on "L1" (pin not assigned), "L2" (no code) after 0 ms; ${WAIT_AND_ASK}`,
        grantKey: 'booking-1',
        ready: [],
        waiting: [
          { lockId: 'L1', reason: 'pin_not_assigned', accessCodeId: l1.id },
          { lockId: 'L2', reason: 'no_code', accessCodeId: null },
        ],
      },
    });
    expect(w.clock.now()).toBe(NOW);
    expect([looks(w, 'L1'), looks(w, 'L2')]).toEqual([1, 1]);
    expect(logs()).toEqual([
      {
        level: 'warn',
        message: 'pins not ready before the deadline',
        fields: {
          outcome: 'pins_not_ready',
          grantKey: 'booking-1',
          waiting: [
            { lockId: 'L1', reason: 'pin_not_assigned' },
            { lockId: 'L2', reason: 'no_code' },
          ],
        },
      },
    ]);
  });

  it('never sleeps past its deadline: the last look is at the deadline; the ready PIN is returned, not shown', async () => {
    const w = halfOfflineWorld();
    await w.grant.execute(request());
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 2500, pollIntervalMs: 1000 });
    const l1 = w.gateway.allCodes().find((c) => c.lockId === 'L1')!;
    expect(l1.pin).toMatch(/^\d{6,10}$/);
    // Looks at 0, 1 and 2 s (L1's PIN arrives), then at the 2.5 s deadline, not at 3 s.
    expect(w.clock.now()).toBe(NOW + 2500);
    expect(looks(w, 'L2')).toBe(4);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'pins_not_ready',
        message: `Grant "booking-1" has no PIN yet on "L2" (no code) after 2500 ms; ${WAIT_AND_ASK}`,
        grantKey: 'booking-1',
        ready: [{ lockId: 'L1', accessCodeId: l1.id, pin: l1.pin }],
        waiting: [{ lockId: 'L2', reason: 'no_code', accessCodeId: null }],
      },
    });
    expect(r.ok || r.error.message).not.toContain(l1.pin);
    expect(logs().map((e) => e.fields)).toEqual([
      { outcome: 'pins_not_ready', grantKey: 'booking-1', waiting: [{ lockId: 'L2', reason: 'no_code' }] },
    ]);
    expect(JSON.stringify(logs())).not.toContain(l1.pin);
  });

  it('waits 30 s by default, looking every second', async () => {
    const w = halfOfflineWorld();
    await w.grant.execute(request());
    const r = await w.awaitPins.execute('booking-1');
    expect(r.ok || r.error.message).toContain('after 30000 ms');
    expect(w.clock.now()).toBe(NOW + 30_000);
    expect(looks(w, 'L2')).toBe(31);
  });

  it('keeps waiting through a provider that is briefly unavailable or rate limited', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    w.gateway
      .inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L1')
      .inject('listAccessCodes', { kind: 'fail', code: 'rate_limited' }, 'L2');
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 10_000 });
    expect(r.ok && r.value.pins.map((p) => p.lockId)).toEqual(['L1', 'L2']);
    expect(w.clock.now()).toBe(NOW + 2000);
  });
});

describe('AwaitPins when the provider fails', () => {
  it('stops at once with provider_failed naming the lock, and logs the operation and failure', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    // The first look (L1, L2) goes through, with no PINs yet; the second fails on L2.
    w.gateway.beforeNext('listAccessCodes', () =>
      w.gateway.beforeNext('listAccessCodes', () =>
        w.gateway.beforeNext('listAccessCodes', () =>
          w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'provider_issue' }, 'L2'),
        ),
      ),
    );
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('booking-1', { timeoutMs: 10_000, pollIntervalMs: 500 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'provider_failed',
        message:
          'The lock provider failed listAccessCodes for lock "L2" (provider_issue: fake provider: provider issue); retry later; nothing was half-done.',
        operation: 'listAccessCodes',
        failure: { code: 'provider_issue', message: 'fake provider: provider issue' },
        lockId: 'L2',
      },
    });
    expect(w.clock.now()).toBe(NOW + 500);
    expect(logs()).toEqual([
      {
        level: 'error',
        message: 'await pins: looking up the grant failed',
        fields: {
          outcome: 'provider_failed',
          grantKey: 'booking-1',
          operation: 'listAccessCodes',
          failure: 'provider_issue',
        },
      },
    ]);
  });

  it('on the ACS path, names the site when the access grant cannot be looked up', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    w.accessGrants.inject('findAccessGrant', { kind: 'fail', code: 'outcome_unknown' });
    const logs = logsFrom(w);
    const r = await w.awaitPins.execute('stay-1', { timeoutMs: 0 });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', operation: 'findAccessGrant', siteId: 'site-1' },
    });
    expect(logs()).toEqual([
      {
        level: 'error',
        message: 'await pins: looking up the grant failed',
        fields: {
          outcome: 'provider_failed',
          grantKey: 'stay-1',
          operation: 'findAccessGrant',
          failure: 'outcome_unknown',
        },
      },
    ]);
  });
});

describe('AwaitPins when the grant store fails', () => {
  it.each(FAILURES)(
    'reading the grant fails (%o): store_failed, nothing changed, ask again',
    async (failure) => {
      const { w, store } = worldWithStore((inner) => new FailingStore(inner, null));
      await w.grant.execute(request());
      const calls = w.gateway.calls.length;
      store.failOn('get', { failure });
      const logs = logsFrom(w);
      const r = await w.awaitPins.execute('booking-1', { timeoutMs: 0 });
      const f =
        failure === 'foreign'
          ? {
              code: 'store_error',
              retryable: false,
              message:
                "The grant store threw Error instead of a StoreFailureError; its text is left out (it could hold a secret). Look in the store's own logs.",
            }
          : failure;
      const message =
        `The PINs of grant "booking-1" could not be looked up: the grant store failed get (${f.code}: ${f.message}) ` +
        `while reading the grant: nothing was changed. Ask again ${f.retryable ? 'once the store is back' : 'once the store is fixed (see the failure)'}.`;
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'store_failed',
          message,
          operation: 'get',
          failure: f,
          retryable: f.retryable,
          grantKey: 'booking-1',
        },
      });
      expect(logs()).toEqual([
        {
          level: 'error',
          message: 'await pins failed: grant store',
          fields: { outcome: 'store_failed', grantKey: 'booking-1', reason: message },
        },
      ]);
      expect(w.gateway.calls.length).toBe(calls);
      expect(JSON.stringify([r, logs()])).not.toContain(SECRET);
    },
  );
});
