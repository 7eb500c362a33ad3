import type { Result } from '../domain/result.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import type { AppliedAction } from './reconcile-site.js';

/** How reconcile reports what came of one action, on either path. */

type Action = Omit<AppliedAction, 'result' | 'failure'>;

/** A delete: done (already gone counts), or failed with the provider's failure. */
export const appliedDelete = <A extends Action>(a: A, del: Result<void, GatewayFailure>) =>
  (del.ok ? { ...a, result: 'done' } : { ...a, result: 'failed', failure: del.error }) as A & AppliedAction;

/** A create, from what making sure of it came to (`ensureCode` / `ensureAccessGrant`). */
export const appliedCreate = <A extends Action>(
  a: A,
  made:
    | { readonly kind: 'ready' }
    | { readonly kind: 'refused_at_limit'; readonly cleanupFailure: GatewayFailure | null }
    | { readonly kind: 'failed'; readonly failure: GatewayFailure },
) =>
  (made.kind === 'ready'
    ? { ...a, result: 'done' }
    : made.kind === 'refused_at_limit'
      ? { ...a, result: 'refused_at_limit', ...(made.cleanupFailure ? { failure: made.cleanupFailure } : {}) }
      : { ...a, result: 'failed', failure: made.failure }) as A & AppliedAction;
