/**
 * AccessGrantPath, the ACS path (Seam's Salto KS Access Grants) the use cases ask: which doors it
 * finds, how it makes a grant's ONE access grant exactly once (what it asks the provider, in which
 * order, after which failure it looks the grant up and when it gives up), what it hands back, and
 * the log records an operator reads. Sweeps, PINs and reconcile: `access-grant-path.reads.spec.ts`.
 */
import { describe, expect, it } from 'vitest';
import { err } from '../domain/result.js';
import { grantOf, type PathWorld, pathWorld } from './access-grant-path.test-helpers.js';
import { DOORS } from './acs-world.test-helpers.js';
import { fakeAcsFailure } from './testing-acs-gateway.test-helpers.js';

const CREATED = 'access grant created';
const LOOKING_UP = 'create access grant: looking it up by grant key';
const REFUSED = 'access grant refused at the slot limit; deleted it';

/** What `provision` hands back for a grant made as access grant `id` (its PIN not generated yet). */
const ready = (id: string) => ({
  kind: 'ready',
  accessGrantId: id,
  locks: DOORS.map((lockId) => ({
    lockId,
    status: 'provisioned',
    accessCodeId: null,
    codeStatus: null,
    pin: null,
    issues: [],
  })),
});

const failed = (code: Parameters<typeof fakeAcsFailure>[0], operation = 'createAccessGrant') => ({
  kind: 'failed',
  operation,
  lockId: null,
  failure: fakeAcsFailure(code),
});

const lookingUp = (attempt: number, failure: string) => ({
  level: 'warn',
  message: LOOKING_UP,
  fields: { grantKey: 'stay-1', attempt, failure },
});

/** Salto has no room left on the site: the next access grant is created but refused a slot. */
const siteFull = (w: PathWorld) => w.accessGrants.setOtherUsers('site-1', 10);

describe('AccessGrantPath.findLocks', () => {
  it('gives the asked-for doors the provider knows, in its order, leaving out unknown ids', async () => {
    const w = pathWorld();
    const r = await w.path.findLocks(['D3', 'nope', 'D1']);
    expect(r.ok && r.value.map((d) => d.id)).toEqual(['D1', 'D3']);
    expect(w.calls()).toEqual(['listDoors']);
  });

  it('a failed door listing is provider_failed naming listDoors', async () => {
    const w = pathWorld();
    w.accessGrants.inject('listDoors', { kind: 'fail', code: 'unavailable' });
    expect(await w.path.findLocks(DOORS)).toEqual(
      err({
        code: 'provider_failed',
        message:
          'The lock provider failed listDoors (unavailable: fake ACS provider: unavailable); retry later; nothing was half-done.',
        operation: 'listDoors',
        failure: fakeAcsFailure('unavailable'),
      }),
    );
  });
});

describe('AccessGrantPath.provision: one access grant, made once', () => {
  it('a new grant: one create over every door with a Salto PIN, logged with its ids; every door provisioned', async () => {
    const w = pathWorld();
    const r = await w.path.provision(grantOf(), { replay: false });
    expect(r).toEqual(ready('access-grant-1'));
    expect(w.calls()).toEqual(['createAccessGrant']);
    expect(w.accessGrants.allGrants()).toMatchObject([
      { id: 'access-grant-1', key: 'stay-1', siteId: 'site-1', doorIds: DOORS, methods: [{ mode: 'code' }] },
    ]);
    expect(w.logs()).toEqual([
      { level: 'info', message: CREATED, fields: { grantKey: 'stay-1', accessGrantId: 'access-grant-1' } },
    ]);
  });

  it('a replay looks first: reuses the access grant found, creating nothing', async () => {
    const w = pathWorld();
    await w.path.provision(grantOf(), { replay: false });
    const start = w.calls().length;
    expect(await w.path.provision(grantOf(), { replay: true })).toEqual(ready('access-grant-1'));
    expect(w.calls().slice(start)).toEqual(['findAccessGrant']);
  });

  it('a replay that finds nothing creates it', async () => {
    const w = pathWorld();
    expect(await w.path.provision(grantOf(), { replay: true })).toEqual(ready('access-grant-1'));
    expect(w.calls()).toEqual(['findAccessGrant', 'createAccessGrant']);
  });

  it('a replay whose lookup fails creates nothing (it cannot know whether one exists) and names the lookup', async () => {
    const w = pathWorld();
    w.accessGrants.inject('findAccessGrant', { kind: 'fail', code: 'unavailable' });
    expect(await w.path.provision(grantOf(), { replay: true })).toEqual(
      failed('unavailable', 'findAccessGrant'),
    );
    expect(w.calls()).toEqual(['findAccessGrant']);
    expect(w.logs()).toEqual([]);
  });

  it.each(['unavailable', 'rate_limited', 'invalid_input'] as const)(
    'a create refused with %s fails at once, naming createAccessGrant: no lookup, no retry',
    async (code) => {
      const w = pathWorld();
      w.accessGrants.inject('createAccessGrant', { kind: 'fail', code });
      expect(await w.path.provision(grantOf(), { replay: false })).toEqual(failed(code));
      expect(w.calls()).toEqual(['createAccessGrant']);
      expect(w.logs()).toEqual([]);
    },
  );
});

