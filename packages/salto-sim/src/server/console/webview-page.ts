import { z } from 'zod/v4';
import { completeConnectWebview } from '../connect-webviews.js';
import type { Route } from '../http.js';
import { type RawReply, type Reply, success } from '../reply.js';
import type { ConnectWebviewRecord, SimState } from '../sim-state.js';
import { parseParams, uuid } from '../validation.js';
import { PAGE_HEADERS } from './assets.js';

/**
 * The page a Connect Webview's `url` opens: an imitation of the Salto KS sign-in. Signing in
 * completes the webview (authorized, a new connected account and its events), "Deny access"
 * fails it; both go through {@link completeConnectWebview}, the path `/_sim/connect_webviews/complete`
 * uses, then the browser follows `custom_redirect_url` (or `custom_redirect_failure_url`).
 *
 * Like Seam's hosted page it needs no API key: the person signing in is the app's user, and the
 * webview's unguessable id in the URL is what lets them end that one pending webview — nothing
 * else. The password is never sent to the server.
 */

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Only http(s) redirects are followed (a `javascript:` URL would run in this page). */
export function safeRedirect(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function page(status: number, title: string, body: string): RawReply {
  return {
    kind: 'raw',
    status,
    headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/_sim/console/webview.css">
</head>
<body>
<main class="card">
<div class="brand" aria-hidden="true"><span class="logo">SALTO</span> <span class="ks">KS</span></div>
${body}
<p class="sim-note">keyslot-sim: a simulated Salto KS sign-in. Any e-mail and password are accepted; the password never leaves this page.</p>
</main>
<script type="module" src="/_sim/console/webview.js"></script>
</body>
</html>
`,
  };
}

function loginPage(w: ConnectWebviewRecord): RawReply {
  if (w.status !== 'pending') {
    return page(
      200,
      'Salto KS — already used',
      `<h1>This sign-in link was already used</h1>
<p role="status" id="result">Connect Webview <code>${escapeHtml(w.connect_webview_id)}</code> is <strong>${escapeHtml(w.status)}</strong>. Ask the app for a new link.</p>`,
    );
  }
  return page(
    200,
    'Sign in to Salto KS',
    `<h1>Sign in to Salto KS</h1>
<p>to connect your sites to the app (through Seam).</p>
<form id="login" data-webview="${escapeHtml(w.connect_webview_id)}">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required value="jane@example.com">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required value="1234">
<button type="submit" id="sign-in">Sign in</button>
<button type="button" id="deny" class="secondary">Deny access</button>
</form>
<p role="status" id="result" aria-live="polite"></p>`,
  );
}

export function webviewPageRoutes(state: SimState): Route[] {
  return [
    {
      path: '/_sim/connect_webviews/view',
      methods: ['GET'],
      auth: false,
      handle: (ctx): Reply => {
        const id = ctx.params['connect_webview_id'];
        const w = typeof id === 'string' ? state.webviews.get(id) : undefined;
        if (!w) {
          return page(
            404,
            'Salto KS — link not found',
            `<h1>This sign-in link is not valid</h1>
<p role="status" id="result">No Connect Webview has this id (the simulator may have been restarted or reset). Ask the app for a new link.</p>`,
          );
        }
        return loginPage(w);
      },
    },
    {
      path: '/_sim/connect_webviews/view/submit',
      methods: ['POST'],
      auth: false,
      handle: (ctx): Reply => {
        const p = parseParams(
          z.object({
            connect_webview_id: uuid(),
            email: z.string().min(1).max(200).optional(),
            deny: z.boolean().optional(),
          }),
          ctx.params,
        );
        if (!p.ok) return p.error;
        const r = completeConnectWebview(state, p.value.connect_webview_id, {
          ...(p.value.deny ? { fail: true } : {}),
          ...(p.value.email !== undefined ? { displayName: p.value.email } : {}),
        });
        if (!r.ok) return r.error;
        const w = r.value;
        return success({
          connect_webview_id: w.connect_webview_id,
          status: w.status,
          connected_account_id: w.connected_account_id,
          redirect_url: safeRedirect(
            w.status === 'authorized' ? w.custom_redirect_url : w.custom_redirect_failure_url,
          ),
        });
      },
    },
  ];
}
