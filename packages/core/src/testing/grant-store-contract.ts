/**
 * The behaviour every `GrantStore` must show — `InMemoryGrantStore`'s, which the use cases rely on
 * — as a suite any test runner can run (pass vitest's functions in `t`, as for the LockGateway
 * contract). Example cases cover save/get/list, stale versions and site revisions, revoked grants
 * and `cleanedUpAt`, several sites and two app instances sharing one store; a fast-check
 * model-based property then runs random command sequences against a ten-line model.
 *
 * A fixture hands out two handles (`a`, `b`) on one fresh, empty store: what two app instances
 * sharing it would each hold. For `InMemoryGrantStore` both are the same object; a database store
 * gives two store objects (each with its own caches) over the same database.
 *
 * `cleanedUpAt` absent and `null` mean the same (not confirmed); the suite compares them as equal.
 * The optional `listHoldingBySite` is checked through `holdingGrants` (its fallback when a store
 * lacks it): the site's grants that still count toward its slots, and nothing else.
 */
import fc from 'fast-check';
import { type Grant, holdsPlannedSlots } from '../domain/grant.js';
import { type GrantStore, holdingGrants } from '../ports/grant-store.js';
import type { ContractTestApi } from './gateway-contract.js';

export interface GrantStoreHandles {
  readonly a: GrantStore;
  readonly b: GrantStore;
}

export interface GrantStoreContractFixture {
  /** Two handles on one new, empty store (the previous one may be discarded). */
  fresh(): Promise<GrantStoreHandles>;
  cleanup(): Promise<void>;
}

export interface GrantStoreContractOptions {
  /** Runs of the model-based property (default: fast-check's global setting). */
  readonly numRuns?: number;
  /** Per-case timeout in ms for slow stores (default 60 000). */
  readonly timeoutMs?: number;
}

const grant = (key: string, siteId = 'site-1', over: Partial<Grant> = {}): Grant => ({
  key,
  holder: `holder of ${key}`,
  siteId,
  lockIds: ['lock-1', 'lock-2'],
  window: { kind: 'ongoing' },
  createdAt: 1_767_225_600_000,
  revokedAt: null,
  version: 0,
  ...over,
});

/** The comparable form: `cleanedUpAt` absent = `null`, fields in one order (the model compares JSON). */
const norm = (g: Grant | null): Grant | null =>
  g === null
    ? null
    : {
        key: g.key,
        holder: g.holder,
        siteId: g.siteId,
        lockIds: g.lockIds,
        window: g.window,
        createdAt: g.createdAt,
        revokedAt: g.revokedAt,
        cleanedUpAt: g.cleanedUpAt ?? null,
        version: g.version,
      };
const normAll = (gs: readonly Grant[]): (Grant | null)[] =>
  [...gs].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).map(norm);

/** An error with its message replaced by the message's type (messages are free text). */
const withMessageType = (e: { message: unknown }) => ({ ...e, message: typeof e.message });

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }, what: string): T {
  if (!r.ok) throw new Error(`${what} failed: ${r.error.message}`);
  return r.value;
}

