// Narrow core entry points, not the root: the root also loads core's application layer, which
// the simulator never uses and which would add to `keyslot-sim serve`'s start-up.
import { err, type HubLink, type Instant, ok } from '@keyslot/core/domain';
import { VirtualClock } from '@keyslot/core/infrastructure';
import type { Clock } from '@keyslot/core/ports';
import { AccessCodes } from './access-codes.js';
import { AccessGrantsWorld } from './acs/access-grants-world.js';
import { AcsWorld, createAcsRooms } from './acs/acs-world.js';
import { resolveWorldConfig } from './config.js';
import { Controls } from './controls.js';
import { Door } from './door.js';
import { invalid } from './failures.js';
import { Faults } from './faults.js';
import { SlotLedger } from './ledger.js';
import { Lifecycle } from './lifecycle.js';
import { Queries } from './queries.js';
import { Runtime } from './runtime.js';
import { isWorldSnapshot, restoreSnapshot, takeSnapshot, type WorldSnapshot } from './snapshot.js';
import { type EventListener, WorldState } from './state.js';
import { Topology } from './topology.js';
import { TransitionRouter } from './transition-router.js';
import type {
  AccessCodeRecord,
  ActionAttemptRecord,
  ActiveFault,
  AddConnectedAccountParams,
  AddHubParams,
  AddLockParams,
  AddSiteParams,
  ConnectedAccountRecord,
  ConnectedAccountView,
  CreateAccessCodeParams,
  DeviceView,
  FaultInput,
  HubRecord,
  KeypadEntryResult,
  ListAccessCodesParams,
  ListDevicesParams,
  ListEventsParams,
  LockRecord,
  SimEvent,
  SimOperation,
  SimResult,
  SiteView,
  UpdateAccessCodeParams,
  WorldConfig,
  WorldConfigInput,
} from './types.js';

export type { WorldSnapshot } from './snapshot.js';
export type { EventListener } from './state.js';

export interface WorldOptions {
  /** Seed of the world's RandomSource (ids, PINs, delays, flakiness). Default 1. */
  readonly seed?: number;
  /** Default: a `VirtualClock` at 2026-01-01T00:00:00Z (advance it with `world.advance`). */
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
}

/**
 * A deterministic simulated Salto KS world behind Seam: connected accounts → sites (slot limit,
 * custom-PIN subscription, time zone) → IQ hubs → locks (capabilities, hub link, modes, battery)
 * → access codes → events, plus remote-unlock action attempts.
 *
 * **Determinism.** All randomness (ids, PINs, delays, weak-link flakiness) comes from one seeded
 * generator, drawn in call order; time comes from the injected `Clock`. The same seed and the
 * same calls at the same clock times give byte-identical results, events and snapshots.
 *
 * **Time.** The world never uses timers. Delayed work (PIN assignment, programming, removal,
 * unlock completion, time-bound load/start/end) is a queue of transitions. Every call first
 * processes each due transition in time order (ties by creation order), each "at" its own
 * scheduled instant, so a real clock catching up lazily gives the same outcome as a virtual
 * clock advanced step by step. Under a virtual clock, move time with {@link advance}.
 *
 * **Calls.** API methods (the ones a Seam-compatible server exposes) return `SimResult`: a typed
 * failure carries Seam's `error.type`, a message, and `data` (the server turns the type into an
 * HTTP status, `server/failure-status.ts`). They honour
 * per-device rate limits and injected faults. Control methods (`set*`, `add*`, `injectFault`,
 * `advance`) bypass both. Nothing ever throws for bad input; the world is never left half-changed.
 *
 * **Slot accounting.** Per site, `used` = codes holding a slot: ongoing codes from creation
 * until deleted; time-bound codes from load (`startsAt − slotLeadTimeMs`) until `endsAt` or
 * deletion. A code that would take `used` over the limit is still created but carries the
 * not-subscribed error and never holds a slot (even if slots free up later: delete it and create
 * a new one, as with Salto). Lowering the limit below `used` unsubscribes the newest codes until
 * `used` = limit, so `used ≤ limit` always holds.
 *
 * **Rooms.** This class is a thin front over modules sharing one {@link WorldState}, each owning
 * one responsibility (docs/salto-sim-rooms.md): `runtime.ts` (clock catch-up, scheduling, random
 * draws, ids, events), `faults.ts` (faults, rate limits, the API call frame), `ledger.ts` (the
 * only writer of slot counts), `topology.ts` and `controls.ts`, `access-codes.ts` (commands),
 * `lifecycle.ts` (what happens to a code afterwards), `door.ts` (keypad, lock/unlock),
 * `queries.ts` with `views.ts`, and `snapshot.ts`.
 */
