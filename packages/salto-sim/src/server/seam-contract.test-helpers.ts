/**
 * Validates every response body and webhook payload the HTTP tests see against Seam's own
 * published schemas — the NEWEST ones (`@seamapi/types` 1.977.0, installed as
 * `@seamapi/types-latest`; 1.724.0 stays for `@seamapi/http`) — allowing only the deviations in
 * the package README's table "Where we deviate from the newest Seam schemas":
 * 1. `device_type: "unknown"` on a lock whose hub link is weak (Seam's Salto guide);
 * 2. the access-code error `salto_site_user_not_subscribed` (the Salto guides' name; default) or
 *    `salto_ks_user_not_subscribed` (the 1.724 name) instead of the newest schema's
 *    `access_code_inactive`.
 */
import { schemas } from '@seamapi/types-latest/connect';
import { expect } from 'vitest';
import { z } from 'zod';
import { openapiProblems } from './openapi-contract.test-helpers.js';

export const DEVIATING_NOT_SUBSCRIBED = new Set([
  'salto_site_user_not_subscribed',
  'salto_ks_user_not_subscribed',
]);

/** Counts how often each deviation was applied, so tests can assert they were really needed. */
export const deviations = { unknownDeviceType: 0, notSubscribedName: 0 };

function normaliseDevice(d: unknown): unknown {
  if (typeof d !== 'object' || d === null) return d;
  const o = d as Record<string, unknown>;
  if (o['device_type'] === 'unknown') {
    deviations.unknownDeviceType++;
    // Only a weak-link lock may say "unknown": it keeps its Salto metadata and flaky-link warning.
    expect(o['properties']).toHaveProperty('salto_ks_metadata');
    expect((o['warnings'] as { warning_code: string }[]).map((w) => w.warning_code)).toContain(
      'device_has_flaky_connection',
    );
    return { ...o, device_type: 'salto_lock' };
  }
  return o;
}

function normaliseAccessCode(c: unknown): unknown {
  if (typeof c !== 'object' || c === null) return c;
  const o = c as Record<string, unknown>;
  const errors = Array.isArray(o['errors']) ? (o['errors'] as Record<string, unknown>[]) : o['errors'];
  if (!Array.isArray(errors)) return o;
  return {
    ...o,
    errors: errors.map((e) => {
      if (DEVIATING_NOT_SUBSCRIBED.has(String(e['error_code']))) {
        deviations.notSubscribedName++;
        expect(e['is_access_code_error']).toBe(true);
        return { ...e, error_code: 'access_code_inactive' };
      }
      return e;
    }),
  };
}

const errorEnvelope = z
  .object({
    error: z
      .object({
        type: z.string().min(1),
        message: z.string().min(1),
        data: z.unknown().optional(),
        validation_errors: z.record(z.unknown()).optional(),
      })
      .strict(),
    ok: z.literal(false),
  })
  .strict();

const KEY_SCHEMAS: Record<
  string,
  { schema: z.ZodTypeAny; normalise?: (x: unknown) => unknown; many: boolean }
> = {
  device: { schema: schemas.device, normalise: normaliseDevice, many: false },
  devices: { schema: schemas.device, normalise: normaliseDevice, many: true },
  lock: { schema: schemas.device, normalise: normaliseDevice, many: false },
  locks: { schema: schemas.device, normalise: normaliseDevice, many: true },
  access_code: { schema: schemas.access_code, normalise: normaliseAccessCode, many: false },
  access_codes: { schema: schemas.access_code, normalise: normaliseAccessCode, many: true },
  action_attempt: { schema: schemas.action_attempt, many: false },
  connected_account: { schema: schemas.connected_account, many: false },
  connected_accounts: { schema: schemas.connected_account, many: true },
  connect_webview: { schema: schemas.connect_webview, many: false },
  connect_webviews: { schema: schemas.connect_webview, many: true },
  event: { schema: schemas.seam_event, many: false },
  events: { schema: schemas.seam_event, many: true },
  pagination: { schema: schemas.pagination, many: false },
  webhook: { schema: schemas.webhook, many: false },
  webhooks: { schema: schemas.webhook, many: true },
  // The ACS path (access grants and methods have no zod schema in the types: their OpenAPI entry).
  acs_system: { schema: schemas.acs_system, many: false },
  acs_systems: { schema: schemas.acs_system, many: true },
  acs_entrance: { schema: schemas.acs_entrance, many: false },
  acs_entrances: { schema: schemas.acs_entrance, many: true },
  acs_access_group: { schema: schemas.acs_access_group, many: false },
  acs_access_groups: { schema: schemas.acs_access_group, many: true },
  acs_user: { schema: schemas.acs_user, many: false },
  acs_users: { schema: schemas.acs_user, many: true },
  acs_credential: { schema: schemas.acs_credential, many: false },
  acs_credentials: { schema: schemas.acs_credential, many: true },
  user_identity: { schema: schemas.user_identity, many: false },
  user_identities: { schema: schemas.user_identity, many: true },
  access_grant: { schema: openapiSchema('access_grant'), many: false },
  access_grants: { schema: openapiSchema('access_grant'), many: true },
  access_method: { schema: openapiSchema('access_method'), many: false },
  access_methods: { schema: openapiSchema('access_method'), many: true },
};

/** A resource Seam publishes only in its OpenAPI document, as a zod check. */
function openapiSchema(name: string): z.ZodTypeAny {
  return z.unknown().superRefine((v, ctx) => {
    for (const p of openapiProblems(name, v)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: p });
  });
}

function check(schema: z.ZodTypeAny, value: unknown, where: string): void {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new Error(
      `${where} does not match Seam's schema:\n${JSON.stringify(r.error.issues, null, 2).slice(0, 3000)}`,
    );
  }
}

/**
 * Asserts a Seam response: `ok` present and matching the status, a `seam-request-id`, and each
 * known top-level key valid against Seam's schema (errors: Seam's error envelope).
 * Keys the schemas do not cover (simulator-only `/_sim` payloads) are left alone.
 */
export function expectSeamResponse(status: number, headers: Headers, body: unknown, route: string): void {
  expect(headers.get('seam-request-id'), `${route}: seam-request-id`).toMatch(/\S/);
  expect(headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof body === 'object' && body !== null, `${route}: JSON object body`).toBe(true);
  const o = body as Record<string, unknown>;
  if (status >= 400) {
    check(errorEnvelope, o, `${route} error body`);
    return;
  }
  expect(o['ok'], `${route}: ok`).toBe(true);
  for (const [key, value] of Object.entries(o)) {
    const spec = KEY_SCHEMAS[key];
    if (!spec || route.startsWith('/_sim/')) continue;
    const items = spec.many ? (Array.isArray(value) ? value : [value]) : [value];
    if (spec.many) expect(Array.isArray(value), `${route}: ${key} is an array`).toBe(true);
    items.forEach((item, i) => {
      check(
        spec.schema,
        spec.normalise ? spec.normalise(item) : item,
        `${route} ${key}${spec.many ? `[${i}]` : ''}`,
      );
    });
  }
}

/** A Seam event delivered by webhook (bare event object). */
export function expectSeamEvent(event: unknown): void {
  check(schemas.seam_event, event, 'webhook payload');
}
