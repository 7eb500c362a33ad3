import type { Route } from '../http.js';
import { type RawReply, success } from '../reply.js';
import type { SimState } from '../sim-state.js';
import { loadAssets } from './assets.js';
import { ConsoleStreams } from './stream.js';
import { consoleView } from './view.js';

/**
 * The browser console's routes. The page and its scripts are open (they hold no data); the
 * world's picture — the view and its live stream, which carry PINs — and every control need the
 * API key, as every other route does. The page asks for the key once and keeps it for the tab;
 * the controls call the ordinary `/_sim/*` and Seam routes, so they get the same validation.
 */

let assets: Map<string, RawReply> | null = null;
const files = (): Map<string, RawReply> => {
  assets ??= loadAssets();
  return assets;
};

/** The console page (what `GET /` and `GET /_sim/console` answer). */
export function consolePage(): RawReply {
  const page = files().get('index.html');
  if (!page) throw new Error('The console page (console/index.html) is missing from the package.');
  return page;
}

export function consoleRoutes(state: SimState): Route[] {
  const streams = new ConsoleStreams(state);
  const routes: Route[] = [
    { path: '/_sim/console', methods: ['GET'], auth: false, handle: consolePage },
    {
      path: '/_sim/console/state',
      methods: ['GET'],
      handle: () => success({ console: consoleView(state) as unknown as Record<string, unknown> }),
    },
    { path: '/_sim/console/stream', methods: ['GET'], handle: () => streams.open() },
  ];
  for (const [name, reply] of files()) {
    if (name === 'index.html') continue;
    routes.push({ path: `/_sim/console/${name}`, methods: ['GET'], auth: false, handle: () => reply });
  }
  return routes;
}