export class SaltoKsWorld {
  readonly config: WorldConfig;
  readonly clock: Clock;
  /** The same sites through Seam's ACS integration (`acs/acs-world.ts`); users share the slot pool. */
  readonly acs: AcsWorld;
  /** User identities and Access Grants over Salto KS entrances (`acs/access-grants-world.ts`). */
  readonly accessGrants: AccessGrantsWorld;
  private readonly state: WorldState;
  private readonly rt: Runtime;
  private readonly faults: Faults;
  private readonly topology: Topology;
  private readonly controls: Controls;
  private readonly accessCodes: AccessCodes;
  private readonly door: Door;
  private readonly queries: Queries;

  /**
   * Creates an empty world. Throws `RangeError` only for an invalid `config` (a programmer
   * error); use {@link SaltoKsWorld.create} to get it as a result instead.
   */
  constructor(options: WorldOptions = {}) {
    const resolved = resolveWorldConfig(options.config);
    if (!resolved.ok) throw new RangeError(resolved.error.message);
    this.config = resolved.value;
    this.clock = options.clock ?? new VirtualClock();
    const s = new WorldState(this.config, this.clock, options.seed ?? 1);
    const router = new TransitionRouter();
    const rt = new Runtime(s, router);
    const ledger = new SlotLedger(s);
    const faults = new Faults(s, rt);
    const lifecycle = new Lifecycle(s, rt, ledger);
    this.state = s;
    this.rt = rt;
    this.faults = faults;
    this.topology = new Topology(s, rt, ledger);
    this.controls = new Controls(s, rt, ledger, lifecycle);
    this.accessCodes = new AccessCodes(s, rt, faults, lifecycle);
    this.door = new Door(s, rt, faults);
    this.queries = new Queries(s, rt, faults);
    const acsRooms = createAcsRooms(s, rt, faults, ledger);
    this.acs = new AcsWorld(acsRooms);
    this.accessGrants = new AccessGrantsWorld(acsRooms);
    router.door = this.door;
    router.lifecycle = lifecycle;
    router.acs = this.acs;
  }

  /** Like the constructor, but returns a bad configuration as an `invalid_input` failure. */
  static create(options: WorldOptions = {}): SimResult<SaltoKsWorld> {
    const resolved = resolveWorldConfig(options.config);
    if (!resolved.ok) return err(resolved.error);
    return ok(new SaltoKsWorld(options));
  }

  // ───────────────────────── time ─────────────────────────

  /** The world's current instant (processes due transitions first). */
  now(): Instant {
    return this.rt.catchUp();
  }

  /**
   * Moves a virtual clock forward by `ms` and processes everything that became due. Fails with
   * `invalid_input` when the clock cannot be moved (a real clock: just wait instead).
   */
  advance(ms: number): Promise<SimResult<Instant>> {
    return this.rt.advance(ms);
  }

  /** Instant of the next pending transition, or `null` when nothing is scheduled. */
  nextTransitionAt(): Instant | null {
    return this.state.queue.peek()?.at ?? null;
  }

  /** Number of scheduled transitions (for tests and diagnostics). */
  get pendingTransitions(): number {
    return this.state.queue.size;
  }

  // ───────────────────────── events ─────────────────────────

  /** Calls `listener` with every event from now on (e.g. to deliver webhooks). Returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    return this.rt.onEvent(listener);
  }

  // ───────────────────────── faults and rate limits (control) ─────────────────────────

  /**
   * Injects a fault affecting the next `count` (default 1) calls of `operations` (default: any).
   * Faults are consumed in injection order. Returns the active fault with its id.
   */
  injectFault(input: FaultInput): SimResult<ActiveFault> {
    return this.faults.inject(input);
  }

