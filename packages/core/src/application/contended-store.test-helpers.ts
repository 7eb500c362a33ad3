/** A grant store shared with another app instance that keeps changing the same grant. */
import type { Grant } from '../domain/grant.js';
import type { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import type { GrantStore } from '../ports/grant-store.js';

export interface Contention {
  /** How many of this instance's saves lose the race: the other instance saves the grant just before each. */
  readonly races: number;
  /** After the first lost race the grant reads as gone (someone deleted it in the database). */
  readonly vanishes?: boolean;
}

/** The store the use cases see: `inner`, uncontended until `contend` is called. */
export class ContendedStore implements GrantStore {
  /** Every save this instance tried since `contend`, in order (the grant it asked to store). */
  readonly saves: Grant[] = [];
  private contention: Contention = { races: 0 };
  private contended = false;
  constructor(private readonly inner: InMemoryGrantStore) {}

  /** From now on, the store is contended as `contention` says. */
  contend(contention: Contention): void {
    this.contention = contention;
    this.contended = true;
  }

  get: GrantStore['get'] = async (key) =>
    this.contention.vanishes === true && this.saves.length > 0 ? null : this.inner.get(key);
  listBySite: GrantStore['listBySite'] = (s) => this.inner.listBySite(s);
  listHoldingBySite: NonNullable<GrantStore['listHoldingBySite']> = (s) => this.inner.listHoldingBySite(s);
  listSites: GrantStore['listSites'] = () => this.inner.listSites();
  siteRevision: GrantStore['siteRevision'] = (s) => this.inner.siteRevision(s);
  save: GrantStore['save'] = async (g, v, c) => {
    if (this.contended) this.saves.push(g);
    const theirs = await this.inner.get(g.key);
    if (this.contended && theirs !== null && this.saves.length <= this.contention.races) {
      // The other instance renames the holder, bumping the version this save expects.
      await this.inner.save({ ...theirs, holder: `${theirs.holder}'` }, theirs.version);
    }
    return this.inner.save(g, v, c);
  };
}
