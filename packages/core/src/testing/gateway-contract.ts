/**
 * The behaviour every `LockGateway` must show, as a test suite any test runner can run.
 * It does not import a runner: pass vitest's (or another runner's) functions in `t`.
 *
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * describeLockGatewayContract('my gateway', makeFixture, { describe, it, expect, beforeEach, afterEach });
 * ```
 *
 * Only behaviour both the simulator and the real Seam adapter can honour is checked.
 */
import type { AccessCode } from '../domain/access-code.js';
import type { HubLink } from '../domain/lock.js';
import { ONGOING } from '../domain/time.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import { PIN, UNKNOWN_ID, unwrap } from './contract-support.js';

export interface GatewayContractControl {
  setSlotLimit(siteId: string, limit: number): Promise<void>;
  setHubLink(lockId: string, link: HubLink): Promise<void>;
  /** Lets pending work finish: PIN assignment, programming, removal, unlock attempts (advance virtual time or wait). */
  settle(): Promise<void>;
}

export interface GatewayContractFixture {
  readonly gateway: LockGateway;
  /** A site WITHOUT custom-PIN subscription. */
  readonly siteId: string;
  /** At least two locks of `siteId` with a PIN pad, remote unlock and a good hub link. */
  readonly lockIds: readonly [string, string, ...string[]];
  readonly control: GatewayContractControl;
  cleanup(): Promise<void>;
}

/** The few assertion methods the suite uses (vitest's and jest's `expect` satisfy it). */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatch(expected: RegExp | string): void;
  toContain(expected: unknown): void;
  toBeLessThanOrEqual(expected: number | bigint): void;
  readonly not: ContractAssertion;
}

export interface ContractTestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>, timeout?: number): void;
  expect(actual: unknown, message?: string): ContractAssertion;
  beforeEach(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
}

const hasSlotIssue = (c: AccessCode): boolean => c.issues.some((i) => i.code === 'slot_limit_reached');

/**
 * Registers the contract suite under `describe(name)`. `makeFixture` runs before every case
 * (a fresh world, or a prepared real site); `cleanup` after it. Codes the suite creates are
 * deleted before `cleanup` (failures ignored).
 */
