/**
 * The shared driver: node-postgres (`pg`) against a PostgreSQL server, which several app
 * instances use together. A pool of connections; a transaction takes one connection for its
 * whole BEGIN … COMMIT, and a connection that failed is discarded, never reused.
 */
import pg from 'pg';
import type { SqlClient, SqlQueryable, SqlResult } from './sql-client.js';

export interface PgClientOptions {
  /** `postgres://user:password@host:5432/db` (the password never reaches a log or an error). */
  readonly connectionString?: string;
  /** A pool the application owns (then `close()` leaves it open). */
  readonly pool?: pg.Pool;
  /** Pool size when the store makes the pool (default 4). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing with `store_unavailable` (default 10 s). */
  readonly connectTimeoutMs?: number;
}

const wrap = (c: pg.PoolClient | pg.Pool): SqlQueryable => ({
  async query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const r = await c.query(sql, [...params]);
    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
  },
});

class PgClient implements SqlClient {
  readonly driver = 'postgres' as const;
  private readonly queryable: SqlQueryable;
  constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
  ) {
    this.queryable = wrap(pool);
  }

  query<R>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return this.queryable.query<R>(sql, params);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      broken ??= e instanceof Error && /terminat|connection/i.test(e.message) ? e : undefined;
      if (!broken) await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      client.off('error', onError);
      client.release(broken ?? false); // a failed connection is destroyed, not returned to the pool
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}

export function openPgClient(options: PgClientOptions): SqlClient {
  if (options.pool) return new PgClient(options.pool, false);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener node
  // would crash the process. The next query gets a fresh connection (or fails, typed, if none).
  pool.on('error', () => {});
  return new PgClient(pool, true);
}
