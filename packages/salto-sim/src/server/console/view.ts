import type { ConsoleLock, ConsoleView } from '../../../console/view.js';
import { SIM_OPERATIONS } from '../../world/snapshot-schema.js';
import type { AccessCodeRecord } from '../../world/types.js';
import type { SimState } from '../sim-state.js';

/**
 * What the console shows (the type is the page's own, `console/view.d.ts`), built from the
 * world's inspection calls — which never consume an injected fault or a rate-limit token, unlike
 * the Seam reads — from the world's own records (camelCase, instants in epoch ms), nested
 * site → lock → codes. Sent whole over the console's event stream after each change; PINs are in
 * it, which is why the stream needs the API key.
 */
/** Bounds what one update carries, however big the world. */
export const MAX_CODES_PER_LOCK = 200;
export const MAX_ATTEMPTS = 30;
export const MAX_WEBVIEWS = 30;

export function consoleJson(state: SimState): string {
  return JSON.stringify(consoleView(state));
}

export function consoleView(state: SimState): ConsoleView {
  const world = state.world;
  const all = world.inspectAll();
  const now = world.now();
  const codesByLock = new Map<string, AccessCodeRecord[]>();
  const moreByLock = new Map<string, number>();
  const plannedBySite = new Map<string, { accessCodeId: string; loadsAt: number }[]>();
  const leadOf = new Map(all.sites.map((s) => [s.siteId, s.slotLeadTimeMs]));
  for (const c of world.inspectAccessCodes()) {
    const list = codesByLock.get(c.deviceId) ?? [];
    if (list.length < MAX_CODES_PER_LOCK) list.push(c);
    else moreByLock.set(c.deviceId, (moreByLock.get(c.deviceId) ?? 0) + 1);
    codesByLock.set(c.deviceId, list);
    const lead = leadOf.get(c.siteId) ?? 0;
    if (!c.loaded && c.startsAt !== null && c.status !== 'removing') {
      const loadsAt = c.startsAt - lead;
      if (loadsAt <= now + lead) {
        const planned = plannedBySite.get(c.siteId) ?? [];
        planned.push({ accessCodeId: c.accessCodeId, loadsAt });
        plannedBySite.set(c.siteId, planned);
      }
    }
  }
  const locksByHub = new Map<string, ConsoleLock[]>();
  for (const d of all.devices) {
    const locks = locksByHub.get(d.hubId) ?? [];
    locks.push({
      ...d,
      codes: codesByLock.get(d.deviceId) ?? [],
      moreCodes: moreByLock.get(d.deviceId) ?? 0,
    });
    locksByHub.set(d.hubId, locks);
  }
  const hubs = world.listHubs();
  const names = new Map(all.devices.map((d) => [d.deviceId, d.name]));
  return {
    generation: state.generation,
    clock: {
      kind: state.virtualClock ? 'virtual' : 'real',
      now,
      nextTransitionAt: world.nextTransitionAt(),
      pendingTransitions: world.pendingTransitions,
    },
    rateLimits: world.config.rateLimits.enabled,
    faults: world.listFaults(),
    faultOperations: SIM_OPERATIONS,
    accounts: all.accounts,
    sites: all.sites.map((s) => ({
      ...s,
      planned: (plannedBySite.get(s.siteId) ?? []).sort((a, b) => a.loadsAt - b.loadsAt),
      hubs: hubs
        .filter((h) => h.siteId === s.siteId)
        .map((h) => ({ ...h, locks: locksByHub.get(h.hubId) ?? [] })),
    })),
    attempts: all.attempts
      .slice(-MAX_ATTEMPTS)
      .map((a) => ({ ...a, lockName: names.get(a.deviceId) ?? null })),
    webviews: [...state.webviews.values()].slice(-MAX_WEBVIEWS).map((w) => ({
      connectWebviewId: w.connect_webview_id,
      status: w.status,
      connectedAccountId: w.connected_account_id,
    })),
  };
}