  /** Active faults, oldest first. */
  listFaults(): ActiveFault[] {
    return this.faults.list();
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Consumes the latency faults matching `op` and returns the total delay to apply before the
   * call. The world never waits itself: async callers (the in-process gateway, the HTTP server)
   * call this first and sleep/advance by the result.
   */
  takeLatency(op: SimOperation): number {
    return this.faults.takeLatency(op);
  }

  /** Turns Seam's per-device rate limits on or off. */
  setRateLimitsEnabled(enabled: boolean): void {
    this.faults.setRateLimitsEnabled(enabled);
  }

  // ───────────────────────── building the world (control) ─────────────────────────

  /**
   * Adds a Salto KS connected account. Emits `connected_account.connected`. Through a Connect
   * Webview (`connectWebviewId`), in Seam's order and each with the webview's id:
   * `connected_account.created`, `connected_account.connected`, `connect_webview.login_succeeded`,
   * then `connected_account.completed_first_sync` (the new account has no devices to sync yet).
   */
  addConnectedAccount(params: AddConnectedAccountParams = {}): SimResult<ConnectedAccountRecord> {
    return this.topology.addConnectedAccount(params);
  }

  /** Adds a site to a connected account. */
  addSite(params: AddSiteParams): SimResult<SiteView> {
    return this.topology.addSite(params);
  }

  /** Adds an IQ hub to a site. */
  addHub(params: AddHubParams): SimResult<HubRecord> {
    return this.topology.addHub(params);
  }

  /** Adds a lock behind an IQ hub. Defaults: PIN pad and remote unlock, good link, battery 1. Emits `device.added`. */
  addLock(params: AddLockParams): SimResult<DeviceView> {
    return this.topology.addLock(params);
  }

  // ───────────────────────── controls ─────────────────────────

  /**
   * Sets a lock's IQ hub link. `offline` parks hub-bound work (programming, removal) and makes
   * unlocks fail; leaving `offline` reschedules the parked work. Emits `device.disconnected`
   * (`error_code: hub_disconnected`) / `device.connected`, `device.connection_became_flaky` /
   * `device.connection_stabilized`.
   */
  setHubLink(deviceId: string, link: HubLink): SimResult<DeviceView> {
    return this.controls.setHubLink(deviceId, link);
  }

  /** Sets the hub link of every lock behind one IQ hub. */
  setHubLinkForHub(hubId: string, link: HubLink): SimResult<DeviceView[]> {
    return this.controls.setHubLinkForHub(hubId, link);
  }

  /**
   * Sets a site's slot limit (non-negative integer). Raising it never subscribes codes that
   * were refused (Salto keeps them unsubscribed). Lowering it below `used` unsubscribes the
   * newest slot-holding codes (they get the not-subscribed error) until `used` = limit.
   */
  setSlotLimit(siteId: string, limit: number): SimResult<SiteView> {
    return this.controls.setSlotLimit(siteId, limit);
  }

  /** Turns a site's custom-PIN subscription on or off. */
  setCustomPinSubscription(siteId: string, enabled: boolean): SimResult<SiteView> {
    return this.controls.setCustomPinSubscription(siteId, enabled);
  }

  /** Privacy mode: remote unlocks are refused; warning `salto_ks_privacy_mode`; privacy events. */
  setPrivacyMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    return this.controls.setPrivacyMode(deviceId, on);
  }

