import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeGrantStoreContract } from '../testing/grant-store-contract.js';
import { InMemoryGrantStore } from './in-memory-grant-store.js';

// The reference implementation: two app instances sharing it hold the same object.
describeGrantStoreContract(
  'InMemoryGrantStore',
  async () => ({
    fresh: async () => {
      const store = new InMemoryGrantStore();
      return { a: store, b: store };
    },
    cleanup: async () => {},
  }),
  { describe, it, expect, beforeEach, afterEach },
);
