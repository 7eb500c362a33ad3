import { httpStatusOf } from '../server/failure-status.js';
import type { SimFailure, SimResult } from './types.js';

/**
 * A world failure with the HTTP status the server answers it with. The world's failures carry no
 * status (the server's table owns them), so the behaviour specs that pin a failure's status check
 * it through that table.
 */
export const withHttpStatus = (f: SimFailure): SimFailure & { readonly status: number } => ({
  ...f,
  status: httpStatusOf(f),
});

/** The failure of `r` (with its HTTP status); throws when `r` succeeded. */
export function failure<T>(r: SimResult<T>): SimFailure & { readonly status: number } {
  if (r.ok) throw new Error('expected a failure, got ok');
  return withHttpStatus(r.error);
}
