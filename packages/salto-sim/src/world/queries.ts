import { err, ok } from '@keyslot/core/domain';
import {
  accessCodeNotFound,
  accountNotFound,
  deviceNotFound,
  invalid,
  notFound,
  siteNotFound,
} from './failures.js';
import type { Faults } from './faults.js';
import type { Runtime } from './runtime.js';
import type { WorldState } from './state.js';
import type {
  AccessCodeRecord,
  ActionAttemptRecord,
  ConnectedAccountView,
  DeviceView,
  HubRecord,
  ListAccessCodesParams,
  ListDevicesParams,
  ListEventsParams,
  SimEvent,
  SimResult,
  SiteView,
} from './types.js';
import { accountView, attemptView, codeView, deviceView, siteView } from './views.js';

/**
 * Queries: reading the world. `inspect*` and `listHubs` are control reads (never faulted); the
 * others are API reads (Seam's list/get routes), which run in the faults' frame. Every answer is
 * a fresh view (`views.ts`); nothing here changes the world beyond catching up with the clock.
 */
export class Queries {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly faults: Faults,
  ) {}

  /** A site as the world sees it, or `null`. Unlike `getSite`, never affected by faults. */
  inspectSite(siteId: string): SiteView | null {
    this.rt.catchUp();
    const s = this.s.sites.get(siteId);
    return s ? siteView(s) : null;
  }

  /** A device as the world sees it, or `null`. Unlike `getDevice`, never affected by faults. */
  inspectDevice(deviceId: string): DeviceView | null {
    this.rt.catchUp();
    const l = this.s.locks.get(deviceId);
    return l ? deviceView(this.s.sites, l) : null;
  }

  /** Live codes (not yet gone), optionally of one site or device, in creation order. No faults. */
  inspectAccessCodes(
    filter: { readonly siteId?: string; readonly deviceId?: string } = {},
  ): AccessCodeRecord[] {
    this.rt.catchUp();
    const out: AccessCodeRecord[] = [];
    for (const c of this.s.codes.values()) {
      if (filter.siteId !== undefined && c.siteId !== filter.siteId) continue;
      if (filter.deviceId !== undefined && c.deviceId !== filter.deviceId) continue;
      out.push(codeView(this.s, c));
    }
    return out;
  }

  /** An action attempt, or `null` (never affected by faults). */
  inspectActionAttempt(actionAttemptId: string): ActionAttemptRecord | null {
    this.rt.catchUp();
    const a = this.s.attempts.get(actionAttemptId);
    return a ? attemptView(this.s, a) : null;
  }

  /** Every connected account, site and device, and the kept action attempts (creation order). No faults. */
  inspectAll(): {
    accounts: ConnectedAccountView[];
    sites: SiteView[];
    devices: DeviceView[];
    attempts: ActionAttemptRecord[];
  } {
    this.rt.catchUp();
    const s = this.s;
    return {
      accounts: [...s.accounts.values()].map((a) => accountView(s.sites, a)),
      sites: [...s.sites.values()].map((site) => siteView(site)),
      devices: [...s.locks.values()].map((l) => deviceView(s.sites, l)),
      attempts: [...s.attempts.values()].map((a) => attemptView(s, a)),
    };
  }

  /** The newest `limit` events still in the log, oldest first. No faults. */
  inspectEvents(limit: number): SimEvent[] {
    this.rt.catchUp();
    const all = this.s.events.toArray();
    return all.slice(Math.max(0, all.length - limit));
  }

  // API reads: through the faults' frame.

  listConnectedAccounts(): SimResult<ConnectedAccountView[]> {
    return this.faults.call('list_connected_accounts', this, () =>
      ok([...this.s.accounts.values()].map((a) => accountView(this.s.sites, a))),
    );
  }

  getConnectedAccount(connectedAccountId: string): SimResult<ConnectedAccountView> {
    return this.faults.call('get_connected_account', this, () => {
      const a = this.s.accounts.get(connectedAccountId);
      return a ? ok(accountView(this.s.sites, a)) : err(accountNotFound(connectedAccountId));
    });
  }

  listSites(connectedAccountId?: string): SimResult<SiteView[]> {
    return this.faults.call('list_sites', this, () =>
      ok(
        [...this.s.sites.values()]
          .filter((s) => connectedAccountId === undefined || s.connectedAccountId === connectedAccountId)
          .map((s) => siteView(s)),
      ),
    );
  }

  getSite(siteId: string): SimResult<SiteView> {
    return this.faults.call('get_site', this, () => {
      const s = this.s.sites.get(siteId);
      return s ? ok(siteView(s)) : err(siteNotFound(siteId));
    });
  }

  /** IQ hubs, optionally of one site (control/read helper; no faults). */
  listHubs(siteId?: string): HubRecord[] {
    this.rt.catchUp();
    return [...this.s.hubs.values()]
      .filter((h) => siteId === undefined || h.siteId === siteId)
      .map((h) => ({ ...h }));
  }

  listDevices(params: ListDevicesParams = {}): SimResult<DeviceView[]> {
    return this.faults.call('list_devices', this, () => {
      const ids = params.deviceIds ? new Set(params.deviceIds) : null;
      return ok(
        [...this.s.locks.values()]
          .filter(
            (l) =>
              (params.siteId === undefined || l.siteId === params.siteId) &&
              (params.connectedAccountId === undefined ||
                l.connectedAccountId === params.connectedAccountId) &&
              (!ids || ids.has(l.deviceId)),
          )
          .map((l) => deviceView(this.s.sites, l)),
      );
    });
  }

  getDevice(deviceId: string): SimResult<DeviceView> {
    return this.faults.call('get_device', this, () => {
      const l = this.s.locks.get(deviceId);
      return l ? ok(deviceView(this.s.sites, l)) : err(deviceNotFound(deviceId));
    });
  }

  /** Access codes of one device (404 `device_not_found` if unknown) and/or with the given ids, in creation order. */
  listAccessCodes(params: ListAccessCodesParams): SimResult<AccessCodeRecord[]> {
    return this.faults.call('list_access_codes', this, () => {
      if (params.deviceId === undefined && params.accessCodeIds === undefined)
        return err(invalid('device_id', 'give device_id or access_code_ids'));
      if (params.deviceId !== undefined && !this.s.locks.has(params.deviceId))
        return err(deviceNotFound(params.deviceId));
      const ids = params.accessCodeIds ? new Set(params.accessCodeIds) : null;
      const out: AccessCodeRecord[] = [];
      for (const c of this.s.codes.values()) {
        if (params.deviceId !== undefined && c.deviceId !== params.deviceId) continue;
        if (ids && !ids.has(c.accessCodeId)) continue;
        out.push(codeView(this.s, c));
      }
      return ok(out);
    });
  }

  getAccessCode(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.faults.call('get_access_code', this, () => {
      const c = this.s.codes.get(accessCodeId);
      return c ? ok(codeView(this.s, c)) : err(accessCodeNotFound(accessCodeId));
    });
  }

  getActionAttempt(actionAttemptId: string): SimResult<ActionAttemptRecord> {
    return this.faults.call('get_action_attempt', this, () => {
      const a = this.s.attempts.get(actionAttemptId);
      return a
        ? ok(attemptView(this.s, a))
        : err(notFound('action_attempt_not_found', 'Action attempt', actionAttemptId, 'action_attempt_id'));
    });
  }

  /** Events still in the ring buffer that match, oldest first. */
  listEvents(params: ListEventsParams = {}): SimResult<SimEvent[]> {
    return this.faults.call('list_events', this, () => {
      const types = params.eventTypes ? new Set(params.eventTypes) : null;
      let out = this.s.events
        .toArray()
        .filter(
          (e) =>
            (params.since === undefined || e.occurredAt >= params.since) &&
            (params.between === undefined ||
              (e.occurredAt > params.between[0] && e.occurredAt < params.between[1])) &&
            (params.afterSequence === undefined || e.sequence > params.afterSequence) &&
            (params.deviceId === undefined || e.deviceId === params.deviceId) &&
            (params.accessCodeId === undefined || e.accessCodeId === params.accessCodeId) &&
            (params.connectedAccountId === undefined || e.connectedAccountId === params.connectedAccountId) &&
            (!types || types.has(e.eventType)),
        );
      if (params.limit !== undefined) out = out.slice(0, Math.max(0, params.limit));
      return ok(out);
    });
  }
}
