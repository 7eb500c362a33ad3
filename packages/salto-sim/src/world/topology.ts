import { DEFAULT_SLOT_LEAD_TIME_MS, err, type HubLink, ok } from '@keyslot/core/domain';
import { accountNotFound, deviceNotFound, hubNotFound, invalid, siteNotFound } from './failures.js';
import type { SlotLedger } from './ledger.js';
import type { Runtime } from './runtime.js';
import type { LockState, SiteState, WorldState } from './state.js';
import type {
  AddConnectedAccountParams,
  AddHubParams,
  AddLockParams,
  AddSiteParams,
  ConnectedAccountRecord,
  DeviceView,
  HubRecord,
  SimFailure,
  SimResult,
  SiteView,
} from './types.js';
import { deviceView, siteView } from './views.js';

/** The lock with id `deviceId`, or the `device_not_found` failure every room answers with. */
export function findLock(s: WorldState, deviceId: string): SimResult<LockState> {
  const lock = s.locks.get(deviceId);
  return lock ? ok(lock) : err(deviceNotFound(deviceId));
}

/** The site with id `siteId`, or `site_not_found`. */
export function findSite(s: WorldState, siteId: string): SimResult<SiteState> {
  const site = s.sites.get(siteId);
  return site ? ok(site) : err(siteNotFound(siteId));
}

export const isHubLink = (x: unknown): x is HubLink => x === 'good' || x === 'weak' || x === 'offline';

/**
 * The world's topology: connected accounts → sites (slot limit, custom-PIN subscription, time
 * zone, PIN length) → IQ hubs → locks (capabilities, hub link, modes, battery). Building it is
 * control: no faults, no rate limits. Changing it afterwards is `controls.ts`.
 */
export class Topology {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly ledger: SlotLedger,
  ) {}

  /** Adds a Salto KS connected account. Emits `connected_account.connected`. */
  addConnectedAccount(params: AddConnectedAccountParams = {}): SimResult<ConnectedAccountRecord> {
    const t = this.rt.catchUp();
    const id = params.connectedAccountId ?? this.rt.newId();
    if (this.s.accounts.has(id)) return err(invalid('connectedAccountId', `${id} already exists`));
    const rec = {
      connectedAccountId: id,
      accountType: 'salto_ks' as const,
      displayName: params.displayName ?? 'Salto KS (simulated)',
      createdAt: t,
    };
    this.s.accounts.set(id, rec);
    if (params.connectWebviewId === undefined) this.rt.emit('connected_account.connected', id);
    else {
      const data = { connect_webview_id: params.connectWebviewId };
      this.rt.emit('connected_account.created', id, { data });
      this.rt.emit('connected_account.connected', id, { data });
      this.rt.emit('connect_webview.login_succeeded', id, { data });
      this.rt.emit('connected_account.completed_first_sync', id);
    }
    return ok({ ...rec });
  }

  /** Adds a site to a connected account. */
  addSite(params: AddSiteParams): SimResult<SiteView> {
    const t = this.rt.catchUp();
    if (!this.s.accounts.has(params.connectedAccountId))
      return err(accountNotFound(params.connectedAccountId));
    const problems = siteParamProblems(params);
    if (problems) return err(problems);
    const id = params.siteId ?? this.rt.newId();
    if (this.s.sites.has(id)) return err(invalid('siteId', `${id} already exists`));
    const site: SiteState = {
      siteId: id,
      siteName: params.siteName,
      connectedAccountId: params.connectedAccountId,
      slotLimit: params.slotLimit,
      hasCustomPinSubscription: params.hasCustomPinSubscription ?? false,
      timeZone: params.timeZone ?? 'UTC',
      slotLeadTimeMs: params.slotLeadTimeMs ?? DEFAULT_SLOT_LEAD_TIME_MS,
      pinLength: params.pinLength ?? 6,
      createdAt: t,
      used: 0,
      pins: new Set(),
      limitReachedSince: null,
      almostReachedSince: null,
    };
    this.ledger.openSite(site);
    this.s.sites.set(id, site);
    return ok(siteView(site));
  }

  /** Adds an IQ hub to a site. */
  addHub(params: AddHubParams): SimResult<HubRecord> {
    const t = this.rt.catchUp();
    if (!this.s.sites.has(params.siteId)) return err(siteNotFound(params.siteId));
    const id = params.hubId ?? this.rt.newId();
    if (this.s.hubs.has(id)) return err(invalid('hubId', `${id} already exists`));
    const hub = {
      hubId: id,
      siteId: params.siteId,
      name: params.name ?? `IQ ${this.s.hubs.size + 1}`,
      createdAt: t,
    };
    this.s.hubs.set(id, hub);
    return ok({ ...hub });
  }

  /** Adds a lock behind an IQ hub. Defaults: PIN pad and remote unlock, good link, battery 1. Emits `device.added`. */
  addLock(params: AddLockParams): SimResult<DeviceView> {
    const t = this.rt.catchUp();
    const hub = this.s.hubs.get(params.hubId);
    if (!hub) return err(hubNotFound(params.hubId));
    const site = this.s.sites.get(hub.siteId)!;
    if (typeof params.name !== 'string' || params.name.trim() === '')
      return err(invalid('name', 'must be a non-empty string'));
    const battery = params.batteryLevel ?? 1;
    if (!(battery >= 0 && battery <= 1)) return err(invalid('batteryLevel', 'must be within [0, 1]'));
    if (params.hubLink !== undefined && !isHubLink(params.hubLink))
      return err(invalid('hubLink', 'must be "good", "weak" or "offline"'));
    const id = params.deviceId ?? this.rt.newId();
    if (this.s.locks.has(id)) return err(invalid('deviceId', `${id} already exists`));
    const lock: LockState = {
      deviceId: id,
      siteId: site.siteId,
      hubId: hub.hubId,
      connectedAccountId: site.connectedAccountId,
      name: params.name,
      saltoLockId: `lock_${++this.s.saltoLockSeq}`,
      lockType: params.lockType ?? 'wall_reader_pin',
      capabilities: {
        remoteUnlock: params.capabilities?.remoteUnlock ?? true,
        accessCodes: params.capabilities?.accessCodes ?? true,
      },
      hubLink: params.hubLink ?? 'good',
      privacyMode: params.privacyMode ?? false,
      officeMode: params.officeMode ?? false,
      batteryLevel: battery,
      locked: true,
      createdAt: t,
      hubLinkSince: t,
      privacyModeSince: t,
      officeModeSince: t,
      parked: [],
    };
    this.s.locks.set(id, lock);
    this.rt.emit('device.added', lock.connectedAccountId, { deviceId: id });
    return ok(deviceView(this.s.sites, lock));
  }
}

