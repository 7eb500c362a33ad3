/**
 * Checks a JSON value against a resource schema of Seam's published OpenAPI document
 * (`@seamapi/types` `openapi.components.schemas`), for the resources Seam ships no zod schema for
 * (`access_grant`, `access_method`). Covers the JSON Schema the document uses: types, `nullable`,
 * `required`, `enum`, `format` (date-time, uuid, uri), `pattern`, lengths, `minimum`, `items`,
 * and `oneOf` with a `discriminator`. Returns the problems found (empty: valid).
 */
import { openapi } from '@seamapi/types-latest/connect';

interface Schema {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  oneOf?: Schema[];
  discriminator?: { propertyName: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function check(s: Schema, v: unknown, at: string, out: string[]): void {
  if (v === null) {
    if (!s.nullable) out.push(`${at}: null is not allowed`);
    return;
  }
  if (s.oneOf) {
    const key = s.discriminator?.propertyName;
    const options = key
      ? s.oneOf.filter((o) => o.properties?.[key]?.enum?.includes((v as Record<string, unknown>)[key]))
      : s.oneOf;
    if (options.length === 0) out.push(`${at}: matches no variant`);
    else check(options[0]!, v, at, out);
    return;
  }
  const type = Array.isArray(v) ? 'array' : typeof v;
  if (s.type === 'integer') {
    if (!Number.isInteger(v)) out.push(`${at}: expected an integer`);
  } else if (s.type !== undefined && s.type !== type) {
    out.push(`${at}: expected ${s.type}, received ${type}`);
    return;
  }
  if (s.enum && !s.enum.includes(v))
    out.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
  if (typeof v === 'string') {
    if (s.format === 'date-time' && !(/^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v))))
      out.push(`${at}: not a date-time`);
    if (s.format === 'uuid' && !UUID.test(v)) out.push(`${at}: not a uuid`);
    if (s.format === 'uri' && !URL.canParse(v)) out.push(`${at}: not a uri`);
    if (s.pattern && !new RegExp(s.pattern).test(v)) out.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
  }
  if (typeof v === 'number' && s.minimum !== undefined && v < s.minimum)
    out.push(`${at}: below ${s.minimum}`);
  if (Array.isArray(v) && s.items) {
    const items = s.items;
    v.forEach((x, i) => {
      check(items, x, `${at}[${i}]`, out);
    });
  }
  if (type === 'object' && s.properties) {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) out.push(`${at}.${r}: required`);
    for (const [k, sub] of Object.entries(s.properties))
      if (o[k] !== undefined) check(sub, o[k], `${at}.${k}`, out);
  }
}

/** Problems of `value` as Seam's OpenAPI resource `name` (e.g. `access_grant`). */
export function openapiProblems(name: string, value: unknown): string[] {
  const doc = openapi as unknown as { components: { schemas: Record<string, Schema> } };
  const schema = doc.components.schemas[name];
  if (!schema) return [`no OpenAPI schema named ${name}`];
  const out: string[] = [];
  check(schema, value, name, out);
  return out;
}
