/**
 * Seam's NEWEST published OpenAPI document (`@seamapi/types` 1.977.0, installed as the dev-only
 * alias `@seamapi/types-latest`) turned into validators, one per route, method and direction.
 * Test-only: never part of the build (`*.test-helpers.ts`).
 *
 * The document is OpenAPI 3.0; Ajv speaks JSON Schema. `toJsonSchema` converts the one 3.0
 * keyword the document relies on that Ajv cannot take as it is: `nullable` (on 96 schemas without
 * a `type`, 12 of them around a `oneOf`, and on 14 enums), and draft 4's boolean
 * `exclusiveMinimum`/`exclusiveMaximum`. `discriminator` (on `error_code`,
 * `warning_code`, `event_type`, …) is OpenAPI's too and Ajv supports it (`discriminator: true`).
 * Formats come from `ajv-formats` (`uuid`, `date-time`, `uri`, `email`) plus OpenAPI's `float`.
 */
import { openapi } from '@seamapi/types-latest/connect';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type AddFormats = typeof addFormatsModule.default;

export type Direction = 'request' | 'reply';

/** One schema finding. Names the place and the rule, never the value (no PIN, no key). */
export interface SchemaIssue {
  /** JSON pointer into the body, `''` for the root. */
  readonly path: string;
  readonly message: string;
}

const DOC_ID = 'seam-openapi-latest';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** OpenAPI 3.0 `nullable: true` → JSON Schema, recursively (returns a new value). */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = toJsonSchema(v);
  // OpenAPI 3.0 (JSON Schema draft 4): `exclusiveMinimum: true` qualifies `minimum`.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true) out[flag] = out[bound] ?? null;
    else delete out[flag];
    if (out[flag] !== undefined) delete out[bound];
  }
  if (out['nullable'] !== true) return out;
  delete out['nullable'];
  const type = out['type'];
  if (typeof type === 'string') {
    out['type'] = [type, 'null'];
    const values = out['enum'];
    if (Array.isArray(values) && !values.includes(null)) out['enum'] = [...values, null];
    return out;
  }
  const combined = ['oneOf', 'anyOf', 'allOf', '$ref'].some((key) => key in out);
  // `{ description, nullable }` alone: any value, null included.
  if (!combined) return out;
  const { description, ...rest } = out;
  return {
    ...(description === undefined ? {} : { description }),
    anyOf: [{ type: 'null' }, rest],
  };
}

let ajv: Ajv | undefined;
function compiler(): Ajv {
  if (ajv) return ajv;
  // The document carries `x-*`, `example`, `deprecated`, `discriminator` and OpenAPI's own
  // top-level keys: not JSON Schema keywords, so strict mode is off (nothing is ignored silently
  // that would validate: unknown keywords never validated anything in OpenAPI either).
  const created = new Ajv({ strict: false, allErrors: true, discriminator: true, validateSchema: false });
  // ajv-formats is CommonJS with `exports.default`: TypeScript sees the module, Node the function.
  const addFormats = (addFormatsModule as unknown as { default: AddFormats }).default;
  addFormats(created);
  created.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  created.addSchema(toJsonSchema(openapi as unknown as Json) as object, DOC_ID);
  ajv = created;
  return created;
}

const pointer = (...parts: string[]): string =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The operation object for `method route`, or undefined when the newest document lacks it. */
function operation(route: string, method: string): JsonObject | undefined {
  const paths = (openapi as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
  const item = Object.hasOwn(paths, route) ? paths[route] : undefined;
  const op = item && Object.hasOwn(item, method) ? item[method] : undefined;
  return isObject(op) ? op : undefined;
}

export type RouteValidator =
  | { readonly ok: true; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly reason: string };

const cache = new Map<string, RouteValidator>();

/**
 * The validator of a route's request body (`application/json`) or of its 200 reply. An unknown
 * route or method, a route without a JSON body, or a status without a schema is `ok: false`.
 */
export function routeValidator(
  route: string,
  method: string,
  direction: Direction,
  status = 200,
): RouteValidator {
  const m = method.toLowerCase();
  const key = `${m} ${route} ${direction} ${direction === 'reply' ? status : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const op = operation(route, m);
  let found: RouteValidator;
  if (!op) {
    found = { ok: false, reason: `${method.toUpperCase()} ${route} is not a route of Seam's newest OpenAPI` };
  } else {
    const at =
      direction === 'request'
        ? ['paths', route, m, 'requestBody', 'content', 'application/json', 'schema']
        : ['paths', route, m, 'responses', String(status), 'content', 'application/json', 'schema'];
    let node: unknown = openapi;
    for (const part of at) node = isObject(node) ? node[part] : undefined;
    found =
      node === undefined
        ? {
            ok: false,
            reason:
              direction === 'request'
                ? `${method.toUpperCase()} ${route} takes no JSON body in Seam's newest OpenAPI`
                : `${method.toUpperCase()} ${route} has no JSON schema for HTTP ${status} in Seam's newest OpenAPI`,
          }
        : { ok: true, validate: compiler().compile({ $ref: `${DOC_ID}#/${pointer(...at)}` }) };
  }
  cache.set(key, found);
  return found;
}

/** Ajv's errors as path + rule, most specific first, without the data. */
export function issuesOf(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  const sorted = [...(errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
  for (const e of sorted) {
    // The branches of a `nullable` oneOf repeat the real finding: keep the real one.
    if (e.keyword === 'anyOf' || (e.keyword === 'type' && e.schemaPath.endsWith('/anyOf/0/type'))) continue;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues).slice(0, 200)})`
          : '';
    const issue = { path: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
    const id = `${issue.path} ${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(issue);
  }
  return out;
}