function siteParamProblems(p: AddSiteParams): SimFailure | null {
  if (typeof p.siteName !== 'string' || p.siteName.trim() === '')
    return invalid('siteName', 'must be a non-empty string');
  if (!Number.isInteger(p.slotLimit) || p.slotLimit < 0)
    return invalid('slotLimit', 'must be an integer ≥ 0');
  if (p.pinLength !== undefined && !(Number.isInteger(p.pinLength) && p.pinLength >= 6 && p.pinLength <= 10))
    return invalid('pinLength', 'must be an integer from 6 to 10');
  if (p.slotLeadTimeMs !== undefined && !(Number.isInteger(p.slotLeadTimeMs) && p.slotLeadTimeMs >= 0))
    return invalid('slotLeadTimeMs', 'must be an integer ≥ 0');
  if (p.timeZone !== undefined && !isTimeZone(p.timeZone))
    return invalid('timeZone', `${JSON.stringify(p.timeZone)} is not an IANA time zone`);
  return null;
}

/** The canonical IANA zones this runtime knows, listed on first use. */
let canonicalTimeZones: ReadonlySet<string> | undefined;

/**
 * Whether `Intl.DateTimeFormat` accepts `zone`. The first `DateTimeFormat` a process creates loads
 * ICU's locale and calendar data (~10 ms: most of the default world's build, so of
 * `keyslot-sim serve`'s start-up), so a canonical name (`Europe/Madrid`) is looked up in
 * `Intl.supportedValuesOf('timeZone')` (~1 ms, every entry is one `DateTimeFormat` accepts);
 * anything else — aliases (`UTC`, `Asia/Calcutta`), other casings, junk — is still decided by
 * `DateTimeFormat` itself, so the accepted set is exactly the same.
 */
export function isTimeZone(zone: string): boolean {
  canonicalTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
