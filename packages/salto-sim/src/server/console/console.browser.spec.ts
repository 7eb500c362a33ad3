import { mkdirSync, readFileSync } from 'node:fs';
import { VirtualClock } from '@keyslot/core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../../world/default-world.js';
import { type SimServer, startSimServer } from '../server.js';
import { HAVE_CHROMIUM, launchChromium } from './chromium.test-helpers.js';

/**
 * The console and the Connect Webview page in a real browser (Debian's Chromium through
 * playwright-core): one browser and one simulator for the file, every figure checked against
 * the API. `KEYSLOT_SCREENSHOTS=1` also writes the README's pictures to docs/img/.
 */

const KEY = 'seam_console_browser_test_key';
const WAIT = 10_000;
const SHOTS = process.env['KEYSLOT_SCREENSHOTS'] === '1';
const SHOT_DIR = new URL('../../../../../docs/img/', import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: API bodies are read freely here.
type Body = any;

describe.skipIf(!HAVE_CHROMIUM)('console in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let server: SimServer;
  let context: BrowserContext;
  let page: Page;
  const { world, ids } = createDefaultWorld({ seed: 42, clock: new VirtualClock(Date.UTC(2026, 0, 5, 9)) });

  const api = async (
    path: string,
    body?: Record<string, unknown>,
    key: string | null = KEY,
  ): Promise<Body> => {
    const res = await fetch(server.url + path, {
      method: body ? 'POST' : 'GET',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, ...((await res.json()) as Body) };
  };
  const lockCard = (deviceId: string): Locator => page.locator(`article[data-device-id="${deviceId}"]`);
  const siteCard = (siteId: string): Locator => page.locator(`article[data-site-id="${siteId}"]`);
  const shot = async (p: Page, name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOT_DIR, { recursive: true });
    // (Browser-side code is given as strings: this file is typed for node, not the DOM.)
    await p.evaluate('window.scrollTo(0, 0); document.activeElement?.blur();');
    await p.screenshot({ path: new URL(name, SHOT_DIR).pathname, fullPage: true });
  };

  beforeAll(async () => {
    server = await startSimServer({ world, apiKey: KEY });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(`${server.url}/#key=${KEY}`);
    // Set once: a reload would wipe it, so the tests below see updates arrive without one.
    await page.evaluate('window.noReload = true');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  const stillTheSamePage = async () => (await page.evaluate('window.noReload === true')) === true;

  it('shows every site, lock and slot figure as /_sim/sites/list and /devices/list report them', async () => {
    expect(page.url()).toBe(`${server.url}/`); // the key left the address bar
    await waitForText(page.locator('#connection'), 'Live');
    const { sites } = await api('/_sim/sites/list');
    const { devices } = await api('/devices/list');
    expect(sites.length).toBe(2);
    expect(devices.length).toBe(8);
    await page
      .locator('article[data-device-id]')
      .nth(devices.length - 1)
      .waitFor();
    expect(await page.locator('article[data-site-id]').count()).toBe(sites.length);
    expect(await page.locator('article[data-device-id]').count()).toBe(devices.length);
    for (const s of sites) {
      const card = siteCard(s.site_id);
      expect(await card.locator('h3').textContent()).toBe(s.site_name);
      expect(await card.locator('[data-field=slots]').textContent()).toBe(
        `${s.slots_used} / ${s.slot_limit}`,
      );
      const meter = card.getByRole('meter');
      expect(await meter.getAttribute('aria-valuenow')).toBe(String(s.slots_used));
      expect(await meter.getAttribute('aria-valuemax')).toBe(String(s.slot_limit));
      expect(await card.locator('[data-field=slot-state]').textContent()).toBe(
        s.limit_reached ? 'limit reached' : s.almost_reached ? 'over 80 %' : 'ok',
      );
    }
    for (const d of devices) {
      const card = lockCard(d.device_id);
      expect(await card.locator('h4').textContent()).toBe(d.display_name);
      expect(await card.locator('[data-field=device-type]').getAttribute('data-value')).toBe(d.device_type);
      const link = await card.locator('[data-field=hub-link]').getAttribute('data-value');
      expect(link === 'offline').toBe(!d.properties.online);
      expect(link === 'weak').toBe(d.device_type === 'unknown');
      expect(Number(await card.locator('[data-field=battery]').getAttribute('data-value'))).toBe(
        d.properties.battery_level,
      );
      expect(await card.locator('[data-field=locked]').getAttribute('data-value')).toBe(
        String(d.properties.locked),
      );
    }
    await shot(page, 'console-default-world.png');
  });

  it('shows a code created through the Seam API, its PIN once assigned, and fills the slot bar, with no reload', async () => {
    const office = ids.locks.officeEntrance;
    const created = await api('/access_codes/create', { device_id: office, name: 'Guest 1' });
    const codeId: string = created.access_code.access_code_id;
    const row = lockCard(office).locator(`tr[data-access-code-id="${codeId}"]`);
    await row.waitFor();
    expect(await row.locator('button.pin').textContent()).toBe('not assigned');

    // Move the virtual clock from the console: Salto assigns the PIN and programs the lock.
    await page.getByRole('button', { name: 'Advance the clock 1 min' }).click();
    const pin = await pollFor(
      async () => (await api(`/access_codes/get?access_code_id=${codeId}`)).access_code.code,
    );
    const pinButton = row.locator('button.pin');
    await waitForText(pinButton, '•'.repeat(pin.length));
    expect(await page.content()).not.toContain(pin); // masked until clicked
    await pinButton.click();
    await waitForText(pinButton, pin);
    expect(await pinButton.getAttribute('aria-pressed')).toBe('true');
    await waitForText(row.locator('[data-field=status]'), 'set');

    for (const name of ['Guest 2', 'Guest 3', 'Guest 4']) {
      await api('/access_codes/create', { device_id: office, name });
    }
    const site = siteCard(ids.sites.office);
    const usage = (await api('/_sim/sites/list')).sites.find((s: Body) => s.site_id === ids.sites.office);
    expect([usage.slots_used, usage.slot_limit, usage.limit_reached]).toEqual([3, 3, true]);
    await waitForText(site.locator('[data-field=slots]'), '3 / 3');
    await waitForText(site.locator('[data-field=slot-state]'), 'limit reached');
    expect(await site.getByRole('meter').getAttribute('aria-valuenow')).toBe('3');
    const refused = lockCard(office).locator('tr', { hasText: 'Guest 4' });
    await waitForText(refused.locator('[data-field=errors]'), 'salto_site_user_not_subscribed');
    expect(await refused.locator('[data-field=holds-slot]').textContent()).toBe('no slot');
    expect(await stillTheSamePage()).toBe(true);
    await page.getByRole('button', { name: 'Advance the clock 1 min' }).click();
    await waitForText(
      lockCard(office).locator('tr', { hasText: 'Guest 3' }).locator('[data-field=status]'),
      'set',
    );
    await pinButton.click(); // masked again for the picture

    // A time-bound code starting in 4 days loads (takes its slot) 72 h before: planned, not used yet.
    const now = Date.parse((await api('/_sim/clock')).now);
    const day = 86_400_000;
    await api('/access_codes/create', {
      device_id: ids.locks.frontDoor,
      name: 'Weekend guest',
      starts_at: new Date(now + 4 * day).toISOString(),
      ends_at: new Date(now + 6 * day).toISOString(),
    });
    const apartments = siteCard(ids.sites.apartments);
    await waitForText(
      apartments.locator('[data-field=planned]'),
      '1 planned code loads within the lead time (next in 1 d).',
    );
    expect(await apartments.locator('[data-field=slots]').textContent()).toBe('0 / 10');
    await shot(page, 'console-site-at-limit.png');
  });

  it('drops a hub link from the console, and /devices/get reports it', async () => {
    const door = ids.locks.frontDoor;
    expect((await api(`/devices/get?device_id=${door}`)).device.properties.online).toBe(true);
    await lockCard(door).getByLabel('Hub link').selectOption('offline');
    const device = await pollFor(async () => {
      const d = (await api(`/devices/get?device_id=${door}`)).device;
      return d.properties.online === false ? d : null;
    });
    expect(device.errors.map((e: Body) => e.error_code)).toContain('hub_disconnected');
    await waitForAttribute(lockCard(door).locator('[data-field=hub-link]'), 'data-value', 'offline');
    await page.locator('.feed li[data-event-type="device.disconnected"]').first().waitFor();
    await lockCard(door).getByLabel('Hub link').selectOption('good');
    await waitForAttribute(lockCard(door).locator('[data-field=hub-link]'), 'data-value', 'good');
  });

  it('types a PIN on a lock keypad and shows the event (lock.unlocked, then lock.access_denied)', async () => {
    const office = ids.locks.officeEntrance;
    const codes = (await api(`/access_codes/list?device_id=${office}`)).access_codes;
    const pin: string = codes.find((c: Body) => c.name === 'Guest 1').code;
    const card = lockCard(office);
    await card.getByLabel('Keypad PIN').fill(pin);
    await card.getByRole('button', { name: 'Enter' }).click();
    await page.locator('.feed li[data-event-type="lock.unlocked"]').first().waitFor();
    await waitForText(
      card.locator('output'),
      'Opened (see lock.unlocked in the events; office mode: already free).',
    );
    const wrong = pin === '000000' ? '111111' : '000000';
    await card.getByLabel('Keypad PIN').fill(wrong);
    await card.getByRole('button', { name: 'Enter' }).click();
    await page.locator('.feed li[data-event-type="lock.access_denied"]').first().waitFor();
    await waitForText(card.locator('output'), 'Denied: unknown_code (lock.access_denied).');
    expect(await page.locator('.feed').textContent()).not.toContain(pin); // the feed leaves PINs out
    expect(await stillTheSamePage()).toBe(true);
  });

  it('walks a Connect Webview to an authorized account and honours custom_redirect_url', async () => {
    const back = `${server.url}/health?from=webview`;
    const created = (
      await api('/connect_webviews/create', { accepted_providers: ['salto_ks'], custom_redirect_url: back })
    ).connect_webview;
    const tab = await context.newPage();
    tab.setDefaultTimeout(WAIT);
    await tab.goto(created.url);
    await tab.getByLabel('E-mail').fill('owner@harbour.example');
    await shot(tab, 'connect-webview.png');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.waitForURL(back);
    const w = (await api(`/connect_webviews/get?connect_webview_id=${created.connect_webview_id}`))
      .connect_webview;
    expect([w.status, w.login_successful]).toEqual(['authorized', true]);
    const account = (await api(`/connected_accounts/get?connected_account_id=${w.connected_account_id}`))
      .connected_account;
    expect(account.display_name).toBe('owner@harbour.example');
    const events = (
      await api('/events/list', {
        since: '2020-01-01T00:00:00Z',
        connected_account_id: w.connected_account_id,
      })
    ).events;
    expect(events.map((e: Body) => [e.event_type, e.connect_webview_id])).toEqual([
      ['connected_account.created', created.connect_webview_id],
      ['connected_account.connected', created.connect_webview_id],
      ['connect_webview.login_succeeded', created.connect_webview_id],
      ['connected_account.completed_first_sync', undefined],
    ]);
    // The link works once.
    await tab.goto(created.url);
    await waitForText(
      tab.getByRole('status'),
      `Connect Webview ${created.connect_webview_id} is authorized. Ask the app for a new link.`,
    );

    // "Deny access" fails the webview, and the failure URL is followed.
    const denied = (await api('/connect_webviews/create', { custom_redirect_url: back })).connect_webview;
    await tab.goto(denied.url);
    await tab.getByRole('button', { name: 'Deny access' }).click();
    await tab.waitForURL(back);
    const d = (await api(`/connect_webviews/get?connect_webview_id=${denied.connect_webview_id}`))
      .connect_webview;
    expect([d.status, d.connected_account_id]).toEqual(['failed', null]);
    await tab.close();
    // The console lists the new account live.
    await page.getByRole('list', { name: 'Connected accounts' }).getByText('owner@harbour.example').waitFor();
  });

  it('shows nothing of the world and changes nothing without the API key', async () => {
    const fresh = await browser.newContext();
    try {
      const p = await fresh.newPage();
      p.setDefaultTimeout(WAIT);
      await p.goto(server.url);
      const keyInput = p.getByRole('textbox', { name: 'API key' });
      await keyInput.waitFor();
      expect(await p.locator('#panels').isHidden()).toBe(true);
      const codes = (await api(`/access_codes/list?device_id=${ids.locks.officeEntrance}`)).access_codes;
      const html = await p.content();
      for (const c of codes) if (c.code) expect(html).not.toContain(c.code);
      expect(html).not.toContain('OFFICE ENTRANCE');
      await keyInput.fill('seam_wrong_key');
      await p.getByRole('button', { name: 'Open the console' }).click();
      await waitForText(p.locator('#key-error'), 'The simulator refused that API key.');
      expect(await p.locator('#panels').isHidden()).toBe(true);
      await keyInput.fill(KEY);
      await p.getByRole('button', { name: 'Open the console' }).click();
      await p.locator('article[data-device-id]').first().waitFor();
    } finally {
      await fresh.close();
    }
    for (const route of ['/_sim/console/stream', '/_sim/console/state']) {
      expect((await api(route, undefined, null)).status).toBe(401);
    }
    expect((await api('/_sim/slot_limit', { site_id: ids.sites.office, slot_limit: 9 }, null)).status).toBe(
      401,
    );
  });

  it('labels every control, and its other controls reach the world through the /_sim and Seam routes', async () => {
    // Every visible control has an accessible name (its label, aria-label or text).
    const unnamed = await page.evaluate(
      `[...document.querySelectorAll('button, input, select')]
        .filter((el) => !el.closest('[hidden]') && !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
        .map((el) => el.outerHTML)`,
    );
    expect(unnamed).toEqual([]);

    // Slot limit, from the keyboard.
    const apartments = siteCard(ids.sites.apartments);
    await apartments.getByLabel('Slot limit').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await waitForText(apartments.locator('[data-field=slots]'), '0 / 12');
    const limitOf = async (siteId: string) =>
      (await api('/_sim/sites/list')).sites.find((x: Body) => x.site_id === siteId).slot_limit;
    expect(await limitOf(ids.sites.apartments)).toBe(12);

    // Faults: inject, see them listed, clear.
    const faults = page.locator('#faults');
    await faults.getByLabel('Fault', { exact: true }).selectOption('server_error');
    await faults.getByLabel('For the next N calls').fill('2');
    await faults.getByLabel('Only').selectOption('list_devices');
    await faults.getByRole('button', { name: 'Inject fault' }).click();
    await waitForText(
      faults.getByRole('list', { name: 'Active faults' }),
      'server_error × 2 left (list_devices)',
    );
    expect((await api('/_sim/faults/list')).faults.map((f: Body) => [f.kind, f.remaining])).toEqual([
      ['server_error', 2],
    ]);
    await faults.getByRole('button', { name: 'Clear faults' }).click();
    await page.getByText('No fault is active.').waitFor();
    expect((await api('/_sim/faults/list')).faults).toEqual([]);

    // Remote unlock: a pending attempt, done once the clock moves.
    await lockCard(ids.locks.officeEntrance).getByRole('button', { name: 'Unlock remotely' }).click();
    const attempt = page.locator('#attempts tbody tr').first();
    await waitForText(attempt.locator('[data-field=status]'), 'pending');
    await page.getByRole('button', { name: 'Advance the clock 1 min' }).click();
    await waitForText(attempt.locator('[data-field=status]'), 'success');

    // Snapshot out, reset, snapshot back in.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download snapshot' }).click(),
    ]);
    const saved = await download.path();
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual((await api('/_sim/snapshot')).snapshot);
    await page.getByRole('button', { name: 'Reset the world' }).click();
    await waitForText(apartments.locator('[data-field=slots]'), '0 / 10');
    expect(await limitOf(ids.sites.apartments)).toBe(10);
    expect(await page.locator('.feed li[data-event-type="lock.unlocked"]').count()).toBe(0); // a new world's feed
    await page.getByLabel('Start from a snapshot file').setInputFiles(saved);
    await waitForText(apartments.locator('[data-field=slots]'), '0 / 12');
    expect(await limitOf(ids.sites.apartments)).toBe(12);
    expect(await stillTheSamePage()).toBe(true);
  });
});

/** Polls `read` until it returns something other than null/undefined (bounded). */
async function pollFor<T>(read: () => Promise<T | null | undefined>): Promise<T> {
  const until = Date.now() + WAIT;
  for (;;) {
    const v = await read();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error('Timed out waiting for the simulator to report the change.');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForText(locator: Locator, text: string): Promise<void> {
  try {
    await locator
      .first()
      .page()
      .waitForFunction(
        ([el, want]) => (el as { textContent: string | null } | null)?.textContent === want,
        [await locator.first().elementHandle(), text] as const,
        { timeout: WAIT },
      );
  } catch {
    throw new Error(
      `Expected ${locator} to read ${JSON.stringify(text)}, it reads ${JSON.stringify(await locator.first().textContent())}.`,
    );
  }
}

async function waitForAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await locator
    .first()
    .page()
    .waitForFunction(
      ([el, n, v]) =>
        (el as { getAttribute(n: string): string | null } | null)?.getAttribute(n as string) === v,
      [await locator.first().elementHandle(), name, value] as const,
      { timeout: WAIT },
    );
}
