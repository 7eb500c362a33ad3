/**
 * What both Seam gateways (locks, Access Grants) check on their callers' input before anything is
 * sent, and the small bounded memory they keep of ids seen. Callers may be untyped (JavaScript,
 * JSON from elsewhere), so a bad value is refused as `invalid_input`, never interpolated (an object
 * without a usable `toString` would throw; a PIN must not reach a message).
 */
import type { GatewayFailure } from '@keyslot/core';
import { isSeamId } from './wire.js';

export const invalid = (message: string): GatewayFailure => ({ code: 'invalid_input', message });

/** `invalid_input` when `value` is not a non-empty string; null when it is fine. */
export function badId(field: string, value: unknown, action: string): GatewayFailure | null {
  if (typeof value === 'string' && value.trim() !== '') return null;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return invalid(`Could not ${action}: ${field} must be a non-empty string, got ${got}.`);
}

/** An id Seam issued (a UUID): anything else is refused before it is sent (Seam would answer 400). */
export function badSeamId(
  field: string,
  value: unknown,
  action: string,
  from: string,
): GatewayFailure | null {
  const bad = badId(field, value, action);
  if (bad || isSeamId(value)) return bad;
  return invalid(
    `Could not ${action}: ${field} must be a Seam id (a UUID, as ${from} returns), got another string.`,
  );
}

/** A map that forgets its oldest entry beyond `max` (ids remembered for later lookups). */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    return this.map.get(k);
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}
