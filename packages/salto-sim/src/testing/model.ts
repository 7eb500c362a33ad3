/**
 * A fast-check model of the simulator (docs/ARCHITECTURE.md, 'The simulator's determinism'): a tiny model tracks which ongoing codes hold a
 * slot, the limit, hub links and modes; every command acts on a real `SaltoKsSimulator` (virtual
 * clock), updates the model and then checks {@link checkInvariants}. Each command has a
 * `toString()`, so a failing run prints the seed and the shrunk command list.
 *
 * Used by the package's own model-based tests and by the benchmarks; plain `node:assert`, no test
 * runner needed. Needs `fast-check` (an optional peer dependency of this package).
 */
import assert from 'node:assert/strict';
import { type HubLink, ONGOING, VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { SaltoKsSimulator } from '../gateway/salto-ks-simulator.js';
import type { SimResult } from '../world/types.js';
import { SaltoKsWorld } from '../world/world.js';

/** The model world's start instant (2026-01-01T00:00Z). */
export const MODEL_T0 = Date.UTC(2026, 0, 1);
/** Locks in the model world (all on one hub of one site). */
export const MODEL_LOCKS = 2;

/** The value of an ok result; throws with the failure's type and message otherwise. */
export function expectOk<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}

export interface SimModel {
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

/** The real system under test: a simulator over a world with one site, one hub and {@link MODEL_LOCKS} locks. */
export interface SimUnderTest {
  sim: SaltoKsSimulator;
  world: SaltoKsWorld;
  siteId: string;
  accountId: string;
  locks: string[];
}

/** The model of a fresh world: no codes, every lock's hub link good, no modes on. */
export function initialModel(limit: number): SimModel {
  return {
    limit,
    holders: [],
    live: [],
    hub: Array.from({ length: MODEL_LOCKS }, () => 'good'),
    privacy: Array.from({ length: MODEL_LOCKS }, () => false),
    linkHistory: Array.from({ length: MODEL_LOCKS }, () => [[MODEL_T0, 'good']]),
    attempts: [],
  };
}

/** A fresh model and simulator: world `seed`, site slot limit `limit`, rate limits off. */
export function setupModel(seed: number, limit: number): { model: SimModel; real: SimUnderTest } {
  const clock = new VirtualClock(MODEL_T0);
  const world = new SaltoKsWorld({ seed, clock, config: { rateLimits: { enabled: false } } });
  const accountId = expectOk(world.addConnectedAccount()).connectedAccountId;
  const site = expectOk(
    world.addSite({ connectedAccountId: accountId, siteName: 'Model site', slotLimit: limit }),
  );
  const hub = expectOk(world.addHub({ siteId: site.siteId }));
  const locks = Array.from(
    { length: MODEL_LOCKS },
    (_, i) => expectOk(world.addLock({ hubId: hub.hubId, name: `L${i}` })).deviceId,
  );
  return {
    model: initialModel(limit),
    real: { sim: new SaltoKsSimulator({ world }), world, siteId: site.siteId, accountId, locks },
  };
}

function linkAt(history: [number, HubLink][], t: number): HubLink {
  // A control change at time t happens after the transitions due at t were processed.
  let link: HubLink = 'good';
  for (const [at, l] of history) if (at < t) link = l;
  return link;
}

const PIN = /^\d{6,10}$/;

/**
 * Throws (node:assert) unless: the site's limit and used count equal the model's and used ≤ limit;
 * the slot holders are the model's, oldest first; every PIN is 6–10 digits and unique in the site;
 * every live code is still there; the account warns iff used/limit > 0.8 and errors iff used ≥ limit;
 * no unlock succeeded that was blocked when requested or completed while its lock was offline.
 */
export function checkInvariants(m: SimModel, r: SimUnderTest): void {
  const site = r.world.inspectSite(r.siteId);
  assert.ok(site, `site ${r.siteId} is gone`);
  assert.equal(site.slotLimit, m.limit, 'site slot limit differs from the model');
  assert.ok(site.used <= site.slotLimit, `site uses ${site.used} slots over its limit ${site.slotLimit}`);
  assert.equal(site.used, m.holders.length, 'site used count differs from the model');
  const codes = r.world.inspectAccessCodes({ siteId: r.siteId });
  assert.deepEqual(
    codes.filter((c) => c.holdsSlot).map((c) => c.accessCodeId),
    m.holders,
    'slot holders differ from the model',
  );
  const pins = codes.map((c) => c.code).filter((p): p is string => p !== null);
  for (const p of pins) assert.match(p, PIN, 'a PIN is not 6–10 digits');
  assert.equal(new Set(pins).size, pins.length, 'two codes of the site share a PIN');
  for (const id of m.live)
    assert.ok(
      codes.some((c) => c.accessCodeId === id && c.status !== 'removing'),
      `live code ${id} is missing or being removed`,
    );
  const account = expectOk(r.world.getConnectedAccount(r.accountId));
  const warned = account.warnings.some((w) => w.code === 'salto_ks_subscription_limit_almost_reached');
  assert.equal(
    warned,
    site.slotLimit > 0 && site.used / site.slotLimit > 0.8,
    `limit-almost-reached warning wrong at ${site.used}/${site.slotLimit}`,
  );
  const exceeded = account.errors.some((e) => e.code === 'salto_ks_subscription_limit_exceeded');
  assert.equal(
    exceeded,
    site.used >= site.slotLimit,
    `limit-exceeded error wrong at ${site.used}/${site.slotLimit}`,
  );
  for (const a of m.attempts) {
    const attempt = r.world.inspectActionAttempt(a.id);
    if (attempt?.status !== 'success') continue;
    assert.equal(a.blockedAtRequest, false, `unlock ${a.id} succeeded though blocked when requested`);
    assert.notEqual(
      linkAt(m.linkHistory[a.lock]!, attempt.completedAt!),
      'offline',
      `unlock ${a.id} succeeded on an offline lock`,
    );
  }
}

export type SimCommand = fc.AsyncCommand<SimModel, SimUnderTest>;

/** Creates an ongoing code on a lock: it takes a slot iff one is free, else it has `slot_limit_reached`. */
export class CreateCode implements SimCommand {
  constructor(readonly lock: number) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    const res = await r.sim.createAccessCode({
      lockId: r.locks[this.lock]!,
      name: `keyslot:m${m.live.length}`,
      window: ONGOING,
    });
    if (!res.ok) throw new Error(res.error.message);
    const code = res.value;
    if (code.pin !== null) assert.match(code.pin, PIN, 'created PIN is not 6–10 digits');
    const subscribed = m.holders.length < m.limit;
    assert.equal(
      code.issues.some((i) => i.code === 'slot_limit_reached'),
      !subscribed,
      subscribed ? 'a code with a free slot was not subscribed' : 'a code over the limit took no issue',
    );
    if (subscribed) m.holders.push(code.id);
    m.live.push(code.id);
    checkInvariants(m, r);
  }
  toString = () => `create(lock ${this.lock})`;
}