export function describeGrantStoreContract(
  name: string,
  makeFixture: () => Promise<GrantStoreContractFixture>,
  t: ContractTestApi,
  options: GrantStoreContractOptions = {},
): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  const timeout = options.timeoutMs ?? 60_000;
  describe(`GrantStore contract: ${name}`, () => {
    let fx: GrantStoreContractFixture;
    let a: GrantStore;
    let b: GrantStore;
    beforeEach(async () => {
      fx = await makeFixture();
      ({ a, b } = await fx.fresh());
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it(
      'starts empty: no grant, no site, revision 0',
      async () => {
        expect(await a.get('nope')).toBe(null);
        expect(await a.listBySite('site-1')).toEqual([]);
        expect(await a.listSites()).toEqual([]);
        expect(await a.siteRevision('site-1')).toBe(0);
      },
      timeout,
    );

    it(
      'saves a new grant at version 0 and returns it at version 1; get and listBySite find it',
      async () => {
        const g = grant('g1', 'site-1', {
          window: { kind: 'scheduled', startsAt: 1_767_225_600_000.5, endsAt: 1_767_312_000_000 },
          lockIds: ['lock-b', 'lock-a'],
        });
        const saved = must(await a.save(g, 0), 'save');
        expect(norm(saved)).toEqual(norm({ ...g, version: 1 }));
        expect(norm(await a.get('g1'))).toEqual(norm(saved));
        expect(norm(await b.get('g1'))).toEqual(norm(saved));
        expect(normAll(await b.listBySite('site-1'))).toEqual([norm(saved)]);
        expect(await b.listSites()).toEqual(['site-1']);
        expect(await b.siteRevision('site-1')).toBe(1);
      },
      timeout,
    );

    it(
      'refuses a stale version (version_conflict, with the stored version or null) and writes nothing',
      async () => {
        const missing = await a.save(grant('g1'), 1);
        expect(missing.ok ? null : withMessageType(missing.error)).toEqual({
          code: 'version_conflict',
          message: 'string',
          key: 'g1',
          expectedVersion: 1,
          actualVersion: null,
        });
        expect(await a.get('g1')).toBe(null);
        expect(await a.siteRevision('site-1')).toBe(0);
        const v1 = must(await a.save(grant('g1'), 0), 'first save');
        const again = await b.save(grant('g1', 'site-1', { holder: 'someone else' }), 0);
        expect(again.ok ? null : again.error.code).toBe('version_conflict');
        expect(again.ok ? null : (again.error as { actualVersion: number | null }).actualVersion).toBe(1);
        expect(norm(await a.get('g1'))).toEqual(norm(v1));
        expect(await a.siteRevision('site-1')).toBe(1);
        const v2 = must(await b.save({ ...v1, holder: 'renamed' }, 1), 'update');
        expect(v2.version).toBe(2);
        expect((await a.get('g1'))?.holder).toBe('renamed');
        expect(await a.siteRevision('site-1')).toBe(2);
      },
      timeout,
    );

    it(
      'refuses a conditional save on a stale site revision (site_changed) and writes nothing',
      async () => {
        const seen = await a.siteRevision('site-1');
        must(await b.save(grant('winner'), 0, { siteRevision: seen }), 'winner');
        const lost = await a.save(grant('loser'), 0, { siteRevision: seen });
        expect(lost.ok ? null : withMessageType(lost.error)).toEqual({
          code: 'site_changed',
          message: 'string',
          siteId: 'site-1',
          expectedRevision: 0,
          actualRevision: 1,
        });
        expect(await a.get('loser')).toBe(null);
        expect(normAll(await a.listBySite('site-1')).map((g) => g?.key)).toEqual(['winner']);
        expect(await a.siteRevision('site-1')).toBe(1);
        must(await a.save(grant('loser'), 0, { siteRevision: 1 }), 'decided again');
        expect(await b.siteRevision('site-1')).toBe(2);
      },
      timeout,
    );

    it(
      'checks the grant version before the site revision',
      async () => {
        must(await a.save(grant('g1'), 0), 'save');
        const r = await a.save(grant('g1'), 0, { siteRevision: 0 });
        expect(r.ok ? null : r.error.code).toBe('version_conflict');
      },
      timeout,
    );

    it(
      'keeps revoked grants with revokedAt and cleanedUpAt, and lists them',
      async () => {
        const v1 = must(await a.save(grant('g1'), 0), 'save');
        const revoked = must(await a.save({ ...v1, revokedAt: v1.createdAt + 60_000 }, 1), 'revoke');
        expect(norm(await b.get('g1'))).toEqual(norm(revoked));
        expect((await b.get('g1'))?.cleanedUpAt ?? null).toBe(null);
        const cleaned = must(await b.save({ ...revoked, cleanedUpAt: v1.createdAt + 120_000 }, 2), 'cleanup');
        expect(cleaned.version).toBe(3);
        expect(norm(await a.get('g1'))).toEqual(norm(cleaned));
        expect(normAll(await a.listBySite('site-1'))).toEqual([norm(cleaned)]);
        expect(await a.siteRevision('site-1')).toBe(3);
      },
      timeout,
    );

    it(
      'lists apart the grants that still count toward the slots: live, or revoked and not cleaned up',
      async () => {
        const live = must(await a.save(grant('live'), 0), 'live');
        const v1 = must(await a.save(grant('revoked'), 0), 'revoked');
        const revoked = must(await a.save({ ...v1, revokedAt: v1.createdAt + 1 }, 1), 'revoke');
        const v2 = must(await a.save(grant('done'), 0), 'done');
        expect(normAll(await holdingGrants(b, 'site-1'))).toEqual(normAll([live, revoked, v2]));
        const v3 = must(await a.save({ ...v2, revokedAt: v2.createdAt + 1 }, 1), 'revoke done');
        must(await a.save({ ...v3, cleanedUpAt: v2.createdAt + 2 }, 2), 'clean up done');
        // b read the site before: what a saved since reaches it, and the finished grant leaves the list.
        expect(normAll(await holdingGrants(b, 'site-1'))).toEqual(normAll([live, revoked]));
        expect(normAll(await b.listBySite('site-1')).map((g) => g?.key)).toEqual(['done', 'live', 'revoked']);
        expect(await holdingGrants(b, 'site-2')).toEqual([]);
      },
      timeout,
    );

    it(
      'keeps sites apart: each has its own revision and grants; listSites names every site with grants',
      async () => {
        for (const [key, site] of [
          ['a1', 'site-a'],
          ['a2', 'site-a'],
          ['b1', 'site-b'],
        ] as const)
          must(await a.save(grant(key, site), 0), key);
        expect(await b.siteRevision('site-a')).toBe(2);
        expect(await b.siteRevision('site-b')).toBe(1);
        expect(await b.siteRevision('site-c')).toBe(0);
        expect(normAll(await b.listBySite('site-a')).map((g) => g?.key)).toEqual(['a1', 'a2']);
        expect(normAll(await b.listBySite('site-b')).map((g) => g?.key)).toEqual(['b1']);
        expect([...(await b.listSites())].sort()).toEqual(['site-a', 'site-b']);
      },
      timeout,
    );

    it(
      'moving a grant to another site bumps both revisions and lists it only under the new site',
      async () => {
        const v1 = must(await a.save(grant('g1', 'site-a'), 0), 'save');
        must(await a.save(grant('other', 'site-a'), 0), 'other');
        expect(normAll(await b.listBySite('site-a')).length).toBe(2); // b has read site-a before the move
        must(await a.save({ ...v1, siteId: 'site-b' }, 1), 'move');
        expect(await b.siteRevision('site-a')).toBe(3);
        expect(await b.siteRevision('site-b')).toBe(1);
        expect(normAll(await b.listBySite('site-a')).map((g) => g?.key)).toEqual(['other']);
        expect(normAll(await b.listBySite('site-b')).map((g) => g?.key)).toEqual(['g1']);
        expect(normAll(await holdingGrants(b, 'site-a')).map((g) => g?.key)).toEqual(['other']);
      },
      timeout,
    );

    it(
      'an instance sees what another saved since it last read the site',
      async () => {
        must(await a.save(grant('g1'), 0), 'g1');
        expect(normAll(await a.listBySite('site-1')).length).toBe(1);
        const g2 = must(await b.save(grant('g2'), 0, { siteRevision: 1 }), 'g2');
        const g1 = must(await b.save({ ...grant('g1'), revokedAt: 5 }, 1), 'revoke g1');
        expect(normAll(await a.listBySite('site-1'))).toEqual([norm(g1), norm(g2)]);
      },
      timeout,
    );

    it(
      'of two instances saving on the same site revision at once, exactly one wins',
      async () => {
        const seen = await a.siteRevision('site-1');
        const results = await Promise.all([
          a.save(grant('first'), 0, { siteRevision: seen }),
          b.save(grant('second'), 0, { siteRevision: seen }),
        ]);
        expect(results.filter((r) => r.ok).length).toBe(1);
        expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual([
          'site_changed',
        ]);
        expect(normAll(await a.listBySite('site-1')).length).toBe(1);
        expect(await b.siteRevision('site-1')).toBe(1);
      },
      timeout,
    );

    it(
      'stores a copy: changing the saved object afterwards changes nothing stored',
      async () => {
        const lockIds = ['lock-1'];
        const g = { ...grant('g1'), lockIds };
        must(await a.save(g, 0), 'save');
        lockIds.push('lock-9');
        expect((await b.get('g1'))?.lockIds).toEqual(['lock-1']);
      },
      timeout,
    );

    it(
      'matches a model under random commands from two instances (model-based)',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.commands(commandArbs(), { maxCommands: 30 }), async (cmds) => {
            const handles = await fx.fresh();
            await fc.asyncModelRun(() => ({ model: newModel(), real: handles }), cmds);
          }),
          options.numRuns === undefined ? {} : { numRuns: options.numRuns },
        );
      },
      Math.max(timeout, 300_000),
    );
  });
}