  /** Office mode: the door is free; warning `salto_ks_office_mode`. */
  setOfficeMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    return this.controls.setOfficeMode(deviceId, on);
  }

  /** Battery level in [0, 1]. Emits `device.battery_status_changed`, and `device.low_battery` below 20 %. */
  setBatteryLevel(deviceId: string, level: number): SimResult<DeviceView> {
    return this.controls.setBatteryLevel(deviceId, level);
  }

  /** Changes a lock's capabilities (PIN pad, remote-unlock waiver). */
  setCapabilities(
    deviceId: string,
    capabilities: Partial<LockRecord['capabilities']>,
  ): SimResult<DeviceView> {
    return this.controls.setCapabilities(deviceId, capabilities);
  }

  // ───────────────────────── inspection (control; no faults, no rate limits) ─────────────────────────

  /** A site as the world sees it, or `null`. Unlike `getSite`, never affected by faults. */
  inspectSite(siteId: string): SiteView | null {
    return this.queries.inspectSite(siteId);
  }

  /** A device as the world sees it, or `null`. Unlike `getDevice`, never affected by faults. */
  inspectDevice(deviceId: string): DeviceView | null {
    return this.queries.inspectDevice(deviceId);
  }

  /** Live codes (not yet gone), optionally of one site or device, in creation order. No faults. */
  inspectAccessCodes(
    filter: { readonly siteId?: string; readonly deviceId?: string } = {},
  ): AccessCodeRecord[] {
    return this.queries.inspectAccessCodes(filter);
  }

  /** An action attempt, or `null` (never affected by faults). */
  inspectActionAttempt(actionAttemptId: string): ActionAttemptRecord | null {
    return this.queries.inspectActionAttempt(actionAttemptId);
  }

  /** Every connected account, site and device, and the kept action attempts (creation order). No faults. */
  inspectAll(): {
    accounts: ConnectedAccountView[];
    sites: SiteView[];
    devices: DeviceView[];
    attempts: ActionAttemptRecord[];
  } {
    return this.queries.inspectAll();
  }

  /** The newest `limit` events still in the log, oldest first. No faults. */
  inspectEvents(limit: number): SimEvent[] {
    return this.queries.inspectEvents(limit);
  }

  // ───────────────────────── reads (API) ─────────────────────────

  listConnectedAccounts(): SimResult<ConnectedAccountView[]> {
    return this.queries.listConnectedAccounts();
  }

  getConnectedAccount(connectedAccountId: string): SimResult<ConnectedAccountView> {
    return this.queries.getConnectedAccount(connectedAccountId);
  }

  listSites(connectedAccountId?: string): SimResult<SiteView[]> {
    return this.queries.listSites(connectedAccountId);
  }

  getSite(siteId: string): SimResult<SiteView> {
    return this.queries.getSite(siteId);
  }

  /** IQ hubs, optionally of one site (control/read helper; no faults). */
  listHubs(siteId?: string): HubRecord[] {
    return this.queries.listHubs(siteId);
  }

  listDevices(params: ListDevicesParams = {}): SimResult<DeviceView[]> {
    return this.queries.listDevices(params);
  }

  getDevice(deviceId: string): SimResult<DeviceView> {
    return this.queries.getDevice(deviceId);
  }

  /** Access codes of one device (`device_not_found` if unknown) and/or with the given ids, in creation order. */
  listAccessCodes(params: ListAccessCodesParams): SimResult<AccessCodeRecord[]> {
    return this.queries.listAccessCodes(params);
  }

  getAccessCode(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.queries.getAccessCode(accessCodeId);
  }

  getActionAttempt(actionAttemptId: string): SimResult<ActionAttemptRecord> {
    return this.queries.getActionAttempt(actionAttemptId);
  }

  /** Events still in the ring buffer that match, oldest first. */
  listEvents(params: ListEventsParams = {}): SimResult<SimEvent[]> {
    return this.queries.listEvents(params);
  }

  // ───────────────────────── access codes (API) ─────────────────────────

  /**
   * Creates an access code (Seam `/access_codes/create`). Emits `access_code.created`.
   * - Ongoing (no `startsAt`/`endsAt`): loaded at once → `setting`, `code: null`,
   *   `isWaitingForCodeAssignment`; PIN after `pinAssignmentMs`, `set` after `programmingMs`.
   * - Time-bound: `unset`; loaded at `startsAt − slotLeadTimeMs` (now if already inside), then
   *   programmed (`access_code.scheduled_on_device`), `set` at `startsAt`, `removing` at `endsAt`, gone after.
   * - Loading at the site's limit: the code carries the not-subscribed error and holds no slot.
   * Failures: `device_not_found`; `access_codes_not_supported` (no PIN pad); `invalid_input` (bad
   * window, bad name, `code` without custom-PIN subscription → `data.reason:
   * 'custom_pin_not_allowed'`, `code` not 6–10 digits); `duplicate_access_code`; `rate_limit_exceeded`.
   */
  createAccessCode(params: CreateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.accessCodes.create(params);
  }

  /**
   * Deletes a code (Seam `/access_codes/delete`): it frees its slot at once, turns `removing`
   * (emits `access_code.deleted`) and is gone (`access_code_not_found`) after `removalMs` — or, if it reached the
   * lock and the hub is offline, after the hub reconnects. Deleting a `removing` code is a no-op.
   */
  deleteAccessCode(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.accessCodes.delete(accessCodeId);
  }

  /**
   * Changes a live code (Seam `/access_codes/update`); emits `access_code.changed` when something
   * changed. See {@link UpdateAccessCodeParams} for the window rules.
   * A name-only change is bookkeeping. A new window or PIN is a new definition: the code is taken
   * off the lock and loaded again under the new window exactly as a new code would be, by the slot
   * rules (see `Lifecycle.redefine`); a code refused at the limit stays refused.
   * Failures: `access_code_not_found` (gone, or not on the given `deviceId`), `device_not_found`;
   * `invalid_input` (being removed: `data.reason: 'access_code_being_removed'`; a bad window or
   * name; `code` as for create); `duplicate_access_code`; `rate_limit_exceeded` (10/min per device).
   */
  updateAccessCode(params: UpdateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.accessCodes.update(params);
  }

  // ───────────────────────── the door ─────────────────────────

  /**
   * Someone types `pin` on the lock's keypad (Seam sandbox `/locks/simulate/keypad_code_entry`).
   * A control method: no faults, no rate limits. The PIN opens the lock when a code of this lock
   * has it, is `set`, holds a slot and `now` is inside its window; the check runs at the IQ hub,
   * so it still works while the hub is offline from the cloud (`offline`: codes already on the
   * lock keep working) but may be dropped on a `weak` link (failure draw). Privacy mode refuses
   * every PIN; in office mode the door is already free. Outcomes: `unlocked` (emits
   * `lock.unlocked` with `method: keycode`, `access_code_id`, `access_code_is_managed: true`;
   * relocks after `relockMs`), `already_free` (nothing emitted), `denied` (emits
   * `lock.access_denied`, with `access_code_id` when the PIN matched a code of this lock).
   * Failures: `device_not_found`; `access_codes_not_supported` (no PIN pad); `invalid_input`
   * (`pin` not a string of digits).
   */
  enterKeypadCode(deviceId: string, pin: string): SimResult<KeypadEntryResult> {
    return this.door.enterKeypadCode(deviceId, pin);
  }

  /**
   * Remote unlock (Seam `/locks/unlock_door`): returns a `pending` UNLOCK_DOOR attempt that ends
   * after `unlockMs` in `success` (emits `lock.unlocked` with `method: remote`, relocks later)
   * or `error` — `hub_disconnected` when the hub is offline at request or completion time,
   * `salto_ks_privacy_mode` in privacy mode, `uncategorized_error` on a weak link's failure draw.
   * Failures: `device_not_found`; `remote_unlock_not_supported`; `rate_limit_exceeded`.
   */
  unlockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.door.unlockDoor(deviceId);
  }

  /**
   * Remote lock (Seam `/locks/lock_door`). Salto locks relock by themselves, so this mostly
   * confirms; it is what ends office mode. Returns a `pending` LOCK_DOOR attempt that ends after
   * `unlockMs` in `success` (the lock is locked, office mode off; emits `lock.locked` with
   * `method: remote` and the attempt id, `action_attempt.lock_door.succeeded`) or `error`
   * (`hub_disconnected` when offline at request or completion time, `uncategorized_error` on a weak
   * link's failure draw). Privacy mode does not refuse locking. Needs the same pass-through waiver
   * as unlocking. Failures: `device_not_found`; `remote_lock_not_supported`; `rate_limit_exceeded`.
   */
  lockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.door.lockDoor(deviceId);
  }

  // ───────────────────────── snapshots ─────────────────────────

  /**
   * Plain-JSON snapshot of the whole world (configuration, RNG state, clock time, every record,
   * pending transitions, events, rate-limit windows, faults). Event listeners are not included.
   */
  toJSON(): WorldSnapshot {
    this.rt.catchUp();
    return takeSnapshot(this.state);
  }

  /**
   * Restores a snapshot exactly: continuing the restored world gives the same results as
   * continuing the original. Default clock: a `VirtualClock` at the snapshot's time; a given
   * clock must not be behind the snapshot (due transitions are processed on the next call).
   */
  static fromJSON(snapshot: WorldSnapshot, options: { clock?: Clock } = {}): SimResult<SaltoKsWorld> {
    if (!isWorldSnapshot(snapshot))
      return err(invalid('snapshot', 'must be an object returned by SaltoKsWorld.toJSON (version 1)'));
    const created = SaltoKsWorld.create({
      config: snapshot.config,
      clock: options.clock ?? new VirtualClock(snapshot.now),
    });
    if (!created.ok) return created;
    restoreSnapshot(created.value.state, snapshot);
    return created;
  }
}