/** Deletes a live code (picked modulo the live count): its slot, if any, is freed at once. */
export class DeleteCode implements SimCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SimModel>) => m.live.length > 0;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    const id = m.live[this.pick % m.live.length]!;
    const usedBefore = r.world.inspectSite(r.siteId)!.used;
    const wasHolder = m.holders.includes(id);
    const res = await r.sim.deleteAccessCode(id);
    assert.equal(res.ok, true, `delete of ${id} failed`);
    m.live = m.live.filter((x) => x !== id);
    m.holders = m.holders.filter((x) => x !== id);
    assert.equal(
      r.world.inspectSite(r.siteId)!.used,
      usedBefore - (wasHolder ? 1 : 0),
      'delete did not free exactly its slot',
    );
    checkInvariants(m, r);
  }
  toString = () => `delete(#${this.pick})`;
}

/** Requests a remote unlock (pending); remembers whether the lock was offline or in privacy mode. */
export class Unlock implements SimCommand {
  constructor(readonly lock: number) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    const res = await r.sim.unlock(r.locks[this.lock]!);
    if (!res.ok) throw new Error(res.error.message);
    assert.equal(res.value.status, 'pending', 'a new unlock attempt is not pending');
    m.attempts.push({
      id: res.value.id,
      lock: this.lock,
      blockedAtRequest: m.hub[this.lock] === 'offline' || m.privacy[this.lock]!,
    });
    checkInvariants(m, r);
  }
  toString = () => `unlock(lock ${this.lock})`;
}

