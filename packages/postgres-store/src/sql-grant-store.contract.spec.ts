/**
 * Core's GrantStore contract (example cases + the model-based property) against the SQL store on
 * each database it runs on: PGlite in memory, PGlite in a directory, and a real PostgreSQL server.
 * On PostgreSQL the two handles are two stores with their own connection pools, like two app
 * instances.
 */
import { describeGrantStoreContract } from '@keyslot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePerFile, describeOnDatabases, storeOver } from './testing/databases.test-helpers.js';

describeOnDatabases('GrantStore contract', ['pglite-memory', 'pglite-disk', 'postgres'], (kind) => {
  const database = databasePerFile(kind);
  describeGrantStoreContract(
    `SqlGrantStore on ${kind}`,
    async () => {
      const d = await database();
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
});
