/** Small predicates and formatting shared by the domain's parsers of untrusted values, and one order. */

export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
export const isNonNegativeInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
/** A finite number ≥ 0 (`Number.isFinite` is false for anything that is not a number). */
export const isNonNegativeNumber = (x: unknown): x is number => Number.isFinite(x) && (x as number) >= 0;
/** A short description of a bad value for an error message (never the value of a string: it may be a secret). */
export const show = (x: unknown): string =>
  typeof x === 'number' ? String(x) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
/** Is `x` one of `allowed`? (`includes` compares with SameValueZero, so only one of those strings is.) */
export const oneOf = <T extends string>(allowed: readonly T[], x: unknown): x is T =>
  (allowed as readonly unknown[]).includes(x);
/** Plain code-unit order of strings: deterministic and locale-independent (the reconciles sort with it). */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
