import type {
  AccessCode,
  AccessCodeId,
  Clock,
  CreateAccessCodeInput,
  GatewayFailure,
  HubLink,
  Lock,
  LockGateway,
  LockId,
  ProviderSlotUsage,
  Result,
  Site,
  SiteId,
  UnlockAttempt,
} from '@keyslot/core';
// Values from a narrow entry point: the core root also loads the application layer.
import { err, ok, windowIssues } from '@keyslot/core/domain';
import type { DefaultWorldIds } from '../world/default-world.js';
import type {
  ActiveFault,
  DeviceView,
  FaultInput,
  SimOperation,
  SimResult,
  SiteView,
  WorldConfigInput,
} from '../world/types.js';
import { SaltoKsWorld, type WorldSnapshot } from '../world/world.js';
import { defaultWorldFor, enterWorld, worldFor } from './in-process.js';
import { toAccessCode, toGatewayFailure, toLock, toSite, toUnlockAttempt } from './map.js';

export interface SaltoKsSimulatorOptions {
  /** An existing world to serve. Default: a new empty world from `seed`, `clock`, `config`. */
  readonly world?: SaltoKsWorld;
  readonly seed?: number;
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
  /**
   * Awaited before each gateway call reaches the world. Race tests pass a function built on
   * fast-check's scheduler so they control the interleaving of concurrent calls.
   */
  readonly beforeCall?: (operation: SimOperation) => Promise<void>;
}

/** How long `settle` lets virtual time run by default: longer than any default delay, even on a weak link. */
export const DEFAULT_SETTLE_MS = 60_000;

/**
 * Core's `LockGateway` in process, over a simulated Salto KS world, plus the world's control
 * surface. Every call is decided synchronously inside the world, so two concurrent calls can
 * never both take the last slot. Latency faults are applied before the call: under a virtual
 * clock by advancing it, under a real clock by sleeping.
 *
 * Failure mapping (see `toGatewayFailure`): unknown device → `lock_not_found`; no PIN pad or no
 * remote-unlock waiver → `capability_missing`; caller PIN without custom-PIN subscription →
 * `custom_pin_not_allowed`; 429 → `rate_limited`; 5xx → `unavailable`; lost reply → `outcome_unknown`.
 */
export class SaltoKsSimulator implements LockGateway {
  readonly world: SaltoKsWorld;
  private readonly beforeCall: ((operation: SimOperation) => Promise<void>) | undefined;

  constructor(options: SaltoKsSimulatorOptions = {}) {
    this.world = worldFor(options);
    this.beforeCall = options.beforeCall;
  }

  /** A simulator over the seeded default world (see `createDefaultWorld`). */
  static withDefaultWorld(options: Omit<SaltoKsSimulatorOptions, 'world'> = {}): {
    simulator: SaltoKsSimulator;
    ids: DefaultWorldIds;
  } {
    const { world, ids } = defaultWorldFor(options);
    const simulator = new SaltoKsSimulator({
      world,
      ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
    });
    return { simulator, ids };
  }

  /** Restores a simulator from `toJSON()`; see `SaltoKsWorld.fromJSON`. */
  static fromJSON(
    snapshot: WorldSnapshot,
    options: { clock?: Clock; beforeCall?: (operation: SimOperation) => Promise<void> } = {},
  ): SimResult<SaltoKsSimulator> {
    const world = SaltoKsWorld.fromJSON(snapshot, options.clock ? { clock: options.clock } : {});
    if (!world.ok) return world;
    return ok(
      new SaltoKsSimulator({
        world: world.value,
        ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
      }),
    );
  }

  /** Plain-JSON snapshot of the world (round-trips exactly through `fromJSON`). */
  toJSON(): WorldSnapshot {
    return this.world.toJSON();
  }

  private enter(op: SimOperation): Promise<void> {
    return enterWorld(this.world, this.beforeCall, op);
  }

