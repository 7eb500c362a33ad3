import { HOUR_MS, VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimResult } from '../types.js';
import { SaltoKsWorld } from '../world.js';

/**
 * Model-based property of Salto KS's subscription rules on one site shared by lock-integration
 * codes and ACS users (users created directly and through Access Grants over several entrances):
 * after every command the site's `used` is exactly the codes holding a slot plus the subscribed
 * users, never above the limit; a subscribed user is unsuspended and inside its schedule; a user
 * carries `salto_ks_user_not_subscribed` iff it holds no slot; the ACS system's limit error and
 * 80 % warning match the counts; a create takes a slot iff one was free. A failure prints the seed
 * and the shrunk command list.
 */
const T0 = Date.UTC(2026, 0, 1);
const LOCKS = 4;

interface Real {
  readonly w: SaltoKsWorld;
  readonly siteId: string;
  readonly system: string;
  readonly locks: readonly string[];
}
interface Model {
  codes: string[];
  users: string[];
  grants: string[];
}

const ok = <T>(r: SimResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
  return r.value;
};

function setup(limit: number): Real {
  const w = new SaltoKsWorld({
    seed: 11,
    clock: new VirtualClock(T0),
    config: { rateLimits: { enabled: false } },
  });
  const acc = ok(w.addConnectedAccount()).connectedAccountId;
  const siteId = ok(w.addSite({ connectedAccountId: acc, siteName: 'S', slotLimit: limit })).siteId;
  const hub = ok(w.addHub({ siteId })).hubId;
  const locks = Array.from(
    { length: LOCKS },
    (_, i) => ok(w.addLock({ hubId: hub, name: `L${i}` })).deviceId,
  );
  return { w, siteId, system: w.acs.acsSystemIdOf(siteId), locks };
}

const used = (r: Real): number => r.w.inspectSite(r.siteId)!.used;
const free = (r: Real): boolean => used(r) < r.w.inspectSite(r.siteId)!.slotLimit;

function checkInvariants(r: Real): void {
  const site = r.w.inspectSite(r.siteId)!;
  const codes = r.w.inspectAccessCodes({ siteId: r.siteId }).filter((c) => c.holdsSlot).length;
  const users = r.w.acs.inspectUsers({ siteId: r.siteId });
  const now = r.w.now();
  expect(site.used).toBe(codes + users.filter((u) => u.isSubscribed).length);
  expect(site.used).toBeLessThanOrEqual(site.slotLimit);
  for (const u of users) {
    if (u.isSubscribed) {
      expect(u.isSuspended).toBe(false);
      if (u.accessSchedule) {
        expect(now).toBeGreaterThanOrEqual(u.accessSchedule.startsAt);
        if (u.accessSchedule.endsAt !== null) expect(now).toBeLessThan(u.accessSchedule.endsAt);
      }
    }
    expect(u.warnings.some((x) => x.code === 'salto_ks_user_not_subscribed')).toBe(!u.isSubscribed);
  }
  const system = ok(r.w.acs.getSystem(r.system));
  expect(system.errors.some((e) => e.code === 'salto_ks_subscription_limit_exceeded')).toBe(
    site.used >= site.slotLimit,
  );
  expect(system.warnings.some((e) => e.code === 'salto_ks_subscription_limit_almost_reached')).toBe(
    site.slotLimit > 0 ? site.used / site.slotLimit > 0.8 : site.used > 0,
  );
}

type Cmd = fc.AsyncCommand<Model, Real>;
const cmd = (
  name: string,
  run: (m: Model, r: Real) => Promise<void> | void,
  check: (m: Model) => boolean = () => true,
): Cmd => ({
  check,
  async run(m, r) {
    await run(m, r);
    checkInvariants(r);
  },
  toString: () => name,
});

