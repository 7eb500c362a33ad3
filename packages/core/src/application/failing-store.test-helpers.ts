/** A grant store that fails on cue, for the store-failure tests of the use cases. */
import type { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import {
  type GrantStore,
  holdingGrants,
  type StoreFailure,
  StoreFailureError,
} from '../ports/grant-store.js';
import type { StoreOperation } from './store-failures.js';

/** Text a store's error might carry that must never be shown. */
export const SECRET = 'Sup3r-Secret-pw';

export const FAILURES: readonly (StoreFailure | 'foreign')[] = [
  {
    code: 'store_unavailable',
    retryable: true,
    message: 'The grant database could not be reached (ECONNREFUSED); check that it is running, then retry.',
  },
  { code: 'store_busy', retryable: true, message: 'Concurrent saves kept conflicting; retry shortly.' },
  { code: 'store_corrupted', retryable: false, message: 'The database directory is damaged; restore it.' },
  {
    code: 'store_unusable',
    retryable: false,
    message: 'The store was closed; open a new one.',
    detail: 'store_closed',
  },
  { code: 'store_rejected_value', retryable: false, message: 'A value the store cannot keep.' },
  { code: 'store_error', retryable: false, message: 'The database failed; retry.' },
  /** A store that throws a plain error carrying a connection string. */
  'foreign',
];

export interface StoreFault {
  /** The store call (counted from the first) that fails first. */
  readonly at: number;
  /** How many calls in a row fail (an outage). */
  readonly count: number;
  /** `after`: the call acts (a save is kept), then the reply is lost. */
  readonly phase: 'before' | 'after';
  readonly failure: StoreFailure | 'foreign';
}

/** The store the use cases see: `inner`, failing as `fault` says; records which calls failed. */
export class FailingStore implements GrantStore {
  calls = 0;
  /** Where each call was made, in order (see `StoreFaultChoice`). */
  readonly places: string[] = [];
  private step = '';
  private inStep = new Map<StoreOperation, number>();
  readonly failed: { readonly call: number; readonly operation: StoreOperation }[] = [];
  constructor(
    private readonly inner: InMemoryGrantStore,
    private fault: StoreFault | null,
  ) {}

  /** The use case the next calls come from. */
  startStep(name: string): void {
    this.step = name;
    this.inStep = new Map();
  }

  heal(): void {
    this.fault = null;
  }

  /** From now on, the `nth` (0 = next) call of `operation` fails, once. */
  failOn(
    operation: StoreOperation,
    options: { nth?: number; phase?: 'before' | 'after'; failure?: StoreFailure | 'foreign' } = {},
  ): void {
    this.onOperation = { operation, left: options.nth ?? 0 };
    this.fault = {
      at: Number.POSITIVE_INFINITY,
      count: 1,
      phase: options.phase ?? 'before',
      failure: options.failure ?? (FAILURES[0] as StoreFailure),
    };
  }
  private onOperation: { operation: StoreOperation; left: number } | null = null;

  private async call<T>(operation: StoreOperation, act: () => Promise<T>): Promise<T> {
    const n = this.calls++;
    const k = this.inStep.get(operation) ?? 0;
    this.inStep.set(operation, k + 1);
    this.places.push(`${this.step} ${operation} #${k}`);
    const f = this.fault;
    const o = this.onOperation;
    const strikes =
      o !== null
        ? o.operation === operation && o.left-- === 0
        : f !== null && n >= f.at && n < f.at + f.count;
    if (f === null || !strikes) return act();
    if (o !== null) this.onOperation = null;
    this.failed.push({ call: n, operation });
    if (f.phase === 'after') await act();
    throw f.failure === 'foreign'
      ? new Error(`connect ECONNREFUSED postgres://keyslot:${SECRET}@db.internal/grants`)
      : new StoreFailureError(f.failure);
  }

  get: GrantStore['get'] = (key) => this.call('get', () => this.inner.get(key));
  listBySite: GrantStore['listBySite'] = (s) => this.call('listBySite', () => this.inner.listBySite(s));
  listHoldingBySite: NonNullable<GrantStore['listHoldingBySite']> = (s) =>
    this.call('listHoldingBySite', () => holdingGrants(this.inner, s));
  listSites: GrantStore['listSites'] = () => this.call('listSites', () => this.inner.listSites());
  siteRevision: GrantStore['siteRevision'] = (s) =>
    this.call('siteRevision', () => this.inner.siteRevision(s));
  save: GrantStore['save'] = (g, v, c) =>
    this.call('save', () => (c === undefined ? this.inner.save(g, v) : this.inner.save(g, v, c)));
}
