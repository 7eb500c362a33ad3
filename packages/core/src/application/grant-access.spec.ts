import { describe, expect, it } from 'vitest';
import { codeNameFor } from '../domain/access-code.js';
import type { Grant } from '../domain/grant.js';
import type { AccessPolicy } from '../domain/policy.js';
import { err } from '../domain/result.js';
import type { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import type { GrantStore } from '../ports/grant-store.js';
import { InvalidPolicyError } from './errors.js';
import { GrantAccess } from './grant-access.js';
import { ReportSlotUsage } from './report-slot-usage.js';
import { FakeLockGateway, testLock, testSite } from './testing-gateway.test-helpers.js';
import { UnlockDoor } from './unlock-door.js';
import { DAY, makeWorld, NOW, ourCodes, request } from './use-cases.test-helpers.js';

/** `inner` as the use cases see it, with `over` replacing some of its methods (another writer, a lost grant). */
const storeWith = (inner: InMemoryGrantStore, over: Partial<GrantStore>): GrantStore => ({
  get: (key) => inner.get(key),
  listBySite: (siteId) => inner.listBySite(siteId),
  listSites: () => inner.listSites(),
  siteRevision: (siteId) => inner.siteRevision(siteId),
  save: (grant, version, condition) => inner.save(grant, version, condition),
  ...over,
});

const keyConflict = (key: string) =>
  err({ code: 'version_conflict' as const, message: 'taken', key, expectedVersion: 0, actualVersion: null });

const fieldsOf = (r: { ok: boolean; error?: unknown }): string[] =>
  r.ok ? [] : ((r.error as { issues?: { field: string }[] }).issues ?? []).map((i) => i.field);

describe('GrantAccess', () => {
  it('saves the grant and creates one code per lock, named with the grant key', async () => {
    const w = makeWorld();
    const r = await w.grant.execute(request());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.code).toBe('granted');
    expect(r.value.grant).toMatchObject({ key: 'booking-1', version: 1, revokedAt: null, createdAt: NOW });
    expect(r.value.locks.map((l) => [l.lockId, l.status, l.pin])).toEqual([
      ['L1', 'provisioned', null],
      ['L2', 'provisioned', null],
    ]);
    const codes = ourCodes(w);
    expect(codes.map((c) => [c.lockId, c.name])).toEqual([
      ['L1', codeNameFor('booking-1')],
      ['L2', codeNameFor('booking-1')],
    ]);
    expect(r.value.locks.map((l) => l.accessCodeId)).toEqual(codes.map((c) => c.id));
    expect(w.gateway.used('site-1')).toBe(2);
    expect(await w.store.get('booking-1')).toEqual(r.value.grant);
  });

  it('refuses bad input with a typed error naming the field, before calling the provider', async () => {
    const w = makeWorld();
    expect(fieldsOf(await w.grant.execute(request({ lockIds: [] })))).toEqual(['lockIds']);
    expect(
      fieldsOf(
        await w.grant.execute(
          request({ window: { kind: 'scheduled', startsAt: NOW + DAY, endsAt: NOW + DAY } }),
        ),
      ),
    ).toEqual(['window.endsAt']);
    expect(
      fieldsOf(
        await w.grant.execute(request({ window: { kind: 'scheduled', startsAt: Number.NaN, endsAt: NOW } })),
      ),
    ).toEqual(['window.startsAt']);
    expect(fieldsOf(await w.grant.execute(request({ key: 'has space' })))).toEqual(['key']);
    expect(fieldsOf(await w.grant.execute(null))).toEqual(['request']);
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.all()).toEqual([]);
  });

  it('reports an unknown site, and an unknown lock, without saving anything', async () => {
    const w = makeWorld();
    expect(await w.grant.execute(request({ siteId: 'nowhere' }))).toMatchObject({
      ok: false,
      error: { code: 'site_not_found', siteId: 'nowhere' },
    });
    expect(await w.grant.execute(request({ lockIds: ['L1', 'L9'] }))).toMatchObject({
      ok: false,
      error: { code: 'lock_not_found', lockId: 'L9' },
    });
    expect(w.store.all()).toEqual([]);
    expect(w.gateway.count('createAccessCode')).toBe(0);
  });

  it('refuses at the plan when the site is full, counting other apps\u2019 codes and the reserve', async () => {
    const w = makeWorld({ site: { slotLimit: 4 }, policy: { reservedSlots: 1 } });
    w.gateway.addForeignCode('L3');
    expect((await w.grant.execute(request({ key: 'a', lockIds: ['L1'] }))).ok).toBe(true);
    // 1 planned + 1 foreign + 2 requested = 4 > 4 − 1.
    const r = await w.grant.execute(request({ key: 'b' }));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'slot_limit_reached',
        detectedBy: 'plan',
        siteId: 'site-1',
        peak: 1,
        unmanagedHeld: 1,
        requested: 2,
        limit: 4,
        reserved: 1,
      },
    });
    expect(await w.store.get('b')).toBeNull();
    expect(ourCodes(w, 'b')).toEqual([]);
  });

  it('is idempotent per key: the same request again returns the same codes without creating', async () => {
    const w = makeWorld();
    const first = await w.grant.execute(request());
    const creates = w.gateway.count('createAccessCode');
    const again = await w.grant.execute(request({ lockIds: ['L2', 'L1'] }));
    expect(again).toMatchObject({ ok: true, value: { code: 'already_granted' } });
    if (!first.ok || !again.ok) return;
    expect(again.value.locks.map((l) => l.accessCodeId).sort()).toEqual(
      first.value.locks.map((l) => l.accessCodeId).sort(),
    );
    expect(w.gateway.count('createAccessCode')).toBe(creates);
    expect(ourCodes(w)).toHaveLength(2);
  });

  it('on replay, re-creates a code that went missing (e.g. the app crashed mid-grant)', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const lost = ourCodes(w).find((c) => c.lockId === 'L2')!;
    await w.gateway.deleteAccessCode(lost.id);
    const again = await w.grant.execute(request());
    expect(again.ok && again.value.locks.map((l) => l.status)).toEqual(['provisioned', 'provisioned']);
    expect(
      ourCodes(w)
        .map((c) => c.lockId)
        .sort(),
    ).toEqual(['L1', 'L2']);
  });

  it('refuses the same key with other content, or a revoked key', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    expect(await w.grant.execute(request({ holder: 'bob' }))).toMatchObject({
      ok: false,
      error: { code: 'grant_key_conflict', key: 'booking-1' },
    });
    await w.revoke.execute('booking-1');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: false, error: { code: 'grant_key_conflict' } });
    expect(!r.ok && r.error.message).toContain('revoked');
    expect(ourCodes(w)).toEqual([]);
  });

  it('when Salto refuses a slot (another app took it meanwhile), deletes every code made and revokes the grant', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    // Between our check and our second create, another app takes the last slot.
    w.gateway.beforeNext('createAccessCode', () => {
      w.gateway.beforeNext('createAccessCode', () => w.gateway.addForeignCode('L3'));
    });
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'slot_refused_by_provider',
        siteId: 'site-1',
        lockId: 'L2',
        providerUsage: { used: 1, limit: 2 },
        rolledBack: true,
        cleanupPending: [],
      },
    });
    expect(r.ok ? null : r.error).not.toHaveProperty('peak'); // no made-up plan numbers
    expect(ourCodes(w)).toEqual([]);
    expect(w.gateway.allCodes().filter((c) => c.issues.length > 0)).toEqual([]);
    expect(w.gateway.used('site-1')).toBe(1); // only the other app's code
    expect((await w.store.get('booking-1'))?.revokedAt).toBe(NOW);
  });

  it('after a lost create reply, finds the code by grant key instead of creating it twice', async () => {
    const w = makeWorld();
    w.gateway.inject('createAccessCode', { kind: 'lose_reply' }, 'L1');
    const r = await w.grant.execute(request());
    expect(r.ok && r.value.locks.map((l) => l.status)).toEqual(['provisioned', 'provisioned']);
    expect(w.gateway.count('createAccessCode')).toBe(2);
    expect(ourCodes(w)).toHaveLength(2);
    expect(r.ok && r.value.locks[0]?.accessCodeId).toBe(ourCodes(w).find((c) => c.lockId === 'L1')?.id);
  });

  it('after a lost reply whose create did not happen, looks first and only then creates again', async () => {
    const w = makeWorld();
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'outcome_unknown' }, 'L1');
    const r = await w.grant.execute(request());
    expect(r.ok).toBe(true);
    expect(w.gateway.calls.filter((c) => c.endsWith(':L1'))).toEqual([
      'getLock:L1',
      'createAccessCode:L1',
      'listAccessCodes:L1',
      'createAccessCode:L1',
    ]);
    expect(ourCodes(w)).toHaveLength(2);
  });

  it('when the lookup after a lost reply fails too, does not create again and rolls back', async () => {
    const w = makeWorld();
    w.gateway.inject('createAccessCode', { kind: 'lose_reply' }, 'L1');
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L1');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', rolledBack: true, lockId: 'L1' },
    });
    expect(w.gateway.count('createAccessCode')).toBe(1);
    // The rollback listed the lock again and deleted the code the lost create had made.
    expect(ourCodes(w)).toEqual([]);
    expect((await w.store.get('booking-1'))?.revokedAt).not.toBeNull();
  });

  it('with onOfflineHub accept_and_retry, keeps the grant and reports the offline lock as pending', async () => {
    const w = makeWorld({
      policy: { onOfflineHub: 'accept_and_retry' },
      locks: [testLock('L1'), testLock('L2', { hubLink: 'offline' })],
    });
    const r = await w.grant.execute(request());
    expect(r.ok && r.value.locks.map((l) => [l.lockId, l.status, l.accessCodeId === null])).toEqual([
      ['L1', 'provisioned', false],
      ['L2', 'pending', true],
    ]);
    // Reconcile provisions it once the hub is back.
    w.gateway.setHubLink('L2', 'good');
    const rec = await w.reconcile.execute('site-1');
    expect(rec.ok && rec.value.actions.map((a) => [a.kind, a.lockId, a.result])).toEqual([
      ['create', 'L2', 'done'],
    ]);
    expect(
      ourCodes(w)
        .map((c) => c.lockId)
        .sort(),
    ).toEqual(['L1', 'L2']);
  });

  it('with onOfflineHub refuse, a hub that drops between the check and the create rolls the grant back', async () => {
    const w = makeWorld();
    w.gateway.beforeNext('createAccessCode', () => {
      w.gateway.setHubLink('L2', 'offline');
    });
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'hub_offline', detectedBy: 'provider', lockId: 'L2' },
    });
    expect(ourCodes(w)).toEqual([]);
  });

  it('serializes concurrent grants on one site: the plan, not Salto, refuses the one that does not fit', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    const [a, b] = await Promise.all([
      w.grant.execute(request({ key: 'a' })),
      w.grant.execute(request({ key: 'b' })),
    ]);
    expect(a).toMatchObject({ ok: true, value: { code: 'granted' } });
    expect(b).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', detectedBy: 'plan' } });
    expect(w.gateway.count('createAccessCode')).toBe(2);
    expect(ourCodes(w, 'b')).toEqual([]);
  });

  it('logs structured events without PINs', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const pins = await w.awaitPins.execute('booking-1', { timeoutMs: 10_000 });
    expect(pins.ok).toBe(true);
    const logged = JSON.stringify(w.logger.entries);
    for (const p of pins.ok ? pins.value.pins : []) expect(logged).not.toContain(p.pin);
    expect(w.logger.entries.map((e) => e.message)).toContain('grant done');
    expect(w.logger.entries.find((e) => e.message === 'grant done')?.fields).toMatchObject({
      outcome: 'granted',
      grantKey: 'booking-1',
    });
  });
});

