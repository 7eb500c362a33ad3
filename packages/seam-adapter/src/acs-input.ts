/**
 * The shape of an Access Grant request, checked before anything is sent: callers may be untyped
 * (JavaScript, JSON from elsewhere). Every problem is named; no value is echoed (a holder's name
 * stays out of logs, and an object without a usable `toString` would throw).
 */
import type { CreateAccessGrantInput, GatewayFailure } from '@keyslot/core';
import { GRANT_KEY_PATTERN, windowIssues } from '@keyslot/core';
import { isAccessMethodMode } from './acs-mapping.js';
import { invalid } from './input-checks.js';

const nonBlank = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';

/** `invalid_input` naming every problem of `input`, or null when it can be sent. */
export function checkCreateAccessGrantInput(input: unknown, now: number): GatewayFailure | null {
  if (typeof input !== 'object' || input === null) {
    return invalid(
      'Could not create an Access Grant: the input must be { key, siteId, doorIds, window, holder, methods }.',
    );
  }
  const i = input as Partial<Record<keyof CreateAccessGrantInput, unknown>>;
  const issues = windowIssues(i.window);
  if (typeof i.key !== 'string' || !GRANT_KEY_PATTERN.test(i.key))
    issues.push({ field: 'key', message: 'must be a grant key (1–64 of A–Z a–z 0–9 _ . : -)' });
  if (!nonBlank(i.siteId)) issues.push({ field: 'siteId', message: 'must be a non-empty string' });
  if (!Array.isArray(i.doorIds) || i.doorIds.length === 0)
    issues.push({ field: 'doorIds', message: 'must be a non-empty array of door ids' });
  else if (!i.doorIds.every(nonBlank))
    issues.push({ field: 'doorIds', message: 'must hold non-empty strings only' });
  else if (new Set(i.doorIds).size !== i.doorIds.length)
    issues.push({ field: 'doorIds', message: 'must not repeat a door' });
  if (!nonBlank(i.holder)) issues.push({ field: 'holder', message: 'must be a non-empty string' });
  if (!Array.isArray(i.methods) || i.methods.length === 0)
    issues.push({ field: 'methods', message: 'must be a non-empty array of "code" / "mobile_key"' });
  else if (!i.methods.every(isAccessMethodMode))
    issues.push({ field: 'methods', message: 'may hold only "code" and "mobile_key"' });
  else if (new Set(i.methods).size !== i.methods.length)
    issues.push({ field: 'methods', message: 'must not repeat a method' });
  const w = i.window as CreateAccessGrantInput['window'];
  if (issues.length === 0 && w.kind === 'scheduled' && w.endsAt <= now)
    issues.push({ field: 'window.endsAt', message: 'must be in the future' });
  if (issues.length === 0) return null;
  return invalid(
    `Could not create an Access Grant: ${issues.map((x) => `${x.field} ${x.message}`).join('; ')}.`,
  );
}
