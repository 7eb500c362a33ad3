/**
 * The small query interface both drivers implement. The store speaks only this: the same SQL runs
 * on PGlite (PostgreSQL compiled to WASM, in process) and on a PostgreSQL server through `pg`.
 */

/** Rows of one statement; `rowCount` counts the rows it touched (INSERT/UPDATE) or returned. */
export interface SqlResult<R> {
  readonly rows: readonly R[];
  readonly rowCount: number;
}

export interface SqlQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlClient extends SqlQueryable {
  /** `pglite` (embedded, one process) or `postgres` (a server, shared by many processes). */
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction (BEGIN … COMMIT) on one connection: everything it wrote is
   * committed together, or — if it throws, or the connection is lost — nothing is.
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); the client refuses every call afterwards. */
  close(): Promise<void>;
}
