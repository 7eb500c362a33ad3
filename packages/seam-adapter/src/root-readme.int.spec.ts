/**
 * The root README's "switch modules" snippet, run as a test: the block between the markers must
 * appear verbatim in /README.md, so the first code a newcomer reads compiles and works.
 */
import { readFileSync } from 'node:fs';
// README: import { createKeyslotContainer, GrantAccess, RevokeAccess } from '@keyslot/core/container';
// README: import { seamAdapterModule } from '@keyslot/seam-adapter';
// README: import { saltoSimModule } from '@keyslot/salto-sim';
import { LOCK_GATEWAY, type LockGateway } from '@keyslot/core';
import { createKeyslotContainer, GrantAccess, RevokeAccess } from '@keyslot/core/container';
import { saltoSimModule } from '@keyslot/salto-sim';
import { afterEach, expect, it } from 'vitest';
import { SeamLockGateway } from './gateway.js';
import { seamAdapterModule } from './module.js';

const savedKey = process.env['SEAM_API_KEY'];
afterEach(() => {
  if (savedKey === undefined) delete process.env['SEAM_API_KEY'];
  else process.env['SEAM_API_KEY'] = savedKey;
});

function snippet() {
  // --- example start ---
  const apiKey = process.env['SEAM_API_KEY'];
  const gateway = apiKey
    ? seamAdapterModule({ apiKey, siteSlotLimits: { 'site-id': 25 } })
    : saltoSimModule({ seed: 42 });
  const keyslot = createKeyslotContainer({ gateway });
  // --- example end ---
  return keyslot;
}

it('README snippet: without SEAM_API_KEY the simulator serves grants and revokes', async () => {
  delete process.env['SEAM_API_KEY'];
  const keyslot = snippet();
  const gw = keyslot.get<LockGateway>(LOCK_GATEWAY);
  const sites = await gw.listSites();
  if (!sites.ok) throw new Error(sites.error.message);
  const site = sites.value[0]!;
  const locks = await gw.listLocks(site.id);
  if (!locks.ok) throw new Error(locks.error.message);
  const lock = locks.value.find((l) => l.capabilities.accessCodes && l.hubLink === 'good')!;

  const granted = await keyslot.get(GrantAccess).execute({
    key: 'readme-1',
    holder: 'alice',
    siteId: site.id,
    lockIds: [lock.id],
    window: { kind: 'ongoing' },
  });
  expect(granted.ok && granted.value.code).toBe('granted');
  const revoked = await keyslot.get(RevokeAccess).execute('readme-1');
  expect(revoked.ok).toBe(true);
  const left = await gw.listAccessCodes(lock.id);
  expect(
    left.ok && left.value.filter((c) => c.name.startsWith('keyslot:readme-1') && c.status !== 'removing'),
  ).toEqual([]);
});

it('README snippet: with SEAM_API_KEY the Seam adapter is the gateway (no call is made at composition)', () => {
  process.env['SEAM_API_KEY'] = 'seam_readme_test_key_1234';
  const keyslot = snippet();
  expect(keyslot.get(LOCK_GATEWAY)).toBeInstanceOf(SeamLockGateway);
});

it('the snippet appears verbatim in the root README', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const body = source.split('// --- example start ---\n')[1]!.split('  // --- example end ---')[0]!;
  const dedented = body
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')
    .trimEnd();
  const imports = [...source.matchAll(/^\/\/ README: (.*)$/gm)].map((m) => m[1]).join('\n');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(imports);
  expect(readme).toContain(dedented);
});
