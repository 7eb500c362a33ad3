/**
 * Model-based tests of the simulator (DESIGN §4, issue item 7). A tiny model tracks which
 * ongoing codes hold a slot, the limit, hub links and modes; after every command the real
 * simulator must satisfy the invariants below. A failing run prints the seed and the shrunk
 * command list (each command has a toString).
 */
import { type HubLink, ONGOING, VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import type { SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

const T0 = Date.UTC(2026, 0, 1);
const LOCKS = 2;

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}

interface Model {
  limit: number;
  /** Live ongoing codes holding a slot, oldest first. */
  holders: string[];
  /** Live codes (not deleted). */
  live: string[];
  hub: HubLink[];
  privacy: boolean[];
  /** Hub link changes per lock, in order: [time, link]. */
  linkHistory: [number, HubLink][][];
  attempts: { id: string; lock: number; blockedAtRequest: boolean }[];
}

interface Real {
  sim: SaltoKsSimulator;
  world: SaltoKsWorld;
  siteId: string;
  accountId: string;
  locks: string[];
}

function build(seed: number, limit: number): { model: Model; real: Real } {
  const clock = new VirtualClock(T0);
  const world = new SaltoKsWorld({ seed, clock, config: { rateLimits: { enabled: false } } });
  const accountId = value(world.addConnectedAccount()).connectedAccountId;
  const site = value(
    world.addSite({ connectedAccountId: accountId, siteName: 'Model site', slotLimit: limit }),
  );
  const hub = value(world.addHub({ siteId: site.siteId }));
  const locks = Array.from(
    { length: LOCKS },
    (_, i) => value(world.addLock({ hubId: hub.hubId, name: `L${i}` })).deviceId,
  );
  return {
    model: {
      limit,
      holders: [],
      live: [],
      hub: locks.map(() => 'good'),
      privacy: locks.map(() => false),
      linkHistory: locks.map(() => [[T0, 'good']]),
      attempts: [],
    },
    real: { sim: new SaltoKsSimulator({ world }), world, siteId: site.siteId, accountId, locks },
  };
}

function linkAt(history: [number, HubLink][], t: number): HubLink {
  // A control change at time t happens after the transitions due at t were processed.
  let link: HubLink = 'good';
  for (const [at, l] of history) if (at < t) link = l;
  return link;
}

function checkInvariants(m: Model, r: Real): void {
  const site = r.world.inspectSite(r.siteId)!;
  expect(site.slotLimit).toBe(m.limit);
  expect(site.used).toBeLessThanOrEqual(site.slotLimit);
  expect(site.used).toBe(m.holders.length);
  const codes = r.world.inspectAccessCodes({ siteId: r.siteId });
  expect(codes.filter((c) => c.holdsSlot).map((c) => c.accessCodeId)).toEqual(m.holders);
  const pins = codes.map((c) => c.code).filter((p): p is string => p !== null);
  for (const p of pins) expect(p).toMatch(/^\d{6,10}$/);
  expect(new Set(pins).size).toBe(pins.length);
  for (const id of m.live)
    expect(codes.some((c) => c.accessCodeId === id && c.status !== 'removing')).toBe(true);
  const account = value(r.world.getConnectedAccount(r.accountId));
  const warned = account.warnings.some((w) => w.code === 'salto_ks_subscription_limit_almost_reached');
  expect(warned).toBe(site.slotLimit > 0 && site.used / site.slotLimit > 0.8);
  const exceeded = account.errors.some((e) => e.code === 'salto_ks_subscription_limit_exceeded');
  expect(exceeded).toBe(site.used >= site.slotLimit);
  for (const a of m.attempts) {
    const attempt = r.world.inspectActionAttempt(a.id);
    if (attempt?.status !== 'success') continue;
    expect(a.blockedAtRequest).toBe(false);
    expect(linkAt(m.linkHistory[a.lock]!, attempt.completedAt!)).not.toBe('offline');
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

class CreateCode implements Cmd {
  constructor(readonly lock: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const res = await r.sim.createAccessCode({
      lockId: r.locks[this.lock]!,
      name: `keyslot:m${m.live.length}`,
      window: ONGOING,
    });
    if (!res.ok) throw new Error(res.error.message);
    const code = res.value;
    if (code.pin !== null) expect(code.pin).toMatch(/^\d{6,10}$/);
    const subscribed = m.holders.length < m.limit;
    expect(code.issues.some((i) => i.code === 'slot_limit_reached')).toBe(!subscribed);
    if (subscribed) m.holders.push(code.id);
    m.live.push(code.id);
    checkInvariants(m, r);
  }
  toString = () => `create(lock ${this.lock})`;
}

class DeleteCode implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.live.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.live[this.pick % m.live.length]!;
    const usedBefore = r.world.inspectSite(r.siteId)!.used;
    const wasHolder = m.holders.includes(id);
    const res = await r.sim.deleteAccessCode(id);
    expect(res.ok).toBe(true);
    m.live = m.live.filter((x) => x !== id);
    m.holders = m.holders.filter((x) => x !== id);
    expect(r.world.inspectSite(r.siteId)!.used).toBe(usedBefore - (wasHolder ? 1 : 0));
    checkInvariants(m, r);
  }
  toString = () => `delete(#${this.pick})`;
}

class Unlock implements Cmd {
  constructor(readonly lock: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const res = await r.sim.unlock(r.locks[this.lock]!);
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.status).toBe('pending');
    m.attempts.push({
      id: res.value.id,
      lock: this.lock,
      blockedAtRequest: m.hub[this.lock] === 'offline' || m.privacy[this.lock]!,
    });
    checkInvariants(m, r);
  }
  toString = () => `unlock(lock ${this.lock})`;
}

