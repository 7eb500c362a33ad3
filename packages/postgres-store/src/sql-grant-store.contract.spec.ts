/**
 * Core's GrantStore contract (example cases + the model-based property) against the SQL store on
 * each database it runs on: PGlite in memory, PGlite in a directory, and a real PostgreSQL server.
 * On PostgreSQL the two handles are two stores with their own connection pools, like two app
 * instances.
 */
import { describeGrantStoreContract } from '@keyslot/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DatabaseKind,
  openTestDatabase,
  postgresUrl,
  storeOver,
  type TestDatabase,
} from './testing/databases.test-helpers.js';

const KINDS: readonly DatabaseKind[] = ['pglite-memory', 'pglite-disk', 'postgres'];

for (const kind of KINDS) {
  if (kind === 'postgres' && postgresUrl() === null) {
    describe.skip(`GrantStore contract: SqlGrantStore on ${kind} (no PostgreSQL server)`, () => {});
    continue;
  }
  let db: Promise<TestDatabase> | undefined;
  afterAll(async () => {
    await (await db)?.close();
  });
  describeGrantStoreContract(
    `SqlGrantStore on ${kind}`,
    async () => {
      db ??= openTestDatabase(kind);
      const d = await db;
      return {
        fresh: async () => {
          await d.reset();
          return { a: storeOver(await d.client(0)), b: storeOver(await d.client(1)) };
        },
        cleanup: async () => {},
      };
    },
    { describe, it, expect, beforeEach, afterEach },
    { timeoutMs: 120_000 },
  );
}
