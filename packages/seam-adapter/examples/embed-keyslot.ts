/**
 * Embedding keyslot in an application: core's use cases + the Seam adapter + a durable grant
 * store, composed with inversify. Revokes the grant an earlier run left, then grants a guest access
 * to a door, waits for Salto's PIN, opens the door remotely, reports slot usage, and keeps the
 * grant: run it twice and the second run finds the first run's grant and revokes it.
 *
 * Grants are kept in a PGlite directory (`KEYSLOT_GRANTS_DIR`, default `./.keyslot-grants`), or
 * in PostgreSQL when `KEYSLOT_DATABASE_URL` is set (what several app instances share).
 *
 * By default it starts the Salto KS simulator's Seam-compatible server on 127.0.0.1 (ephemeral
 * port) and talks to it over HTTP, so it runs offline. With SEAM_API_KEY and SEAM_ENDPOINT set it
 * talks to that endpoint instead: Seam itself, or a simulator started with `pnpm start`.
 *
 * Seam reports a Salto KS site's user-slot limit only while the site is above 80 % of it, so the
 * app tells the adapter the limits it knows (`siteSlotLimits`; your app keeps them with each
 * customer's Salto plan). Here: against a keyslot simulator they are read from its control API
 * (`GET /_sim/sites/list`); against Seam, KEYSLOT_SITE_SLOT_LIMIT gives one limit for every site.
 *
 *   pnpm build && pnpm --filter @keyslot/seam-adapter example
 */
import type { Clock, GrantStore, Lock, Logger } from '@keyslot/core';
import { createConsoleLogger, SystemClock } from '@keyslot/core';
import {
  AwaitPins,
  createKeyslotContainer,
  GrantAccess,
  ReportSlotUsage,
  RevokeAccess,
  UnlockDoor,
} from '@keyslot/core/container';
import { pgliteGrantStore, postgresGrantStore } from '@keyslot/postgres-store';
import { SaltoKsWorld } from '@keyslot/salto-sim';
import { startSimServer } from '@keyslot/salto-sim/server';
import {
  type FetchLike,
  SEAM_LOCK_GATEWAY,
  type SeamAdapterOptions,
  seamAdapterModule,
  seamOptionsFromEnv,
} from '@keyslot/seam-adapter';

export interface ExampleSummary {
  readonly target: 'simulator' | 'seam';
  readonly siteId: string;
  readonly lockId: string;
  readonly pinLength: number;
  readonly unlock: string;
  readonly slotsUsedWhileGranted: number;
  /** Grants an earlier run left in the store, found and revoked by this run. */
  readonly revokedFromEarlierRun: readonly { readonly key: string; readonly outcome: string }[];
  /** The grant this run made and kept for the next run. */
  readonly kept: string;
}

export interface ExampleOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the example prints (never a PIN). */
  readonly print?: (line: string) => void;
  /** Shared by keyslot and the simulator; default the real clock. Tests pass a virtual one. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where grants are kept; default from the environment (see the top of this file). Closed at the end. */
  readonly store?: GrantStore & { close(): Promise<void> };
  /** The adapter's HTTP client; default `globalThis.fetch`. Tests pass one that checks the traffic. */
  readonly fetch?: FetchLike;
}

/** The durable store: PostgreSQL at KEYSLOT_DATABASE_URL, else PGlite in KEYSLOT_GRANTS_DIR or ./.keyslot-grants. */
function storeFromEnv(env: Readonly<Record<string, string | undefined>>) {
  const url = env['KEYSLOT_DATABASE_URL'];
  return url
    ? postgresGrantStore({ connectionString: url })
    : pgliteGrantStore({ dataDir: env['KEYSLOT_GRANTS_DIR'] ?? '.keyslot-grants' });
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }, what: string): T => {
  if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
  return r.value;
};

/** A one-site Salto KS world behind the simulator's Seam-compatible server. */
async function startSimulator(clock: Clock) {
  const world = new SaltoKsWorld({ seed: 42, clock });
  const account = must(world.addConnectedAccount({ displayName: 'Casa Sol (simulated)' }), 'account');
  const site = must(
    world.addSite({
      connectedAccountId: account.connectedAccountId,
      siteName: 'Casa Sol',
      slotLimit: 10,
      timeZone: 'Europe/Madrid',
    }),
    'site',
  );
  const hub = must(world.addHub({ siteId: site.siteId, name: 'IQ Lobby' }), 'hub');
  must(world.addLock({ hubId: hub.hubId, name: 'FRONT DOOR', lockType: 'wall_reader_pin' }), 'lock');
  const apiKey = 'seam_keyslot_example_key';
  const server = await startSimServer({ world, apiKey });
  return { server, apiKey, slotLimits: { [site.siteId]: site.slotLimit } };
}

/**
 * The real slot limits of a keyslot simulator's sites (its control API; Seam has no such route).
 * Only asked of a simulator on this machine; anything else answers null.
 */
