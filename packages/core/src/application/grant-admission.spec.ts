/**
 * Admission by example: the grant's site decided on fresh state, the race with other app
 * instances sharing the store (another grant of the site saved meanwhile, or this very key), and
 * the provider failing while the state is read — what `GrantAccess` answers and what is left.
 */
import { describe, expect, it } from 'vitest';
import type { Grant, GrantKey } from '../domain/grant.js';
import { parseGrantRequest } from '../domain/grant.js';
import { ONGOING } from '../domain/time.js';
import type { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import type { GrantStore } from '../ports/grant-store.js';
import { accessPathFor } from './access-path.js';
import { admitGrant } from './grant-admission.js';
import type { FakeOperation } from './testing-gateway.test-helpers.js';
import { makeWorld, NOW, ourCodes, request, type World } from './use-cases.test-helpers.js';

/**
 * The world's store as another app instance sharing it sees it: just before each of the next
 * conditional saves (an admission attempt), the queued rival step runs on the shared store.
 */
class SharedStore implements GrantStore {
  /** Admission attempts (saves conditional on the site's revision) so far. */
  attempts = 0;
  private readonly rivals: ((store: InMemoryGrantStore) => Promise<unknown>)[] = [];
  /** Keys `get` does not find (a row removed behind our back). */
  readonly hidden = new Set<GrantKey>();
  constructor(private readonly inner: InMemoryGrantStore) {}

  /** Runs `step` just before the next admission attempt saves. */
  beforeNextSave(step: (store: InMemoryGrantStore) => Promise<unknown>): this {
    this.rivals.push(step);
    return this;
  }

  get: GrantStore['get'] = async (key) => (this.hidden.has(key) ? null : this.inner.get(key));
  listBySite: GrantStore['listBySite'] = (s) => this.inner.listBySite(s);
  listSites: GrantStore['listSites'] = () => this.inner.listSites();
  siteRevision: GrantStore['siteRevision'] = (s) => this.inner.siteRevision(s);
  save: GrantStore['save'] = async (g, v, c) => {
    if (c === undefined) return this.inner.save(g, v);
    this.attempts++;
    await this.rivals.shift()?.(this.inner);
    return this.inner.save(g, v, c);
  };
}

function sharedWorld(site: { slotLimit?: number } = {}): { w: World; store: SharedStore } {
  let store: SharedStore | undefined;
  const w = makeWorld({
    site,
    wrapStore: (inner) => {
      store = new SharedStore(inner);
      return store;
    },
  });
  return { w, store: store! };
}

/** A grant another app instance saves on the same site (one slot on L3). */
const rival = (key: GrantKey, over: Partial<Grant> = {}): Grant => ({
  key,
  holder: 'bob',
  siteId: 'site-1',
  lockIds: ['L3'],
  window: ONGOING,
  createdAt: NOW,
  revokedAt: null,
  version: 0,
  ...over,
});

/** The request as a stored grant (what an instance granting the same request saves). */
const asGrant = (over: Record<string, unknown> = {}): Grant => {
  const parsed = parseGrantRequest(request(over));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { ...parsed.value, createdAt: NOW, revokedAt: null, version: 0 };
};

describe('admission racing other app instances on the site', () => {
  it.each([1, 2, 4])('after %i other grants saved meanwhile, decides again and grants', async (races) => {
    const { w, store } = sharedWorld();
    for (let i = 1; i <= races; i++) store.beforeNextSave((s) => s.save(rival(`rival-${i}`), 0));
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: true,
      value: { code: 'granted', grant: { key: 'booking-1', version: 1 } },
    });
    expect(store.attempts).toBe(races + 1);
    expect(ourCodes(w, 'booking-1').map((c) => c.lockId)).toEqual(['L1', 'L2']);
  });

  it.each([5, 6])(
    'after 5 attempts all lost (%i rivals), says the site is busy and makes nothing',
    async (races) => {
      const { w, store } = sharedWorld();
      for (let i = 1; i <= races; i++) store.beforeNextSave((s) => s.save(rival(`rival-${i}`), 0));
      const r = await w.grant.execute(request());
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'site_busy',
          message:
            'Site "site-1" kept changing while grant "booking-1" was being decided (5 attempts); nothing was made. Try again.',
          siteId: 'site-1',
        },
      });
      expect(store.attempts).toBe(5);
      expect(await w.store.get('booking-1')).toBeNull();
      expect(ourCodes(w, 'booking-1')).toEqual([]);
      expect(w.gateway.count('createAccessCode')).toBe(0);
    },
  );

  it('decides again on the new state: a rival that took the last slots turns the grant away', async () => {
    const { w, store } = sharedWorld({ slotLimit: 3 });
    store.beforeNextSave((s) => s.save(rival('rival-1', { lockIds: ['L1', 'L3'] }), 0));
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'slot_limit_reached', detectedBy: 'plan', peak: 2, requested: 2, limit: 3 },
    });
    expect(store.attempts).toBe(1);
    expect(await w.store.get('booking-1')).toBeNull();
    expect(w.gateway.count('createAccessCode')).toBe(0);
  });
});

