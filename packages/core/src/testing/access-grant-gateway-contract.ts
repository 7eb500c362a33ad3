/**
 * The behaviour every `AccessGrantGateway` must show, as a test suite any test runner can run
 * (pass vitest's or another runner's functions in `t`, as for `describeLockGatewayContract`):
 *
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * describeAccessGrantGatewayContract('my ACS gateway', makeFixture, { describe, it, expect, beforeEach, afterEach });
 * ```
 *
 * Only behaviour both the simulator and the real Seam adapter can honour is checked; above all,
 * that a grant over four doors costs ONE slot.
 */
import { isRefusedAtLimit, type ProviderAccessGrant, pinOf } from '../domain/access-grant.js';
import type { Instant } from '../domain/time.js';
import type { AccessGrantGateway, CreateAccessGrantInput } from '../ports/access-grant-gateway.js';
import { PIN, UNKNOWN_ID, unwrap } from './contract-support.js';
import type { ContractTestApi } from './gateway-contract.js';

export interface AccessGrantContractControl {
  setSlotLimit(siteId: string, limit: number): Promise<void>;
  /** The provider's clock (epoch ms). */
  now(): Promise<Instant>;
  /** Moves the provider's clock by `ms`; work that falls due runs. */
  advance(ms: number): Promise<void>;
  /** Lets pending work finish: PIN generation, issuing (advance virtual time or wait). */
  settle(): Promise<void>;
}

