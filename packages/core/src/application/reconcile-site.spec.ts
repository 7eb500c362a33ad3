/**
 * `ReconcileSite` by example, for what an operator reads: the one `site reconciled` record per
 * run (level and counts), the `reconcile refused` record per outcome (level, site id, reason),
 * the exact refusals (bad site id, unknown site, the provider or the store failing), and the
 * records of revoked grants it cleans up or finds holding a code again.
 */
import { describe, expect, it } from 'vitest';
import { codeNameFor } from '../domain/access-code.js';
import type { LogEntry } from '../infrastructure/logging.js';
import { acsWorld, DOORS, stay } from './acs-world.test-helpers.js';
import { ContendedStore } from './contended-store.test-helpers.js';
import { FAILURES, FailingStore } from './failing-store.test-helpers.js';
import { testLock, testSite } from './testing-gateway.test-helpers.js';
import { makeWorld, NOW, ourCodes, request, worldWithStore } from './use-cases.test-helpers.js';

const failingWorld = () => worldWithStore((inner) => new FailingStore(inner, null));

const entries = (w: { logger: { entries: LogEntry[] } }, message: string) =>
  w.logger.entries.filter((e) => e.message === message);

/** The `site reconciled` records of `w`'s runs. */
const reconciled = (w: { logger: { entries: LogEntry[] } }) => entries(w, 'site reconciled');

/** The `site reconciled` record of a run of site-1, at `level`, with its counts. */
const siteReconciled = (
  level: 'info' | 'warn',
  counts: {
    converged: boolean;
    deletes: number;
    creates: number;
    failed: number;
    refusedAtLimit: number;
    skippedLocks: string[];
  },
) => ({ level, message: 'site reconciled', fields: { outcome: 'reconciled', siteId: 'site-1', ...counts } });

/** A converged run that deleted two things and made one. */
const twoDeletesOneCreate = siteReconciled('info', {
  converged: true,
  deletes: 2,
  creates: 1,
  failed: 0,
  refusedAtLimit: 0,
  skippedLocks: [],
});

const cleanedUpMessage = 'revoked grants cleaned up';
const reopenedMessage = 'revoked grant has a code again; its slots count until it is deleted';

/** A code of grant `key` made at the provider behind keyslot's back (a late create, a stray). */
const codeBehindOurBack = async (w: ReturnType<typeof makeWorld>, lockId: string, key: string) => {
  const made = await w.gateway.createAccessCode({
    lockId,
    name: codeNameFor(key),
    window: { kind: 'ongoing' },
  });
  if (!made.ok) throw new Error(made.error.message);
};

describe('ReconcileSite logs one "site reconciled" record per run', () => {
  it('drift repaired on the lock path: info, with the deletes and creates counted apart', async () => {
    const w = makeWorld();
    await w.grant.execute(request());
    await w.gateway.deleteAccessCode(ourCodes(w).find((c) => c.lockId === 'L1')!.id);
    await codeBehindOurBack(w, 'L2', 'booking-1');
    await codeBehindOurBack(w, 'L3', 'ghost');
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => a.kind)).toEqual(['delete', 'delete', 'create']);
    expect(reconciled(w)).toEqual([twoDeletesOneCreate]);
  });

  it('not converged: warn, counting the failed and the refused actions and naming the skipped lock', async () => {
    const w = makeWorld({
      site: { slotLimit: 3 },
      policy: { onOfflineHub: 'accept_and_retry' },
      locks: ['L1', 'L2', 'L3', 'L4'].map((id) => testLock(id)),
    });
    w.gateway.setHubLink('L2', 'offline');
    await w.grant.execute(request());
    // While L2 waits for its hub, another app and a stray code fill the site.
    w.gateway.addForeignCode('L3');
    await codeBehindOurBack(w, 'L3', 'ghost');
    w.gateway.setHubLink('L2', 'good');
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    w.gateway.inject('listAccessCodes', { kind: 'fail', code: 'unavailable' }, 'L4');
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.lockId, a.result])).toEqual([
      ['delete', 'L3', 'failed'],
      ['create', 'L2', 'refused_at_limit'],
    ]);
    expect(reconciled(w)).toEqual([
      siteReconciled('warn', {
        converged: false,
        deletes: 1,
        creates: 1,
        failed: 1,
        refusedAtLimit: 1,
        skippedLocks: ['L4'],
      }),
    ]);
  });

  it('on the ACS path, an access grant deleted and one made count as a delete and a create', async () => {
    const w = acsWorld();
    await w.grant.execute(stay());
    await w.accessGrants.deleteAccessGrant(w.accessGrants.allGrants()[0]!.id);
    for (const [key, doorIds] of [
      ['stay-1', ['D1']],
      ['gone-1', DOORS],
    ] as const)
      await w.accessGrants.createAccessGrant({
        key,
        siteId: 'site-1',
        doorIds,
        window: { kind: 'ongoing' },
        holder: 'x',
        methods: ['code'],
      });
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.actions.map((a) => [a.kind, a.grantKey, a.result])).toEqual([
      ['delete_access_grant', 'stay-1', 'done'],
      ['delete_access_grant', 'gone-1', 'done'],
      ['create_access_grant', 'stay-1', 'done'],
    ]);
    expect(reconciled(w)).toEqual([twoDeletesOneCreate]);
  });

  it('finds its site among several the provider knows', async () => {
    const w = makeWorld();
    w.gateway.addSite(testSite({ id: 'site-2', name: 'Annex' }), [testLock('L9', { siteId: 'site-2' })]);
    expect(await w.reconcile.execute('site-2')).toMatchObject({
      ok: true,
      value: { code: 'reconciled', siteId: 'site-2', converged: true },
    });
  });
});

