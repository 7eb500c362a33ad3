/**
 * Expected outcomes are returned, not thrown. Every failure carries a stable string `code`
 * and a message that says what happened, to what, and what to do.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** One problem with one input field. `field` is a dotted path such as `window.endsAt`. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Bad input: names every field that was wrong and says what is expected instead. */
export interface InvalidInput {
  readonly code: 'invalid_input';
  readonly message: string;
  readonly issues: readonly FieldIssue[];
}

export const invalidInput = (issues: readonly FieldIssue[]): InvalidInput => ({
  code: 'invalid_input',
  message: `Invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`,
  issues,
});