export interface AccessGrantContractFixture {
  readonly gateway: AccessGrantGateway;
  /** An ACS site (the provider's id for it) with no access grants on it. */
  readonly siteId: string;
  /** At least four online doors of `siteId` that take codes. */
  readonly doorIds: readonly [string, string, string, string, ...string[]];
  readonly control: AccessGrantContractControl;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const sameSet = (a: readonly string[]): string => [...a].sort().join(',');

/**
 * Registers the contract suite under `describe(name)`. `makeFixture` runs before every case;
 * `cleanup` after it. Access grants the suite creates are deleted before `cleanup` (failures
 * ignored).
 */
export function describeAccessGrantGatewayContract(
  name: string,
  makeFixture: () => Promise<AccessGrantContractFixture>,
  t: ContractTestApi,
): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  describe(`AccessGrantGateway contract: ${name}`, () => {
    let fx: AccessGrantContractFixture;
    let created: string[] = [];
    let run = 0;

    /** A key unique to this case (real providers keep grants of earlier runs). */
    const key = (label: string): string => `contract-${label}-${(++run).toString(36)}`;
    const input = (label: string, over: Partial<CreateAccessGrantInput> = {}): CreateAccessGrantInput => ({
      key: key(label),
      siteId: fx.siteId,
      doorIds: fx.doorIds.slice(0, 4),
      window: { kind: 'ongoing' },
      holder: `Contract guest ${label}`,
      methods: ['code'],
      ...over,
    });
    const create = async (i: CreateAccessGrantInput): Promise<ProviderAccessGrant> => {
      const g = unwrap(await fx.gateway.createAccessGrant(i), `createAccessGrant(${i.key})`);
      created.push(g.id);
      return g;
    };
    const usage = async () => unwrap(await fx.gateway.getSlotUsage(fx.siteId), 'getSlotUsage');
    const find = async (k: string) => unwrap(await fx.gateway.findAccessGrant(k), `findAccessGrant(${k})`);

    beforeEach(async () => {
      fx = await makeFixture();
      created = [];
    });
    afterEach(async () => {
      for (const id of created) await fx.gateway.deleteAccessGrant(id);
      await fx.cleanup();
    });

    it('lists the site as one costing a slot per grant, and its doors as locks that take codes', async () => {
      const sites = unwrap(await fx.gateway.listSites(), 'listSites');
      const site = sites.find((s) => s.id === fx.siteId);
      expect(site?.slotCostModel).toBe('user_per_grant');
      const doors = unwrap(await fx.gateway.listDoors(fx.siteId), 'listDoors');
      for (const id of fx.doorIds) expect(doors.map((d) => d.id)).toContain(id);
      for (const d of doors) expect(d.siteId).toBe(fx.siteId);
      const door = doors.find((d) => d.id === fx.doorIds[0]);
      expect(door?.hubLink).toBe('good');
      expect(door?.capabilities.accessCodes).toBe(true);
      expect(door?.accessMethods).toContain('code');
      const everywhere = unwrap(await fx.gateway.listDoors(), 'listDoors()');
      for (const id of fx.doorIds) expect(everywhere.map((d) => d.id)).toContain(id);
    });

    it('a grant over four doors takes ONE slot and gets one 6–10 digit PIN', async () => {
      const before = await usage();
      const i = input('four-doors');
      const g = await create(i);
      expect(g.key).toBe(i.key);
      expect(g.siteId).toBe(fx.siteId);
      expect(sameSet(g.doorIds)).toBe(sameSet(i.doorIds));
      expect(g.window).toEqual({ kind: 'ongoing' });
      expect(g.methods.map((m) => m.mode)).toEqual(['code']);
      expect(isRefusedAtLimit(g)).toBe(false);
      const pin = pinOf(g);
      if (pin !== null) expect(pin).toMatch(PIN);
      await fx.control.settle();
      expect((await usage()).used).toBe(before.used + 1);
      const later = await find(i.key);
      expect(later?.id).toBe(g.id);
      expect(pinOf(later ?? g) ?? '').toMatch(PIN);
      expect(later?.issues).toEqual([]);
      const got = unwrap(await fx.gateway.getAccessGrant(g.id), 'getAccessGrant');
      expect(pinOf(got)).toBe(pinOf(later ?? g));
    });

    it('a grant whose window starts later is not subscribed and holds no slot until it starts', async () => {
      const before = await usage();
      const now = await fx.control.now();
      const window = { kind: 'scheduled', startsAt: now + 2 * HOUR, endsAt: now + 26 * HOUR } as const;
      const g = await create(input('later', { window, doorIds: fx.doorIds.slice(0, 2) }));
      expect(g.window).toEqual(window);
      expect(g.issues.map((x) => x.code)).toContain('not_subscribed');
      await fx.control.settle();
      expect((await usage()).used).toBe(before.used);
      await fx.control.advance(2 * HOUR + 60_000);
      await fx.control.settle();
      expect((await usage()).used).toBe(before.used + 1);
      const started = unwrap(await fx.gateway.getAccessGrant(g.id), 'getAccessGrant');
      expect(started.issues).toEqual([]);
    });

    it('never makes a second grant for a key: access_grant_exists, or the same grant', async () => {
      const i = input('twice', { doorIds: fx.doorIds.slice(0, 1) });
      const first = await create(i);
      const again = await fx.gateway.createAccessGrant(i);
      if (again.ok) {
        created.push(again.value.id);
        expect(again.value.id).toBe(first.id);
      } else expect(again.error.code).toBe('access_grant_exists');
      const listed = unwrap(await fx.gateway.listAccessGrants(fx.siteId), 'listAccessGrants');
      expect(listed.filter((g) => g.key === i.key).length).toBe(1);
    });

    it('finds no grant for a key never used: null, the proof that a create did not happen', async () => {
      expect(await find(key('never'))).toBe(null);
    });

    it('deleting a grant frees its slot at once; it is then gone', async () => {
      const before = await usage();
      const i = input('delete');
      const g = await create(i);
      await fx.control.settle();
      expect((await usage()).used).toBe(before.used + 1);
      unwrap(await fx.gateway.deleteAccessGrant(g.id), 'deleteAccessGrant');
      expect((await usage()).used).toBe(before.used);
      expect(await find(i.key)).toBe(null);
      const got = await fx.gateway.getAccessGrant(g.id);
      expect(got.ok ? 'ok' : got.error.code).toBe('access_grant_not_found');
      const twice = await fx.gateway.deleteAccessGrant(g.id);
      expect(twice.ok ? 'ok' : twice.error.code).toBe('access_grant_not_found');
    });

    it('at the slot limit a new grant is refused a slot (slot_limit_reached); used never exceeds the limit', async () => {
      const before = await usage();
      await fx.control.setSlotLimit(fx.siteId, before.used + 1);
      const first = await create(input('limit-a', { doorIds: fx.doorIds.slice(0, 2) }));
      const r = await fx.gateway.createAccessGrant(input('limit-b', { doorIds: fx.doorIds.slice(2, 4) }));
      if (r.ok) created.push(r.value.id);
      await fx.control.settle();
      expect(isRefusedAtLimit(unwrap(await fx.gateway.getAccessGrant(first.id), 'getAccessGrant'))).toBe(
        false,
      );
      if (r.ok) {
        const second = unwrap(await fx.gateway.getAccessGrant(r.value.id), 'getAccessGrant');
        expect(isRefusedAtLimit(second)).toBe(true);
        expect(pinOf(second)).toBe(null); // a PIN that opens nothing is never handed out
      }
      const after = await usage();
      expect(after.limit).toBe(before.used + 1);
      expect(after.used).toBe(after.limit);
    });

    it('lists the site’s grants with their keys', async () => {
      const a = await create(input('list-a', { doorIds: fx.doorIds.slice(0, 1) }));
      const b = await create(input('list-b', { doorIds: fx.doorIds.slice(1, 3) }));
      const listed = unwrap(await fx.gateway.listAccessGrants(fx.siteId), 'listAccessGrants');
      const byId = new Map(listed.map((g) => [g.id, g]));
      expect(byId.get(a.id)?.key).toBe(a.key);
      expect(sameSet(byId.get(b.id)?.doorIds ?? [])).toBe(sameSet(fx.doorIds.slice(1, 3)));
      for (const g of listed) expect(g.siteId).toBe(fx.siteId);
    });

    it('unknown ids: access_grant_not_found, site_not_found; an unknown door is lock_not_found', async () => {
      const got = await fx.gateway.getAccessGrant(UNKNOWN_ID);
      expect(got.ok ? 'ok' : got.error.code).toBe('access_grant_not_found');
      const deleted = await fx.gateway.deleteAccessGrant(UNKNOWN_ID);
      expect(deleted.ok ? 'ok' : deleted.error.code).toBe('access_grant_not_found');
      const used = await fx.gateway.getSlotUsage(UNKNOWN_ID);
      expect(used.ok ? 'ok' : used.error.code).toBe('site_not_found');
      const r = await fx.gateway.createAccessGrant(
        input('unknown-door', { doorIds: [fx.doorIds[0], UNKNOWN_ID] }),
      );
      if (r.ok) created.push(r.value.id);
      expect(r.ok ? 'ok' : r.error.code).toBe('lock_not_found');
    });
  });
}