describe('ReconcileSite refusals: the exact outcome, and one "reconcile refused" record', () => {
  const malformed = (field: string) =>
    ({ code: 'invalid_input', issues: [{ field, message: 'must be a non-empty string' }] }) as const;
  const cases: {
    readonly name: string;
    readonly siteId: unknown;
    readonly setUp?: (w: ReturnType<typeof makeWorld>) => void;
    readonly error: { readonly code: string } & Record<string, unknown>;
    readonly message: string;
    readonly level: 'info' | 'error';
    readonly loggedSiteId: string | null;
  }[] = [
    {
      name: 'a site id that is not a string',
      siteId: 42,
      error: malformed('siteId'),
      message: 'Invalid input: siteId: must be a non-empty string.',
      level: 'info',
      loggedSiteId: null,
    },
    {
      name: 'a missing site id',
      siteId: undefined,
      error: malformed('siteId'),
      message: 'Invalid input: siteId: must be a non-empty string.',
      level: 'info',
      loggedSiteId: null,
    },
    {
      name: 'a blank site id',
      siteId: '  ',
      error: malformed('siteId'),
      message: 'Invalid input: siteId: must be a non-empty string.',
      level: 'info',
      loggedSiteId: '  ',
    },
    {
      name: 'a site the provider does not know',
      siteId: 'nowhere',
      error: { code: 'site_not_found', siteId: 'nowhere' },
      message:
        'Site "nowhere" is not one of the Salto KS sites the provider knows; check the site id, or connect the site\'s Salto KS account in Seam.',
      level: 'info',
      loggedSiteId: 'nowhere',
    },
    {
      name: 'the provider failing to list its sites',
      siteId: 'site-1',
      setUp: (w) => w.gateway.inject('listSites', { kind: 'fail', code: 'unavailable' }),
      error: {
        code: 'provider_failed',
        operation: 'listSites',
        failure: { code: 'unavailable', message: 'fake provider: unavailable' },
        siteId: 'site-1',
      },
      message:
        'The lock provider failed listSites for site "site-1" (unavailable: fake provider: unavailable); retry later; nothing was half-done.',
      level: 'error',
      loggedSiteId: 'site-1',
    },
    {
      name: 'the provider failing to list the site’s locks',
      siteId: 'site-1',
      setUp: (w) => w.gateway.inject('listLocks', { kind: 'fail', code: 'rate_limited' }),
      error: {
        code: 'provider_failed',
        operation: 'listLocks',
        failure: { code: 'rate_limited', message: 'fake provider: rate limited' },
        siteId: 'site-1',
      },
      message:
        'The lock provider failed listLocks for site "site-1" (rate_limited: fake provider: rate limited); retry later; nothing was half-done.',
      level: 'error',
      loggedSiteId: 'site-1',
    },
  ];

  it.each(cases)('$name', async ({ siteId, setUp, error, message, level, loggedSiteId }) => {
    const w = makeWorld();
    await w.grant.execute(request());
    await w.gateway.deleteAccessCode(ourCodes(w)[0]!.id);
    w.logger.entries.length = 0;
    setUp?.(w);
    const r = await w.reconcile.execute(siteId);
    expect(r).toEqual({ ok: false, error: { ...error, message } });
    expect(w.logger.entries).toEqual([
      {
        level,
        message: 'reconcile refused',
        fields: { outcome: error.code, siteId: loggedSiteId, reason: message },
      },
    ]);
    // Nothing was repaired.
    expect(ourCodes(w)).toHaveLength(1);
  });
});