class SetHubLink implements Cmd {
  constructor(
    readonly lock: number,
    readonly link: HubLink,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const d = value(r.sim.setHubLink(r.locks[this.lock]!, this.link));
    expect(d.deviceType).toBe(this.link === 'weak' ? 'unknown' : 'salto_lock');
    m.hub[this.lock] = this.link;
    m.linkHistory[this.lock]!.push([r.world.now(), this.link]);
    checkInvariants(m, r);
  }
  toString = () => `hubLink(lock ${this.lock}, ${this.link})`;
}

class SetLimit implements Cmd {
  constructor(readonly limit: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    value(r.sim.setSlotLimit(r.siteId, this.limit));
    m.limit = this.limit;
    if (m.holders.length > this.limit) m.holders = m.holders.slice(0, this.limit);
    checkInvariants(m, r);
  }
  toString = () => `limit(${this.limit})`;
}

class ToggleMode implements Cmd {
  constructor(
    readonly lock: number,
    readonly mode: 'privacy' | 'office',
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = r.locks[this.lock]!;
    const before = r.world.inspectDevice(id)!;
    if (this.mode === 'privacy') {
      m.privacy[this.lock] = !before.privacyMode;
      value(r.sim.setPrivacyMode(id, !before.privacyMode));
    } else value(r.sim.setOfficeMode(id, !before.officeMode));
    const after = r.world.inspectDevice(id)!;
    const warning = this.mode === 'privacy' ? 'salto_ks_privacy_mode' : 'salto_ks_office_mode';
    const on = this.mode === 'privacy' ? after.privacyMode : after.officeMode;
    expect(after.warnings.some((w) => w.code === warning)).toBe(on);
    checkInvariants(m, r);
  }
  toString = () => `toggle(${this.mode}, lock ${this.lock})`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    value(await r.world.advance(this.ms));
    checkInvariants(m, r);
  }
  toString = () => `advance(${this.ms} ms)`;
}

const lockArb = fc.integer({ min: 0, max: LOCKS - 1 });
const commandArbs = [
  lockArb.map((l) => new CreateCode(l)),
  lockArb.map((l) => new CreateCode(l)),
  fc.nat(20).map((p) => new DeleteCode(p)),
  lockArb.map((l) => new Unlock(l)),
  fc
    .tuple(lockArb, fc.constantFrom<HubLink>('good', 'weak', 'offline'))
    .map(([l, k]) => new SetHubLink(l, k)),
  fc.integer({ min: 0, max: 6 }).map((n) => new SetLimit(n)),
  fc
    .tuple(lockArb, fc.constantFrom<'privacy' | 'office'>('privacy', 'office'))
    .map(([l, k]) => new ToggleMode(l, k)),
  fc.constantFrom(0, 500, 2_000, 7_000, 60_000).map((ms) => new Advance(ms)),
];

