import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { codeNameFor, grantKeyOf, isNotSubscribed } from '../domain/access-code.js';
import { reservedFor } from '../domain/policy.js';
import { planForGrants } from '../domain/slot-plan.js';
import { sameWindow, windowEnded } from '../domain/time.js';
import type { FakeOperation, Fault } from './testing-gateway.test-helpers.js';
import { DAY, makeWorld, NOW, ourCodes, type World } from './use-cases.test-helpers.js';

const KEYS = ['g0', 'g1', 'g2', 'g3', 'g4'] as const;
const LOCKS = ['L1', 'L2', 'L3'] as const;

type Command =
  | { readonly t: 'grant'; readonly key: string; readonly lockIds: string[]; readonly window: unknown }
  | { readonly t: 'revoke'; readonly key: string }
  | { readonly t: 'reconcile' }
  | { readonly t: 'advance'; readonly ms: number }
  | { readonly t: 'hub'; readonly lockId: string; readonly link: 'good' | 'weak' | 'offline' }
  | { readonly t: 'fault'; readonly op: FakeOperation; readonly fault: Fault; readonly lockId?: string }
  /** Another app takes a slot right before keyslot's next create. */
  | { readonly t: 'ambush' }
  /** Drift behind keyslot's back: a code deleted, duplicated, re-windowed, or a stray one. */
  | {
      readonly t: 'tamper';
      readonly how: 'delete' | 'duplicate' | 'rewindow' | 'stray';
      readonly pick: number;
    };

const windowArb = fc.oneof(
  fc.constant({ kind: 'ongoing' }),
  fc
    .tuple(fc.integer({ min: -2, max: 12 }), fc.integer({ min: 1, max: 6 }))
    .map(([d, len]) => ({ kind: 'scheduled', startsAt: NOW + d * DAY, endsAt: NOW + (d + len) * DAY })),
);

const grantCmd = fc.record({
  t: fc.constant('grant' as const),
  key: fc.constantFrom(...KEYS),
  lockIds: fc.subarray([...LOCKS], { minLength: 1 }),
  window: windowArb,
});
const revokeCmd = fc.record({ t: fc.constant('revoke' as const), key: fc.constantFrom(...KEYS) });
const reconcileCmd = fc.constant({ t: 'reconcile' as const });
const advanceCmd = fc.record({
  t: fc.constant('advance' as const),
  ms: fc.integer({ min: 1, max: 4 * DAY }),
});
const hubCmd = fc.record({
  t: fc.constant('hub' as const),
  lockId: fc.constantFrom(...LOCKS),
  link: fc.constantFrom('good' as const, 'weak' as const, 'offline' as const),
});
/** Faults the use cases must absorb without leaking a slot: lost create replies. */
const createFaultCmd = fc.record({
  t: fc.constant('fault' as const),
  op: fc.constant('createAccessCode' as const),
  fault: fc.constantFrom<Fault>({ kind: 'lose_reply' }, { kind: 'fail', code: 'outcome_unknown' }),
});
/** Any fault on any code operation (reconcile must still converge once the provider behaves). */
const anyFaultCmd = fc.record({
  t: fc.constant('fault' as const),
  op: fc.constantFrom<FakeOperation>('createAccessCode', 'deleteAccessCode', 'listAccessCodes'),
  fault: fc.constantFrom<Fault>(
    { kind: 'lose_reply' },
    { kind: 'fail', code: 'outcome_unknown' },
    { kind: 'fail', code: 'unavailable' },
    { kind: 'fail', code: 'rate_limited' },
  ),
});
const ambushCmd = fc.constant({ t: 'ambush' as const });
const tamperCmd = fc.record({
  t: fc.constant('tamper' as const),
  how: fc.constantFrom('delete' as const, 'duplicate' as const, 'rewindow' as const, 'stray' as const),
  pick: fc.nat(20),
});

const setupArb = fc.record({
  slotLimit: fc.integer({ min: 1, max: 7 }),
  reservedSlots: fc.nat(2),
  foreign: fc.nat(2),
  onOfflineHub: fc.constantFrom('refuse' as const, 'accept_and_retry' as const),
  onWeakHub: fc.constantFrom('accept' as const, 'refuse' as const),
});

