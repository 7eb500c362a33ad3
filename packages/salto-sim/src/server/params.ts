import type { Result } from '@keyslot/core';
import type { z } from 'zod/v4';
import type { ErrorReply } from './reply.js';
import type * as Schemas from './request-schemas.js';

/**
 * Request validation without loading zod until it is needed.
 *
 * The zod schemas (`request-schemas.ts`, `validation.ts`) decide every answer, but building them
 * means loading zod (~65 modules, tens of ms of start-up) and running them costs a few µs per
 * request. So the common, plainly valid requests (a handful of ids, nothing else) are checked
 * here with the same tests zod applies and passed on as zod would output them; anything else —
 * another parameter, a wrong type, a missing id — goes to zod, loaded on first use. A fast check
 * never accepts what zod would refuse and outputs exactly what zod would (see params.spec.ts).
 */

type SchemaModule = typeof Schemas;
export type SchemaName = {
  [K in keyof SchemaModule]: SchemaModule[K] extends z.ZodType ? K : never;
}[keyof SchemaModule];
export type Params<K extends SchemaName> = z.output<SchemaModule[K]>;

/** zod v4's `z.string().uuid()` pattern (RFC 9562 versions 1–8, variant 8–b, or the nil UUID). */
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000)$/;

type Check = (v: unknown) => boolean;
const uuid: Check = (v) => typeof v === 'string' && UUID.test(v);
/** `z.string().max(200).nullable().optional()` for a present value. */
const name200: Check = (v) => v === null || (typeof v === 'string' && v.length <= 200);

interface FastSpec {
  /** Parameters the fast path understands, with zod's test for each. */
  readonly checks: Readonly<Record<string, Check>>;
  /** Parameters that must be present for the fast path (the schema's refinements then hold). */
  readonly required: readonly string[];
}

/**
 * Fast specs of the hot routes' schemas. Each is a subset of its schema: with only these
 * parameters present and passing, the schema's object checks and refinements all pass.
 */
const FAST: Partial<Record<SchemaName, FastSpec>> = {
  devicesList: { checks: {}, required: [] },
  locksList: { checks: {}, required: [] },
  // exactly one of device_id / name: device_id alone
  devicesGet: { checks: { device_id: uuid }, required: ['device_id'] },
  actionAttemptsGet: { checks: { action_attempt_id: uuid }, required: ['action_attempt_id'] },
  // no starts_at/ends_at and no unsupported flag: the create refinements hold
  accessCodesCreate: { checks: { device_id: uuid, name: name200 }, required: ['device_id'] },
  accessCodesList: { checks: { device_id: uuid }, required: ['device_id'] },
  accessCodesGet: { checks: { access_code_id: uuid }, required: ['access_code_id'] },
  accessCodesDelete: {
    checks: { access_code_id: uuid, device_id: uuid },
    required: ['access_code_id'],
  },
  connectedAccountsList: { checks: {}, required: [] },
  connectedAccountsGet: { checks: { connected_account_id: uuid }, required: ['connected_account_id'] },
  webhooksById: { checks: { webhook_id: uuid }, required: ['webhook_id'] },
};

/**
 * `params` as the named schema would output them, when the fast checks settle it; `undefined`
 * when zod must decide (which may still accept).
 */
export function fastParams<K extends SchemaName>(
  name: K,
  params: Record<string, unknown>,
): Params<K> | undefined {
  const spec = FAST[name];
  if (spec === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in params) {
    if (!Object.hasOwn(params, key)) continue;
    const check = Object.hasOwn(spec.checks, key) ? spec.checks[key] : undefined;
    const value = params[key];
    // zod drops an absent optional key given as undefined; JSON never has one, but be exact.
    if (check === undefined || value === undefined || !check(value)) return undefined;
    out[key] = value;
  }
  for (const key of spec.required) if (!Object.hasOwn(out, key)) return undefined;
  return out as Params<K>;
}

type Validation = {
  readonly schemas: SchemaModule;
  readonly parseParams: (schema: z.ZodType, input: unknown) => Result<unknown, ErrorReply>;
};
let validation: Validation | undefined;
let loading: Promise<Validation> | undefined;

/** Loads zod and the request schemas once (the first request that needs them waits). */
export function loadValidation(): Promise<Validation> {
  loading ??= Promise.all([import('./request-schemas.js'), import('./validation.js')]).then(
    ([schemas, v]) => {
      validation = { schemas, parseParams: v.parseParams };
      return validation;
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/**
 * Validates `params` against the named schema: the fast path, else zod (synchronously once loaded;
 * the first time, after loading it).
 */
export function checkParams<K extends SchemaName>(
  name: K,
  params: Record<string, unknown>,
): Result<Params<K>, ErrorReply> | Promise<Result<Params<K>, ErrorReply>> {
  const fast = fastParams(name, params);
  if (fast !== undefined) return { ok: true, value: fast };
  const parse = (v: Validation) =>
    v.parseParams(v.schemas[name] as z.ZodType, params) as Result<Params<K>, ErrorReply>;
  return validation !== undefined ? parse(validation) : loadValidation().then(parse);
}