const commands = [
  fc.nat(LOCKS - 1).map((i) =>
    cmd(`createCode(L${i})`, (m, r) => {
      const hadFree = free(r);
      const c = ok(r.w.createAccessCode({ deviceId: r.locks[i]! }));
      expect(c.holdsSlot).toBe(hadFree);
      m.codes.push(c.accessCodeId);
    }),
  ),
  fc.nat(20).map((i) =>
    cmd(
      `deleteCode(${i})`,
      (m, r) => {
        const [id] = m.codes.splice(i % m.codes.length, 1);
        ok(r.w.deleteAccessCode(id!));
      },
      (m) => m.codes.length > 0,
    ),
  ),
  fc.constantFrom(0, 1, 3).chain((startH) =>
    fc.constantFrom(null, 2, 6).map((lenH) =>
      cmd(`createUser(starts +${startH}h, ${lenH === null ? 'open' : `${lenH}h`})`, (m, r) => {
        const now = r.w.now();
        const hadFree = free(r);
        const u = ok(
          r.w.acs.createUser({
            acsSystemId: r.system,
            fullName: 'U',
            accessSchedule: {
              startsAt: now + startH * HOUR_MS,
              endsAt: lenH === null ? null : now + (startH + lenH) * HOUR_MS,
            },
          }),
        );
        expect(u.isSubscribed).toBe(startH === 0 && hadFree);
        m.users.push(u.acsUserId);
      }),
    ),
  ),
  fc.subarray([0, 1, 2, 3], { minLength: 1 }).map((doors) =>
    cmd(`grant(${doors.map((d) => `L${d}`).join('+')})`, (m, r) => {
      const before = used(r);
      const hadFree = free(r);
      const g = ok(
        r.w.accessGrants.createAccessGrant({
          userIdentity: { fullName: 'G' },
          acsEntranceIds: doors.map((d) => r.w.acs.acsEntranceIdOf(r.locks[d]!)),
          requestedAccessMethods: [{ mode: 'code' }],
        }),
      );
      expect(g.acsUserIds).toHaveLength(1);
      expect(used(r)).toBe(before + (hadFree ? 1 : 0));
      m.grants.push(g.accessGrantId);
    }),
  ),
  fc.nat(20).map((i) =>
    cmd(
      `deleteGrant(${i})`,
      (m, r) => {
        const [id] = m.grants.splice(i % m.grants.length, 1);
        ok(r.w.accessGrants.deleteAccessGrant(id!));
      },
      (m) => m.grants.length > 0,
    ),
  ),
  fc.tuple(fc.nat(20), fc.boolean()).map(([i, on]) =>
    cmd(
      `${on ? 'suspend' : 'unsuspend'}(${i})`,
      (m, r) => {
        const id = m.users[i % m.users.length]!;
        const was = ok(r.w.acs.getUser({ acsUserId: id })).isSubscribed;
        const before = used(r);
        const u = ok(r.w.acs.setUserSuspended({ acsUserId: id }, on));
        if (on) expect(used(r)).toBe(before - (was ? 1 : 0));
        else expect(u.isSuspended).toBe(false);
      },
      (m) => m.users.length > 0,
    ),
  ),
  fc.nat(20).map((i) =>
    cmd(
      `deleteUser(${i})`,
      (m, r) => {
        const [id] = m.users.splice(i % m.users.length, 1);
        const was = ok(r.w.acs.getUser({ acsUserId: id! })).isSubscribed;
        const before = used(r);
        ok(r.w.acs.deleteUser({ acsUserId: id! }));
        expect(used(r)).toBe(before - (was ? 1 : 0));
      },
      (m) => m.users.length > 0,
    ),
  ),
  fc
    .integer({ min: 0, max: 4 })
    .map((n) => cmd(`setLimit(${n})`, (_m, r) => void ok(r.w.setSlotLimit(r.siteId, n)))),
  fc
    .constantFrom(1_000, HOUR_MS, 3 * HOUR_MS)
    .map((ms) => cmd(`advance(${ms})`, async (_m, r) => void ok(await r.w.advance(ms)))),
];

describe('ACS subscription rules (model-based)', () => {
  it('keeps the slot invariants over mixed codes, ACS users and Access Grants', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.commands(commands, { maxCommands: 40 }),
        async (limit, cmds) => {
          await fc.asyncModelRun(
            () => ({ model: { codes: [], users: [], grants: [] }, real: setup(limit) }),
            cmds,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