describe('GrantAccess: the same key again', () => {
  it('is a replay only for the same holder, site, locks (in any order) and window', async () => {
    const w = makeWorld();
    expect((await w.grant.execute(request({ lockIds: ['L2', 'L1'] }))).ok).toBe(true);
    const cases: [string, Record<string, unknown>, string][] = [
      ['same locks, other order', { lockIds: ['L1', 'L2'] }, 'already_granted'],
      ['other holder', { holder: 'bob' }, 'grant_key_conflict'],
      ['other site', { siteId: 'site-2' }, 'grant_key_conflict'],
      ['fewer locks', { lockIds: ['L2'] }, 'grant_key_conflict'],
      ['more locks', { lockIds: ['L1', 'L2', 'L3'] }, 'grant_key_conflict'],
      ['as many locks, another one', { lockIds: ['L1', 'L3'] }, 'grant_key_conflict'],
      ['a lock id holding two', { lockIds: ['L1\nL2'] }, 'grant_key_conflict'],
      [
        'other window',
        { window: { kind: 'scheduled', startsAt: NOW, endsAt: NOW + DAY } },
        'grant_key_conflict',
      ],
    ];
    for (const [what, over, code] of cases) {
      const r = await w.grant.execute(request(over));
      expect([what, r.ok ? r.value.code : r.error.code]).toEqual([what, code]);
    }
    expect(ourCodes(w)).toHaveLength(2);
  });

  it('a conflict says why the key is taken, and carries the stored grant', async () => {
    const w = makeWorld();
    const first = await w.grant.execute(request());
    const other = await w.grant.execute(request({ holder: 'bob' }));
    expect(other).toMatchObject({
      ok: false,
      error: {
        code: 'grant_key_conflict',
        key: 'booking-1',
        message:
          'Grant key "booking-1" belongs to a grant with different holder, locks or window; use a new key for a new grant, or revoke the existing one first.',
        existing: first.ok ? first.value.grant : null,
      },
    });
    await w.revoke.execute('booking-1');
    const revoked = await w.grant.execute(request());
    expect(!revoked.ok && revoked.error.message).toBe(
      'Grant key "booking-1" belongs to a grant that was revoked; use a new key for a new grant, or revoke the existing one first.',
    );
  });

  it('a replay when the provider cannot list the sites is provider_failed naming the site, nothing made', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const lost = ourCodes(w).find((c) => c.lockId === 'L2')!;
    await w.gateway.deleteAccessCode(lost.id);
    w.gateway.inject('listSites', { kind: 'fail', code: 'unavailable' });
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'provider_failed',
        operation: 'listSites',
        siteId: 'site-1',
        message:
          'The lock provider failed listSites for site "site-1" (unavailable: fake provider: unavailable); retry later; nothing was half-done.',
      },
    });
    expect(ourCodes(w).map((c) => c.lockId)).toEqual(['L1']);
    expect((await w.store.get('booking-1'))?.revokedAt).toBeNull();
  });

  it('a replay after the provider lost the site is site_not_found', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    const moved = new FakeLockGateway({ clock: w.clock }).addSite(testSite({ id: 'site-2' }), [
      testLock('L1', { siteId: 'site-2' }),
      testLock('L2', { siteId: 'site-2' }),
    ]);
    const r = await new GrantAccess({ ...w, gateway: moved }).execute(request());
    expect(r).toMatchObject({ ok: false, error: { code: 'site_not_found', siteId: 'site-1' } });
    expect(moved.count('createAccessCode')).toBe(0);
  });

  it('a replay that Salto refuses rolls the stored grant back and names its own site, not another', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    // The provider lists another site first.
    const gateway = new FakeLockGateway({ clock: w.clock })
      .addSite(testSite({ id: 'site-0', name: 'Annex' }), [testLock('A1', { siteId: 'site-0' })])
      .addSite(testSite({ slotLimit: 2 }), [testLock('L1'), testLock('L2'), testLock('L3')]);
    const grant = new GrantAccess({ ...w, gateway });
    expect((await grant.execute(request())).ok).toBe(true);
    const lost = gateway.allCodes().find((c) => c.lockId === 'L2')!;
    await gateway.deleteAccessCode(lost.id);
    gateway.addForeignCode('L3'); // another app takes the freed slot
    const r = await grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'slot_refused_by_provider',
        siteId: 'site-1',
        siteName: 'Main office',
        lockId: 'L2',
        providerUsage: { used: 1, limit: 2 },
      },
    });
    expect((await w.store.get('booking-1'))?.revokedAt).not.toBeNull();
    expect(gateway.used('site-1')).toBe(1);
  });
});

