import { z } from 'zod/v4';

/**
 * Shared by every zod schema of the simulator (request parameters, world snapshots): issue
 * messages in the wording Seam's API sends, and a JSON-object record that accepts any key.
 */

/** Options for `safeParse` so that type issues carry the value they refused (for "received …"). */
export const PARSE_OPTIONS = { reportInput: true } as const;

/** The JSON type of a value, named as Seam's messages do (`received number`). */
export function receivedType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

/**
 * One issue as Seam words it: a missing value is "Required", a wrong type is
 * "Expected string, received number" (zod 4 words both as "Invalid input: …" and reports the
 * refused value only with {@link PARSE_OPTIONS}), unknown keys are listed; the rest keep zod's text.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'Required';
    return `Expected ${issue.expected}, received ${receivedType(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') return `Unrecognized key(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

/** (path, message) pairs of a failed parse, in Seam's wording. */
export const issueList = (error: z.ZodError): { path: PropertyKey[]; message: string }[] =>
  error.issues.map((i) => ({ path: i.path, message: issueMessage(i) }));

/**
 * A JSON object of `value`s under any keys, as a record. zod's own record (3.25's `zod/v4`) refuses
 * an object with an own `constructor` key ("expected record, received object"), so the entries are
 * checked here one by one, each issue under its key; keys are defined as own data properties (a
 * key `__proto__` stays a key).
 */
export const jsonRecord = <V extends z.ZodType>(key: z.ZodString, value: V) =>
  z.unknown().transform((input, ctx): Record<string, z.output<V>> => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.issues.push({ code: 'invalid_type', expected: 'record', input, message: 'Expected record' });
      return z.NEVER;
    }
    const out: Record<string, z.output<V>> = {};
    for (const [k, v] of Object.entries(input)) {
      const pk = key.safeParse(k, PARSE_OPTIONS);
      if (!pk.success) for (const i of pk.error.issues) ctx.issues.push({ ...i, path: [k] });
      const pv = value.safeParse(v, PARSE_OPTIONS);
      if (!pv.success) for (const i of pv.error.issues) ctx.issues.push({ ...i, path: [k, ...i.path] });
      else
        Object.defineProperty(out, k, {
          value: pv.data,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  });