// ───────────────────────────── model-based property ─────────────────────────────

interface Model {
  readonly grants: Map<string, Grant>;
  readonly revisions: Map<string, number>;
}

const newModel = (): Model => ({ grants: new Map(), revisions: new Map() });

const KEYS = ['k0', 'k1', 'k2', 'k3'];
const SITES = ['s0', 's1'];

type Cmd = fc.AsyncCommand<Model, GrantStoreHandles>;
type Expect = (ok: boolean, what: string) => void;
const check: Expect = (ok, what) => {
  if (!ok) throw new Error(`GrantStore differs from the model: ${what}`);
};
const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

class SaveCmd implements Cmd {
  constructor(
    readonly handle: 'a' | 'b',
    readonly key: string,
    readonly site: string,
    readonly change: 'holder' | 'revoke' | 'cleanup' | 'locks' | 'none',
    /** 0: the stored version; otherwise that much off it. */
    readonly versionSkew: number,
    /** null: no condition; 0: the current revision; otherwise that much off it. */
    readonly revisionSkew: number | null,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: GrantStoreHandles): Promise<void> {
    const stored = m.grants.get(this.key);
    const base = stored ?? grant(this.key, this.site);
    const next: Grant = {
      ...base,
      siteId: this.site,
      ...(this.change === 'holder' ? { holder: `${base.holder}+` } : {}),
      ...(this.change === 'revoke' ? { revokedAt: base.createdAt + 1 } : {}),
      ...(this.change === 'cleanup' ? { cleanedUpAt: base.createdAt + 2 } : {}),
      ...(this.change === 'locks' ? { lockIds: [...base.lockIds, `lock-${base.lockIds.length + 1}`] } : {}),
    };
    const actual = stored?.version ?? 0;
    const expected = Math.max(0, actual + this.versionSkew);
    const revision = m.revisions.get(this.site) ?? 0;
    const condition =
      this.revisionSkew === null ? undefined : { siteRevision: Math.max(0, revision + this.revisionSkew) };
    const res = await r[this.handle].save(next, expected, condition);
    if (expected !== actual) {
      check(!res.ok && res.error.code === 'version_conflict', `${this} should be a version_conflict`);
      return;
    }
    if (condition && condition.siteRevision !== revision) {
      check(!res.ok && res.error.code === 'site_changed', `${this} should be site_changed`);
      return;
    }
    check(res.ok && res.value.version === actual + 1, `${this} should save at version ${actual + 1}`);
    const saved = { ...next, version: actual + 1 };
    m.grants.set(this.key, saved);
    m.revisions.set(this.site, revision + 1);
    if (stored && stored.siteId !== this.site)
      m.revisions.set(stored.siteId, (m.revisions.get(stored.siteId) ?? 0) + 1);
    check(res.ok && same(norm(res.value), norm(saved)), `${this} returned another grant`);
  }
  toString(): string {
    const cond =
      this.revisionSkew === null ? '' : `, site rev ${this.revisionSkew >= 0 ? '+' : ''}${this.revisionSkew}`;
    return `${this.handle}.save(${this.key}@${this.site}, ${this.change}, version ${this.versionSkew >= 0 ? '+' : ''}${this.versionSkew}${cond})`;
  }
}

