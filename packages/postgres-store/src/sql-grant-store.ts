/**
 * One SQL implementation of core's `GrantStore` port, for both drivers (see `sql-client.ts`).
 * Semantics are exactly `InMemoryGrantStore`'s: a save succeeds only at the expected grant version
 * and, when conditioned, at the expected site revision; each successful save bumps the grant's
 * version and its site's revision (and the revision of the site a grant moved away from). The
 * checks and the writes are one transaction, with the site's row locked (`SELECT … FOR UPDATE`),
 * so app instances sharing one PostgreSQL never both admit a grant on the same revision.
 *
 * Scale: `listBySite` keeps each site's grants in memory, tagged with the site revision they
 * reflect, and asks the database only for the grants saved since (one index range, in the same
 * statement that reads the revision). `GrantAccess` on a site with 10^5 stored grants reads one or
 * two rows per call, not 10^5, and plans with `listHoldingBySite`: only the grants that still count
 * toward the site's slots, kept apart as they arrive, so the site's finished history costs nothing.
 */
import type {
  Grant,
  GrantKey,
  GrantStore,
  Result,
  SaveCondition,
  SiteChanged,
  SiteId,
  VersionConflict,
} from '@keyslot/core';
import { err, holdsPlannedSlots, ok } from '@keyslot/core';
import { GrantStoreError } from './errors.js';
import { migrate } from './migrations.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { retryingTransaction, storeFailure } from './store-failures.js';

interface GrantRow {
  grant_key: string;
  site_id: string;
  holder: string;
  lock_ids: string[];
  access_window: Grant['window'];
  created_at: number;
  revoked_at: number | null;
  cleaned_up_at: number | null;
  version: number;
}

const GRANT_COLUMNS =
  'g.grant_key, g.site_id, g.holder, g.lock_ids, g.access_window, g.created_at, g.revoked_at, g.cleaned_up_at, g.version';

function toGrant(r: GrantRow): Grant {
  return {
    key: r.grant_key,
    holder: r.holder,
    siteId: r.site_id,
    lockIds: [...r.lock_ids],
    window: typeof r.access_window === 'string' ? JSON.parse(r.access_window) : r.access_window,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    ...(r.cleaned_up_at === null ? {} : { cleanedUpAt: Number(r.cleaned_up_at) }),
    version: Number(r.version),
  };
}

/** What this process knows of one site's grants: exactly the grants as of `revision`. */
interface SiteSnapshot {
  revision: number;
  readonly byKey: Map<GrantKey, Grant>;
  /** The grants of `byKey` that still count toward the site's slots (`holdsPlannedSlots`). */
  readonly holding: Map<GrantKey, Grant>;
  list: readonly Grant[] | null;
  holdingList: readonly Grant[] | null;
}

type SaveResult = Result<Grant, VersionConflict | SiteChanged>;

/** Thrown inside a save's transaction to roll it back and return `result` (a refused save writes nothing). */
class Refused {
  constructor(readonly result: SaveResult) {}
}

export interface SqlGrantStoreOptions {
  /** Texts never to show in an error (the connection string, its password). */
  readonly secrets?: readonly string[];
  /** What the store is, for messages: e.g. `PGlite directory "./grants"`. */
  readonly describe?: string;
  /** Whether `close()` (or a failed open) closes the client (default true: the store owns it). */
  readonly ownsClient?: boolean;
}

export class SqlGrantStore implements GrantStore {
  private readonly sites = new Map<SiteId, SiteSnapshot>();
  private opening: Promise<SqlClient> | undefined;
  private closed = false;
  private readonly secrets: readonly string[];
  private readonly what: string;
  private readonly ownsClient: boolean;

  /** `connect` opens the driver; the schema is migrated on first use (or on `open()`). */
  constructor(
    private readonly connect: () => Promise<SqlClient>,
    options: SqlGrantStoreOptions = {},
  ) {
    this.secrets = options.secrets ?? [];
    this.what = options.describe ?? 'the grant database';
    this.ownsClient = options.ownsClient ?? true;
  }

  /** Opens the database and applies migrations now (otherwise the first call does). Idempotent. */
  async open(): Promise<void> {
    await this.client();
  }

  private client(): Promise<SqlClient> {
    if (this.closed)
      return Promise.reject(
        new GrantStoreError('store_closed', `The grant store (${this.what}) was closed; open a new one.`),
      );
    this.opening ??= (async () => {
      const c = await this.connect();
      try {
        await migrate(c);
        return c;
      } catch (e) {
        if (this.ownsClient) await c.close().catch(() => undefined);
        throw e;
      }
    })().catch((e: unknown) => {
      this.opening = undefined; // the next call tries again (the database may be back)
      throw storeFailure(e, `opening ${this.what}`, this.secrets);
    });
    return this.opening;
  }

