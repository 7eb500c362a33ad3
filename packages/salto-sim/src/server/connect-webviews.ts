import type { Result } from '@keyslot/core';
import { type ErrorReply, failure } from './reply.js';
import { failureReply } from './routes/seam-common.js';
import { iso } from './seam-views.js';
import type { ConnectWebviewRecord, SimState } from './sim-state.js';

/**
 * Ends a pending Connect Webview the way Seam's hosted login does: authorized (a new Salto KS
 * connected account, `connected_account.connected` and `connect_webview.login_succeeded`) or,
 * with `fail`, failed (no account). The one path behind both `/_sim/connect_webviews/complete`
 * and the HTML login page at the webview's `url`.
 */
export function completeConnectWebview(
  state: SimState,
  connectWebviewId: string,
  outcome: { readonly fail?: boolean; readonly displayName?: string },
): Result<ConnectWebviewRecord, ErrorReply | { kind: 'drop' }> {
  const w = state.webviews.get(connectWebviewId);
  if (!w) {
    return {
      ok: false,
      error: failure(404, 'connect_webview_not_found', `Connect Webview ${connectWebviewId} was not found.`, {
        data: { connect_webview_id: connectWebviewId },
      }),
    };
  }
  if (w.status !== 'pending') {
    return {
      ok: false,
      error: failure(
        400,
        'invalid_input',
        `Connect Webview ${connectWebviewId} is already ${w.status}; create a new one.`,
        { data: { connect_webview_id: connectWebviewId, status: w.status } },
      ),
    };
  }
  if (outcome.fail) {
    w.status = 'failed';
    return { ok: true, value: w };
  }
  const r = state.world.addConnectedAccount({
    connectWebviewId,
    ...(outcome.displayName !== undefined ? { displayName: outcome.displayName } : {}),
  });
  if (!r.ok) return { ok: false, error: failureReply(r.error) };
  w.status = 'authorized';
  w.login_successful = true;
  w.connected_account_id = r.value.connectedAccountId;
  w.authorized_at = iso(state.world.now());
  w.selected_provider = 'salto_ks';
  return { ok: true, value: w };
}
