/**
 * The embedded driver: PGlite (PostgreSQL compiled to WASM) in this process, persisted to a
 * directory (or in memory). One connection; PGlite runs one statement at a time, so a transaction
 * holds the database to itself until it ends. A directory is used by one process at a time: a
 * lock file (`keyslot.lock`, holding the owner's pid) refuses a second process instead of letting
 * two WASM PostgreSQL instances write the same files.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { GrantStoreError } from './errors.js';
import type { SqlClient, SqlQueryable, SqlResult } from './sql-client.js';

const LOCK_FILE = 'keyslot.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
};

/** Takes the directory's lock file, or throws `store_in_use` naming the live process holding it. */
function lockDirectory(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new GrantStoreError(
          'store_in_use',
          `The PGlite directory "${dataDir}" is open in another process (pid ${owner}); PGlite serves one process at a time. Stop that process, or share grants between processes with postgresGrantStore (a PostgreSQL server).`,
        );
      }
      if (owner === process.pid) {
        throw new GrantStoreError(
          'store_in_use',
          `The PGlite directory "${dataDir}" is already open in this process; open it once and share that store, or close the other store first.`,
        );
      }
      rmSync(path, { force: true }); // left by a process that died: take it over
    }
  }
  throw new GrantStoreError('store_in_use', `Could not take the lock file of "${dataDir}"; try again.`);
}

/** The one WebAssembly call used here (the ES2023 lib has no WebAssembly types). */
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<PGliteOptions['pgliteWasmModule']> };

/** PGlite's WASM modules, compiled once per process (opening a second database then skips compiling). */
let compiled: Promise<Partial<PGliteOptions>> | undefined;
function precompiled(): Promise<Partial<PGliteOptions>> {
  compiled ??= (async () => {
    try {
      const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
      const [pglite, initdb, data] = await Promise.all(
        ['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((f) => readFile(new URL(f, dist))),
      );
      return {
        pgliteWasmModule: await WebAssembly.compile(pglite as Buffer),
        initdbWasmModule: (await WebAssembly.compile(initdb as Buffer)) as PGliteOptions['initdbWasmModule'],
        fsBundle: new Blob([data as Buffer]),
      };
    } catch {
      return {}; // another PGlite layout: let PGlite load its own files
    }
  })();
  return compiled;
}

const corrupted = (dataDir: string, cause: unknown): GrantStoreError =>
  new GrantStoreError(
    'store_corrupted',
    `The PGlite directory "${dataDir}" could not be opened as a database (${String(cause instanceof Error ? cause.message : cause).slice(0, 200)}). It is damaged or not a PGlite directory; keyslot changed nothing in it. Restore it from a backup, or move it away to start with no grants (then run ReconcileSite: codes without a grant are removed).`,
  );

class PgliteClient implements SqlClient {
  readonly driver = 'pglite' as const;
  private closed = false;
  constructor(
    private readonly db: PGlite,
    private readonly unlock: () => void,
  ) {}

  private check(): void {
    if (this.closed) throw new GrantStoreError('store_closed', 'The grant store was closed; open a new one.');
  }

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    this.check();
    const r = await this.db.query<R>(sql, [...params]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    this.check();
    return this.db.transaction(async (tx) =>
      work({
        query: async <R>(sql: string, params: readonly unknown[] = []) => {
          const r = await tx.query<R>(sql, [...params]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      this.unlock();
    }
  }
}

/**
 * Opens PGlite on `dataDir` (created if missing), or in memory when `dataDir` is undefined.
 * Throws `store_in_use` or `store_corrupted` (a `GrantStoreError`) when the directory cannot be used.
 */
export async function openPgliteClient(dataDir: string | undefined): Promise<SqlClient> {
  const unlock = dataDir === undefined ? () => {} : lockDirectory(dataDir);
  try {
    const options = { ...(await precompiled()), relaxedDurability: false };
    const db = dataDir === undefined ? await PGlite.create(options) : await PGlite.create(dataDir, options);
    return new PgliteClient(db, unlock);
  } catch (e) {
    unlock();
    if (e instanceof GrantStoreError) throw e;
    throw dataDir === undefined ? e : corrupted(dataDir, e);
  }
}
