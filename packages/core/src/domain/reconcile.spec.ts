import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyActions } from '../testing/apply-actions.js';
import { reconcileScenarioArb } from '../testing/arbitraries.js';
import { type AccessCode, codeNameFor, grantKeyOf, isNotSubscribed } from './access-code.js';
import type { Grant } from './grant.js';
import { type DesiredCode, desiredCodes, type ReconcileAction, reconcile } from './reconcile.js';
import { type AccessWindow, sameWindow } from './time.js';

const W1: AccessWindow = { kind: 'scheduled', startsAt: 100, endsAt: 200 };
const W2: AccessWindow = { kind: 'scheduled', startsAt: 100, endsAt: 300 };
const NOW = 50;

const code = (over: Partial<AccessCode> & Pick<AccessCode, 'id'>): AccessCode => ({
  lockId: 'lock-a',
  name: codeNameFor('g-1'),
  pin: '123456',
  status: 'set',
  window: W1,
  issues: [],
  ...over,
});
const want = (grantKey: string, lockId: string, window: AccessWindow = W1): DesiredCode => ({
  grantKey,
  lockId,
  window,
});
const notSubscribed = {
  code: 'slot_limit_reached',
  providerCode: 'salto_ks_user_not_subscribed',
  message: 'no slot',
} as const;

describe('desiredCodes', () => {
  const grant = (over: Partial<Grant>): Grant => ({
    key: 'g-1',
    holder: 'h',
    siteId: 's',
    lockIds: ['lock-a', 'lock-b'],
    window: W1,
    createdAt: 0,
    revokedAt: null,
    version: 1,
    ...over,
  });

  it('lists one code per lock of each grant that is live at now', () => {
    expect(
      desiredCodes(
        [
          grant({}),
          grant({ key: 'revoked', revokedAt: 10 }),
          grant({ key: 'ended', window: { kind: 'scheduled', startsAt: 0, endsAt: NOW } }),
          grant({ key: 'ongoing', lockIds: ['lock-c'], window: { kind: 'ongoing' } }),
        ],
        NOW,
      ),
    ).toEqual([want('g-1', 'lock-a'), want('g-1', 'lock-b'), want('ongoing', 'lock-c', { kind: 'ongoing' })]);
  });
});

