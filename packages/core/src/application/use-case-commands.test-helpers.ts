/**
 * Random command sequences over the use cases and the scripted fake provider, for the property
 * tests (`use-cases.props.spec.ts`, `store-failures.props.spec.ts`).
 */
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { codeNameFor, grantKeyOf, isNotSubscribed } from '../domain/access-code.js';
import { sameWindow, windowEnded } from '../domain/time.js';
import type { FakeOperation, Fault } from './testing-gateway.test-helpers.js';
import {
  DAY,
  type MakeWorldOptions,
  makeWorld,
  NOW,
  ourCodes,
  type World,
} from './use-cases.test-helpers.js';

export const KEYS = ['g0', 'g1', 'g2', 'g3', 'g4'] as const;
export const LOCKS = ['L1', 'L2', 'L3'] as const;

export type Command =
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

export const windowArb = fc.oneof(
  fc.constant({ kind: 'ongoing' }),
  fc
    .tuple(fc.integer({ min: -2, max: 12 }), fc.integer({ min: 1, max: 6 }))
    .map(([d, len]) => ({ kind: 'scheduled', startsAt: NOW + d * DAY, endsAt: NOW + (d + len) * DAY })),
);

export const grantCmd = fc.record({
  t: fc.constant('grant' as const),
  key: fc.constantFrom(...KEYS),
  lockIds: fc.subarray([...LOCKS], { minLength: 1 }),
  window: windowArb,
});
export const revokeCmd = fc.record({ t: fc.constant('revoke' as const), key: fc.constantFrom(...KEYS) });
export const reconcileCmd = fc.constant({ t: 'reconcile' as const });
export const advanceCmd = fc.record({
  t: fc.constant('advance' as const),
  ms: fc.integer({ min: 1, max: 4 * DAY }),
});
export const hubCmd = fc.record({
  t: fc.constant('hub' as const),
  lockId: fc.constantFrom(...LOCKS),
  link: fc.constantFrom('good' as const, 'weak' as const, 'offline' as const),
});
/** Faults the use cases must absorb without leaking a slot: lost create replies. */
export const createFaultCmd = fc.record({
  t: fc.constant('fault' as const),
  op: fc.constant('createAccessCode' as const),
  fault: fc.constantFrom<Fault>({ kind: 'lose_reply' }, { kind: 'fail', code: 'outcome_unknown' }),
});
/** Any fault on any code operation (reconcile must still converge once the provider behaves). */
export const anyFaultCmd = fc.record({
  t: fc.constant('fault' as const),
  op: fc.constantFrom<FakeOperation>('createAccessCode', 'deleteAccessCode', 'listAccessCodes'),
  fault: fc.constantFrom<Fault>(
    { kind: 'lose_reply' },
    { kind: 'fail', code: 'outcome_unknown' },
    { kind: 'fail', code: 'unavailable' },
    { kind: 'fail', code: 'rate_limited' },
  ),
});
export const ambushCmd = fc.constant({ t: 'ambush' as const });
export const tamperCmd = fc.record({
  t: fc.constant('tamper' as const),
  how: fc.constantFrom('delete' as const, 'duplicate' as const, 'rewindow' as const, 'stray' as const),
  pick: fc.nat(20),
});

export const setupArb = fc.record({
  slotLimit: fc.integer({ min: 1, max: 7 }),
  reservedSlots: fc.nat(2),
  foreign: fc.nat(2),
  onOfflineHub: fc.constantFrom('refuse' as const, 'accept_and_retry' as const),
  onWeakHub: fc.constantFrom('accept' as const, 'refuse' as const),
});

export type Setup = { slotLimit: number; reservedSlots: number; foreign: number } & Partial<{
  onOfflineHub: 'refuse' | 'accept_and_retry';
  onWeakHub: 'accept' | 'refuse';
  remoteUnlock: 'anyone' | 'active_grant_holders';
}>;

export function world(setup: Setup, options: Pick<MakeWorldOptions, 'wrapStore'> = {}) {
  const w = makeWorld({
    ...options,
    site: { slotLimit: setup.slotLimit },
    policy: {
      reservedSlots: setup.reservedSlots,
      ...(setup.onOfflineHub ? { onOfflineHub: setup.onOfflineHub } : {}),
      ...(setup.onWeakHub ? { onWeakHub: setup.onWeakHub } : {}),
      ...(setup.remoteUnlock ? { remoteUnlock: setup.remoteUnlock } : {}),
    },
  });
  for (let i = 0; i < setup.foreign; i++) w.gateway.addForeignCode(LOCKS[i % LOCKS.length]!, `Staff ${i}`);
  return w;
}

/** Runs one command; a use case's outcome is returned (for the caller to check), else `undefined`. */
export async function run(w: World, c: Command): Promise<unknown> {
  switch (c.t) {
    case 'grant':
      return w.grant.execute({
        key: c.key,
        holder: 'h',
        siteId: 'site-1',
        lockIds: c.lockIds,
        window: c.window,
      });
    case 'revoke':
      return w.revoke.execute(c.key);
    case 'reconcile':
      return w.reconcile.execute('site-1');
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
export async function expectNoLeak(w: World): Promise<void> {
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

/**
 * Once the provider behaves (faults cleared, hubs good): reconcile converges, a second run does
 * nothing, and keyslot's codes are exactly one per live grant and lock, with the grant's window.
 */
export async function expectReconcileConverges(w: World): Promise<void> {
  w.gateway.clearFaults();
  for (const l of LOCKS) w.gateway.setHubLink(l, 'good');
  const first = await w.reconcile.execute('site-1');
  expect(first.ok && first.value.converged).toBe(true);
  const second = await w.reconcile.execute('site-1');
  expect(second.ok && second.value.actions).toEqual([]);
  const now = w.clock.now();
  const expected = w.store
    .all()
    .filter((g) => g.revokedAt === null && !windowEnded(g.window, now))
    .flatMap((g) => g.lockIds.map((l) => `${g.key}/${l}`))
    .sort();
  const codes = ourCodes(w);
  expect(codes.map((c) => `${grantKeyOf(c.name)}/${c.lockId}`).sort()).toEqual(expected);
  for (const c of codes) {
    expect(sameWindow(c.window, w.store.all().find((g) => g.key === grantKeyOf(c.name))!.window)).toBe(true);
  }
}
