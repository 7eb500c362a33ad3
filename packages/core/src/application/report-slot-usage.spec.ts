/**
 * ReportSlotUsage by example: the siteId it accepts, the headroom it projects, what it says when
 * the provider or the grant store fails (whole or for one site), and the log record an operator
 * reads for each outcome.
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../infrastructure/logging.js';
import { FAILURES, FailingStore } from './failing-store.test-helpers.js';
import { testSite } from './testing-gateway.test-helpers.js';
import { makeWorld, request, type World, worldWithStore } from './use-cases.test-helpers.js';

const failingWorld = () => worldWithStore((inner) => new FailingStore(inner, null));

/** A second site, "Annex", on the world's provider. */
const withAnnex = (w: World): World => {
  w.gateway.addSite(testSite({ id: 'site-2', name: 'Annex', slotLimit: 4 }));
  return w;
};

const lastLog = (w: World): LogEntry | undefined => w.logger.entries.at(-1);

describe('ReportSlotUsage: the siteId it accepts', () => {
  it.each([
    ['an empty string', ''],
    ['only blanks', '   '],
    ['a number', 42],
    ['null', null],
    ['an object', { id: 'site-1' }],
  ])('refuses %s as invalid_input naming siteId, without asking the provider', async (_, siteId) => {
    const w = makeWorld();
    const r = await w.report.execute(siteId);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Invalid input: siteId: must be a non-empty string, or omitted for every site.',
        issues: [{ field: 'siteId', message: 'must be a non-empty string, or omitted for every site' }],
      },
    });
    expect(w.gateway.calls).toEqual([]);
  });
});

describe('ReportSlotUsage: projected headroom', () => {
  it('is the limit less the reserve less the projected peak', async () => {
    const w = makeWorld({ site: { slotLimit: 10 }, policy: { reservedSlots: 2 } });
    w.gateway.addForeignCode('L3');
    await w.grant.execute(request({ lockIds: ['L1'] }));
    const r = await w.report.execute('site-1');
    expect(r.ok && r.value.sites[0]).toMatchObject({
      used: 2,
      limit: 10,
      reserved: 2,
      plannedNow: 1,
      plannedPeak: 1,
      unmanaged: 1,
      projectedPeak: 2,
      projectedHeadroom: 6,
    });
  });
});

describe('ReportSlotUsage: provider failures', () => {
  it.each([
    [
      'one site named',
      'site-1',
      'The lock provider failed listSites for site "site-1"',
      { siteId: 'site-1' },
    ],
    ['every site', undefined, 'The lock provider failed listSites', {}],
  ])('sites not listed (%s): provider_failed naming listSites', async (_, siteId, start, target) => {
    const w = makeWorld();
    w.gateway.inject('listSites', { kind: 'fail', code: 'unavailable' });
    const r = await w.report.execute(siteId);
    expect(r).toStrictEqual({
      ok: false,
      error: {
        code: 'provider_failed',
        message: `${start} (unavailable: fake provider: unavailable); retry later; nothing was half-done.`,
        operation: 'listSites',
        failure: { code: 'unavailable', message: 'fake provider: unavailable' },
        ...target,
      },
    });
  });

  it("one site's usage not read: the others are reported, that one is listed as a failure", async () => {
    const w = withAnnex(makeWorld());
    w.gateway.inject('getSlotUsage', { kind: 'fail', code: 'rate_limited' });
    const r = await w.report.execute();
    expect(r.ok && r.value.sites.map((s) => s.siteId)).toEqual(['site-2']);
    expect(r.ok && r.value.failures).toEqual([
      { siteId: 'site-1', failure: { code: 'rate_limited', message: 'fake provider: rate limited' } },
    ]);
  });
});

describe('ReportSlotUsage: the grant store failing', () => {
  const retryable = FAILURES[0] as Exclude<(typeof FAILURES)[number], 'foreign'>;
  const fixed = FAILURES[2] as Exclude<(typeof FAILURES)[number], 'foreign'>;
  it.each([
    ['one site named, store back later', 'site-1', retryable, 'once the store is back', { siteId: 'site-1' }],
    ['every site, store to be fixed', undefined, fixed, 'once the store is fixed (see the failure)', {}],
  ])('%s: store_failed, nothing changed, ask again', async (_, siteId, failure, when, target) => {
    const { w, store } = failingWorld();
    store.failOn('listHoldingBySite', { failure });
    const r = await w.report.execute(siteId);
    expect(r).toStrictEqual({
      ok: false,
      error: {
        code: 'store_failed',
        message: `Slot usage could not be reported: the grant store failed listHoldingBySite (${failure.code}: ${failure.message}) while reading the sites' grants: nothing was changed. Ask again ${when}.`,
        operation: 'listHoldingBySite',
        failure,
        retryable: failure.retryable,
        ...target,
      },
    });
  });
});

describe('ReportSlotUsage: the log record', () => {
  it('a report: info, each site in short and the sites that failed', async () => {
    const w = withAnnex(makeWorld({ site: { slotLimit: 2 } }));
    await w.grant.execute(request({ lockIds: ['L1', 'L2'] }));
    w.gateway.inject('getSlotUsage', { kind: 'fail', code: 'unavailable' });
    w.gateway.inject('getSlotUsage', { kind: 'fail', code: 'unavailable' });
    // Both sites fail this once, then both answer.
    await w.report.execute();
    expect(lastLog(w)).toEqual({
      level: 'info',
      message: 'slot usage',
      fields: { outcome: 'slot_usage', sites: [], failures: ['site-1', 'site-2'] },
    });
    await w.report.execute();
    expect(lastLog(w)).toEqual({
      level: 'info',
      message: 'slot usage',
      fields: {
        outcome: 'slot_usage',
        sites: [
          { siteId: 'site-1', used: 2, limit: 2, plannedPeak: 2, almostReached: true },
          { siteId: 'site-2', used: 0, limit: 4, plannedPeak: 0, almostReached: false },
        ],
        failures: [],
      },
    });
  });

  it.each([
    ['invalid_input', 'info', (w: World) => w.report.execute('')],
    ['site_not_found', 'info', (w: World) => w.report.execute('nowhere')],
    [
      'provider_failed',
      'error',
      (w: World) => {
        w.gateway.inject('listSites', { kind: 'fail', code: 'unavailable' });
        return w.report.execute();
      },
    ],
    [
      'store_failed',
      'error',
      (w: World, store: FailingStore) => {
        store.failOn('listHoldingBySite');
        return w.report.execute();
      },
    ],
  ] as const)('%s: %s, with the error message as the reason', async (outcome, level, run) => {
    const { w, store } = failingWorld();
    const r = await run(w, store);
    expect(r.ok).toBe(false);
    expect(lastLog(w)).toEqual({
      level,
      message: 'slot usage',
      fields: { outcome, reason: !r.ok && r.error.message },
    });
  });
});