describe('GrantAccess: weak hubs', () => {
  it('names the locks with a weak hub link on a new grant; a replay names none', async () => {
    const w = makeWorld({ locks: [testLock('L1'), testLock('L2', { hubLink: 'weak' }), testLock('L3')] });
    const r = await w.grant.execute(request());
    expect(r.ok && r.value.weakLocks).toEqual(['L2']);
    const again = await w.grant.execute(request());
    expect(again.ok && again.value.weakLocks).toEqual([]);
  });
});

describe('GrantAccess: a rollback whose revocation keeps conflicting', () => {
  /** Another writer saves the grant just before each of our first `times` revocations. */
  const meddling = (inner: InMemoryGrantStore, times: number) => {
    const revocations: Grant[] = [];
    const store = storeWith(inner, {
      save: async (g, version, condition) => {
        if (g.revokedAt !== null) {
          revocations.push(g);
          const stored = await inner.get(g.key);
          if (stored && revocations.length <= times) await inner.save(stored, stored.version);
        }
        return inner.save(g, version, condition);
      },
    });
    return { store, revocations };
  };

  it('tries three times, then leaves the grant unrevoked for reconcile and logs it so', async () => {
    let saves: Grant[] = [];
    const w = makeWorld({
      wrapStore: (inner) => {
        const m = meddling(inner, 5);
        saves = m.revocations;
        return m.store;
      },
    });
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: false, error: { code: 'provider_failed', rolledBack: true } });
    expect(saves.map((g) => g.version)).toEqual([1, 2, 3]); // each try with the version read back
    expect((await w.store.get('booking-1'))?.revokedAt).toBeNull();
    expect(w.logger.entries.find((e) => e.message === 'grant rolled back')).toEqual({
      level: 'warn',
      message: 'grant rolled back',
      fields: { grantKey: 'booking-1', revoked: false, cleanedUp: false, cleanupPending: [] },
    });
  });

  it('a grant that vanished from the store meanwhile is still swept from the provider', async () => {
    let gone = false;
    const w = makeWorld({
      wrapStore: (inner) =>
        storeWith(inner, {
          get: async (key) => (gone ? null : inner.get(key)),
          save: async (g, version, condition) => {
            if (g.revokedAt === null) return inner.save(g, version, condition);
            gone = true;
            return keyConflict(g.key);
          },
        }),
    });
    w.gateway.inject('createAccessCode', { kind: 'fail', code: 'unavailable' }, 'L2');
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'provider_failed', rolledBack: true, cleanupPending: [] },
    });
    expect(ourCodes(w)).toEqual([]);
    expect(w.logger.entries.find((e) => e.message === 'grant rolled back')?.fields).toMatchObject({
      cleanedUp: false,
      cleanupPending: [],
    });
  });
});

describe('a use case built by hand with a bad policy', () => {
  it('throws InvalidPolicyError naming each bad field, before any call', () => {
    const w = makeWorld();
    const bad = { ...w.policy, reservedSlots: -1, onWeakHub: 'maybe' } as unknown as AccessPolicy;
    for (const [useCase, build] of [
      ['GrantAccess', () => new GrantAccess({ ...w, policy: bad })],
      ['UnlockDoor', () => new UnlockDoor({ ...w, policy: bad })],
      ['ReportSlotUsage', () => new ReportSlotUsage({ ...w, policy: bad })],
    ] as const) {
      let thrown: unknown;
      try {
        build();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(InvalidPolicyError);
      expect((thrown as InvalidPolicyError).issues.map((i) => i.field)).toEqual([
        'reservedSlots',
        'onWeakHub',
      ]);
      expect((thrown as InvalidPolicyError).message).toMatch(new RegExp(`^${useCase}: `));
    }
    expect(w.gateway.count('listSites')).toBe(0);
  });
});