class ReadCmd implements Cmd {
  constructor(
    readonly handle: 'a' | 'b',
    readonly what: 'get' | 'listBySite' | 'listHoldingBySite' | 'listSites' | 'siteRevision',
    readonly arg: string,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: GrantStoreHandles): Promise<void> {
    const s = r[this.handle];
    if (this.what === 'get') {
      const got = await s.get(this.arg);
      check(same(norm(got), norm(m.grants.get(this.arg) ?? null)), `${this}: ${JSON.stringify(got)}`);
    } else if (this.what === 'listBySite') {
      const got = normAll(await s.listBySite(this.arg));
      const want = normAll([...m.grants.values()].filter((g) => g.siteId === this.arg));
      check(same(got, want), `${this}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    } else if (this.what === 'listHoldingBySite') {
      const got = normAll(await holdingGrants(s, this.arg));
      const want = normAll(
        [...m.grants.values()].filter((g) => g.siteId === this.arg && holdsPlannedSlots(g)),
      );
      check(same(got, want), `${this}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    } else if (this.what === 'listSites') {
      const got = [...(await s.listSites())].sort();
      const want = [...new Set([...m.grants.values()].map((g) => g.siteId))].sort();
      check(same(got, want), `${this}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    } else {
      const got = await s.siteRevision(this.arg);
      check(got === (m.revisions.get(this.arg) ?? 0), `${this}: ${got}`);
    }
  }
  toString(): string {
    return `${this.handle}.${this.what}(${this.what === 'listSites' ? '' : this.arg})`;
  }
}

function commandArbs(): fc.Arbitrary<Cmd>[] {
  const handle = fc.constantFrom<'a' | 'b'>('a', 'b');
  const key = fc.constantFrom(...KEYS);
  const site = fc.constantFrom(...SITES);
  return [
    fc
      .tuple(
        handle,
        key,
        fc.oneof({ arbitrary: site, weight: 1 }, { arbitrary: fc.constant(SITES[0]!), weight: 3 }),
        fc.constantFrom(
          'holder' as const,
          'revoke' as const,
          'cleanup' as const,
          'locks' as const,
          'none' as const,
        ),
        fc.oneof(
          { arbitrary: fc.constant(0), weight: 4 },
          { arbitrary: fc.integer({ min: -1, max: 1 }), weight: 1 },
        ),
        fc.option(
          fc.oneof(
            { arbitrary: fc.constant(0), weight: 3 },
            { arbitrary: fc.integer({ min: -2, max: 1 }), weight: 1 },
          ),
        ),
      )
      .map(([h, k, s, c, v, rv]) => new SaveCmd(h, k, s, c, v, rv)),
    fc.tuple(handle, key).map(([h, k]) => new ReadCmd(h, 'get', k)),
    fc.tuple(handle, site).map(([h, s]) => new ReadCmd(h, 'listBySite', s)),
    fc.tuple(handle, site).map(([h, s]) => new ReadCmd(h, 'listHoldingBySite', s)),
    handle.map((h) => new ReadCmd(h, 'listSites', '')),
    fc.tuple(handle, site).map(([h, s]) => new ReadCmd(h, 'siteRevision', s)),
  ];
}