describe('reconcile', () => {
  it('does nothing when nothing is desired and nothing exists', () => {
    expect(reconcile([], [], NOW)).toEqual([]);
  });

  it('creates every missing code, named after its grant, in desired order', () => {
    expect(reconcile([want('g-2', 'lock-b'), want('g-1', 'lock-a', W2)], [], NOW)).toEqual([
      { kind: 'create', grantKey: 'g-2', lockId: 'lock-b', window: W1, name: 'keyslot:g-2' },
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-a', window: W2, name: 'keyslot:g-1' },
    ]);
  });

  it('keeps a matching code, including one whose name carries a label', () => {
    const labelled = code({ id: 'c1', name: codeNameFor('g-1', 'Room 12') });
    expect(reconcile([want('g-1', 'lock-a')], [labelled], NOW)).toEqual([]);
  });

  it('never deletes codes that keyslot does not manage', () => {
    const foreign = ['Cleaner', 'keyslot:', 'keyslot:bad!key', 'keyslot: g-1', 'Keyslot:g-1', 'g-1'].map(
      (name, i) => code({ id: `f${i}`, name }),
    );
    const refusedForeign = code({ id: 'f9', name: 'Cleaner', issues: [notSubscribed] });
    expect(reconcile([], [...foreign, refusedForeign], NOW)).toEqual([]);
  });

  it('deletes keyslot codes that are no longer desired', () => {
    expect(reconcile([], [code({ id: 'c1' })], NOW)).toEqual([
      { kind: 'delete', accessCodeId: 'c1', lockId: 'lock-a', grantKey: 'g-1', reason: 'not_desired' },
    ]);
    // Desired on another lock only: the code on lock-a goes.
    expect(reconcile([want('g-1', 'lock-b')], [code({ id: 'c1' })], NOW)).toEqual([
      { kind: 'delete', accessCodeId: 'c1', lockId: 'lock-a', grantKey: 'g-1', reason: 'not_desired' },
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-b', window: W1, name: 'keyslot:g-1' },
    ]);
  });

  it('ignores codes already removing: not deleted again, and they satisfy nothing', () => {
    const removing = code({ id: 'c1', status: 'removing' });
    expect(reconcile([], [removing], NOW)).toEqual([]);
    expect(reconcile([want('g-1', 'lock-a')], [removing], NOW)).toEqual([
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-a', window: W1, name: 'keyslot:g-1' },
    ]);
  });

  it('replaces a code refused for the slot limit, and drops it if no longer desired', () => {
    const refused = code({ id: 'c1', status: 'unset', pin: null, issues: [notSubscribed] });
    expect(reconcile([want('g-1', 'lock-a')], [refused], NOW)).toEqual([
      { kind: 'delete', accessCodeId: 'c1', lockId: 'lock-a', grantKey: 'g-1', reason: 'not_subscribed' },
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-a', window: W1, name: 'keyslot:g-1' },
    ]);
    expect(reconcile([], [refused], NOW)).toEqual([
      { kind: 'delete', accessCodeId: 'c1', lockId: 'lock-a', grantKey: 'g-1', reason: 'not_subscribed' },
    ]);
  });

  it('keeps one of several equivalent codes: set first, then with a PIN, then the lowest id', () => {
    const reasons = (actions: ReconcileAction[]) =>
      actions.map((a) => (a.kind === 'delete' ? `${a.accessCodeId}:${a.reason}` : `create:${a.lockId}`));
    const d = [want('g-1', 'lock-a')];
    expect(
      reasons(
        reconcile(d, [code({ id: 'c1', status: 'setting' }), code({ id: 'c3' }), code({ id: 'c2' })], NOW),
      ),
    ).toEqual(['c1:duplicate', 'c3:duplicate']); // c2 and c3 are set; c2 has the lower id
    expect(
      reasons(
        reconcile(
          d,
          [code({ id: 'c1', status: 'setting', pin: null }), code({ id: 'c2', status: 'setting' })],
          NOW,
        ),
      ),
    ).toEqual(['c1:duplicate']); // neither is set; c2 has a PIN
    // The same choice whichever code the provider lists first: set beats a PIN, a PIN beats a lower id.
    const setVsPin = [code({ id: 'c1', status: 'setting' }), code({ id: 'c2', pin: null })];
    const pinVsId = [code({ id: 'c1', status: 'setting', pin: null }), code({ id: 'c2', status: 'setting' })];
    for (const codes of [setVsPin, pinVsId]) {
      expect(reasons(reconcile(d, codes, NOW))).toEqual(['c1:duplicate']);
      expect(reasons(reconcile(d, [...codes].reverse(), NOW))).toEqual(['c1:duplicate']);
    }
  });

  it('replaces a code whose window changed', () => {
    expect(reconcile([want('g-1', 'lock-a', W2)], [code({ id: 'c1', window: W1 })], NOW)).toEqual([
      { kind: 'delete', accessCodeId: 'c1', lockId: 'lock-a', grantKey: 'g-1', reason: 'window_changed' },
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-a', window: W2, name: 'keyslot:g-1' },
    ]);
    // An ongoing grant is served by an ongoing code only.
    expect(
      reconcile([want('g-1', 'lock-a', { kind: 'ongoing' })], [code({ id: 'c1' })], NOW)[0],
    ).toMatchObject({
      reason: 'window_changed',
    });
  });

  it('frees slots first: every delete comes before every create', () => {
    const actions = reconcile(
      [want('g-2', 'lock-a'), want('g-1', 'lock-b')],
      [code({ id: 'c1', lockId: 'lock-c' }), code({ id: 'c0', name: codeNameFor('g-3'), lockId: 'lock-b' })],
      NOW,
    );
    expect(actions.map((a) => a.kind)).toEqual(['delete', 'delete', 'create', 'create']);
    expect(actions.slice(0, 2).map((a) => (a.kind === 'delete' ? a.accessCodeId : ''))).toEqual(['c0', 'c1']);
  });

  it('ignores desired codes whose window has ended, and takes the first of repeated entries', () => {
    const ended = want('g-1', 'lock-a', { kind: 'scheduled', startsAt: 0, endsAt: NOW });
    expect(reconcile([ended], [], NOW)).toEqual([]);
    expect(reconcile([want('g-1', 'lock-a', W2), want('g-1', 'lock-a', W1)], [], NOW)).toEqual([
      { kind: 'create', grantKey: 'g-1', lockId: 'lock-a', window: W2, name: 'keyslot:g-1' },
    ]);
  });

  // ---- properties -------------------------------------------------------------------------

  const deletedIds = (actions: readonly ReconcileAction[]) =>
    actions.flatMap((a) => (a.kind === 'delete' ? [a.accessCodeId] : []));
  const applyModeArb = fc.record({
    deleted: fc.constantFrom('gone' as const, 'removing' as const),
    createdStatus: fc.constantFrom('unset' as const, 'setting' as const, 'set' as const),
  });

  it('is idempotent: once its actions are applied, it asks for nothing more', () => {
    fc.assert(
      fc.property(reconcileScenarioArb(), applyModeArb, ({ grants, now, actual }, mode) => {
        const desired = desiredCodes(grants, now);
        const next = applyActions(actual, reconcile(desired, actual, now), mode);
        expect(reconcile(desired, next, now)).toEqual([]);
      }),
    );
  });

  it('converges: after applying, each desired code has exactly one live code and no stale keyslot code lives', () => {
    fc.assert(
      fc.property(reconcileScenarioArb(), applyModeArb, ({ grants, now, actual }, mode) => {
        const desired = desiredCodes(grants, now);
        const next = applyActions(actual, reconcile(desired, actual, now), mode);
        const live = next.filter((c) => grantKeyOf(c.name) !== null && c.status !== 'removing');
        for (const d of desired) {
          const serving = live.filter(
            (c) => grantKeyOf(c.name) === d.grantKey && c.lockId === d.lockId && !isNotSubscribed(c),
          );
          expect(serving).toHaveLength(1);
          expect(sameWindow(serving[0]!.window, d.window)).toBe(true);
        }
        for (const c of live) {
          expect(isNotSubscribed(c)).toBe(false);
          expect(desired.some((d) => d.grantKey === grantKeyOf(c.name) && d.lockId === c.lockId)).toBe(true);
        }
      }),
    );
  });

  it('deletes only live keyslot codes that exist, each at most once, before any create', () => {
    fc.assert(
      fc.property(reconcileScenarioArb(), ({ grants, now, actual }) => {
        const actions = reconcile(desiredCodes(grants, now), actual, now);
        const ids = deletedIds(actions);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) {
          const c = actual.find((x) => x.id === id);
          expect(c).toBeDefined();
          expect(grantKeyOf(c!.name)).not.toBeNull();
          expect(c!.status).not.toBe('removing');
        }
        for (const a of actions) {
          if (a.kind === 'delete') {
            const c = actual.find((x) => x.id === a.accessCodeId)!;
            expect([a.lockId, a.grantKey]).toEqual([c.lockId, grantKeyOf(c.name)]);
          }
        }
        const firstCreate = actions.findIndex((a) => a.kind === 'create');
        if (firstCreate >= 0) expect(actions.slice(firstCreate).every((a) => a.kind === 'create')).toBe(true);
        // Foreign codes are left exactly as they were.
        const foreign = (cs: readonly AccessCode[]) => cs.filter((c) => grantKeyOf(c.name) === null);
        expect(foreign(applyActions(actual, actions))).toEqual(foreign(actual));
      }),
    );
  });

  it('is deterministic: same actions on a second run and for any listing order', () => {
    fc.assert(
      fc.property(
        reconcileScenarioArb().chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(s.actual, { minLength: s.actual.length, maxLength: s.actual.length }),
          ),
        ),
        ([{ grants, now, actual }, shuffled]) => {
          const desired = desiredCodes(grants, now);
          const first = reconcile(desired, actual, now);
          expect(reconcile(desired, actual, now)).toEqual(first);
          expect(reconcile(desired, shuffled, now)).toEqual(first);
        },
      ),
    );
  });
});
