/**
 * One guest, four doors, two paths: keyslot's use cases in process against the Salto KS simulator,
 * the same stay granted through Seam's lock integration (one access code — one Salto user, one
 * slot — per lock) and through its Salto KS access control system (one Access Grant — one user,
 * ONE slot — for all four doors, with one Salto-generated PIN). Both paths reach the same simulated
 * site, whose one pool of user slots they share. Prints the slots each path took (never a PIN).
 *
 *   pnpm build && pnpm --filter @keyslot/salto-sim example:acs
 */
import { type Clock, silentLogger, VirtualClock } from '@keyslot/core';
import {
  AwaitPins,
  createKeyslotContainer,
  GrantAccess,
  ReportSlotUsage,
  RevokeAccess,
} from '@keyslot/core/container';
import { SaltoKsAcsSimulator, SaltoKsSimulator, saltoSimAcsModule, saltoSimModule } from '@keyslot/salto-sim';

export interface AcsStaySummary {
  /** Slots the four-door stay took through the lock integration (one per lock). */
  readonly lockPathSlots: number;
  /** Slots the same stay took through the access control system (one per person). */
  readonly acsPathSlots: number;
  /** Doors the ACS grant's one PIN opens. */
  readonly doorsWithThePin: number;
  readonly pinLength: number;
  /** Slots used on the site after both stays were revoked. */
  readonly usedAfterRevoking: number;
}

export async function runAcsStay(
  options: { readonly print?: (line: string) => void; readonly clock?: Clock } = {},
): Promise<AcsStaySummary> {
  const print = options.print ?? console.log;
  // One virtual clock for keyslot and the simulated world: waiting for Salto's PIN moves both.
  const clock = options.clock ?? new VirtualClock(Date.UTC(2026, 5, 1), { autoAdvance: true });
  const { simulator: locks, ids } = SaltoKsSimulator.withDefaultWorld({ seed: 42, clock });
  const acs = new SaltoKsAcsSimulator({ world: locks.world });
  const world = locks.world;
  const used = () => world.inspectSite(ids.sites.apartments)?.used ?? 0;

  // Two compositions of the same use cases: one per path.
  const viaLocks = createKeyslotContainer({
    gateway: saltoSimModule({ simulator: locks }),
    logger: silentLogger,
  });
  const viaAcs = createKeyslotContainer({
    accessGrants: saltoSimAcsModule({ simulator: acs }),
    logger: silentLogger,
  });

  const fourLocks = [ids.locks.frontDoor, ids.locks.apartment1, ids.locks.apartment2, ids.locks.gym];
  const stay = { holder: 'Ana García', window: { kind: 'ongoing' as const } };

  // The lock integration: the grant names the site and its locks.
  const before = used();
  const byLocks = await viaLocks.get(GrantAccess).execute({
    ...stay,
    key: 'stay-by-locks',
    siteId: ids.sites.apartments,
    lockIds: fourLocks,
  });
  if (!byLocks.ok) throw new Error(`lock path: ${byLocks.error.message}`);
  const lockPathSlots = used() - before;
  print(`lock integration: a stay over 4 locks took ${lockPathSlots} slots (one Salto user per code)`);

  // The access control system: the grant names the site's ACS system and its doors (entrances).
  const acsSiteId = world.acs.acsSystemIdOf(ids.sites.apartments);
  const fourDoors = fourLocks.map((lockId) => world.acs.acsEntranceIdOf(lockId));
  const mid = used();
  const byAcs = await viaAcs.get(GrantAccess).execute({
    ...stay,
    key: 'stay-by-acs',
    siteId: acsSiteId,
    lockIds: fourDoors,
  });
  if (!byAcs.ok) throw new Error(`ACS path: ${byAcs.error.message}`);
  const acsPathSlots = used() - mid;
  print(`access control system: the same stay took ${acsPathSlots} slot (one Salto user for all doors)`);

  const pins = await viaAcs.get(AwaitPins).execute('stay-by-acs', { timeoutMs: 60_000 });
  if (!pins.ok) throw new Error(`PIN: ${pins.error.message}`);
  const distinct = new Set(pins.value.pins.map((p) => p.pin));
  const pinLength = pins.value.pins[0]?.pin.length ?? 0;
  print(`one ${pinLength}-digit PIN (${distinct.size} distinct) opens all ${pins.value.pins.length} doors`);

  const report = await viaAcs.get(ReportSlotUsage).execute(acsSiteId);
  if (report.ok)
    for (const s of report.value.sites)
      print(`site "${s.siteName}": ${s.used}/${s.limit} slots used, ${s.plannedNow} planned by this app`);

  for (const [container, key] of [
    [viaLocks, 'stay-by-locks'],
    [viaAcs, 'stay-by-acs'],
  ] as const) {
    const revoked = await container.get(RevokeAccess).execute(key);
    print(`${key}: ${revoked.ok ? revoked.value.code : revoked.error.code}`);
  }
  await locks.settle(); // the lock codes' removal reaches the locks
  print(`slots used after revoking both: ${used()}`);
  return {
    lockPathSlots,
    acsPathSlots,
    doorsWithThePin: pins.value.pins.length,
    pinLength,
    usedAfterRevoking: used(),
  };
}

// Run directly (after `pnpm build`): pnpm --filter @keyslot/salto-sim example:acs
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runAcsStay().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
