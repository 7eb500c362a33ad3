/**
 * The README's "Doors through Salto KS ACS" example, run as a test. The block between the markers
 * must appear verbatim in README.md (checked at the end), so the README's numbers stay true.
 */
import { expect, it, onTestFinished, vi } from 'vitest';
// README: import { createDefaultWorld } from '@keyslot/salto-sim';
import { createDefaultWorld } from '../../index.js';
import { expectExampleInReadme } from '../readme-example.test-helpers.js';

it('README example: a four-door stay costs 4 slots on the lock path and 1 through the ACS path', async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  onTestFinished(() => spy.mockRestore());
  // --- example start ---
  const { world, ids } = createDefaultWorld({ seed: 42 });
  const site = ids.sites.apartments; // "Casa Sol Apartments", slot limit 10
  const doors = [ids.locks.frontDoor, ids.locks.apartment1, ids.locks.apartment2, ids.locks.gym];

  // Lock path: one access code per door, and every code is its own Salto user.
  for (const deviceId of doors) world.createAccessCode({ deviceId, name: 'Stay 1001' });
  console.log('lock path', world.inspectSite(site)!.used); // lock path 4

  // ACS path: one Access Grant over the same four entrances = one Salto user.
  const grant = world.accessGrants.createAccessGrant({
    userIdentity: { fullName: 'Jane Guest', emailAddress: 'jane@example.com' },
    acsEntranceIds: doors.map((d) => world.acs.acsEntranceIdOf(d)),
    requestedAccessMethods: [{ mode: 'code' }],
    accessGrantKey: 'stay-1002',
  });
  if (!grant.ok) throw new Error(grant.error.message);
  console.log('ACS path', world.inspectSite(site)!.used - 4); // ACS path 1

  await world.advance(5_000); // Salto generates the grant's one PIN (virtual time)
  const methods = world.accessGrants.listAccessMethods({ accessGrantKey: 'stay-1002' });
  if (methods.ok) console.log(methods.value[0]!.mode, methods.value[0]!.code?.length); // code 6
  const [user] = world.acs.inspectUsers({ siteId: site });
  console.log(user!.isSubscribed, world.acs.inspectCredentials({ acsUserId: user!.acsUserId }).length); // true 1
  // --- example end ---

  expect(lines).toEqual(['lock path 4', 'ACS path 1', 'code 6', 'true 1']);

  expectExampleInReadme(import.meta.url, new URL('../../../README.md', import.meta.url));
});
