import { err, type HubLink, ok } from '@keyslot/core/domain';
import { deviceIssueCode } from '../seam/issues.js';
import { hubNotFound, invalid } from './failures.js';
import type { SlotLedger } from './ledger.js';
import type { Lifecycle } from './lifecycle.js';
import type { Runtime } from './runtime.js';
import type { WorldState } from './state.js';
import { findLock, findSite, isHubLink } from './topology.js';
import type { DeviceView, LockRecord, SimResult, SiteView } from './types.js';
import { batteryStatus, deviceView, LOW_BATTERY, siteView } from './views.js';

/**
 * Controls: changing the world's topology after it is built (hub links, slot limits, the
 * custom-PIN subscription, privacy and office modes, battery, capabilities), as Salto's own
 * apps or the physical world would. No faults, no rate limits; each emits Seam's events.
 */
export class Controls {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly ledger: SlotLedger,
    private readonly lifecycle: Lifecycle,
  ) {}

  /**
   * Sets a lock's IQ hub link. `offline` parks hub-bound work (programming, removal) and makes
   * unlocks fail; leaving `offline` reschedules the parked work. Emits `device.disconnected`
   * (`error_code: hub_disconnected`) / `device.connected`, `device.connection_became_flaky` /
   * `device.connection_stabilized`.
   */
  setHubLink(deviceId: string, link: HubLink): SimResult<DeviceView> {
    const t = this.rt.catchUp();
    const found = findLock(this.s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (!isHubLink(link)) return err(invalid('hubLink', 'must be "good", "weak" or "offline"'));
    const before = lock.hubLink;
    if (before === link) return ok(deviceView(this.s.sites, lock));
    lock.hubLink = link;
    lock.hubLinkSince = t;
    const acc = lock.connectedAccountId;
    if (link === 'offline') {
      this.rt.emit('device.disconnected', acc, {
        deviceId,
        data: { error_code: deviceIssueCode('hub_offline') },
      });
    } else {
      if (before === 'offline') this.rt.emit('device.connected', acc, { deviceId });
      if (link === 'weak') this.rt.emit('device.connection_became_flaky', acc, { deviceId });
      else if (before === 'weak') this.rt.emit('device.connection_stabilized', acc, { deviceId });
      if (before === 'offline') this.lifecycle.resumeParked(lock);
    }
    return ok(deviceView(this.s.sites, lock));
  }

  /** Sets the hub link of every lock behind one IQ hub. */
  setHubLinkForHub(hubId: string, link: HubLink): SimResult<DeviceView[]> {
    this.rt.catchUp();
    if (!this.s.hubs.has(hubId)) return err(hubNotFound(hubId));
    const out: DeviceView[] = [];
    for (const lock of this.s.locks.values()) {
      if (lock.hubId !== hubId) continue;
      const r = this.setHubLink(lock.deviceId, link);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }

  /**
   * Sets a site's slot limit (non-negative integer). Raising it never subscribes codes that
   * were refused (Salto keeps them unsubscribed). Lowering it below `used` unsubscribes the
   * newest slot-holding codes (they get the not-subscribed error) until `used` = limit.
   */
  setSlotLimit(siteId: string, limit: number): SimResult<SiteView> {
    this.rt.catchUp();
    const found = findSite(this.s, siteId);
    if (!found.ok) return found;
    const site = found.value;
    if (!Number.isInteger(limit) || limit < 0)
      return err(invalid('slotLimit', `must be an integer ≥ 0, got ${limit}`));
    this.ledger.setLimit(site, limit);
    return ok(siteView(site));
  }

  /** Turns a site's custom-PIN subscription on or off. */
  setCustomPinSubscription(siteId: string, enabled: boolean): SimResult<SiteView> {
    this.rt.catchUp();
    const found = findSite(this.s, siteId);
    if (!found.ok) return found;
    const site = found.value;
    site.hasCustomPinSubscription = enabled;
    return ok(siteView(site));
  }

  /** Privacy mode: remote unlocks are refused; warning `salto_ks_privacy_mode`; privacy events. */
  setPrivacyMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    const t = this.rt.catchUp();
    const found = findLock(this.s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (lock.privacyMode !== on) {
      lock.privacyMode = on;
      lock.privacyModeSince = t;
      this.rt.emit(
        on ? 'device.salto.privacy_mode_activated' : 'device.salto.privacy_mode_deactivated',
        lock.connectedAccountId,
        {
          deviceId,
        },
      );
    }
    return ok(deviceView(this.s.sites, lock));
  }

  /** Office mode: the door is free; warning `salto_ks_office_mode`. */
  setOfficeMode(deviceId: string, on: boolean): SimResult<DeviceView> {
    const t = this.rt.catchUp();
    const found = findLock(this.s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (lock.officeMode !== on) {
      lock.officeMode = on;
      lock.officeModeSince = t;
    }
    return ok(deviceView(this.s.sites, lock));
  }

  /** Battery level in [0, 1]. Emits `device.battery_status_changed`, and `device.low_battery` below 20 %. */
  setBatteryLevel(deviceId: string, level: number): SimResult<DeviceView> {
    this.rt.catchUp();
    const found = findLock(this.s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (!(level >= 0 && level <= 1))
      return err(invalid('batteryLevel', `must be within [0, 1], got ${level}`));
    const before = lock.batteryLevel;
    lock.batteryLevel = level;
    if (before !== level) {
      this.rt.emit('device.battery_status_changed', lock.connectedAccountId, {
        deviceId,
        data: { battery_level: level, battery_status: batteryStatus(level) },
      });
      if (level < LOW_BATTERY && before >= LOW_BATTERY)
        this.rt.emit('device.low_battery', lock.connectedAccountId, {
          deviceId,
          data: { battery_level: level },
        });
    }
    return ok(deviceView(this.s.sites, lock));
  }

  /** Changes a lock's capabilities (PIN pad, remote-unlock waiver). */
  setCapabilities(
    deviceId: string,
    capabilities: Partial<LockRecord['capabilities']>,
  ): SimResult<DeviceView> {
    this.rt.catchUp();
    const found = findLock(this.s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    lock.capabilities = { ...lock.capabilities, ...capabilities };
    return ok(deviceView(this.s.sites, lock));
  }
}
