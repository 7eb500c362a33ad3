// @ts-check
import { attemptsPanel } from './panels/attempts.js';
import { clockPanel } from './panels/clock.js';
import { eventsPanel } from './panels/events.js';
import { faultsPanel } from './panels/faults.js';
import { onboardingPanel } from './panels/onboarding.js';
import { sitesPanel } from './panels/sites.js';
import { worldPanel } from './panels/world.js';

/**
 * The keyslot-sim console. It holds no state of its own: the server streams the world's
 * picture (`state`) and its events (`events`) over Server-Sent Events, and every control calls
 * the simulator's ordinary HTTP routes (`/_sim/*`, the Seam sandbox routes) with the API key.
 *
 * The page is a list of panels. A panel module exports `makePanel(api)` returning
 *   { root: HTMLElement, column: 'main' | 'side', update(view), events?(list) }
 * (see types.d.ts): `update` gets the whole view after every change, `events` each batch of
 * new world events, and `api.call` runs a route with the key. A new feature (the ACS path, a
 * new control) is one more module in panels/ and one entry in PANELS below.
 *
 * @typedef {import('./types.js').ConsoleView} ConsoleView
 * @typedef {import('./types.js').SimEvent} SimEvent
 * @typedef {import('./types.js').Api} Api
 * @typedef {import('./types.js').Panel} Panel
 */

const KEY_STORAGE = 'keyslot-sim.console.apiKey';
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {string | null} */
let apiKey = null;
/** @type {ConsoleView | null} */
let view = null;
/** @type {AbortController | null} */
let streaming = null;

/** @type {Api} */
const api = {
  async call(path, body) {
    const res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${apiKey ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    /** @type {any} */
    let json = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    if (res.status === 401) lock('The simulator refused the API key; enter it again.');
    if (!res.ok || !json || json.ok !== true) {
      const message = json?.error?.message ?? `${path} answered HTTP ${res.status}.`;
      notify(message);
      return { ok: false, status: res.status, body: json };
    }
    notify(null);
    return { ok: true, status: res.status, body: json };
  },
  notify,
  get view() {
    return view;
  },
};

/** @type {Panel[]} */
const PANELS = [
  sitesPanel,
  clockPanel,
  eventsPanel,
  faultsPanel,
  attemptsPanel,
  onboardingPanel,
  worldPanel,
].map((make) => make(api));

/** Shows (or, with null, hides) a message about the last control used. */
function notify(/** @type {string | null} */ message) {
  const n = $('notice');
  n.hidden = message === null;
  n.textContent = message ?? '';
}

function setConnection(/** @type {string} */ text, /** @type {boolean} */ live) {
  const c = $('connection');
  c.textContent = text;
  c.classList.toggle('live', live);
}

/** Asks for the key (again): nothing of the world is shown without it. */
function lock(/** @type {string} */ why) {
  streaming?.abort();
  streaming = null;
  apiKey = null;
  sessionStorage.removeItem(KEY_STORAGE);
  $('panels').hidden = true;
  $('forget-key').hidden = true;
  $('key-gate').hidden = false;
  $('key-error').textContent = why;
  setConnection('Not connected', false);
  $('key-input').focus();
}

function unlock(/** @type {string} */ key) {
  apiKey = key;
  sessionStorage.setItem(KEY_STORAGE, key);
  $('key-gate').hidden = true;
  $('forget-key').hidden = false;
  void stream();
}

/** Reads the live stream until it ends, then reconnects (fetch, so the key goes in a header, never in a URL). */
async function stream() {
  const ctrl = new AbortController();
  streaming?.abort();
  streaming = ctrl;
  setConnection('Connecting…', false);
  try {
    const res = await fetch('/_sim/console/stream', {
      headers: { authorization: `Bearer ${apiKey ?? ''}`, accept: 'text/event-stream' },
      signal: ctrl.signal,
      cache: 'no-store',
    });
    if (res.status === 401) return lock('The simulator refused that API key.');
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    setConnection('Live', true);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch {
    // The connection dropped (server restarted or stopping): reconnect below, unless replaced.
    if (ctrl.signal.aborted) return;
  }
  if (streaming !== ctrl) return;
  setConnection('Reconnecting…', false);
  setTimeout(() => {
    if (streaming === ctrl) void stream();
  }, 1000);
}

/** One Server-Sent Events message. */
function dispatch(/** @type {string} */ block) {
  let type = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
  }
  if (type === 'state') {
    view = JSON.parse(data);
    $('panels').hidden = false;
    for (const p of PANELS) p.update(/** @type {ConsoleView} */ (view));
    document.body.dataset['generation'] = String(view?.generation);
  } else if (type === 'events') {
    const list = /** @type {SimEvent[]} */ (JSON.parse(data));
    for (const p of PANELS) p.events?.(list);
  }
}

function boot() {
  for (const p of PANELS) $(p.column === 'main' ? 'col-main' : 'col-side').append(p.root);
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('key-input'));
    const key = input.value.trim();
    input.value = '';
    if (key) unlock(key);
  });
  $('forget-key').addEventListener('click', () => lock(''));
  // A console URL printed by the CLI carries the key in its fragment (never sent to the server):
  // take it, keep it for the tab, and drop it from the address bar.
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromUrl) history.replaceState(null, '', location.pathname + location.search);
  const key = fromUrl ?? sessionStorage.getItem(KEY_STORAGE);
  if (key) unlock(key);
  else lock('');
}

boot();