export function describeLockGatewayContract(
  name: string,
  makeFixture: () => Promise<GatewayContractFixture>,
  t: ContractTestApi,
): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  describe(`LockGateway contract: ${name}`, () => {
    let fx: GatewayContractFixture;
    let created: string[] = [];

    const create = async (lockId: string, label: string): Promise<AccessCode> => {
      const code = unwrap(
        await fx.gateway.createAccessCode({ lockId, name: `keyslot:contract-${label}`, window: ONGOING }),
        `createAccessCode(${label})`,
      );
      created.push(code.id);
      return code;
    };
    const get = async (id: string): Promise<AccessCode> =>
      unwrap(await fx.gateway.getAccessCode(id), `getAccessCode(${id})`);
    const usage = async () => unwrap(await fx.gateway.getSlotUsage(fx.siteId), 'getSlotUsage');

    beforeEach(async () => {
      fx = await makeFixture();
      created = [];
    });
    afterEach(async () => {
      for (const id of created) await fx.gateway.deleteAccessCode(id);
      await fx.cleanup();
    });

    it('lists the site and its locks; gets one lock by id', async () => {
      const sites = unwrap(await fx.gateway.listSites(), 'listSites');
      expect(sites.map((s) => s.id)).toContain(fx.siteId);
      const locks = unwrap(await fx.gateway.listLocks(fx.siteId), 'listLocks');
      for (const id of fx.lockIds) expect(locks.map((l) => l.id)).toContain(id);
      for (const l of locks) expect(l.siteId).toBe(fx.siteId);
      const lock = unwrap(await fx.gateway.getLock(fx.lockIds[0]), 'getLock');
      expect(lock.id).toBe(fx.lockIds[0]);
      expect(lock.siteId).toBe(fx.siteId);
      expect(lock.capabilities).toEqual({ remoteUnlock: true, accessCodes: true });
      expect(lock.hubLink).toBe('good');
    });

    it('creates a code whose PIN is null or 6–10 digits, and 6–10 digits once settled', async () => {
      const code = await create(fx.lockIds[0], 'pin');
      expect(code.lockId).toBe(fx.lockIds[0]);
      expect(code.name).toBe('keyslot:contract-pin');
      if (code.pin !== null) expect(code.pin).toMatch(PIN);
      expect(['unset', 'setting', 'set']).toContain(code.status);
      expect(hasSlotIssue(code)).toBe(false);
      await fx.control.settle();
      const later = await get(code.id);
      expect(later.pin ?? '').toMatch(PIN);
      expect(later.status).toBe('set');
    });

    it('refuses a caller-chosen PIN on a site without custom-PIN subscription', async () => {
      const r = await fx.gateway.createAccessCode({
        lockId: fx.lockIds[0],
        name: 'keyslot:contract-custom',
        window: ONGOING,
        pin: '4711471',
      });
      if (r.ok) created.push(r.value.id);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('custom_pin_not_allowed');
    });

    it('at the slot limit a new code carries slot_limit_reached; used never exceeds the limit', async () => {
      const before = await usage();
      await fx.control.setSlotLimit(fx.siteId, before.used + 1);
      const first = await create(fx.lockIds[0], 'limit-a');
      const second = await create(fx.lockIds[1], 'limit-b');
      await fx.control.settle();
      expect(hasSlotIssue(await get(first.id))).toBe(false);
      expect(hasSlotIssue(await get(second.id))).toBe(true);
      const after = await usage();
      expect(after.limit).toBe(before.used + 1);
      expect(after.used).toBe(after.limit);
    });

    it('deleting a code frees its slot: a new code is subscribed again', async () => {
      const before = await usage();
      await fx.control.setSlotLimit(fx.siteId, before.used + 1);
      const holder = await create(fx.lockIds[0], 'free-a');
      const refused = await create(fx.lockIds[0], 'free-b');
      await fx.control.settle();
      expect(hasSlotIssue(await get(refused.id))).toBe(true);
      unwrap(await fx.gateway.deleteAccessCode(holder.id), 'deleteAccessCode');
      unwrap(await fx.gateway.deleteAccessCode(refused.id), 'deleteAccessCode');
      await fx.control.settle();
      expect((await usage()).used).toBe(before.used);
      const again = await create(fx.lockIds[1], 'free-c');
      await fx.control.settle();
      expect(hasSlotIssue(await get(again.id))).toBe(false);
    });

    it('a deleted code is gone after settling', async () => {
      const code = await create(fx.lockIds[0], 'gone');
      await fx.control.settle();
      unwrap(await fx.gateway.deleteAccessCode(code.id), 'deleteAccessCode');
      await fx.control.settle();
      const r = await fx.gateway.getAccessCode(code.id);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('access_code_not_found');
    });

    it('get/delete of an unknown code is access_code_not_found; an unknown lock is lock_not_found', async () => {
      const got = await fx.gateway.getAccessCode(UNKNOWN_ID);
      expect(got.ok ? 'ok' : got.error.code).toBe('access_code_not_found');
      const deleted = await fx.gateway.deleteAccessCode(UNKNOWN_ID);
      expect(deleted.ok ? 'ok' : deleted.error.code).toBe('access_code_not_found');
      const lock = await fx.gateway.getLock(UNKNOWN_ID);
      expect(lock.ok ? 'ok' : lock.error.code).toBe('lock_not_found');
    });

    it('codes listed per lock carry their names and only that lock', async () => {
      await create(fx.lockIds[0], 'list-1');
      await create(fx.lockIds[0], 'list-2');
      await create(fx.lockIds[1], 'list-other');
      const listed = unwrap(await fx.gateway.listAccessCodes(fx.lockIds[0]), 'listAccessCodes');
      const names = listed.map((c) => c.name);
      expect(names).toContain('keyslot:contract-list-1');
      expect(names).toContain('keyslot:contract-list-2');
      expect(names).not.toContain('keyslot:contract-list-other');
      for (const c of listed) expect(c.lockId).toBe(fx.lockIds[0]);
    });

    it('unlock returns a pending attempt that succeeds once settled', async () => {
      const attempt = unwrap(await fx.gateway.unlock(fx.lockIds[0]), 'unlock');
      expect(attempt.lockId).toBe(fx.lockIds[0]);
      expect(['pending', 'success']).toContain(attempt.status);
      await fx.control.settle();
      const done = unwrap(await fx.gateway.getUnlockAttempt(attempt.id), 'getUnlockAttempt');
      expect(done.status).toBe('success');
      expect(done.error).toBe(null);
    });

    it('with the hub offline an unlock fails (hub_offline) or its attempt ends in error', async () => {
      await fx.control.setHubLink(fx.lockIds[0], 'offline');
      try {
        const r = await fx.gateway.unlock(fx.lockIds[0]);
        if (!r.ok) {
          expect(r.error.code).toBe('hub_offline');
          return;
        }
        await fx.control.settle();
        const done = unwrap(await fx.gateway.getUnlockAttempt(r.value.id), 'getUnlockAttempt');
        expect(done.status).toBe('error');
        expect(done.error === null).toBe(false);
      } finally {
        await fx.control.setHubLink(fx.lockIds[0], 'good');
      }
    });
  });
}