async function simulatorSlotLimits(endpoint: string, apiKey: string): Promise<Record<string, number> | null> {
  if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint)) return null;
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/_sim/sites/list`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { sites?: { site_id: string; slot_limit: number }[] };
    return body.sites ? Object.fromEntries(body.sites.map((x) => [x.site_id, x.slot_limit])) : null;
  } catch {
    return null;
  }
}

export async function runExample(options: ExampleOptions = {}): Promise<ExampleSummary> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => console.log(line));
  const clock = options.clock ?? new SystemClock();
  const useSeam = Boolean(env['SEAM_API_KEY'] && env['SEAM_ENDPOINT']);
  const sim = useSeam ? null : await startSimulator(clock);
  const store = options.store ?? storeFromEnv(env);
  try {
    // KEYSLOT_SITE_SLOT_LIMIT (read by seamOptionsFromEnv) is the default limit against Seam.
    const adapterOptions: SeamAdapterOptions = sim
      ? { apiKey: sim.apiKey, endpoint: sim.server.url, siteSlotLimits: sim.slotLimits }
      : seamOptionsFromEnv(env);
    const known = sim
      ? null
      : await simulatorSlotLimits(adapterOptions.endpoint ?? '', adapterOptions.apiKey);
    const container = createKeyslotContainer({
      gateway: seamAdapterModule({
        ...adapterOptions,
        ...(known ? { siteSlotLimits: known } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
      store,
      clock,
      logger: options.logger ?? createConsoleLogger('warn'),
    });
    print(
      `keyslot → ${sim ? `simulator at ${sim.server.url}` : known ? `keyslot simulator at ${adapterOptions.endpoint}` : `Seam at ${adapterOptions.endpoint}`}`,
    );

    // Every site with its slot usage; then a site and a door that can take PINs and open remotely.
    const seam = container.get(SEAM_LOCK_GATEWAY);
    const sites = must(await seam.listSites(), 'listSites');
    if (sites.length === 0)
      throw new Error('No Salto KS site in this Seam workspace: connect one with a Connect Webview.');
    const report = container.get(ReportSlotUsage);
    for (const s of sites) {
      const usage = await report.execute(s.id);
      const u = usage.ok ? usage.value.sites[0] : undefined;
      print(
        `site "${s.name}" (${s.timeZone}): ${u ? `${u.used}/${u.limit}` : `?/${s.slotLimit}`} slots used`,
      );
    }
    let site = sites[0]!;
    let door: Lock | undefined;
    for (const s of sites) {
      const locks = must(await seam.listLocks(s.id), 'listLocks');
      door = locks.find(
        (l: Lock) => l.capabilities.accessCodes && l.capabilities.remoteUnlock && l.hubLink === 'good',
      );
      site = s;
      if (door) break;
    }
    if (!door) throw new Error('No lock takes PINs and unlocks remotely with a good hub link.');
    print(`door "${door.name}" at "${site.name}" (limit ${site.slotLimit})`);

    // 0. Grants survive restarts: revoke what an earlier run of this example kept.
    const revokedFromEarlierRun: { key: string; outcome: string }[] = [];
    for (const earlier of await store.listBySite(site.id)) {
      if (earlier.revokedAt !== null || !earlier.key.startsWith('example-')) continue;
      print(
        `found ${earlier.key} from an earlier run (granted ${new Date(earlier.createdAt).toISOString()})`,
      );
      const r = await container.get(RevokeAccess).execute(earlier.key);
      const outcome = r.ok ? r.value.code : r.error.code;
      print(`revoked ${earlier.key}: ${outcome}`);
      revokedFromEarlierRun.push({ key: earlier.key, outcome });
    }

    // 1. Grant: one code on the door, named after the grant key.
    const key = `example-${clock.now().toString(36)}`;
    const holder = 'guest@example.com';
    const granted = await container.get(GrantAccess).execute({
      key,
      holder,
      siteId: site.id,
      lockIds: [door.id],
      window: { kind: 'ongoing' },
    });
    if (!granted.ok) throw new Error(`grant refused: ${granted.error.code} — ${granted.error.message}`);
    print(`granted ${key}: ${granted.value.locks.map((l) => `${l.lockId} ${l.codeStatus}`).join(', ')}`);

    // 2. Salto assigns the PIN asynchronously.
    const pins = await container.get(AwaitPins).execute(key, { timeoutMs: 60_000 });
    if (!pins.ok) throw new Error(`PIN not ready: ${pins.error.code} — ${pins.error.message}`);
    const pin = pins.value.pins[0]?.pin ?? '';
    print(`PIN assigned (${pin.length} digits; deliver it to the guest, never log it)`);

    // 3. Open the door remotely (an action attempt, polled on the clock).
    const unlocked = await container.get(UnlockDoor).execute({ lockId: door.id, holder, timeoutMs: 30_000 });
    const unlock = unlocked.ok ? unlocked.value.code : unlocked.error.code;
    print(`remote unlock: ${unlock}`);

    // 4. Slot usage while the grant holds its slot.
    const during = await report.execute(site.id);
    const used = during.ok ? (during.value.sites[0]?.used ?? -1) : -1;
    print(`slots used: ${used}/${site.slotLimit}`);

    // 5. Keep the grant: the next run finds it in the store and revokes it.
    print(`kept ${key} in the grant store: run again to see it found and revoked`);

    return {
      target: sim ? 'simulator' : 'seam',
      siteId: site.id,
      lockId: door.id,
      pinLength: pin.length,
      unlock,
      slotsUsedWhileGranted: used,
      revokedFromEarlierRun,
      kept: key,
    };
  } finally {
    await store.close(); // PGlite flushes and releases its directory; a PostgreSQL pool ends
    await sim?.server.close();
  }
}

// Run directly (after `pnpm build`): pnpm --filter @keyslot/seam-adapter example, or node examples/dist/embed-keyslot.js
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runExample().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
