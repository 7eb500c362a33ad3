/**
 * Onboarding a Salto KS site through a Seam Connect Webview: the page where the site admin links
 * their Salto KS account to your Seam workspace. Creation is never retried (Seam has no
 * idempotency key); reading a webview's result is.
 */
import type { GatewayFailure, Result } from '@keyslot/core';
import { err, ok } from '@keyslot/core';
import { toGatewayFailure } from './failures.js';
import type { SeamTransport } from './transport.js';
import { isSeamId, responses, type WireConnectWebview } from './wire.js';

export type ConnectWebviewStatus = 'pending' | 'authorized' | 'failed' | 'unknown';

/** A Seam Connect Webview: the page where a Salto KS site admin links their account. */
export interface ConnectWebview {
  readonly id: string;
  /** Open (or iframe) this URL for the site admin. */
  readonly url: string;
  readonly status: ConnectWebviewStatus;
  readonly loginSuccessful: boolean;
  /** Set once the admin authorized: the Salto KS connected account to use. */
  readonly connectedAccountId: string | null;
  readonly customerKey: string | null;
}

export interface CreateConnectWebviewInput {
  /** Where Seam sends the browser after a successful login (absolute http(s) URL). */
  readonly customRedirectUrl?: string;
  /** Where it goes after a failure (defaults to `customRedirectUrl` at Seam). */
  readonly customRedirectFailureUrl?: string;
  /** Your customer's key, echoed in events (`connected_account.connected`). */
  readonly customerKey?: string;
  readonly customMetadata?: Readonly<Record<string, string | boolean>>;
}

const isHttpUrl = (u: string): boolean => {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/** Creates a Connect Webview for Salto KS (`accepted_providers: ["salto_ks"]`). Not retried. */
export async function createConnectWebview(
  transport: SeamTransport,
  input: CreateConnectWebviewInput,
): Promise<Result<ConnectWebview, GatewayFailure>> {
  const action = 'create a Salto KS Connect Webview';
  for (const field of ['customRedirectUrl', 'customRedirectFailureUrl'] as const) {
    const u = input[field];
    if (u !== undefined && !isHttpUrl(u)) {
      return err({
        code: 'invalid_input',
        message: `Could not ${action}: ${field} must be an absolute http(s) URL.`,
      });
    }
  }
  const r = await transport.call(
    '/connect_webviews/create',
    {
      accepted_providers: ['salto_ks'],
      ...(input.customRedirectUrl ? { custom_redirect_url: input.customRedirectUrl } : {}),
      ...(input.customRedirectFailureUrl
        ? { custom_redirect_failure_url: input.customRedirectFailureUrl }
        : {}),
      ...(input.customerKey ? { customer_key: input.customerKey } : {}),
      ...(input.customMetadata ? { custom_metadata: input.customMetadata } : {}),
    },
    responses.connectWebview,
    'mutation',
  );
  if (!r.ok) return err(toGatewayFailure(r.error, { action, mutation: true }));
  return ok(toConnectWebview(r.value.body.connect_webview));
}

/** Reads a webview's result: `authorized` with the new `connectedAccountId`, or `failed`. */
export async function getConnectWebview(
  transport: SeamTransport,
  id: string,
): Promise<Result<ConnectWebview, GatewayFailure>> {
  if (!isSeamId(id)) {
    return err({
      code: 'invalid_input',
      message:
        'Could not read a Connect Webview: its id must be a Seam id (a UUID, as createConnectWebview returns).',
    });
  }
  const r = await transport.call(
    '/connect_webviews/get',
    { connect_webview_id: id },
    responses.connectWebview,
    'read',
  );
  if (!r.ok) return err(toGatewayFailure(r.error, { action: `read Connect Webview ${id}`, mutation: false }));
  return ok(toConnectWebview(r.value.body.connect_webview));
}

function toConnectWebview(w: WireConnectWebview): ConnectWebview {
  const status: ConnectWebviewStatus =
    w.status === 'pending' || w.status === 'authorized' || w.status === 'failed' ? w.status : 'unknown';
  return {
    id: w.connect_webview_id,
    url: w.url,
    status,
    loginSuccessful: w.login_successful ?? status === 'authorized',
    connectedAccountId: w.connected_account_id ?? null,
    customerKey: w.customer_key ?? null,
  };
}