type Setup = { slotLimit: number; reservedSlots: number; foreign: number } & Partial<{
  onOfflineHub: 'refuse' | 'accept_and_retry';
  onWeakHub: 'accept' | 'refuse';
}>;

function world(setup: Setup) {
  const w = makeWorld({
    site: { slotLimit: setup.slotLimit },
    policy: {
      reservedSlots: setup.reservedSlots,
      ...(setup.onOfflineHub ? { onOfflineHub: setup.onOfflineHub } : {}),
      ...(setup.onWeakHub ? { onWeakHub: setup.onWeakHub } : {}),
    },
  });
  for (let i = 0; i < setup.foreign; i++) w.gateway.addForeignCode(LOCKS[i % LOCKS.length]!, `Staff ${i}`);
  return w;
}

async function run(w: World, c: Command): Promise<void> {
  switch (c.t) {
    case 'grant':
      await w.grant.execute({
        key: c.key,
        holder: 'h',
        siteId: 'site-1',
        lockIds: c.lockIds,
        window: c.window,
      });
      return;
    case 'revoke':
      await w.revoke.execute(c.key);
      return;
    case 'reconcile':
      await w.reconcile.execute('site-1');
      return;
    case 'advance':
      await w.clock.advance(c.ms);
      return;
    case 'hub':
      w.gateway.setHubLink(c.lockId, c.link);
      return;
    case 'fault':
      w.gateway.inject(c.op, c.fault, c.lockId);
      return;
    case 'ambush':
      w.gateway.beforeNext('createAccessCode', () => w.gateway.addForeignCode('L3', 'Other app'));
      return;
    case 'tamper': {
      const codes = ourCodes(w);
      const code = codes[c.pick % Math.max(1, codes.length)];
      if (c.how === 'stray') {
        await w.gateway.createAccessCode({
          lockId: 'L2',
          name: codeNameFor('stray'),
          window: { kind: 'ongoing' },
        });
      } else if (code && c.how === 'delete') {
        await w.gateway.deleteAccessCode(code.id);
      } else if (code && c.how === 'duplicate') {
        await w.gateway.createAccessCode({ lockId: code.lockId, name: code.name, window: code.window });
      } else if (code && c.how === 'rewindow') {
        await w.gateway.deleteAccessCode(code.id);
        const w2 = { kind: 'scheduled' as const, startsAt: NOW - DAY, endsAt: NOW + 100 * DAY };
        await w.gateway.createAccessCode({ lockId: code.lockId, name: code.name, window: w2 });
      }
      return;
    }
  }
}

/** No slot is leaked: every keyslot code is live (not refused) and serves a live grant, once per lock. */
async function expectNoLeak(w: World): Promise<void> {
  const codes = ourCodes(w);
  expect(codes.filter(isNotSubscribed)).toEqual([]);
  const seen = new Set<string>();
  for (const c of codes) {
    const key = grantKeyOf(c.name)!;
    const g = await w.store.get(key);
    expect(g, `code ${c.id} serves unknown grant ${key}`).not.toBeNull();
    expect(g?.revokedAt, `code ${c.id} serves revoked grant ${key}`).toBeNull();
    expect(g?.lockIds).toContain(c.lockId);
    expect(seen.has(`${key}/${c.lockId}`), `two codes for ${key} on ${c.lockId}`).toBe(false);
    seen.add(`${key}/${c.lockId}`);
  }
}

/** keyslot's plan never promises more than limit − reserve minus what other apps hold. */
async function expectPlanWithinLimit(w: World, slotLimit: number): Promise<void> {
  const now = w.clock.now();
  const foreign = w.gateway
    .allCodes()
    .filter((c) => grantKeyOf(c.name) === null && !isNotSubscribed(c)).length;
  const site = {
    id: 'site-1',
    name: 'Main office',
    slotLimit,
    timeZone: 'UTC',
    slotLeadTimeMs: 72 * 3_600_000,
    hasCustomPinSubscription: false,
  };
  const plan = planForGrants(site, await w.store.listBySite('site-1'), now);
  const peak = plan.peak(now, Number.POSITIVE_INFINITY);
  if (peak > 0) expect(peak + foreign).toBeLessThanOrEqual(slotLimit - reservedFor(w.policy, 'site-1'));
}

