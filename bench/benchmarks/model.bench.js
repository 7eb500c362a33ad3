// Model-based test throughput: fast-check command sequences (up to 40 commands: create, delete,
// unlock, hub link, slot limit, clock advance) run against the in-process simulator
// (`SaltoKsSimulator` on a virtual clock) with the slot invariants checked after every command.
//
// The package's own model test (packages/salto-sim/src/world/model.spec.ts) keeps its commands
// in the spec file, so this is a compact equivalent of it. Baseline: the very same sequences
// (same seeds) run against the model alone — fast-check's generation and the model bookkeeping,
// no simulator — so the ratio says what share of a model-based test the simulator costs.

import { ONGOING, VirtualClock } from '@keyslot/core';
import { SaltoKsSimulator, SaltoKsWorld } from '@keyslot/salto-sim';
import fc from 'fast-check';

const T0 = Date.UTC(2026, 0, 1);
const LOCKS = 2;

/**
 * @typedef {object} Model
 * @property {number} limit
 * @property {string[]} holders live ongoing codes holding a slot, oldest first
 * @property {string[]} live live codes
 * @property {number} nextId ids for the model-only run
 */

/**
 * @typedef {object} Real
 * @property {SaltoKsSimulator | null} sim null: model only
 * @property {SaltoKsWorld | null} world
 * @property {string} siteId
 * @property {string[]} locks
 */

/**
 * @param {boolean} ok
 * @param {string} what
 */
function check(ok, what) {
  if (!ok) throw new Error(`model check failed: ${what}`);
}

/**
 * @param {Model} m
 * @param {Real} r
 */
function invariants(m, r) {
  if (!r.world) return;
  const site = r.world.inspectSite(r.siteId);
  check(site !== null && site.used === m.holders.length && site.used <= site.slotLimit, 'used');
  const codes = r.world.inspectAccessCodes({ siteId: r.siteId });
  const holders = codes.filter((c) => c.holdsSlot).map((c) => c.accessCodeId);
  check(holders.join() === m.holders.join(), 'slot holders');
  const pins = codes.map((c) => c.code).filter((p) => p !== null);
  check(new Set(pins).size === pins.length, 'unique PINs');
}

/** @typedef {fc.AsyncCommand<Model, Real>} Cmd */

/** @implements {Cmd} */
class Create {
  /** @param {number} lock */
  constructor(lock) {
    this.lock = lock;
  }
  check() {
    return true;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    let id = `m${m.nextId++}`;
    const subscribed = m.holders.length < m.limit;
    if (r.sim) {
      const res = await r.sim.createAccessCode({
        lockId: r.locks[this.lock] ?? '',
        name: `keyslot:${id}`,
        window: ONGOING,
      });
      if (!res.ok) throw new Error(res.error.message);
      id = res.value.id;
      check(res.value.issues.some((i) => i.code === 'slot_limit_reached') === !subscribed, 'limit issue');
    }
    if (subscribed) m.holders.push(id);
    m.live.push(id);
    invariants(m, r);
  }
  toString() {
    return `create(${this.lock})`;
  }
}

/** @implements {Cmd} */
class Delete {
  /** @param {number} pick */
  constructor(pick) {
    this.pick = pick;
  }
  /** @param {Readonly<Model>} m */
  check(m) {
    return m.live.length > 0;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    const id = m.live[this.pick % m.live.length] ?? '';
    if (r.sim) check((await r.sim.deleteAccessCode(id)).ok, 'delete');
    m.live = m.live.filter((x) => x !== id);
    m.holders = m.holders.filter((x) => x !== id);
    invariants(m, r);
  }
  toString() {
    return `delete(#${this.pick})`;
  }
}

/** @implements {Cmd} */
class Unlock {
  /** @param {number} lock */
  constructor(lock) {
    this.lock = lock;
  }
  check() {
    return true;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    if (r.sim) check((await r.sim.unlock(r.locks[this.lock] ?? '')).ok, 'unlock');
    invariants(m, r);
  }
  toString() {
    return `unlock(${this.lock})`;
  }
}

/** @implements {Cmd} */
class HubLink {
  /** @param {number} lock @param {'good' | 'weak' | 'offline'} link */
  constructor(lock, link) {
    this.lock = lock;
    this.link = link;
  }
  check() {
    return true;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    if (r.sim) check(r.sim.setHubLink(r.locks[this.lock] ?? '', this.link).ok, 'hub link');
    invariants(m, r);
  }
  toString() {
    return `hubLink(${this.lock}, ${this.link})`;
  }
}

