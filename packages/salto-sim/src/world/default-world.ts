import type { Clock } from '@keyslot/core';
import type { WorldConfigInput } from './types.js';
import { SaltoKsWorld } from './world.js';

/** Ids and names of the seeded default world, for tests, the CLI banner and docs. */
export interface DefaultWorldIds {
  readonly connectedAccountId: string;
  readonly sites: {
    /** "Casa Sol Apartments": limit 10, no custom PINs, Europe/Madrid. */
    readonly apartments: string;
    /** "Harbour Office": limit 3, custom-PIN subscription, Europe/London. */
    readonly office: string;
  };
  readonly hubs: { readonly apartments: string; readonly office: string };
  /** Salto KS access groups, synced read-only on the ACS side (`world.acs`). */
  readonly accessGroups: {
    /** "Main Group" (apartments): FRONT DOOR, APARTMENT 1, APARTMENT 2, GYM. */
    readonly main: string;
    /** "Office Staff" (office): OFFICE ENTRANCE, MEETING ROOM. */
    readonly officeStaff: string;
  };
  readonly locks: {
    /** Apartments, wall reader with PIN pad, good link, remote unlock. */
    readonly frontDoor: string;
    /** Apartments, escutcheon with PIN pad, good link, remote unlock. */
    readonly apartment1: string;
    /** Apartments, good link, PIN pad, NO remote unlock (no pass-through waiver). */
    readonly apartment2: string;
    /** Apartments, WEAK hub link (reported as device type `unknown`). */
    readonly gym: string;
    /** Apartments, hub link OFFLINE. */
    readonly rooftop: string;
    /** Apartments, cylinder WITHOUT PIN pad (codes refused), remote unlock. */
    readonly bikeStorage: string;
    /** Office, wall reader, good link. */
    readonly officeEntrance: string;
    /** Office, escutcheon, good link. */
    readonly meetingRoom: string;
  };
}

export interface DefaultWorldOptions {
  /** Default 1. */
  readonly seed?: number;
  readonly clock?: Clock;
  readonly config?: WorldConfigInput;
}

/**
 * The seeded default world shared by the CLI, the HTTP server and the tests: one Salto KS
 * connected account with two sites of different slot limits, eight locks covering a good,
 * weak and offline hub link, a lock without PIN pad and one without remote unlock, and two Salto
 * KS access groups on the ACS side.
 * The same seed always gives the same ids.
 */
export function createDefaultWorld(options: DefaultWorldOptions = {}): {
  world: SaltoKsWorld;
  ids: DefaultWorldIds;
} {
  const world = new SaltoKsWorld({
    seed: options.seed ?? 1,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(`createDefaultWorld: ${r.error.message}`);
    return r.value;
  };
  const account = must(world.addConnectedAccount({ displayName: 'Salto KS — Demo Properties' }));
  const acc = account.connectedAccountId;
  const apartments = must(
    world.addSite({
      connectedAccountId: acc,
      siteName: 'Casa Sol Apartments',
      slotLimit: 10,
      timeZone: 'Europe/Madrid',
    }),
  );
  const office = must(
    world.addSite({
      connectedAccountId: acc,
      siteName: 'Harbour Office',
      slotLimit: 3,
      timeZone: 'Europe/London',
      hasCustomPinSubscription: true,
    }),
  );
  const hubA = must(world.addHub({ siteId: apartments.siteId, name: 'IQ Lobby' }));
  const hubO = must(world.addHub({ siteId: office.siteId, name: 'IQ Reception' }));
  const lock = (p: Parameters<SaltoKsWorld['addLock']>[0]): string => must(world.addLock(p)).deviceId;
  const locks = {
    frontDoor: lock({ hubId: hubA.hubId, name: 'FRONT DOOR', lockType: 'wall_reader_pin' }),
    apartment1: lock({ hubId: hubA.hubId, name: 'APARTMENT 1', lockType: 'escutcheon_pin' }),
    apartment2: lock({
      hubId: hubA.hubId,
      name: 'APARTMENT 2',
      lockType: 'escutcheon_pin',
      capabilities: { remoteUnlock: false },
    }),
    gym: lock({
      hubId: hubA.hubId,
      name: 'GYM',
      lockType: 'escutcheon_pin',
      hubLink: 'weak',
      batteryLevel: 0.35,
    }),
    rooftop: lock({ hubId: hubA.hubId, name: 'ROOFTOP', lockType: 'escutcheon_pin', hubLink: 'offline' }),
    bikeStorage: lock({
      hubId: hubA.hubId,
      name: 'BIKE STORAGE',
      lockType: 'cylinder',
      capabilities: { accessCodes: false },
    }),
    officeEntrance: lock({ hubId: hubO.hubId, name: 'OFFICE ENTRANCE', lockType: 'wall_reader_pin' }),
    meetingRoom: lock({ hubId: hubO.hubId, name: 'MEETING ROOM', lockType: 'escutcheon_pin' }),
  };
  // Access groups have derived ids: adding them draws nothing from the world's generator.
  const group = (siteId: string, name: string, deviceIds: string[]): string =>
    must(world.acs.addAccessGroup({ siteId, name, deviceIds })).accessGroupId;
  const ids: DefaultWorldIds = {
    connectedAccountId: acc,
    sites: { apartments: apartments.siteId, office: office.siteId },
    hubs: { apartments: hubA.hubId, office: hubO.hubId },
    accessGroups: {
      main: group(apartments.siteId, 'Main Group', [
        locks.frontDoor,
        locks.apartment1,
        locks.apartment2,
        locks.gym,
      ]),
      officeStaff: group(office.siteId, 'Office Staff', [locks.officeEntrance, locks.meetingRoom]),
    },
    locks,
  };
  return { world, ids };
}
