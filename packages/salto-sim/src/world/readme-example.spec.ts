/**
 * The README's "site hitting its limit" example, run as a test. The block between the markers
 * below must appear verbatim in README.md (checked at the end), so the README stays runnable.
 */
import { expect, it, onTestFinished, vi } from 'vitest';
// README: import { createDefaultWorld } from '@keyslot/salto-sim';
import { createDefaultWorld } from '../index.js';
import { expectExampleInReadme } from './readme-example.test-helpers.js';

it('README example: a site hits its slot limit', async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  onTestFinished(() => spy.mockRestore());
  // --- example start ---
  const { world, ids } = createDefaultWorld({ seed: 42 });
  const site = ids.sites.office; // "Harbour Office", slot limit 3

  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    const r = world.createAccessCode({ deviceId: ids.locks.officeEntrance, name });
    if (!r.ok) throw new Error(r.error.message);
    const errors = r.value.errors.map((e) => e.code);
    console.log(name, r.value.status, errors.length ? errors : 'subscribed');
  }
  // alice setting subscribed / bob … / carol … / dave unset salto_site_user_not_subscribed

  const usage = world.inspectSite(site)!;
  console.log(`used ${usage.used}/${usage.slotLimit}`); // used 3/3

  const account = world.getConnectedAccount(ids.connectedAccountId);
  if (account.ok) console.log(account.value.errors.map((e) => e.code).join()); // salto_ks_subscription_limit_exceeded

  await world.advance(5_000); // let Salto assign PINs and program the lock (virtual time)
  const alice = world.inspectAccessCodes({ siteId: site })[0]!;
  console.log(alice.status, alice.code?.length); // set 6
  // --- example end ---

  expect(lines).toEqual([
    'alice setting subscribed',
    'bob setting subscribed',
    'carol setting subscribed',
    'dave unset salto_site_user_not_subscribed',
    'used 3/3',
    'salto_ks_subscription_limit_exceeded',
    'set 6',
  ]);

  expectExampleInReadme(import.meta.url, new URL('../../README.md', import.meta.url));
});
