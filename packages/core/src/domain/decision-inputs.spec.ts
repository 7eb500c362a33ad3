import { describe, expect, it } from 'vitest';
import { checkGrantInputs, checkUnlockInputs, lockIssues, siteIssues } from './decision-inputs.js';
import { grant, lock, NOW, policy, request, site, state } from './decisions.test-helpers.js';
import { DEFAULT_POLICY } from './policy.js';
import type { FieldIssue, Result } from './result.js';
import type { SlotPlan } from './slot-plan.js';

/**
 * The shape checks in front of `decideGrant` and `decideUnlock`: for each bad field the exact
 * issues (field and message, the whole list, in order), and for good input the typed values.
 */

/** The issues of a failed check, or the `ok` value itself (so a wrong pass shows what passed). */
const issuesOf = (r: Result<unknown, { issues: readonly FieldIssue[] }>): unknown =>
  r.ok ? r.value : r.error.issues;

const issue = (field: string, message: string): FieldIssue => ({ field, message });

/** Replace (or with `undefined`, drop) one field of a record. */
const withField = (base: object, key: string, value: unknown): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...base, [key]: value };
  if (value === undefined) delete copy[key];
  return copy;
};

const NON_NEG_INT = 'must be a non-negative integer, got';
const STRING = 'must be a string';

describe('siteIssues', () => {
  it('accepts a sound site, with or without a cost model, an empty name and a fractional lead time', () => {
    expect(siteIssues(site())).toEqual([]);
    expect(siteIssues(site({ slotCostModel: 'code_per_lock' }))).toEqual([]);
    expect(siteIssues(site({ slotCostModel: 'user_per_grant' }))).toEqual([]);
    expect(siteIssues(site({ name: '', slotLimit: 0, slotLeadTimeMs: 0 }))).toEqual([]);
    expect(siteIssues(site({ slotLeadTimeMs: 0.5 }))).toEqual([]);
  });

  it('refuses a value that is not an object, under the given field name', () => {
    for (const bad of [null, undefined, 3, 'site-1', true]) {
      expect(siteIssues(bad)).toEqual([issue('site', 'must be a site object')]);
      expect(siteIssues(bad, 'sites[2]')).toEqual([issue('sites[2]', 'must be a site object')]);
    }
  });

  it.each([
    ['id', 3, 'id', 'must be a non-empty string'],
    ['id', '', 'id', 'must be a non-empty string'],
    ['id', undefined, 'id', 'must be a non-empty string'],
    ['name', 3, 'name', STRING],
    ['name', null, 'name', STRING],
    ['slotLimit', -1, 'slotLimit', `${NON_NEG_INT} -1`],
    ['slotLimit', 1.5, 'slotLimit', `${NON_NEG_INT} 1.5`],
    ['slotLimit', '3', 'slotLimit', `${NON_NEG_INT} string`],
    ['slotLimit', null, 'slotLimit', `${NON_NEG_INT} null`],
    ['slotLimit', [3], 'slotLimit', `${NON_NEG_INT} an array`],
    ['slotLimit', undefined, 'slotLimit', `${NON_NEG_INT} undefined`],
    ['slotLeadTimeMs', '5', 'slotLeadTimeMs', 'must be a non-negative number of ms, got string'],
    ['slotLeadTimeMs', Number.NaN, 'slotLeadTimeMs', 'must be a non-negative number of ms, got NaN'],
    [
      'slotLeadTimeMs',
      Number.POSITIVE_INFINITY,
      'slotLeadTimeMs',
      'must be a non-negative number of ms, got Infinity',
    ],
    ['slotLeadTimeMs', -1, 'slotLeadTimeMs', 'must be a non-negative number of ms, got -1'],
    ['slotLeadTimeMs', undefined, 'slotLeadTimeMs', 'must be a non-negative number of ms, got undefined'],
    [
      'slotCostModel',
      'per_door',
      'slotCostModel',
      'must be "code_per_lock", "user_per_grant" or absent, got string',
    ],
    ['slotCostModel', null, 'slotCostModel', 'must be "code_per_lock", "user_per_grant" or absent, got null'],
  ])('site.%s = %j: one issue on site.%s', (key, value, field, message) => {
    expect(siteIssues(withField(site(), key, value))).toEqual([issue(`site.${field}`, message)]);
    expect(siteIssues(withField(site(), key, value), 'gw.site')).toEqual([
      issue(`gw.site.${field}`, message),
    ]);
  });

  it('names every bad field, in order', () => {
    const bad = { id: '', name: 1, slotLimit: -2, slotLeadTimeMs: -3, slotCostModel: 'x' };
    expect(siteIssues(bad)).toEqual([
      issue('site.id', 'must be a non-empty string'),
      issue('site.name', STRING),
      issue('site.slotLimit', `${NON_NEG_INT} -2`),
      issue('site.slotLeadTimeMs', 'must be a non-negative number of ms, got -3'),
      issue('site.slotCostModel', 'must be "code_per_lock", "user_per_grant" or absent, got string'),
    ]);
  });
});

