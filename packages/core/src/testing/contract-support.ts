import type { Result } from '../domain/result.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';

/** What the gateway contract suites share (not exported from `@keyslot/core/testing`). */

/** A Salto-generated PIN: 6–10 digits. */
export const PIN = /^\d{6,10}$/;

/** An id no provider has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** The value of a call the suite needs to succeed; a failure is a contract violation naming the call. */
export function unwrap<T>(r: Result<T, GatewayFailure>, what: string): T {
  if (!r.ok) throw new ContractViolation(`${what} failed: ${r.error.code} — ${r.error.message}`);
  return r.value;
}