describe('AccessGrantPath.provision after a lost reply or a duplicate-key refusal', () => {
  it('a lost reply is looked up by grant key, and the grant that was made is used', async () => {
    const w = pathWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'lose_reply' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(ready('access-grant-1'));
    expect(w.calls()).toEqual(['createAccessGrant', 'findAccessGrant']);
    expect(w.logs()).toEqual([lookingUp(1, 'outcome_unknown')]);
  });

  it('the lookup log record carries the request id of the lost reply, for support', async () => {
    const w = pathWorld();
    const create = w.accessGrants.createAccessGrant.bind(w.accessGrants);
    w.accessGrants.createAccessGrant = async (input) => {
      await create(input);
      return err({ code: 'outcome_unknown', message: 'timed out', requestId: 'req-42' });
    };
    await w.path.provision(grantOf(), { replay: false });
    expect(w.logs()).toEqual([
      {
        level: 'warn',
        message: LOOKING_UP,
        fields: { grantKey: 'stay-1', attempt: 1, failure: 'outcome_unknown', requestId: 'req-42' },
      },
    ]);
  });

  it('a create that did not happen (lookup finds nothing) is sent again, up to three creates in all', async () => {
    const w = pathWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'outcome_unknown' });
    w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'outcome_unknown' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(ready('access-grant-1'));
    expect(w.calls()).toEqual([
      'createAccessGrant',
      'findAccessGrant',
      'createAccessGrant',
      'findAccessGrant',
      'createAccessGrant',
    ]);
    expect(w.logs()).toEqual([
      lookingUp(1, 'outcome_unknown'),
      lookingUp(2, 'outcome_unknown'),
      { level: 'info', message: CREATED, fields: { grantKey: 'stay-1', accessGrantId: 'access-grant-1' } },
    ]);
  });

  it('gives up after the third lost create, with the lost reply’s failure; nothing was made', async () => {
    const w = pathWorld();
    for (let i = 0; i < 4; i++)
      w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'outcome_unknown' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(failed('outcome_unknown'));
    expect(w.accessGrants.count('createAccessGrant')).toBe(3);
    expect(w.calls().at(-1)).toBe('findAccessGrant');
    expect(w.logs()).toEqual([1, 2, 3].map((n) => lookingUp(n, 'outcome_unknown')));
    expect(w.accessGrants.allGrants()).toEqual([]);
  });

  it('a lost reply whose lookup fails is not created again: it may exist', async () => {
    const w = pathWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'outcome_unknown' });
    w.accessGrants.inject('findAccessGrant', { kind: 'fail', code: 'unavailable' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(failed('outcome_unknown'));
    expect(w.calls()).toEqual(['createAccessGrant', 'findAccessGrant']);
  });

  it('a duplicate-key refusal uses the access grant found under the key', async () => {
    const w = pathWorld();
    await w.path.provision(grantOf(), { replay: false });
    const start = w.calls().length;
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(ready('access-grant-1'));
    expect(w.calls().slice(start)).toEqual(['createAccessGrant', 'findAccessGrant']);
    expect(w.logs().at(-1)).toEqual(lookingUp(1, 'access_grant_exists'));
  });

  it('a duplicate-key refusal with nothing found under the key fails: creating again would be refused again', async () => {
    const w = pathWorld();
    w.accessGrants.inject('createAccessGrant', { kind: 'fail', code: 'access_grant_exists' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual(failed('access_grant_exists'));
    expect(w.calls()).toEqual(['createAccessGrant', 'findAccessGrant']);
  });
});

describe('AccessGrantPath.provision when Salto refuses the person a slot', () => {
  it('deletes the refused access grant at once and says refused_at_limit; the warning names both ids', async () => {
    const w = pathWorld();
    siteFull(w);
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual({
      kind: 'refused_at_limit',
      lockId: null,
    });
    expect(w.calls()).toEqual(['createAccessGrant', 'deleteAccessGrant']);
    expect(w.accessGrants.allGrants()).toEqual([]);
    expect(w.logs()).toEqual([
      { level: 'info', message: CREATED, fields: { grantKey: 'stay-1', accessGrantId: 'access-grant-1' } },
      {
        level: 'warn',
        message: REFUSED,
        fields: { grantKey: 'stay-1', accessGrantId: 'access-grant-1', deleted: true },
      },
    ]);
  });

  it('a refused access grant found on a replay is deleted too', async () => {
    const w = pathWorld();
    siteFull(w);
    await w.accessGrants.createAccessGrant({
      key: 'stay-1',
      siteId: 'site-1',
      doorIds: DOORS,
      window: { kind: 'ongoing' },
      holder: 'Ana García',
      methods: ['code'],
    });
    const start = w.calls().length;
    expect(await w.path.provision(grantOf(), { replay: true })).toEqual({
      kind: 'refused_at_limit',
      lockId: null,
    });
    expect(w.calls().slice(start)).toEqual(['findAccessGrant', 'deleteAccessGrant']);
    expect(w.accessGrants.allGrants()).toEqual([]);
  });

  it('a delete of the refused access grant that fails is logged with deleted: false', async () => {
    const w = pathWorld();
    siteFull(w);
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'unavailable' });
    expect(await w.path.provision(grantOf(), { replay: false })).toEqual({
      kind: 'refused_at_limit',
      lockId: null,
    });
    expect(w.logs().at(-1)).toEqual({
      level: 'warn',
      message: REFUSED,
      fields: { grantKey: 'stay-1', accessGrantId: 'access-grant-1', deleted: false },
    });
    expect(w.accessGrants.allGrants().map((g) => g.id)).toEqual(['access-grant-1']);
  });

  it('a refused access grant already gone when deleted counts as deleted', async () => {
    const w = pathWorld();
    siteFull(w);
    w.accessGrants.inject('deleteAccessGrant', { kind: 'fail', code: 'access_grant_not_found' });
    await w.path.provision(grantOf(), { replay: false });
    expect(w.logs().at(-1)?.fields).toEqual({
      grantKey: 'stay-1',
      accessGrantId: 'access-grant-1',
      deleted: true,
    });
  });
});
