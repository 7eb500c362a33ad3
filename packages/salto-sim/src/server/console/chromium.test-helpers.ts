import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The browser the console tests drive: Debian's Chromium (`apt-get install chromium`, which
 * `.ci/run` does), never a downloaded one. `KEYSLOT_CHROMIUM` points elsewhere.
 */
export const CHROMIUM_PATH = process.env['KEYSLOT_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Whether the browser tests run. Without Chromium they are skipped on a developer machine, but
 * under `CI=true` a missing browser fails the run instead (see {@link launchChromium}).
 */
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH) || process.env['CI'] === 'true';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium) or set KEYSLOT_CHROMIUM. The console's browser tests never skip under CI=true.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: [
      // As root (CI, containers) Chromium refuses to start with its sandbox.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      // A closed network: nothing to fetch, nothing to update.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-dev-shm-usage',
    ],
  });
}
