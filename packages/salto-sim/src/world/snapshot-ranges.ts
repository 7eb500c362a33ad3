import { z } from 'zod/v4';

/** The value ranges every snapshot schema (`snapshot-schema.ts`, `acs/snapshot-schema.ts`) checks with. */

/** Instants: epoch milliseconds a `Date` can hold (0 … year 275760). */
export const instant = () => z.number().int().min(0).max(8.64e15);
export const count = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const id = () => z.string().min(1).max(200);
export const text = (max: number) => z.string().max(max);
/** A delay or duration in ms: up to ten years. */
export const durationMs = () =>
  z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3_600_000);
export const pin = () => z.string().regex(/^\d{6,10}$/, 'Expected 6 to 10 digits');

export type Problem = { path: PropertyKey[]; message: string };
