/**
 * Objects that hold the API key or the webhook secret show only safe fields to `console.log` and
 * `util.inspect` (node's registered inspect hook; no `node:util` import) and to `JSON.stringify`.
 */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The `inspect` function node passes to an inspect hook. */
export type Inspect = (value: unknown, options?: object) => string;

/** `Name { …safe fields }`, formatted with the caller's inspect options (colours, depth). */
export function inspectAs(name: string, safe: object, options: object, inspect: Inspect): string {
  return `${name} ${inspect(safe, options)}`;
}
