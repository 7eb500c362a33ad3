import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrantStore } from '../ports/grant-store.js';
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

// A store without the optional `listHoldingBySite` (as a third-party store may be): keyslot's
// fallback, `listBySite` filtered, must give the same answers.
describeGrantStoreContract(
  'a GrantStore without listHoldingBySite',
  async () => ({
    fresh: async () => {
      const inner = new InMemoryGrantStore();
      const store: GrantStore = {
        get: (key) => inner.get(key),
        listBySite: (siteId) => inner.listBySite(siteId),
        listSites: () => inner.listSites(),
        siteRevision: (siteId) => inner.siteRevision(siteId),
        save: (grant, expectedVersion, condition) => inner.save(grant, expectedVersion, condition),
      };
      return { a: store, b: store };
    },
    cleanup: async () => {},
  }),
  { describe, it, expect, beforeEach, afterEach },
);