/** @implements {Cmd} */
class Limit {
  /** @param {number} limit */
  constructor(limit) {
    this.limit = limit;
  }
  check() {
    return true;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    if (r.sim) check(r.sim.setSlotLimit(r.siteId, this.limit).ok, 'limit');
    m.limit = this.limit;
    if (m.holders.length > this.limit) m.holders = m.holders.slice(0, this.limit);
    invariants(m, r);
  }
  toString() {
    return `limit(${this.limit})`;
  }
}

/** @implements {Cmd} */
class Advance {
  /** @param {number} ms */
  constructor(ms) {
    this.ms = ms;
  }
  check() {
    return true;
  }
  /** @param {Model} m @param {Real} r */
  async run(m, r) {
    if (r.world) check((await r.world.advance(this.ms)).ok, 'advance');
    invariants(m, r);
  }
  toString() {
    return `advance(${this.ms})`;
  }
}

const lockArb = fc.integer({ min: 0, max: LOCKS - 1 });
/** @type {fc.Arbitrary<'good' | 'weak' | 'offline'>} */
const linkArb = fc.constantFrom('good', 'weak', 'offline');
/** @type {fc.Arbitrary<Cmd>[]} */
const commandArbs = [
  lockArb.map((l) => new Create(l)),
  lockArb.map((l) => new Create(l)),
  fc.nat(20).map((p) => new Delete(p)),
  lockArb.map((l) => new Unlock(l)),
  fc.tuple(lockArb, linkArb).map(([l, k]) => new HubLink(l, k)),
  fc.integer({ min: 0, max: 6 }).map((n) => new Limit(n)),
  fc.constantFrom(0, 500, 2_000, 7_000, 60_000).map((ms) => new Advance(ms)),
];

/**
 * @param {boolean} withSim
 * @param {number} seed
 * @param {number} limit
 * @returns {{ model: Model, real: Real }}
 */
function build(withSim, seed, limit) {
  /** @type {Model} */
  const model = { limit, holders: [], live: [], nextId: 0 };
  if (!withSim) return { model, real: { sim: null, world: null, siteId: '', locks: ['L0', 'L1'] } };
  const world = new SaltoKsWorld({
    seed,
    clock: new VirtualClock(T0),
    config: { rateLimits: { enabled: false } },
  });
  const account = world.addConnectedAccount();
  if (!account.ok) throw new Error(account.error.message);
  const site = world.addSite({
    connectedAccountId: account.value.connectedAccountId,
    siteName: 'Model site',
    slotLimit: limit,
  });
  if (!site.ok) throw new Error(site.error.message);
  const hub = world.addHub({ siteId: site.value.siteId });
  if (!hub.ok) throw new Error(hub.error.message);
  const locks = Array.from({ length: LOCKS }, (_, i) => {
    const lock = world.addLock({ hubId: hub.value.hubId, name: `L${i}` });
    if (!lock.ok) throw new Error(lock.error.message);
    return lock.value.deviceId;
  });
  return { model, real: { sim: new SaltoKsSimulator({ world }), world, siteId: site.value.siteId, locks } };
}

/**
 * Checks property runs of `chunk` sequences, with seeds 1, 2, 3…, until `ms` have passed;
 * returns sequences per second.
 * @param {boolean} withSim
 * @param {number} ms
 * @param {number} chunk
 */
async function sequencesPerSecond(withSim, ms, chunk) {
  const start = performance.now();
  let sequences = 0;
  let seed = 1;
  while (performance.now() - start < ms) {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.commands(commandArbs, { maxCommands: 40 }),
        async (worldSeed, limit, cmds) => {
          await fc.asyncModelRun(() => build(withSim, worldSeed, limit), cmds);
        },
      ),
      { numRuns: chunk, seed: seed++ },
    );
    sequences += chunk;
  }
  return (sequences * 1000) / (performance.now() - start);
}

/** @type {import('../harness.js').Benchmark} */
export default {
  name: 'Model-based tests',
  subject: 'sequences on the simulator',
  baseline: 'same sequences, model only',
  unit: 'sequence',
  cases: [
    {
      label: '≤40 commands, invariants after each',
      async open(options) {
        const roundMs = options.roundMs * 4;
        return {
          contenders: {
            simulator: async () => ({ 'sequences/s': await sequencesPerSecond(true, roundMs, 20) }),
            'model only': async () => ({ 'sequences/s': await sequencesPerSecond(false, roundMs, 20) }),
          },
          comparisons: [
            {
              label: 'sequences/s vs model only',
              subject: 'simulator',
              baseline: 'model only',
              metric: 'sequences/s',
              better: 'higher',
            },
          ],
          close: async () => {},
        };
      },
    },
  ],
};
