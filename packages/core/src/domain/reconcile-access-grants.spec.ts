import { describe, expect, it } from 'vitest';
import type { AccessGrantIssue, ProviderAccessGrant } from './access-grant.js';
import type { Grant } from './grant.js';
import {
  type AccessGrantAction,
  type DesiredAccessGrant,
  desiredAccessGrants,
  reconcileAccessGrants,
} from './reconcile-access-grants.js';
import type { AccessWindow } from './time.js';

/** Reconcile on the ACS path, action by action: what is kept, deleted (and why) and created. */

const W1: AccessWindow = { kind: 'scheduled', startsAt: 100, endsAt: 200 };
const W2: AccessWindow = { kind: 'scheduled', startsAt: 100, endsAt: 300 };
const NOW = 50;
const PIN = { id: 'm1', mode: 'code', pin: '1234', issued: true } as const;
const refused: AccessGrantIssue = { code: 'slot_limit_reached', providerCode: 'x', message: 'no slot' };

const actual = (id: string, over: Partial<ProviderAccessGrant> = {}): ProviderAccessGrant => ({
  id,
  key: 'g-1',
  siteId: 's',
  doorIds: ['d1', 'd2'],
  window: W1,
  methods: [PIN],
  issues: [],
  ...over,
});
const want = (grantKey: string, over: Partial<DesiredAccessGrant> = {}): DesiredAccessGrant => ({
  grantKey,
  siteId: 's',
  holder: 'h',
  doorIds: ['d1', 'd2'],
  window: W1,
  ...over,
});
const create = (d: DesiredAccessGrant): AccessGrantAction => ({
  kind: 'create_access_grant',
  lockId: null,
  grantKey: d.grantKey,
  siteId: d.siteId,
  holder: d.holder,
  doorIds: d.doorIds,
  window: d.window,
});
/** Deletes as `id:reason`, creates as `create:grantKey`. */
const summary = (actions: AccessGrantAction[]): string[] =>
  actions.map((a) =>
    a.kind === 'delete_access_grant' ? `${a.accessGrantId}:${a.reason}` : `create:${a.grantKey}`,
  );

describe('desiredAccessGrants', () => {
  it('wants one access grant per grant not revoked and not ended at now', () => {
    const grant = (key: string, over: Partial<Grant> = {}): Grant => ({
      key,
      holder: 'h',
      siteId: 's',
      lockIds: ['d1', 'd2'],
      window: W1,
      createdAt: 0,
      revokedAt: null,
      version: 1,
      ...over,
    });
    const grants = [
      grant('g-1'),
      grant('revoked', { revokedAt: 10 }),
      grant('ended', { window: { kind: 'scheduled', startsAt: 0, endsAt: NOW } }),
      grant('g-2', { window: { kind: 'ongoing' }, holder: 'ana', siteId: 's2', lockIds: ['d3'] }),
    ];
    expect(desiredAccessGrants(grants, NOW)).toEqual([
      want('g-1'),
      want('g-2', { window: { kind: 'ongoing' }, holder: 'ana', siteId: 's2', doorIds: ['d3'] }),
    ]);
  });
});

describe('reconcileAccessGrants', () => {
  it('creates every missing access grant in desired order, with its doors, window and holder', () => {
    const d = [want('g-2', { holder: 'ana', doorIds: ['d3'] }), want('g-1', { window: W2 })];
    expect(reconcileAccessGrants(d, [], NOW)).toEqual(d.map(create));
  });

  it('keeps a matching access grant, whatever order it lists its doors in, and never touches foreign ones', () => {
    const foreign = actual('x', { key: null, issues: [refused] });
    expect(
      reconcileAccessGrants([want('g-1')], [actual('a1', { doorIds: ['d2', 'd1'] }), foreign], NOW),
    ).toEqual([]);
    expect(reconcileAccessGrants([want('g-1', { doorIds: ['d2', 'd1'] })], [actual('a1')], NOW)).toEqual([]);
    expect(reconcileAccessGrants([], [foreign], NOW)).toEqual([]);
  });

  it('deletes an access grant no longer desired, saying why', () => {
    expect(reconcileAccessGrants([], [actual('a1')], NOW)).toEqual([
      {
        kind: 'delete_access_grant',
        lockId: null,
        accessGrantId: 'a1',
        grantKey: 'g-1',
        reason: 'not_desired',
      },
    ]);
  });

  it('deletes one refused at the limit, and makes it again only if still desired', () => {
    const a = actual('a1', { issues: [refused] });
    expect(summary(reconcileAccessGrants([want('g-1')], [a], NOW))).toEqual([
      'a1:not_subscribed',
      'create:g-1',
    ]);
    expect(summary(reconcileAccessGrants([], [a], NOW))).toEqual(['a1:not_subscribed']);
  });

  it('replaces one with other doors (fewer, more or different) or another window', () => {
    const d = [want('g-1')];
    for (const over of [
      { doorIds: ['d1'] },
      { doorIds: ['d1', 'd2', 'd3'] },
      { doorIds: ['d1', 'd3'] },
      { window: W2 },
    ]) {
      expect(summary(reconcileAccessGrants(d, [actual('a1', over)], NOW))).toEqual([
        'a1:changed',
        'create:g-1',
      ]);
    }
    expect(summary(reconcileAccessGrants([want('g-1', { doorIds: ['d1'] })], [actual('a1')], NOW))).toEqual([
      'a1:changed',
      'create:g-1',
    ]);
  });

  it('keeps one of several matching access grants: one with its PIN first, then the lowest id', () => {
    const d = [want('g-1')];
    const noPin = { methods: [{ ...PIN, mode: 'mobile_key' as const }] };
    const pinVsId = [actual('a1', noPin), actual('a2')];
    const byId = [actual('a1'), actual('a2'), actual('a3', noPin)];
    expect(summary(reconcileAccessGrants(d, pinVsId, NOW))).toEqual(['a1:duplicate']);
    expect(summary(reconcileAccessGrants(d, [...pinVsId].reverse(), NOW))).toEqual(['a1:duplicate']);
    expect(summary(reconcileAccessGrants(d, byId, NOW))).toEqual(['a2:duplicate', 'a3:duplicate']);
    expect(summary(reconcileAccessGrants(d, [...byId].reverse(), NOW))).toEqual([
      'a2:duplicate',
      'a3:duplicate',
    ]);
  });

  it('puts every delete first, ordered by id, then the creates', () => {
    const listed = [
      actual('z9', { key: 'old-1' }),
      actual('m5', { key: 'g-1', window: W2 }),
      actual('a1', { key: 'old-2' }),
    ];
    expect(summary(reconcileAccessGrants([want('g-1'), want('g-0')], listed, NOW))).toEqual([
      'a1:not_desired',
      'm5:changed',
      'z9:not_desired',
      'create:g-1',
      'create:g-0',
    ]);
  });

  it('ignores desired entries that have ended, and takes the first of repeated ones', () => {
    const ended = want('g-3', { window: { kind: 'scheduled', startsAt: 0, endsAt: NOW } });
    const first = want('g-1');
    expect(reconcileAccessGrants([ended, first, want('g-1', { window: W2 })], [], NOW)).toEqual([
      create(first),
    ]);
    expect(
      summary(reconcileAccessGrants([ended], [actual('a1', { key: 'g-3', window: ended.window })], NOW)),
    ).toEqual(['a1:not_desired']);
  });
});