  // ───────────────────────── LockGateway ─────────────────────────

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    await this.enter('list_sites');
    const r = this.world.listSites();
    return r.ok ? ok(r.value.map(toSite)) : err(toGatewayFailure(r.error));
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    await this.enter('get_site');
    const r = this.world.getSite(siteId);
    return r.ok
      ? ok({ siteId: r.value.siteId, used: r.value.used, limit: r.value.slotLimit })
      : err(toGatewayFailure(r.error));
  }

  async listLocks(siteId?: SiteId): Promise<Result<readonly Lock[], GatewayFailure>> {
    await this.enter('list_devices');
    if (siteId !== undefined && this.world.inspectSite(siteId) === null) {
      return err({
        code: 'site_not_found',
        message: `Site ${JSON.stringify(siteId)} was not found. List the sites to get a current id.`,
        providerCode: 'site_not_found',
      });
    }
    const r = this.world.listDevices(siteId !== undefined ? { siteId } : {});
    return r.ok ? ok(r.value.map(toLock)) : err(toGatewayFailure(r.error));
  }

  async getLock(lockId: LockId): Promise<Result<Lock, GatewayFailure>> {
    await this.enter('get_device');
    const r = this.world.getDevice(lockId);
    return r.ok ? ok(toLock(r.value)) : err(toGatewayFailure(r.error));
  }

  async createAccessCode(input: CreateAccessCodeInput): Promise<Result<AccessCode, GatewayFailure>> {
    const problems = [
      ...(typeof input?.lockId === 'string' && input.lockId !== ''
        ? []
        : [{ field: 'lockId', message: 'must be a non-empty string' }]),
      ...(typeof input?.name === 'string' ? [] : [{ field: 'name', message: 'must be a string' }]),
      ...windowIssues(input?.window),
      ...(input?.pin === undefined || typeof input.pin === 'string'
        ? []
        : [{ field: 'pin', message: 'must be a string of digits' }]),
    ];
    if (problems.length > 0) {
      return err({
        code: 'invalid_input',
        message: `Invalid access code request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
      });
    }
    await this.enter('create_access_code');
    const w = input.window;
    const r = this.world.createAccessCode({
      deviceId: input.lockId,
      name: input.name,
      ...(input.pin !== undefined ? { code: input.pin } : {}),
      ...(w.kind === 'scheduled' ? { startsAt: w.startsAt, endsAt: w.endsAt } : {}),
    });
    return r.ok
      ? ok(toAccessCode(r.value, this.world.inspectDevice(r.value.deviceId)))
      : err(toGatewayFailure(r.error));
  }

  async getAccessCode(id: AccessCodeId): Promise<Result<AccessCode, GatewayFailure>> {
    await this.enter('get_access_code');
    const r = this.world.getAccessCode(id);
    return r.ok
      ? ok(toAccessCode(r.value, this.world.inspectDevice(r.value.deviceId)))
      : err(toGatewayFailure(r.error));
  }

  async listAccessCodes(lockId: LockId): Promise<Result<readonly AccessCode[], GatewayFailure>> {
    await this.enter('list_access_codes');
    const r = this.world.listAccessCodes({ deviceId: lockId });
    if (!r.ok) return err(toGatewayFailure(r.error));
    const device = this.world.inspectDevice(lockId);
    return ok(r.value.map((c) => toAccessCode(c, device)));
  }

  async deleteAccessCode(id: AccessCodeId): Promise<Result<void, GatewayFailure>> {
    await this.enter('delete_access_code');
    const r = this.world.deleteAccessCode(id);
    return r.ok ? ok(undefined) : err(toGatewayFailure(r.error));
  }

  async unlock(lockId: LockId): Promise<Result<UnlockAttempt, GatewayFailure>> {
    await this.enter('unlock_door');
    const r = this.world.unlockDoor(lockId);
    return r.ok ? ok(toUnlockAttempt(r.value)) : err(toGatewayFailure(r.error));
  }

  async getUnlockAttempt(id: string): Promise<Result<UnlockAttempt, GatewayFailure>> {
    await this.enter('get_action_attempt');
    const r = this.world.getActionAttempt(id);
    return r.ok ? ok(toUnlockAttempt(r.value)) : err(toGatewayFailure(r.error));
  }

  // ───────────────────────── control surface ─────────────────────────

  setHubLink(lockId: LockId, link: HubLink): SimResult<DeviceView> {
    return this.world.setHubLink(lockId, link);
  }

  setSlotLimit(siteId: SiteId, limit: number): SimResult<SiteView> {
    return this.world.setSlotLimit(siteId, limit);
  }

  setPrivacyMode(lockId: LockId, on: boolean): SimResult<DeviceView> {
    return this.world.setPrivacyMode(lockId, on);
  }

  setOfficeMode(lockId: LockId, on: boolean): SimResult<DeviceView> {
    return this.world.setOfficeMode(lockId, on);
  }

  injectFault(fault: FaultInput): SimResult<ActiveFault> {
    return this.world.injectFault(fault);
  }

  /** Advances a virtual clock (fails on a real clock; see `SaltoKsWorld.advance`). */
  advance(ms: number): ReturnType<SaltoKsWorld['advance']> {
    return this.world.advance(ms);
  }

  /**
   * Lets pending work finish: under a virtual clock advances `ms` (default 60 s, more than any
   * default delay even on a weak link); under a real clock waits that long.
   */
  async settle(ms = DEFAULT_SETTLE_MS): Promise<void> {
    const r = await this.world.advance(ms);
    if (!r.ok) await this.world.clock.sleep(ms);
  }
}
