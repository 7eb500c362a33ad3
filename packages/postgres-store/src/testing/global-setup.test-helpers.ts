/**
 * vitest global set-up of this package: one real PostgreSQL server for every test file, stopped
 * afterwards. `KEYSLOT_TEST_DATABASE_URL` points the tests at your own server instead (its user
 * needs CREATEDB: each test makes its own database). Under `CI=true` a server that cannot start
 * fails the run with the reason; elsewhere the PostgreSQL tests are skipped, saying why.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres, type TestPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection string of the test server, or `null` when there is none. */
    keyslotPostgresUrl: string | null;
    /** Why there is no server (only outside CI). */
    keyslotPostgresSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['KEYSLOT_TEST_DATABASE_URL'];
  if (given) {
    project.provide('keyslotPostgresUrl', given);
    project.provide('keyslotPostgresSkipReason', '');
    return async () => {};
  }
  let server: TestPostgres | undefined;
  try {
    server = await startTestPostgres();
    project.provide('keyslotPostgresUrl', server.url);
    project.provide('keyslotPostgresSkipReason', '');
  } catch (e) {
    const reason = `the PostgreSQL test server could not start: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env['CI'] === 'true')
      throw new Error(`${reason} (under CI=true the PostgreSQL tests are never skipped)`);
    project.provide('keyslotPostgresUrl', null);
    project.provide(
      'keyslotPostgresSkipReason',
      `${reason}; set KEYSLOT_TEST_DATABASE_URL to use your own server`,
    );
  }
  return async () => {
    await server?.stop();
  };
}
