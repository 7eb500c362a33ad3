/**
 * Real crashes: the exactly-once runner with the app as a child process that is
 * killed with SIGKILL — between steps, and at a port call inside GrantAccess, RevokeAccess or
 * ReconcileSite — then started again on the same database (a PGlite directory, or the PostgreSQL
 * test server), against the simulator server over HTTP. At quiescence the runner's final
 * invariants must hold. And two app processes sharing one PostgreSQL race for a site's last slot.
 *
 * Runs: 5 PGlite + 8 PostgreSQL scenarios in CI (fixed seed); 10× with `FC_NUM_RUNS` (as
 * `pnpm test:deep` does); `KEYSLOT_FAULT_RUNS=<n>` sets both.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY, parsePolicy } from '@keyslot/core';
import {
  addStats,
  childProcessApp,
  describeCommand,
  emptyStats,
  faultRuns,
  runExactlyOnceScenario,
  type ScenarioCommand,
  type ScenarioStats,
  scenarioCommandsArb,
  scenarioSetupArb,
} from '@keyslot/core/testing';
import { pgliteGrantStore } from '@keyslot/postgres-store';
import { createTestDatabase } from '@keyslot/postgres-store/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useSeamSchemaCheck } from '../testing/validating-fetch.test-helpers.js';
import { startValidatingProxy } from '../testing/validating-proxy.test-helpers.js';
import { bundleCrashApp } from './app-bundle.test-helpers.js';
import { CRASH_APP_ENV, type CrashAppConfig } from './crash-app-config.test-helpers.js';
import {
  ACS_FAULT_TARGETS,
  API_KEY,
  FAULT_TARGETS,
  httpAcsFixture,
  httpFixture,
  MAX_LATENCY_MS,
} from './fixture.test-helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** From @keyslot/postgres-store's test set-up: the test server's admin URL, or null. */
    keyslotPostgresUrl: string | null;
    keyslotPostgresSkipReason: string;
  }
}

type SimFixture = Awaited<ReturnType<typeof httpFixture>>;
type AcsSimFixture = Awaited<ReturnType<typeof httpAcsFixture>>;
const postgresUrl = (): string | null => inject('keyslotPostgresUrl');
/** The apps run in other processes: they reach the simulator through a checking proxy, so every request and reply they exchange is validated against Seam's newest OpenAPI (after each test). */
const schemas = useSeamSchemaCheck();
const postgresSkipReason = (): string => inject('keyslotPostgresSkipReason');

/** Lets the requests a killed app had already sent land before the next one starts. */
async function settle(fx: SimFixture | AcsSimFixture): Promise<void> {
  await new Promise((r) => setTimeout(r, 30));
  await fetch(`${fx.server.url}/health`);
}

let bundle: { script: string; remove(): void };
let template: string;
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};