describe('lockIssues', () => {
  it('accepts a sound lock on each hub link, with empty strings for its names', () => {
    for (const hubLink of ['good', 'weak', 'offline'] as const) {
      expect(lockIssues(lock('L1', { hubLink }), 'lock')).toEqual([]);
    }
    expect(lockIssues(lock('', { name: '', siteId: '' }), 'lock')).toEqual([]);
  });

  it('refuses a value that is not an object, under the given field name', () => {
    for (const bad of [null, undefined, 7, 'L1']) {
      expect(lockIssues(bad, 'locks[3]')).toEqual([issue('locks[3]', 'must be a lock object')]);
    }
  });

  const CAPS = 'must be { remoteUnlock: boolean, accessCodes: boolean }';
  const MODES = 'must be { privacy: boolean, office: boolean }';
  it.each([
    ['id', 7, STRING],
    ['id', undefined, STRING],
    ['name', null, STRING],
    ['siteId', 1, STRING],
    ['hubLink', 'strong', 'must be "good", "weak" or "offline"'],
    ['hubLink', undefined, 'must be "good", "weak" or "offline"'],
    ['capabilities', null, CAPS],
    ['capabilities', { remoteUnlock: true }, CAPS],
    ['capabilities', { accessCodes: true }, CAPS],
    ['capabilities', { remoteUnlock: 'yes', accessCodes: true }, CAPS],
    ['capabilities', { remoteUnlock: true, accessCodes: 1 }, CAPS],
    ['modes', 'none', MODES],
    ['modes', { privacy: false }, MODES],
    ['modes', { office: false }, MODES],
    ['modes', { privacy: 0, office: false }, MODES],
    ['modes', { privacy: false, office: null }, MODES],
  ])('lock.%s = %j: one issue on that field', (key, value, message) => {
    expect(lockIssues(withField(lock('L1'), key, value), 'locks[0]')).toEqual([
      issue(`locks[0].${key}`, message),
    ]);
  });

  it('names every bad field, in order', () => {
    expect(lockIssues({}, 'lock')).toEqual([
      issue('lock.id', STRING),
      issue('lock.name', STRING),
      issue('lock.siteId', STRING),
      issue('lock.hubLink', 'must be "good", "weak" or "offline"'),
      issue('lock.capabilities', CAPS),
      issue('lock.modes', MODES),
    ]);
  });
});