describe('simulator model', () => {
  it('keeps every invariant over random command sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.commands(commandArbs, { maxCommands: 60 }),
        async (seed, limit, cmds) => {
          await fc.asyncModelRun(() => build(seed, limit), cmds);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('concurrent creates at limit − 1 never both take the slot (scheduler-controlled interleaving)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        async (s, limit, concurrent) => {
          const { real } = build(17, limit);
          const sim = new SaltoKsSimulator({
            world: real.world,
            beforeCall: (op) => s.schedule(Promise.resolve(), op),
          });
          for (let i = 0; i < limit - 1; i++)
            value(real.world.createAccessCode({ deviceId: real.locks[i % LOCKS]! }));
          const results = Array.from({ length: concurrent }, (_, i) =>
            sim.createAccessCode({
              lockId: real.locks[i % LOCKS]!,
              name: `keyslot:race${i}`,
              window: ONGOING,
            }),
          );
          const usage = sim.getSlotUsage(real.siteId);
          await s.waitIdle();
          const created = await Promise.all(results);
          const subscribed = created.filter(
            (c) => c.ok && !c.value.issues.some((i) => i.code === 'slot_limit_reached'),
          );
          expect(created.every((c) => c.ok)).toBe(true);
          expect(subscribed).toHaveLength(1);
          const u = await usage;
          expect(u.ok && u.value.used).toBeLessThanOrEqual(limit);
          expect(real.world.inspectSite(real.siteId)!.used).toBe(limit);
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ─── determinism: the same seed and the same calls give byte-identical event logs ───

type Op =
  | { op: 'create'; lock: number; timeBound: boolean }
  | { op: 'delete'; pick: number }
  | { op: 'unlock'; lock: number }
  | { op: 'link'; lock: number; link: HubLink }
  | { op: 'limit'; n: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), lock: lockArb, timeBound: fc.boolean() }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat(20) }),
  fc.record({ op: fc.constant('unlock' as const), lock: lockArb }),
  fc.record({
    op: fc.constant('link' as const),
    lock: lockArb,
    link: fc.constantFrom<HubLink>('good', 'weak', 'offline'),
  }),
  fc.record({ op: fc.constant('limit' as const), n: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 100 * 3_600_000 }) }),
);

async function replay(seed: number, ops: readonly Op[]): Promise<string> {
  const { real } = build(seed, 3);
  const w = real.world;
  for (const o of ops) {
    switch (o.op) {
      case 'create':
        w.createAccessCode({
          deviceId: real.locks[o.lock]!,
          ...(o.timeBound ? { startsAt: w.now() + 10 * 3_600_000, endsAt: w.now() + 80 * 3_600_000 } : {}),
        });
        break;
      case 'delete': {
        const codes = w.inspectAccessCodes();
        const c = codes[o.pick % Math.max(1, codes.length)];
        if (c) w.deleteAccessCode(c.accessCodeId);
        break;
      }
      case 'unlock':
        w.unlockDoor(real.locks[o.lock]!);
        break;
      case 'link':
        w.setHubLink(real.locks[o.lock]!, o.link);
        break;
      case 'limit':
        w.setSlotLimit(real.siteId, o.n);
        break;
      case 'advance':
        await w.advance(o.ms);
        break;
    }
  }
  return JSON.stringify(value(w.listEvents()));
}

describe('simulator determinism', () => {
  it('same seed and calls ⇒ byte-identical event log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(opArb, { maxLength: 40 }),
        async (seed, ops) => {
          expect(await replay(seed, ops)).toBe(await replay(seed, ops));
        },
      ),
      { numRuns: 50 },
    );
  });
});
