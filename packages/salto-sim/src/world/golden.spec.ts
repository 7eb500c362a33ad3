import { readFileSync, writeFileSync } from 'node:fs';
import { HOUR_MS, VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import type { SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

/**
 * Determinism guard: one fixed seed and one fixed script of calls touching every room of the
 * world (creates, updates, deletes, hub links, slot limits, modes, battery, keypad, remote
 * lock/unlock, faults, rate limits, time-bound codes, clock advances). Every call's result, the
 * events delivered to a listener, the final `toJSON()` snapshot and the event log must equal,
 * byte for byte, `golden/world-script.json`, which was written by the world before it was split
 * into modules. A refactoring must leave it unchanged; regenerate it (`KEYSLOT_WRITE_GOLDEN=1`)
 * only for a deliberate change of the simulator's behaviour, and say so in the commit.
 */
const GOLDEN = new URL('./golden/world-script.json', import.meta.url);
const T0 = Date.UTC(2026, 0, 1);
const MINUTE_MS = 60_000;

/**
 * A failure as the world's domain gives it: HTTP statuses belong to the server (its table is
 * tested there), so the golden file does not record them.
 */
function withoutHttpStatus(r: unknown): unknown {
  const x = r as { ok?: unknown; error?: Record<string, unknown> };
  if (x === null || typeof x !== 'object' || x.ok !== false || !x.error) return r;
  const { status: _status, ...error } = x.error;
  return { ...x, error };
}

async function runScript(): Promise<unknown> {
  const clock = new VirtualClock(T0);
  const w = new SaltoKsWorld({
    seed: 20_260_101,
    clock,
    config: { rateLimits: { perDevice: { create_access_code: 12 } }, actionAttemptRetention: 4 },
  });
  const results: unknown[] = [];
  const delivered: unknown[] = [];
  const unsubscribe = w.onEvent((e) => delivered.push(e));
  const log = <T>(step: string, r: T): T => {
    results.push({ step, at: w.now(), r: withoutHttpStatus(r) });
    return r;
  };
  const v = <T>(step: string, r: SimResult<T>): T => {
    log(step, r);
    if (!r.ok) throw new Error(`${step}: ${r.error.type} ${r.error.message}`);
    return r.value;
  };
  const advance = async (ms: number): Promise<void> => {
    log(`advance ${ms}`, await w.advance(ms));
  };

  const acc = v('account', w.addConnectedAccount({ displayName: 'Golden' })).connectedAccountId;
  const site = v('site', w.addSite({ connectedAccountId: acc, siteName: 'Main', slotLimit: 4 })).siteId;
  const custom = v(
    'custom site',
    w.addSite({
      connectedAccountId: acc,
      siteName: 'Custom',
      slotLimit: 2,
      hasCustomPinSubscription: true,
      timeZone: 'Europe/Madrid',
      slotLeadTimeMs: 2 * HOUR_MS,
      pinLength: 8,
    }),
  ).siteId;
  const hub = v('hub', w.addHub({ siteId: site })).hubId;
  const hub2 = v('hub 2', w.addHub({ siteId: custom, name: 'IQ custom' })).hubId;
  const door = v('door', w.addLock({ hubId: hub, name: 'DOOR' })).deviceId;
  const weak = v(
    'weak',
    w.addLock({ hubId: hub, name: 'WEAK', hubLink: 'weak', batteryLevel: 0.5 }),
  ).deviceId;
  const noPad = v(
    'no pad',
    w.addLock({ hubId: hub, name: 'NO PAD', capabilities: { accessCodes: false, remoteUnlock: false } }),
  ).deviceId;
  const room = v('room', w.addLock({ hubId: hub2, name: 'ROOM', lockType: 'escutcheon' })).deviceId;

  // Creates: ongoing, time-bound (inside and beyond the lead time), custom PINs, refusals.
  const a = v('create a', w.createAccessCode({ deviceId: door, name: 'a' }));
  const b = v('create b', w.createAccessCode({ deviceId: weak, name: 'b' }));
  const tb = v(
    'create tb',
    w.createAccessCode({ deviceId: door, name: 'tb', startsAt: T0 + HOUR_MS, endsAt: T0 + 3 * HOUR_MS }),
  );
  const far = v(
    'create far',
    w.createAccessCode({ deviceId: door, startsAt: T0 + 100 * HOUR_MS, endsAt: T0 + 101 * HOUR_MS }),
  );
  const p1 = v('create p1', w.createAccessCode({ deviceId: room, name: 'p1', code: '12345678' }));
  log('duplicate pin', w.createAccessCode({ deviceId: room, code: '12345678' }));
  log('custom pin refused', w.createAccessCode({ deviceId: door, code: '123456' }));
  log('no pad', w.createAccessCode({ deviceId: noPad }));
  log('bad window', w.createAccessCode({ deviceId: door, startsAt: T0 + 5, endsAt: T0 + 1 }));
  log('half window', w.createAccessCode({ deviceId: door, startsAt: T0 + 5 }));
  log('unknown device', w.createAccessCode({ deviceId: 'nope' }));
  await advance(10_000);

  // The site fills: the next code is refused (not subscribed), account/device issues appear.
  const d = v('create d', w.createAccessCode({ deviceId: door, name: 'd' }));
  const refused = v('create refused', w.createAccessCode({ deviceId: door, name: 'refused' }));
  log('account full', w.getConnectedAccount(acc));
  log('device full', w.getDevice(door));
  log('sites', w.listSites());

  // Keypad: the right PIN, an unknown PIN, the refused code, before the window, bad input.
  const aPin = v('get a', w.getAccessCode(a.accessCodeId)).code!;
  log('keypad a', w.enterKeypadCode(door, aPin));
  log('keypad unknown', w.enterKeypadCode(door, '000000000'));
  log('keypad bad', w.enterKeypadCode(door, 'abc'));
  log('keypad no pad', w.enterKeypadCode(noPad, '1234'));
  await advance(8_000);
  const refusedPin = v('get refused', w.getAccessCode(refused.accessCodeId)).code;
  if (refusedPin !== null) log('keypad refused', w.enterKeypadCode(door, refusedPin));

  // Updates: name only, a window move, a PIN change, a conversion, refusals.
  log('update name', w.updateAccessCode({ accessCodeId: a.accessCodeId, name: 'a2' }));
  log(
    'update window',
    w.updateAccessCode({
      accessCodeId: tb.accessCodeId,
      startsAt: T0 + 50 * HOUR_MS,
      endsAt: T0 + 51 * HOUR_MS,
    }),
  );
  log('update pin', w.updateAccessCode({ accessCodeId: p1.accessCodeId, code: '87654321' }));
  log(
    'update to time-bound',
    w.updateAccessCode({ accessCodeId: b.accessCodeId, startsAt: T0 + HOUR_MS, endsAt: T0 + 2 * HOUR_MS }),
  );
  log('update to ongoing', w.updateAccessCode({ accessCodeId: far.accessCodeId, type: 'ongoing' }));
  log('update other device', w.updateAccessCode({ accessCodeId: a.accessCodeId, deviceId: weak }));
  log('update bad type', w.updateAccessCode({ accessCodeId: a.accessCodeId, type: 'x' as 'ongoing' }));
  log('update pin refused', w.updateAccessCode({ accessCodeId: a.accessCodeId, code: '999999' }));
  await advance(20_000);

  // Hub links: weak → offline → good parks and resumes work; per hub; battery; modes.
  log('hub offline', w.setHubLink(door, 'offline'));
  const e = v('create e offline', w.createAccessCode({ deviceId: room, name: 'e' }));
  log('delete d offline', w.deleteAccessCode(d.accessCodeId));
  log('unlock offline', w.unlockDoor(door));
  await advance(15_000);
  log('codes while offline', w.listAccessCodes({ deviceId: door }));
  log('hub back', w.setHubLink(door, 'good'));
  log('hub 2 weak', w.setHubLinkForHub(hub2, 'weak'));
  log('hub 2 good', w.setHubLinkForHub(hub2, 'good'));
  log('battery low', w.setBatteryLevel(weak, 0.15));
  log('battery bad', w.setBatteryLevel(weak, 2));
  log('privacy on', w.setPrivacyMode(door, true));
  log('keypad privacy', w.enterKeypadCode(door, aPin));
  log('unlock privacy', w.unlockDoor(door));
  log('privacy off', w.setPrivacyMode(door, false));
  log('office on', w.setOfficeMode(door, true));
  log('keypad office', w.enterKeypadCode(door, aPin));
  log('lock ends office', w.lockDoor(door));
  log('unlock door', w.unlockDoor(door));
  log('unlock weak', w.unlockDoor(weak));
  log('unlock no pad', w.unlockDoor(noPad));
  log('capabilities', w.setCapabilities(noPad, { remoteUnlock: true }));
  log('custom pin off', w.setCustomPinSubscription(custom, false));
  await advance(30_000);

  // Slot limits: lowering unsubscribes the newest holders; raising subscribes nothing back.
  log('limit 1', w.setSlotLimit(site, 1));
  log('codes at limit 1', w.inspectAccessCodes({ siteId: site }));
  log('limit 6', w.setSlotLimit(site, 6));
  log('limit bad', w.setSlotLimit(site, -1));
  const g = v('create g', w.createAccessCode({ deviceId: door, name: 'g' }));
  log('delete refused', w.deleteAccessCode(refused.accessCodeId));
  log('delete again', w.deleteAccessCode(refused.accessCodeId));

  // Faults and rate limits.
  log('fault 503', w.injectFault({ kind: 'server_error', operations: ['create_access_code'] }));
  log('create under 503', w.createAccessCode({ deviceId: door }));
  log('fault lost', w.injectFault({ kind: 'reply_lost', count: 1, operations: ['delete_access_code'] }));
  log('delete lost', w.deleteAccessCode(g.accessCodeId));
  log('fault 429', w.injectFault({ kind: 'rate_limited', retryAfterMs: 2_000 }));
  log('fault latency', w.injectFault({ kind: 'latency', latencyMs: 300, count: 2 }));
  log('fault bad', w.injectFault({ kind: 'latency', latencyMs: -1 }));
  log('faults', w.listFaults());
  log('latency', w.takeLatency('list_devices'));
  log('list under 429', w.listDevices());
  w.clearFaults();
  for (let i = 0; i < 13; i++) log(`burst ${i}`, w.createAccessCode({ deviceId: weak, name: `burst ${i}` }));

  // Time-bound codes load, activate and expire; attempts finish and are forgotten.
  await advance(HOUR_MS);
  const tbNow = v('get e', w.getAccessCode(e.accessCodeId));
  log('keypad e', tbNow.code === null ? null : w.enterKeypadCode(room, tbNow.code));
  await advance(2 * HOUR_MS);
  await advance(48 * HOUR_MS);
  await advance(5 * MINUTE_MS);
  w.setRateLimitsEnabled(false);
  log('delete a', w.deleteAccessCode(a.accessCodeId));
  await advance(10 * MINUTE_MS);

  log('accounts', w.listConnectedAccounts());
  log('devices', w.listDevices({ siteId: site }));
  log('codes', w.listAccessCodes({ deviceId: door }));
  log('hubs', w.listHubs());
  log('events of door', w.listEvents({ deviceId: door, limit: 5 }));
  log('next transition', w.nextTransitionAt());
  log('pending', w.pendingTransitions);
  unsubscribe();

  const snapshot = w.toJSON();
  const restored = SaltoKsWorld.fromJSON(snapshot);
  if (!restored.ok) throw new Error(restored.error.message);
  const events = w.listEvents();
  return {
    results,
    delivered,
    snapshot,
    events,
    restoredEqual: JSON.stringify(restored.value.toJSON()) === JSON.stringify(snapshot),
  };
}

describe('determinism guard', () => {
  it('the fixed script gives the committed golden results, events and snapshot byte for byte', async () => {
    const actual = `${JSON.stringify(await runScript(), null, 1)}\n`;
    if (process.env['KEYSLOT_WRITE_GOLDEN'] === '1') writeFileSync(GOLDEN, actual);
    const golden = readFileSync(GOLDEN, 'utf8');
    // Compared as strings, so key order, number formatting and event ids all count.
    expect(actual).toBe(golden);
  });
});