describe('checkGrantInputs', () => {
  it('returns the typed values of good input: the policy with its defaults, the state as given', () => {
    const s = state();
    const r = checkGrantInputs({ reservedSlots: 2 }, s, request({ lockIds: ['L1', 'L2'] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.policy).toEqual({ ...DEFAULT_POLICY, reservedSlots: 2 });
    expect(r.value.state).toBe(s);
    expect(r.value.request).toEqual(request({ lockIds: ['L1', 'L2'] }));
    expect(checkGrantInputs(policy(), state({ locks: [] }), request())).toMatchObject({ ok: true });
  });

  it('names a missing policy, a policy that is not an object, and each bad policy field', () => {
    const missing = [issue('policy', 'must be an access policy (see DEFAULT_POLICY)')];
    expect(issuesOf(checkGrantInputs(undefined, state(), request()))).toEqual(missing);
    expect(issuesOf(checkGrantInputs(null, state(), request()))).toEqual(missing);
    expect(issuesOf(checkGrantInputs(3, state(), request()))).toEqual([issue('policy', 'must be an object')]);
    expect(issuesOf(checkGrantInputs({ reservedSlots: -1, onWeakHub: 'x' }, state(), request()))).toEqual([
      issue('policy.reservedSlots', `${NON_NEG_INT} -1`),
      issue('policy.onWeakHub', 'must be one of "accept", "refuse"'),
    ]);
  });

  it('stops at a state that is not an object, after the policy issues', () => {
    for (const bad of [null, undefined, 3, 'state']) {
      expect(issuesOf(checkGrantInputs(policy(), bad, request()))).toEqual([
        issue('state', 'must be an object'),
      ]);
      // The request is not looked at once the state is unreadable.
      expect(issuesOf(checkGrantInputs(undefined, bad, null))).toEqual([
        issue('policy', 'must be an access policy (see DEFAULT_POLICY)'),
        issue('state', 'must be an object'),
      ]);
    }
  });

  const NOW_MSG = 'must be a finite instant (ms since epoch)';
  const notAPlan = issue('plan', 'must be a SlotPlan');
  const fn = (): number => 0;
  it.each([
    ['now', Number.NaN, [issue('now', NOW_MSG)]],
    ['now', Number.POSITIVE_INFINITY, [issue('now', NOW_MSG)]],
    ['now', String(NOW), [issue('now', NOW_MSG)]],
    ['now', undefined, [issue('now', NOW_MSG)]],
    ['site', null, [issue('site', 'must be a site object')]],
    ['site', site({ slotLimit: -3 }), [issue('site.slotLimit', `${NON_NEG_INT} -3`)]],
    ['plan', undefined, [notAPlan]],
    ['plan', {}, [notAPlan]],
    ['plan', { peak: fn }, [notAPlan]],
    ['plan', { heldAt: fn }, [notAPlan]],
    ['plan', { peak: 0, heldAt: fn }, [notAPlan]],
    ['plan', { peak: fn, heldAt: 0 }, [notAPlan]],
    ['unmanagedHeld', -1, [issue('unmanagedHeld', `${NON_NEG_INT} -1`)]],
    ['unmanagedHeld', 0.5, [issue('unmanagedHeld', `${NON_NEG_INT} 0.5`)]],
    ['unmanagedHeld', '2', [issue('unmanagedHeld', `${NON_NEG_INT} string`)]],
    ['unmanagedHeld', undefined, [issue('unmanagedHeld', `${NON_NEG_INT} undefined`)]],
    ['locks', undefined, [issue('locks', 'must be an array of locks')]],
    ['locks', { 0: lock('L1') }, [issue('locks', 'must be an array of locks')]],
    [
      'locks',
      [lock('L1'), null, { ...lock('L2'), hubLink: 'up', modes: null }],
      [
        issue('locks[1]', 'must be a lock object'),
        issue('locks[2].hubLink', 'must be "good", "weak" or "offline"'),
        issue('locks[2].modes', 'must be { privacy: boolean, office: boolean }'),
      ],
    ],
  ])('state.%s = %j: exactly these issues', (key, value, expected) => {
    expect(issuesOf(checkGrantInputs(policy(), withField(state(), key, value), request()))).toEqual(expected);
  });

  it('takes a plan-like object with peak and heldAt as a plan', () => {
    const planLike = { peak: () => 0, heldAt: () => 0 };
    expect(checkGrantInputs(policy(), state({ plan: planLike as unknown as SlotPlan }), request()).ok).toBe(
      true,
    );
  });

  it("passes on the request's issues", () => {
    expect(issuesOf(checkGrantInputs(policy(), state(), null))).toEqual([
      issue('request', 'must be an object'),
    ]);
    expect(issuesOf(checkGrantInputs(policy(), state(), request({ lockIds: [] })))).toEqual([
      issue('lockIds', 'must list at least one lock id'),
    ]);
  });

  it('names every bad field of policy, state and request together, in that order', () => {
    const bad = {
      now: Number.NaN,
      site: { ...site(), id: '' },
      plan: null,
      unmanagedHeld: -1,
      locks: [{ ...lock('L1'), id: 1 }],
    };
    const r = checkGrantInputs({ remoteUnlock: 'all' }, bad, { ...request(), holder: ' ' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          'Invalid input: policy.remoteUnlock: must be one of "anyone", "active_grant_holders", "nobody"; ' +
          'now: must be a finite instant (ms since epoch); site.id: must be a non-empty string; ' +
          'plan: must be a SlotPlan; unmanagedHeld: must be a non-negative integer, got -1; ' +
          'locks[0].id: must be a string; holder: must be a non-empty string.',
        issues: [
          issue('policy.remoteUnlock', 'must be one of "anyone", "active_grant_holders", "nobody"'),
          issue('now', NOW_MSG),
          issue('site.id', 'must be a non-empty string'),
          notAPlan,
          issue('unmanagedHeld', `${NON_NEG_INT} -1`),
          issue('locks[0].id', STRING),
          issue('holder', 'must be a non-empty string'),
        ],
      },
    });
  });
});

describe('checkUnlockInputs', () => {
  const unlockState = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    lock: lock('L1'),
    now: NOW,
    ...over,
  });
  const NON_EMPTY = 'must be a non-empty string';
  const WHEN_GIVEN = 'must be a non-empty string when given';

  it('returns the typed values of good input', () => {
    const g = grant();
    expect(
      checkUnlockInputs({ remoteUnlock: 'anyone' }, unlockState({ grantsOfHolder: [g] }), {
        lockId: 'L1',
        holder: 'alice',
      }),
    ).toStrictEqual({
      ok: true,
      value: {
        policy: { ...DEFAULT_POLICY, remoteUnlock: 'anyone' },
        state: { lock: lock('L1'), grantsOfHolder: [g], now: NOW },
        request: { lockId: 'L1', holder: 'alice' },
      },
    });
  });

  it('reads a missing lock as null, missing grants as none, and a missing or null holder as no holder', () => {
    for (const missing of [null, undefined]) {
      expect(
        checkUnlockInputs(policy(), { lock: missing, now: NOW }, { lockId: 'L1', holder: missing }),
      ).toStrictEqual({
        ok: true,
        value: {
          policy: DEFAULT_POLICY,
          state: { lock: null, grantsOfHolder: [], now: NOW },
          request: { lockId: 'L1' },
        },
      });
    }
  });

  it('passes over the elements of grantsOfHolder that cannot be read as grants', () => {
    const g = grant();
    const grantsOfHolder = [
      null,
      'booking-1',
      { ...g, lockIds: 'L1' },
      { ...g, window: null },
      { ...g, window: undefined },
      g,
    ];
    const r = checkUnlockInputs(policy(), unlockState({ grantsOfHolder }), { lockId: 'L1' });
    expect(r.ok && r.value.state.grantsOfHolder).toEqual([g]);
  });

  it('names a missing or non-object policy, and stops at a state or request that is not an object', () => {
    const missing = issue('policy', 'must be an access policy (see DEFAULT_POLICY)');
    expect(issuesOf(checkUnlockInputs(undefined, unlockState(), { lockId: 'L1' }))).toEqual([missing]);
    expect(issuesOf(checkUnlockInputs(null, unlockState(), { lockId: 'L1' }))).toEqual([missing]);
    expect(issuesOf(checkUnlockInputs([], unlockState(), { lockId: 'L1' }))).toEqual([
      issue('policy', 'must be an object'),
    ]);
    for (const bad of [null, undefined, 'x']) {
      expect(issuesOf(checkUnlockInputs(undefined, bad, bad))).toEqual([
        missing,
        issue('state', 'must be an object'),
      ]);
      expect(issuesOf(checkUnlockInputs(policy(), bad, { lockId: '' }))).toEqual([
        issue('state', 'must be an object'),
      ]);
      expect(issuesOf(checkUnlockInputs(undefined, { now: Number.NaN }, bad))).toEqual([
        missing,
        issue('request', 'must be an object'),
      ]);
    }
  });

  it.each([
    [{ lockId: 3 }, [issue('lockId', NON_EMPTY)]],
    [{ lockId: '' }, [issue('lockId', NON_EMPTY)]],
    [{ lockId: '  ' }, [issue('lockId', NON_EMPTY)]],
    [{}, [issue('lockId', NON_EMPTY)]],
    [{ lockId: 'L1', holder: '' }, [issue('holder', WHEN_GIVEN)]],
    [{ lockId: 'L1', holder: ' \t' }, [issue('holder', WHEN_GIVEN)]],
    [{ lockId: 'L1', holder: 42 }, [issue('holder', WHEN_GIVEN)]],
  ])('request %j: exactly these issues', (req, expected) => {
    expect(issuesOf(checkUnlockInputs(policy(), unlockState(), req))).toEqual(expected);
  });

  it.each([
    [{ now: Number.NaN }, [issue('now', 'must be a finite instant (ms since epoch)')]],
    [{ now: undefined }, [issue('now', 'must be a finite instant (ms since epoch)')]],
    [{ lock: 'L1' }, [issue('lock', 'must be a lock object')]],
    [{ lock: { ...lock('L1'), siteId: null } }, [issue('lock.siteId', STRING)]],
    [{ grantsOfHolder: 'alice' }, [issue('grantsOfHolder', 'must be an array of grants when given')]],
    [{ grantsOfHolder: null }, [issue('grantsOfHolder', 'must be an array of grants when given')]],
  ])('state %j: exactly these issues', (over, expected) => {
    expect(issuesOf(checkUnlockInputs(policy(), unlockState(over), { lockId: 'L1' }))).toEqual(expected);
  });

  it('names every bad field together, in order', () => {
    const r = checkUnlockInputs(
      { onWeakHub: 'maybe' },
      { lock: { ...lock('L1'), hubLink: 'up' }, grantsOfHolder: {}, now: Number.NaN },
      { lockId: '', holder: '' },
    );
    expect(issuesOf(r)).toEqual([
      issue('policy.onWeakHub', 'must be one of "accept", "refuse"'),
      issue('now', 'must be a finite instant (ms since epoch)'),
      issue('lockId', NON_EMPTY),
      issue('holder', WHEN_GIVEN),
      issue('lock.hubLink', 'must be "good", "weak" or "offline"'),
      issue('grantsOfHolder', 'must be an array of grants when given'),
    ]);
  });
});