describe('use-case properties (scripted fake provider)', () => {
  test.prop(
    [
      setupArb,
      fc.array(
        fc.oneof(grantCmd, grantCmd, revokeCmd, reconcileCmd, advanceCmd, hubCmd, createFaultCmd, ambushCmd),
        {
          maxLength: 25,
        },
      ),
    ],
    { numRuns: 150 },
  )(
    'no sequence of grants, revokes, reconciles, lost replies and races leaks a slot or takes the provider over its limit',
    async (setup, cmds) => {
      const w = world(setup);
      const ambushed = cmds.some((c) => c.t === 'ambush');
      for (const c of cmds) {
        await run(w, c);
        expect(w.gateway.used('site-1')).toBeLessThanOrEqual(setup.slotLimit);
        await expectNoLeak(w);
        if (!ambushed) await expectPlanWithinLimit(w, setup.slotLimit);
      }
    },
  );

  test.prop(
    [
      setupArb,
      fc.array(fc.oneof(grantCmd, grantCmd, revokeCmd, advanceCmd, createFaultCmd, ambushCmd), {
        maxLength: 20,
      }),
      fc.constantFrom(...KEYS),
    ],
    { numRuns: 100 },
  )('revoke is idempotent: a second revoke changes nothing and deletes nothing', async (setup, cmds, key) => {
    const w = world(setup);
    for (const c of cmds) await run(w, c);
    const first = await w.revoke.execute(key);
    const grantsAfterFirst = w.store.all();
    const codesAfterFirst = w.gateway.allCodes();
    const second = await w.revoke.execute(key);
    expect(w.store.all()).toEqual(grantsAfterFirst);
    expect(w.gateway.allCodes()).toEqual(codesAfterFirst);
    if (first.ok) {
      expect(second).toMatchObject({
        ok: true,
        value: { code: 'already_revoked', deleted: [], cleanupPending: [] },
      });
    } else {
      expect(second).toEqual(first);
    }
    expect(ourCodes(w, key)).toEqual([]);
  });

  test.prop(
    [
      setupArb,
      fc.array(fc.oneof(grantCmd, grantCmd, revokeCmd, advanceCmd, hubCmd, createFaultCmd, ambushCmd), {
        maxLength: 20,
      }),
    ],
    { numRuns: 100 },
  )(
    'grant then revoke leaves no code: revoking every grant empties the provider of keyslot codes',
    async (setup, cmds) => {
      const w = world(setup);
      for (const c of cmds) await run(w, c);
      for (const key of KEYS) await w.revoke.execute(key);
      expect(ourCodes(w)).toEqual([]);
      expect(w.gateway.used('site-1')).toBe(w.gateway.allCodes().filter((c) => !isNotSubscribed(c)).length);
    },
  );

  test.prop(
    [
      fc.array(
        fc.oneof(grantCmd, grantCmd, revokeCmd, reconcileCmd, advanceCmd, hubCmd, anyFaultCmd, tamperCmd),
        {
          maxLength: 25,
        },
      ),
    ],
    { numRuns: 100 },
  )('reconcile converges once the provider behaves, and a second run does nothing', async (cmds) => {
    // Room for everything, so convergence is never blocked by the slot limit.
    const w = world({ slotLimit: 100, reservedSlots: 0, foreign: 1 });
    for (const c of cmds) await run(w, c);
    w.gateway.clearFaults();
    for (const l of ['L1', 'L2', 'L3']) w.gateway.setHubLink(l, 'good');

    const first = await w.reconcile.execute('site-1');
    expect(first.ok && first.value.converged).toBe(true);
    const second = await w.reconcile.execute('site-1');
    expect(second.ok && second.value.actions).toEqual([]);

    // Converged: exactly one code per live grant and lock, with the grant's window; nothing else.
    const now = w.clock.now();
    const expected = w.store
      .all()
      .filter((g) => g.revokedAt === null && !windowEnded(g.window, now))
      .flatMap((g) => g.lockIds.map((l) => `${g.key}/${l}`))
      .sort();
    const codes = ourCodes(w);
    expect(codes.map((c) => `${grantKeyOf(c.name)}/${c.lockId}`).sort()).toEqual(expected);
    for (const c of codes) {
      expect(sameWindow(c.window, w.store.all().find((g) => g.key === grantKeyOf(c.name))!.window)).toBe(
        true,
      );
    }
    expect(w.gateway.allCodes().filter((c) => grantKeyOf(c.name) === null)).toHaveLength(1);
  });
});
