import type { GrantKey } from '../domain/grant.js';
import type { SiteId } from '../domain/site.js';
import {
  type GrantStore,
  holdingGrants,
  type StoreFailure,
  type StoreFailureCode,
} from '../ports/grant-store.js';

/**
 * When the grant store itself fails (`StoreFailure`, thrown by a `GrantStore` method), a use case
 * returns `store_failed` instead of throwing: which store call failed, what was and was not
 * written (a save is kept whole or not at all), and what to do. Built here; each use case says
 * its own "what was written" and "what to do".
 */

/** The grant store failed; the message says what was and was not written, and what to do. */
export interface StoreFailed {
  readonly code: 'store_failed';
  readonly message: string;
  /** The `GrantStore` method that failed. */
  readonly operation: StoreOperation;
  readonly failure: StoreFailure;
  /** Whether calling the use case again later may succeed as it is (the failure's `retryable`). */
  readonly retryable: boolean;
  readonly grantKey?: GrantKey;
  readonly siteId?: SiteId;
}

export type StoreOperation =
  | 'get'
  | 'listBySite'
  | 'listHoldingBySite'
  | 'listSites'
  | 'siteRevision'
  | 'save';

const CODES: ReadonlySet<StoreFailureCode> = new Set<StoreFailureCode>([
  'store_unavailable',
  'store_busy',
  'store_corrupted',
  'store_unusable',
  'store_rejected_value',
  'store_error',
]);

const isStoreFailure = (f: unknown): f is StoreFailure => {
  const x = f as Partial<StoreFailure> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    CODES.has(x.code as StoreFailureCode) &&
    typeof x.retryable === 'boolean' &&
    typeof x.message === 'string'
  );
};

/**
 * The failure a store call threw: the `StoreFailure` of a `StoreFailureError` (read by shape, so
 * a second copy of core still counts), else `store_error` — without the thrown text, which might
 * carry a connection string or a password.
 */
export function storeFailureOf(e: unknown): StoreFailure {
  const carried = (e as { failure?: unknown } | null)?.failure;
  if (e instanceof Error && isStoreFailure(carried)) return carried;
  const kind = e instanceof Error ? e.name : typeof e;
  return {
    code: 'store_error',
    retryable: false,
    message: `The grant store threw ${kind} instead of a StoreFailureError; its text is left out (it could hold a secret). Look in the store's own logs.`,
  };
}

/** A store call that threw, with the method named. Internal: a use case turns it into `store_failed`. */
export class StoreCallFailed extends Error {
  override readonly name = 'StoreCallFailed';
  constructor(
    readonly operation: StoreOperation,
    readonly failure: StoreFailure,
  ) {
    super(failure.message);
  }
}

/** `store`, with whatever its methods throw turned into a `StoreCallFailed` naming the method. */
export function guardStore(store: GrantStore): GrantStore {
  const call = async <T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw new StoreCallFailed(operation, storeFailureOf(e));
    }
  };
  return {
    get: (key) => call('get', () => store.get(key)),
    listBySite: (siteId) => call('listBySite', () => store.listBySite(siteId)),
    listHoldingBySite: (siteId) => call('listHoldingBySite', () => holdingGrants(store, siteId)),
    listSites: () => call('listSites', () => store.listSites()),
    siteRevision: (siteId) => call('siteRevision', () => store.siteRevision(siteId)),
    save: (grant, expectedVersion, condition) =>
      call('save', () => store.save(grant, expectedVersion, condition)),
  };
}

/** Runs `work`; a store failure in it becomes `onFailure`'s value (anything else is rethrown). */
export async function catchStoreFailure<T, F>(
  work: () => Promise<T>,
  onFailure: (e: StoreCallFailed) => F,
): Promise<T | F> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof StoreCallFailed) return onFailure(e);
    throw e;
  }
}

/** "once the store is back" or "once the store is fixed", as the failure says. */
export const whenStoreAllows = (e: StoreCallFailed): string =>
  e.failure.retryable ? 'once the store is back' : 'once the store is fixed (see the failure)';

/**
 * `store_failed`: `what` the use case could not do, `written` what is (and is not) in the store
 * and at the provider now, and `todo`.
 */
export function storeFailed(
  e: StoreCallFailed,
  what: string,
  written: string,
  todo: string,
  target: { readonly grantKey?: GrantKey; readonly siteId?: SiteId } = {},
): StoreFailed {
  return {
    code: 'store_failed',
    message: `${what}: the grant store failed ${e.operation} (${e.failure.code}: ${e.failure.message}) ${written} ${todo}`,
    operation: e.operation,
    failure: e.failure,
    retryable: e.failure.retryable,
    ...target,
  };
}
