import { describe, expect, it } from 'vitest';
import type { Grant } from '../domain/grant.js';
import { InMemoryGrantStore } from './in-memory-grant-store.js';

const grant = (key: string, siteId = 'site-1'): Grant => ({
  key,
  holder: 'h',
  siteId,
  lockIds: ['L1'],
  window: { kind: 'ongoing' },
  createdAt: 0,
  revokedAt: null,
  version: 0,
});

describe('InMemoryGrantStore: site-level admission', () => {
  it('bumps a site’s revision on every save of one of its grants, and only that site’s', async () => {
    const store = new InMemoryGrantStore();
    expect(await store.siteRevision('site-1')).toBe(0);
    const saved = await store.save(grant('g1'), 0);
    expect(saved.ok).toBe(true);
    expect(await store.siteRevision('site-1')).toBe(1);
    if (saved.ok) await store.save({ ...saved.value, revokedAt: 5 }, saved.value.version);
    expect(await store.siteRevision('site-1')).toBe(2);
    await store.save(grant('g2', 'site-2'), 0);
    expect(await store.siteRevision('site-1')).toBe(2);
    expect(await store.siteRevision('site-2')).toBe(1);
  });

  it('refuses a conditional save after another grant of the site was saved, and writes nothing', async () => {
    const store = new InMemoryGrantStore();
    const seen = await store.siteRevision('site-1');
    // Another app instance admits a grant first.
    expect((await store.save(grant('winner'), 0, { siteRevision: seen })).ok).toBe(true);
    const lost = await store.save(grant('loser'), 0, { siteRevision: seen });
    expect(lost.ok ? null : lost.error).toMatchObject({
      code: 'site_changed',
      siteId: 'site-1',
      expectedRevision: 0,
      actualRevision: 1,
    });
    expect(await store.get('loser')).toBeNull();
    expect(await store.siteRevision('site-1')).toBe(1);
    // Re-read, decide again, save on the fresh revision.
    expect((await store.save(grant('loser'), 0, { siteRevision: 1 })).ok).toBe(true);
  });

  it('still checks the grant version first (version_conflict wins over a stale site revision)', async () => {
    const store = new InMemoryGrantStore();
    await store.save(grant('g1'), 0);
    const r = await store.save(grant('g1'), 0, { siteRevision: 0 });
    expect(r.ok ? null : r.error.code).toBe('version_conflict');
  });
});