describe('ReconcileSite when the grant store fails', () => {
  it('reading the grants: store_failed naming the site, nothing changed at the provider, logged as an error', async () => {
    const { w, store } = failingWorld();
    await w.grant.execute(request());
    await w.gateway.deleteAccessCode(ourCodes(w)[0]!.id);
    store.failOn('listBySite');
    const r = await w.reconcile.execute('site-1');
    const message =
      'Site "site-1" could not be reconciled: the grant store failed listBySite (store_unavailable: The grant database could not be reached (ECONNREFUSED); check that it is running, then retry.) while reading its grants: nothing was changed. Run it again once the store is back: it is idempotent.';
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'store_failed',
        message,
        operation: 'listBySite',
        failure: FAILURES[0],
        retryable: true,
        siteId: 'site-1',
      },
    });
    expect(ourCodes(w)).toHaveLength(1);
    expect(entries(w, 'reconcile refused')).toEqual([
      {
        level: 'error',
        message: 'reconcile refused',
        fields: { outcome: 'store_failed', siteId: 'site-1', reason: message },
      },
    ]);
  });

  it('recording a cleanup: store_failed saying the provider work is kept; the next run records it', async () => {
    const { w, store } = failingWorld();
    await w.grant.execute(request());
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await w.revoke.execute('booking-1');
    expect(ourCodes(w)).toHaveLength(1);
    const corrupted = FAILURES[2];
    if (corrupted === undefined || corrupted === 'foreign') throw new Error('setup');
    store.failOn('save', { failure: corrupted });
    const r = await w.reconcile.execute('site-1');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'store_failed',
        message:
          'Site "site-1" could not be reconciled: the grant store failed save (store_corrupted: The database directory is damaged; restore it.) while recording which revoked grants are cleaned up; what it did at the provider is kept. Run it again once the store is fixed (see the failure): it is idempotent.',
        operation: 'save',
        failure: corrupted,
        retryable: false,
        siteId: 'site-1',
      },
    });
    expect(ourCodes(w)).toEqual([]);
    expect((await w.store.get('booking-1'))?.cleanedUpAt ?? null).toBeNull();
    expect(await w.reconcile.execute('site-1')).toMatchObject({
      ok: true,
      value: { cleanedUp: ['booking-1'] },
    });
  });
});

describe('ReconcileSite records and logs the cleanup of revoked grants', () => {
  it('logs the grants it confirmed cleaned up, once, and nothing when there were none', async () => {
    const w = makeWorld();
    await w.grant.execute(request({ key: 'live' }));
    for (const key of ['gone-1', 'gone-2']) {
      await w.grant.execute(request({ key, lockIds: ['L3'] }));
      w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
      await w.revoke.execute(key);
    }
    const r = await w.reconcile.execute('site-1');
    expect(r.ok && r.value.cleanedUp).toEqual(['gone-1', 'gone-2']);
    expect(entries(w, cleanedUpMessage)).toEqual([
      {
        level: 'info',
        message: cleanedUpMessage,
        fields: { siteId: 'site-1', grantKeys: ['gone-1', 'gone-2'] },
      },
    ]);
    w.logger.entries.length = 0;
    await w.reconcile.execute('site-1');
    expect(entries(w, cleanedUpMessage)).toEqual([]);
    expect(reconciled(w)).toHaveLength(1);
  });

  it('does not report a cleanup another instance kept it from recording, nor one of a grant that vanished', async () => {
    for (const contention of [{ races: 2 }, { races: 1, vanishes: true }]) {
      const { w, store } = worldWithStore((inner) => new ContendedStore(inner));
      await w.grant.execute(request());
      // Revoked, its codes not deleted yet (the revoking instance died).
      const g = (await w.store.get('booking-1'))!;
      await w.store.save({ ...g, revokedAt: NOW }, g.version);
      store.contend(contention);
      const r = await w.reconcile.execute('site-1');
      expect(r).toMatchObject({ ok: true, value: { converged: true, cleanedUp: [] } });
      expect(ourCodes(w)).toEqual([]);
      expect(entries(w, cleanedUpMessage)).toEqual([]);
      // Still counted in the plan: the next run (or revoke) records it.
      expect(w.store.all().map((g) => [g.key, g.revokedAt !== null, g.cleanedUpAt ?? null])).toEqual([
        ['booking-1', true, null],
      ]);
    }
  });

  it('warns when a grant recorded as cleaned up has a code again that could not be deleted', async () => {
    const w = makeWorld();
    await w.grant.execute(request({ lockIds: ['L1'] }));
    await w.revoke.execute('booking-1');
    await codeBehindOurBack(w, 'L1', 'booking-1');
    w.gateway.inject('deleteAccessCode', { kind: 'fail', code: 'unavailable' });
    await w.reconcile.execute('site-1');
    expect(entries(w, reopenedMessage)).toEqual([
      {
        level: 'warn',
        message: reopenedMessage,
        fields: { siteId: 'site-1', grantKey: 'booking-1', recorded: true },
      },
    ]);
  });
});