beforeAll(async () => {
  bundle = await bundleCrashApp();
  // One migrated PGlite directory, copied for every scenario (creating one costs seconds).
  template = join(tempDir('keyslot-crash-template-'), 'db');
  const store = pgliteGrantStore({ dataDir: template });
  await store.open();
  await store.close();
});
afterAll(() => {
  bundle?.remove();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

type Kind = 'pglite' | 'postgres';

/** A database for one scenario: a copy of the template directory, or a new PostgreSQL database. */
async function scenarioDatabase(
  kind: Kind,
): Promise<{ store: CrashAppConfig['store']; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = join(tempDir('keyslot-crash-'), 'db');
    cpSync(template, dataDir, { recursive: true });
    return { store: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const db = await createTestDatabase(postgresUrl()!);
  return { store: { connectionString: db.url }, drop: db.drop };
}

const appConfig = (
  fx: SimFixture | AcsSimFixture,
  endpoint: string,
  slotLimit: number,
  policy: CrashAppConfig['policy'],
  store: CrashAppConfig['store'],
) => ({
  ...process.env,
  [CRASH_APP_ENV]: JSON.stringify({
    endpoint,
    apiKey: API_KEY,
    siteId: fx.siteId,
    slotLimit,
    now: fx.clock.now(),
    policy,
    store,
    path: fx.path ?? 'lock_codes',
  } satisfies CrashAppConfig),
});

/** Scenario commands where half the grants, revokes and reconciles get a kill point. */
const crashHeavyCommands = (faultTargetCount: number) =>
  fc
    .tuple(
      scenarioCommandsArb({
        lockCount: 3,
        faultTargetCount,
        maxLatencyMs: MAX_LATENCY_MS,
        maxCommands: 12,
      }),
      fc.array(
        fc.option(
          fc.record({ calls: fc.nat(6), phase: fc.constantFrom('before' as const, 'after' as const) }),
        ),
        {
          minLength: 12,
          maxLength: 12,
        },
      ),
    )
    .map(([commands, kills]) =>
      commands.map((c, i): ScenarioCommand => {
        const k = kills[i];
        const withKill: ScenarioCommand =
          k && (c.t === 'grant' || c.t === 'revoke' || c.t === 'reconcile')
            ? { t: 'crash_during', op: c, ...k }
            : c;
        return Object.defineProperty({ ...withKill }, fc.toStringMethod, {
          value: () => describeCommand(withKill),
        });
      }),
    );

interface Tally {
  readonly stats: ScenarioStats;
  runs: number;
  starts: number;
  passed: boolean;
}
type Run = Kind | 'pglite, ACS path';
const tallies: Record<Run, Tally> = {
  pglite: { stats: emptyStats(), runs: 0, starts: 0, passed: false },
  postgres: { stats: emptyStats(), runs: 0, starts: 0, passed: false },
  'pglite, ACS path': { stats: emptyStats(), runs: 0, starts: 0, passed: false },
};

async function checkCrashes(run: Run, numRuns: number): Promise<void> {
  const into = tallies[run];
  const acs = run === 'pglite, ACS path';
  const kind: Kind = acs ? 'pglite' : (run as Kind);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      scenarioSetupArb(),
      crashHeavyCommands(acs ? ACS_FAULT_TARGETS.length : FAULT_TARGETS.length),
      async (seed, setup, commands) => {
        const fx = acs
          ? await httpAcsFixture(seed, setup.slotLimit)
          : await httpFixture(seed, setup.slotLimit);
        const db = await scenarioDatabase(kind);
        const proxy = await startValidatingProxy(fx.server.url, schemas);
        const app = childProcessApp({
          script: bundle.script,
          env: appConfig(fx, proxy.url, setup.slotLimit, setup.policy, db.store),
          afterDeath: () => settle(fx),
        });
        try {
          await app.start();
          addStats(into.stats, await runExactlyOnceScenario(fx, setup, commands, { processApp: app }));
          into.runs++;
        } finally {
          into.starts += app.stats.starts;
          await app.stop();
          await proxy.close();
          await fx.close();
          await db.drop();
        }
      },
    ),
    { numRuns },
  );
  expect(into.runs).toBe(numRuns);
  expect(into.stats.kills).toBeGreaterThan(0);
}

describe('exactly-once across real crashes: the app is a process killed with SIGKILL and restarted on the same database', () => {
  it('on a PGlite directory', async () => {
    await checkCrashes('pglite', faultRuns(5));
    tallies.pglite.passed = true;
  }, 1_800_000);

  it('on a PGlite directory, the app reaching the site as a Salto KS ACS (one Access Grant per grant)', async () => {
    await checkCrashes('pglite, ACS path', faultRuns(5));
    tallies['pglite, ACS path'].passed = true;
  }, 1_800_000);

  it.skipIf(postgresUrl() === null)(
    `on PostgreSQL${postgresUrl() === null ? ` (skipped: ${postgresSkipReason()})` : ''}`,
    async () => {
      await checkCrashes('postgres', faultRuns(8));
      tallies.postgres.passed = true;
    },
    1_800_000,
  );
});

describe.skipIf(postgresUrl() === null)('two app processes sharing one PostgreSQL', () => {
  it('race for a site’s last slot: exactly one is granted, the other refused by the plan, the cap never exceeded', async () => {
    const policy = parsePolicy({ ...DEFAULT_POLICY, reservedSlots: 0 });
    if (!policy.ok) throw new Error(policy.error.message);
    const rounds = faultRuns(4);
    let outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const fx = await httpFixture(1000 + round, 1);
      const db = await scenarioDatabase('postgres');
      const proxy = await startValidatingProxy(fx.server.url, schemas);
      const apps = [0, 1].map(() =>
        childProcessApp({ script: bundle.script, env: appConfig(fx, proxy.url, 1, policy.value, db.store) }),
      );
      try {
        await Promise.all(apps.map((a) => a.start()));
        const results = await Promise.all(
          apps.map((a, i) =>
            a.run(
              {
                useCase: 'grant',
                input: {
                  key: `g${i}`,
                  holder: `h${i}`,
                  siteId: fx.siteId,
                  lockIds: [fx.lockIds[i]!],
                  window: { kind: 'ongoing' },
                },
              },
              { now: fx.clock.now(), slotLimit: 1 },
            ),
          ),
        );
        const codes = results.map((r) => {
          const o = (
            r as {
              outcome: {
                ok: boolean;
                value?: { code: string };
                error?: { code: string; detectedBy?: string };
              };
            }
          ).outcome;
          return o.ok ? o.value!.code : `${o.error!.code}/${o.error!.detectedBy}`;
        });
        outcomes = [...outcomes, ...codes];
        expect([...codes].sort()).toEqual(['granted', 'slot_limit_reached/plan']);
        const view = fx.inspect();
        expect(view.used).toBeLessThanOrEqual(1);
        expect(view.codes.filter((c) => c.notSubscribed)).toEqual([]);
        expect(view.codes.filter((c) => c.status !== 'removing').length).toBe(1);
      } finally {
        for (const a of apps) await a.stop();
        await proxy.close();
        await fx.close();
        await db.drop();
      }
    }
    console.log(
      `[two app processes, one PostgreSQL, last slot] rounds ${rounds}: ${JSON.stringify(outcomes)}`,
    );
  }, 600_000);
});

afterAll(() => {
  for (const kind of ['pglite', 'postgres', 'pglite, ACS path'] as const) {
    const t = tallies[kind];
    if (t.runs === 0 && !t.passed) continue;
    console.log(
      `[exactly-once across real crashes, ${kind}] runs ${t.runs}, steps ${t.stats.steps}, app processes started ${t.starts}, SIGKILLs ${t.stats.kills} (crash steps ${t.stats.crashes}), faults injected ${t.stats.faultsInjected}, violations ${t.passed ? 0 : '≥ 1 (see the failure)'}\n  outcomes ${JSON.stringify(t.stats.outcomes)}`,
    );
  }
});
