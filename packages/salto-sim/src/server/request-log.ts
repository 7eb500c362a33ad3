/**
 * The server's request log, as `keyslot-sim serve` prints it: one line per request (method, path,
 * status, Seam error type on 4xx/5xx, duration) with the world's own events interleaved in plain
 * words (`code created`, `code set`, `unlock succeeded`, `site "Harbour Office" at 3/3 slots`).
 * `/health` is left out. `json` writes one object per line for machines.
 *
 * It never prints a PIN or the API key: request lines carry the path without its query, events
 * are described from an allow-list of fields (ids, names, `method`, `error_code`), and error
 * replies contribute only their `error.type`.
 */
import type { SimEvent } from '../world/types.js';
import type { SaltoKsWorld } from '../world/world.js';
import type { ResponseInfo } from './http.js';

export type RequestLogFormat = 'text' | 'json';

export interface RequestLog {
  /** For the server's `onResponse`. */
  readonly onResponse: (info: ResponseInfo) => void;
  /** For the server's `onWorldEvent`. */
  readonly onWorldEvent: (event: SimEvent, world: SaltoKsWorld) => void;
}

type Entry =
  | {
      kind: 'request';
      time: number;
      method: string;
      path: string;
      status: number;
      errorType: string | null;
      durationMs: number;
      requestId: string;
    }
  | { kind: 'event'; time: number; event: string; text: string; deviceId?: string; accessCodeId?: string }
  | { kind: 'slots'; time: number; siteId: string; siteName: string; used: number; limit: number };

const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
const short = (id: string | undefined): string => (id ? id.slice(0, 8) : '?');