describe('admission racing a request with the same key', () => {
  it('the same request saved meanwhile by another instance: a replay, granted once', async () => {
    const { w, store } = sharedWorld();
    store.beforeNextSave((s) => s.save(asGrant(), 0));
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: true, value: { code: 'already_granted', grant: { version: 1 } } });
    expect(store.attempts).toBe(1);
    expect(ourCodes(w, 'booking-1').map((c) => c.lockId)).toEqual(['L1', 'L2']);
  });

  it('another request saved meanwhile under this key: a key conflict naming the stored grant', async () => {
    const { w, store } = sharedWorld();
    store.beforeNextSave((s) => s.save(asGrant({ holder: 'bob' }), 0));
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'grant_key_conflict',
        key: 'booking-1',
        existing: { holder: 'bob', version: 1 },
        message:
          'Grant key "booking-1" belongs to a grant with different holder, locks or window; use a new key for a new grant, or revoke the existing one first.',
      },
    });
    expect(store.attempts).toBe(1);
    expect(ourCodes(w)).toEqual([]);
  });

  /** Another instance saves this key with other content, and the row is gone when read back. */
  const takenAndGone = () => {
    const shared = sharedWorld();
    shared.store.beforeNextSave(async (s) => {
      await s.save(asGrant({ holder: 'bob' }), 0);
      shared.store.hidden.add('booking-1');
    });
    return shared;
  };

  it('the key saved meanwhile but gone when read back: admission says it is taken', async () => {
    const { w, store } = takenAndGone();
    const req = parseGrantRequest(request());
    if (!req.ok) throw new Error(req.error.message);
    expect(await admitGrant({ ...w, store, path: accessPathFor(w) }, req.value)).toEqual({
      ok: true,
      value: { kind: 'key_taken' },
    });
    expect(store.attempts).toBe(1);
  });

  it('the key saved meanwhile but gone when read back: a conflict with no grant to show, nothing made', async () => {
    const { w, store } = takenAndGone();
    expect(await w.grant.execute(request())).toEqual({
      ok: false,
      error: {
        code: 'grant_key_conflict',
        key: 'booking-1',
        existing: null,
        message:
          'Grant key "booking-1" was just used by a concurrent request; use a new key for a new grant, or revoke the existing one first.',
      },
    });
    expect(store.attempts).toBe(1);
    expect(ourCodes(w)).toEqual([]);
  });
});

describe('admission of a stored key', () => {
  it('replays a grant that filled its site without deciding again (no refusal, no usage read)', async () => {
    const w = makeWorld({ site: { slotLimit: 2 } });
    expect((await w.grant.execute(request())).ok).toBe(true);
    const calls = w.gateway.calls.length;
    const r = await w.grant.execute(request());
    expect(r).toMatchObject({ ok: true, value: { code: 'already_granted', grant: { version: 1 } } });
    expect(w.gateway.calls.slice(calls)).toEqual(['listSites', 'listAccessCodes:L1', 'listAccessCodes:L2']);
  });
});

describe('admission refusals', () => {
  it('a refusal other than the slot limit comes as the decision made it', async () => {
    const w = makeWorld();
    expect(await w.grant.execute(request({ lockIds: ['L1', 'L9'] }))).toEqual({
      ok: false,
      error: {
        code: 'lock_not_found',
        lockId: 'L9',
        message:
          'Lock "L9" was not found at the provider; check the lock id, or reconnect the Salto KS account in Seam.',
      },
    });
  });

  it('an unknown site says where to connect it', async () => {
    const w = makeWorld();
    expect(await w.grant.execute(request({ siteId: 'site-9' }))).toEqual({
      ok: false,
      error: {
        code: 'site_not_found',
        siteId: 'site-9',
        message:
          'Site "site-9" is not one of the Salto KS sites the provider knows; check the site id, or connect the site\'s Salto KS account in Seam.',
      },
    });
  });

  it.each([
    { listed: 10, current: 1, granted: false },
    { listed: 1, current: 10, granted: true },
  ])(
    'decides with the provider\u2019s current limit ($current), not the listed one ($listed)',
    async ({ listed, current, granted }) => {
      const w = makeWorld({ site: { slotLimit: listed } });
      w.gateway.beforeNext('getSlotUsage', () => w.gateway.setSlotLimit('site-1', current));
      const r = await w.grant.execute(request());
      if (granted) expect(r).toMatchObject({ ok: true, value: { code: 'granted' } });
      else
        expect(r).toMatchObject({ ok: false, error: { code: 'slot_limit_reached', limit: 1, requested: 2 } });
    },
  );
});

describe('the provider failing while admission reads the site', () => {
  it.each<{ op: FakeOperation; target: string; on: Record<string, string> }>([
    { op: 'listSites', target: 'site "site-1"', on: { siteId: 'site-1' } },
    { op: 'getLock', target: 'lock "L1"', on: { lockId: 'L1' } },
    { op: 'getSlotUsage', target: 'site "site-1"', on: { siteId: 'site-1' } },
  ])('$op: provider_failed naming it, nothing saved or made', async ({ op, target, on }) => {
    const w = makeWorld();
    w.gateway.inject(op, { kind: 'fail', code: 'unavailable' });
    const r = await w.grant.execute(request());
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'provider_failed',
        operation: op,
        failure: { code: 'unavailable', message: 'fake provider: unavailable' },
        message: `The lock provider failed ${op} for ${target} (unavailable: fake provider: unavailable); retry later; nothing was half-done.`,
        ...on,
      },
    });
    expect(await w.store.get('booking-1')).toBeNull();
    expect(w.gateway.count('createAccessCode')).toBe(0);
    expect(w.logger.entries.at(-1)).toMatchObject({
      level: 'error',
      message: 'grant refused',
      fields: { outcome: 'provider_failed', grantKey: 'booking-1', siteId: 'site-1' },
    });
  });
});