  private async run<T>(what: string, work: (c: SqlClient) => Promise<T>): Promise<T> {
    const c = await this.client();
    try {
      return await work(c);
    } catch (e) {
      throw storeFailure(e, what, this.secrets);
    }
  }

  async get(key: GrantKey): Promise<Grant | null> {
    return this.run(`reading grant "${key}"`, async (c) => {
      const r = await c.query<GrantRow>(
        `SELECT ${GRANT_COLUMNS} FROM keyslot_grant g WHERE g.grant_key = $1`,
        [key],
      );
      return r.rows[0] ? toGrant(r.rows[0]) : null;
    });
  }

  async listBySite(siteId: SiteId): Promise<readonly Grant[]> {
    return this.run(`reading the grants of site "${siteId}"`, async (c) => {
      const snap = await this.refresh(c, siteId);
      if (!snap) return [];
      snap.list ??= [...snap.byKey.values()];
      return snap.list;
    });
  }

  async listHoldingBySite(siteId: SiteId): Promise<readonly Grant[]> {
    return this.run(`reading the grants of site "${siteId}"`, async (c) => {
      const snap = await this.refresh(c, siteId);
      if (!snap) return [];
      snap.holdingList ??= [...snap.holding.values()];
      return snap.holdingList;
    });
  }

  /** Brings this process's snapshot of the site up to the database's revision (null: no grant ever). */
  private async refresh(c: SqlClient, siteId: SiteId): Promise<SiteSnapshot | null> {
    let snap = this.sites.get(siteId);
    // One statement, one snapshot: the site's revision and every grant saved after `since`.
    const read = (since: number) =>
      c.query<GrantRow & { revision: string | number; moved_out_revision: string | number }>(
        `SELECT s.revision, s.moved_out_revision, ${GRANT_COLUMNS}
           FROM keyslot_site s
           LEFT JOIN keyslot_grant g ON g.site_id = s.site_id AND g.site_revision > $2
          WHERE s.site_id = $1`,
        [siteId, since],
      );
    let r = await read(snap?.revision ?? 0);
    const head = r.rows[0];
    if (!head) return null;
    if (snap && Number(head.moved_out_revision) > snap.revision) {
      snap = undefined; // a grant left the site since: read them all again
      r = await read(0);
    }
    if (!snap) {
      snap = { revision: 0, byKey: new Map(), holding: new Map(), list: null, holdingList: null };
      this.sites.set(siteId, snap);
    }
    for (const row of r.rows) {
      if (row.grant_key === null) continue; // the site row alone: nothing new
      const grant = toGrant(row);
      snap.byKey.set(grant.key, grant);
      snap.list = null;
      if (holdsPlannedSlots(grant)) snap.holding.set(grant.key, grant);
      else if (!snap.holding.delete(grant.key)) continue;
      snap.holdingList = null;
    }
    snap.revision = Math.max(snap.revision, Number(r.rows[0]!.revision));
    return snap;
  }

  async listSites(): Promise<readonly SiteId[]> {
    return this.run('listing the sites with grants', async (c) => {
      const r = await c.query<{ site_id: string }>('SELECT DISTINCT site_id FROM keyslot_grant');
      return r.rows.map((x) => x.site_id);
    });
  }

  async siteRevision(siteId: SiteId): Promise<number> {
    return this.run(`reading the revision of site "${siteId}"`, async (c) => {
      const r = await c.query<{ revision: string | number }>(
        'SELECT revision FROM keyslot_site WHERE site_id = $1',
        [siteId],
      );
      return r.rows[0] ? Number(r.rows[0].revision) : 0;
    });
  }

  async save(grant: Grant, expectedVersion: number, condition?: SaveCondition): Promise<SaveResult> {
    checkStorable(grant);
    return this.run(`saving grant "${grant.key}"`, (c) =>
      retryingTransaction(c, async (tx) => {
        try {
          return await saveIn(tx, grant, expectedVersion, condition);
        } catch (e) {
          if (e instanceof Refused) return e.result;
          throw e;
        }
      }),
    );
  }