export class SetHubLink implements SimCommand {
  constructor(
    readonly lock: number,
    readonly link: HubLink,
  ) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    const d = expectOk(r.sim.setHubLink(r.locks[this.lock]!, this.link));
    assert.equal(
      d.deviceType,
      this.link === 'weak' ? 'unknown' : 'salto_lock',
      'device type after link change',
    );
    m.hub[this.lock] = this.link;
    m.linkHistory[this.lock]!.push([r.world.now(), this.link]);
    checkInvariants(m, r);
  }
  toString = () => `hubLink(lock ${this.lock}, ${this.link})`;
}

/** Changes the site's slot limit; lowering it keeps the oldest holders. */
export class SetLimit implements SimCommand {
  constructor(readonly limit: number) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    expectOk(r.sim.setSlotLimit(r.siteId, this.limit));
    m.limit = this.limit;
    if (m.holders.length > this.limit) m.holders = m.holders.slice(0, this.limit);
    checkInvariants(m, r);
  }
  toString = () => `limit(${this.limit})`;
}

/** Toggles a lock's privacy or office mode; the device warns iff the mode is on. */
export class ToggleMode implements SimCommand {
  constructor(
    readonly lock: number,
    readonly mode: 'privacy' | 'office',
  ) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    const id = r.locks[this.lock]!;
    const before = r.world.inspectDevice(id)!;
    if (this.mode === 'privacy') {
      m.privacy[this.lock] = !before.privacyMode;
      expectOk(r.sim.setPrivacyMode(id, !before.privacyMode));
    } else expectOk(r.sim.setOfficeMode(id, !before.officeMode));
    const after = r.world.inspectDevice(id)!;
    const warning = this.mode === 'privacy' ? 'salto_ks_privacy_mode' : 'salto_ks_office_mode';
    const on = this.mode === 'privacy' ? after.privacyMode : after.officeMode;
    assert.equal(
      after.warnings.some((w) => w.code === warning),
      on,
      `${warning} warning does not match the mode`,
    );
    checkInvariants(m, r);
  }
  toString = () => `toggle(${this.mode}, lock ${this.lock})`;
}

/** Advances the virtual clock, running the transitions due. */
export class Advance implements SimCommand {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: SimModel, r: SimUnderTest): Promise<void> {
    expectOk(await r.world.advance(this.ms));
    checkInvariants(m, r);
  }
  toString = () => `advance(${this.ms} ms)`;
}

/** A lock index of the model world. */
export const modelLockArb = fc.integer({ min: 0, max: MODEL_LOCKS - 1 });
/** A hub link state. */
export const hubLinkArb = fc.constantFrom<HubLink>('good', 'weak', 'offline');

/** The command arbitraries (creates weighted double), for `fc.commands`. */
export const modelCommandArbs: fc.Arbitrary<SimCommand>[] = [
  modelLockArb.map((l) => new CreateCode(l)),
  modelLockArb.map((l) => new CreateCode(l)),
  fc.nat(20).map((p) => new DeleteCode(p)),
  modelLockArb.map((l) => new Unlock(l)),
  fc.tuple(modelLockArb, hubLinkArb).map(([l, k]) => new SetHubLink(l, k)),
  fc.integer({ min: 0, max: 6 }).map((n) => new SetLimit(n)),
  fc
    .tuple(modelLockArb, fc.constantFrom<'privacy' | 'office'>('privacy', 'office'))
    .map(([l, k]) => new ToggleMode(l, k)),
  fc.constantFrom(0, 500, 2_000, 7_000, 60_000).map((ms) => new Advance(ms)),
];

/** Runs `cmds` on a fresh {@link setupModel}`(seed, limit)`; rejects at the first broken invariant. */
export function runModel(seed: number, limit: number, cmds: Iterable<SimCommand>): Promise<void> {
  return fc.asyncModelRun(() => setupModel(seed, limit), cmds);
}

/**
 * The whole model-based property: a world seed, a slot limit 1–5 and up to `maxCommands` commands.
 * Pass it to `fc.assert` (and await that).
 */
export function modelProperty(options: { maxCommands: number }) {
  return fc.asyncProperty(
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.integer({ min: 1, max: 5 }),
    fc.commands(modelCommandArbs, { maxCommands: options.maxCommands }),
    (seed, limit, cmds) => runModel(seed, limit, cmds),
  );
}