function errorTypeOf(payload: string): string | null {
  try {
    const type = (JSON.parse(payload) as { error?: { type?: unknown } }).error?.type;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

/** Whether the code an event names was refused at its site's slot limit. */
function refused(world: SaltoKsWorld, e: SimEvent): boolean {
  if (!e.deviceId || !e.accessCodeId) return false;
  const code = world
    .inspectAccessCodes({ deviceId: e.deviceId })
    .find((c) => c.accessCodeId === e.accessCodeId);
  return code?.errors.some((x) => x.code === world.config.notSubscribedErrorCode) ?? false;
}

/** Plain words for an event, from its type and allow-listed fields only; null = not worth a line. */
export function describeEvent(e: SimEvent, lockName: string): string | null {
  const code = `code ${short(e.accessCodeId)}`;
  const on = `on ${lockName}`;
  const errorCode = typeof e.data?.['error_code'] === 'string' ? ` (${e.data['error_code']})` : '';
  switch (e.eventType) {
    case 'access_code.created':
      return `${code} created ${on}`;
    case 'access_code.changed':
      return `${code} changed ${on}`;
    case 'access_code.scheduled_on_device':
      return `${code} scheduled ${on} (PIN assigned)`;
    case 'access_code.set_on_device':
      return `${code} set ${on} (PIN assigned)`;
    case 'access_code.delay_in_setting_on_device':
      return `${code} delayed setting ${on}`;
    case 'access_code.failed_to_set_on_device':
      return `${code} failed to set ${on}`;
    case 'access_code.deleted':
      return `${code} deleted ${on}`;
    case 'access_code.delay_in_removing_from_device':
      return `${code} delayed removing from ${lockName}`;
    case 'access_code.removed_from_device':
      return `${code} removed from ${lockName}`;
    case 'lock.unlocked': {
      const method = e.data?.['method'];
      const how = method === 'keycode' ? 'by PIN on the keypad' : method === 'remote' ? 'remotely' : method;
      return `${lockName} unlocked${how ? ` ${how}` : ''}`;
    }
    case 'lock.locked':
      return `${lockName} locked`;
    case 'lock.access_denied':
      return `${lockName} denied a keypad entry`;
    case 'action_attempt.unlock_door.succeeded':
      return `unlock succeeded ${on}`;
    case 'action_attempt.unlock_door.failed':
      return `unlock failed ${on}${errorCode}`;
    case 'action_attempt.lock_door.succeeded':
      return `lock succeeded ${on}`;
    case 'action_attempt.lock_door.failed':
      return `lock failed ${on}${errorCode}`;
    case 'device.disconnected':
      return `${lockName} went offline${errorCode}`;
    case 'device.connected':
      return `${lockName} back online`;
    case 'device.connection_became_flaky':
      return `${lockName} has a weak hub link`;
    case 'device.connection_stabilized':
      return `${lockName} hub link is good again`;
    case 'device.low_battery':
      return `${lockName} battery low`;
    case 'device.salto.privacy_mode_activated':
      return `${lockName} privacy mode on`;
    case 'device.salto.privacy_mode_deactivated':
      return `${lockName} privacy mode off`;
    case 'connected_account.connected':
      return 'Salto KS account connected';
    default:
      return null;
  }
}

function format(entry: Entry, as: RequestLogFormat): string {
  if (as === 'json') {
    const { time, ...rest } = entry;
    return JSON.stringify({ time: new Date(time).toISOString(), ...rest });
  }
  const at = hhmmss(entry.time);
  switch (entry.kind) {
    case 'request': {
      const outcome =
        entry.status === 0
          ? 'dropped (fault: reply lost)'
          : `${entry.status}${entry.errorType ? ` ${entry.errorType}` : ''}`;
      return `${at} ${entry.method} ${entry.path} → ${outcome} ${entry.durationMs.toFixed(1)} ms  ${entry.requestId}`;
    }
    case 'event':
      return `${at}   · ${entry.text}`;
    case 'slots': {
      const full = entry.used >= entry.limit ? ' — full: new codes are refused as not subscribed' : '';
      return `${at}   · site "${entry.siteName}" at ${entry.used}/${entry.limit} slots${full}`;
    }
  }
}

export function createRequestLog(options: {
  readonly format: RequestLogFormat;
  readonly write: (line: string) => void;
  /** Wall-clock time of request lines (default `Date.now`). */
  readonly now?: () => number;
}): RequestLog {
  const now = options.now ?? Date.now;
  const emit = (entry: Entry) => options.write(`${format(entry, options.format)}\n`);
  /** Last slot count printed per site (per world: a restored world starts over). */
  const slots = new WeakMap<SaltoKsWorld, Map<string, string>>();
  /**
   * Events wait here until the world call that emitted them has returned: reading the world (a
   * lock's name, a site's count) from inside its own event dispatch would make it catch up
   * mid-transition, and the log must never change what the world does.
   */
  let queued: { event: SimEvent; world: SaltoKsWorld }[] = [];
  const flush = () => {
    const batch = queued;
    queued = [];
    const touched = new Map<string, { world: SaltoKsWorld; time: number }>();
    for (const { event: e, world } of batch) {
      const device = e.deviceId ? world.inspectDevice(e.deviceId) : null;
      let text = describeEvent(e, device?.name ?? short(e.deviceId));
      if (text !== null && e.eventType === 'access_code.created' && refused(world, e)) {
        text += ` — refused: not subscribed (${world.config.notSubscribedErrorCode}), the site is full`;
      }
      if (text !== null) {
        emit({
          kind: 'event',
          time: e.occurredAt,
          event: e.eventType,
          text,
          ...(e.deviceId ? { deviceId: e.deviceId } : {}),
          ...(e.accessCodeId ? { accessCodeId: e.accessCodeId } : {}),
        });
      }
      if (device && e.eventType.startsWith('access_code.'))
        touched.set(device.siteId, { world, time: e.occurredAt });
    }
    for (const [siteId, { world, time }] of touched) {
      const site = world.inspectSite(siteId);
      if (!site) continue;
      let seen = slots.get(world);
      if (!seen) {
        seen = new Map();
        slots.set(world, seen);
      }
      const key = `${site.used}/${site.slotLimit}`;
      if (seen.get(siteId) === key) continue;
      seen.set(siteId, key);
      emit({ kind: 'slots', time, siteId, siteName: site.siteName, used: site.used, limit: site.slotLimit });
    }
  };
  return {
    onResponse(info) {
      if (info.path === '/health' && info.status === 200) return;
      emit({
        kind: 'request',
        time: now(),
        method: info.method,
        path: info.path,
        status: info.status,
        errorType: info.status >= 400 ? errorTypeOf(info.payload) : null,
        durationMs: info.durationMs,
        requestId: info.requestId,
      });
    },
    onWorldEvent(event, world) {
      if (queued.length === 0) queueMicrotask(flush);
      queued.push({ event, world });
    },
  };
}