  /** Closes the database (PGlite flushes and releases its directory; a pool the store made ends). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    this.sites.clear();
    const client = opening ? await opening.catch(() => null) : null;
    if (client && this.ownsClient) await client.close();
  }
}

/** A NUL character, or a UTF-16 surrogate without its pair. */
const UNSTORABLE = new RegExp(
  `${String.fromCharCode(0)}|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
);

/** PostgreSQL text cannot hold NUL or unpaired UTF-16 surrogates: refuse them before writing anything. */
function checkStorable(g: Grant): void {
  const texts: [string, string][] = [
    ['key', g.key],
    ['holder', g.holder],
    ['siteId', g.siteId],
    ...g.lockIds.map((l, i): [string, string] => [`lockIds[${i}]`, l]),
  ];
  for (const [field, text] of texts) {
    if (typeof text !== 'string' || UNSTORABLE.test(text)) {
      throw new GrantStoreError(
        'store_invalid_value',
        `Grant "${String(g.key).slice(0, 64)}" has a ${field} that PostgreSQL cannot store (a NUL character or an unpaired surrogate); nothing was saved. Remove that character from the value.`,
      );
    }
  }
}

async function saveIn(
  tx: SqlQueryable,
  grant: Grant,
  expectedVersion: number,
  condition: SaveCondition | undefined,
): Promise<SaveResult> {
  // Lock the site's row first: saves of one site queue here, so the revision read is the one written.
  await tx.query(
    'INSERT INTO keyslot_site (site_id, revision) VALUES ($1, 0) ON CONFLICT (site_id) DO NOTHING',
    [grant.siteId],
  );
  const site = await tx.query<{ revision: string | number }>(
    'SELECT revision FROM keyslot_site WHERE site_id = $1 FOR UPDATE',
    [grant.siteId],
  );
  const revision = Number(site.rows[0]!.revision);
  const current = await tx.query<{ version: number; site_id: string }>(
    'SELECT version, site_id FROM keyslot_grant WHERE grant_key = $1 FOR UPDATE',
    [grant.key],
  );
  const row = current.rows[0];
  const actual = row ? Number(row.version) : 0;
  if (actual !== expectedVersion)
    throw new Refused(versionConflict(grant, expectedVersion, row ? actual : null));
  if (condition !== undefined && condition.siteRevision !== revision) {
    throw new Refused(
      err({
        code: 'site_changed',
        message: `Another grant of site "${grant.siteId}" was saved meanwhile (expected site revision ${condition.siteRevision}, found ${revision}); re-read the site's grants and decide again.`,
        siteId: grant.siteId,
        expectedRevision: condition.siteRevision,
        actualRevision: revision,
      }),
    );
  }
  const bumped = await tx.query<{ revision: string | number }>(
    'UPDATE keyslot_site SET revision = revision + 1 WHERE site_id = $1 RETURNING revision',
    [grant.siteId],
  );
  const siteRevision = Number(bumped.rows[0]!.revision);
  const values = [
    grant.key,
    grant.siteId,
    grant.holder,
    [...grant.lockIds],
    JSON.stringify(grant.window),
    grant.createdAt,
    grant.revokedAt,
    grant.cleanedUpAt ?? null,
    actual + 1,
    siteRevision,
  ];
  if (row) {
    await tx.query(
      `UPDATE keyslot_grant SET site_id = $2, holder = $3, lock_ids = $4, access_window = $5::jsonb, created_at = $6,
              revoked_at = $7, cleaned_up_at = $8, version = $9, site_revision = $10
        WHERE grant_key = $1`,
      values,
    );
    if (row.site_id !== grant.siteId) {
      await tx.query(
        'UPDATE keyslot_site SET revision = revision + 1, moved_out_revision = revision + 1 WHERE site_id = $1',
        [row.site_id],
      );
    }
  } else {
    const inserted = await tx.query(
      `INSERT INTO keyslot_grant (grant_key, site_id, holder, lock_ids, access_window, created_at, revoked_at,
                                  cleaned_up_at, version, site_revision)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10) ON CONFLICT (grant_key) DO NOTHING`,
      values,
    );
    if (inserted.rowCount === 0) {
      // Created meanwhile by a save of another site (whose lock this one did not hold).
      const now = await tx.query<{ version: number }>(
        'SELECT version FROM keyslot_grant WHERE grant_key = $1',
        [grant.key],
      );
      throw new Refused(
        versionConflict(grant, expectedVersion, now.rows[0] ? Number(now.rows[0].version) : null),
      );
    }
  }
  return ok({ ...grant, lockIds: [...grant.lockIds], version: actual + 1 });
}

const versionConflict = (grant: Grant, expectedVersion: number, actualVersion: number | null): SaveResult =>
  err({
    code: 'version_conflict',
    message: `Grant "${grant.key}" was changed by someone else (expected version ${expectedVersion}, found ${actualVersion ?? 0}); reload it and try again.`,
    key: grant.key,
    expectedVersion,
    actualVersion,
  });
