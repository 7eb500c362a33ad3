import {
  type AccessGrantId,
  type DoorId,
  isRefusedAtLimit,
  type ProviderAccessGrant,
  pinOf,
} from './access-grant.js';
import { type Grant, type GrantKey, isRevoked } from './grant.js';
import type { SiteId } from './site.js';
import { type AccessWindow, type Instant, sameWindow, windowEnded } from './time.js';
import { compareCodeUnits } from './value-checks.js';

/**
 * Reconcile on the ACS path: the access grants that should exist (one per live keyslot grant) and
 * the ones the provider lists, compared by grant key. The lock path's equivalent, per code and
 * lock, is `reconcile` in `reconcile.ts`.
 */

/** One access grant that should exist: keyslot grant `grantKey` over `doorIds` for `window`. */
export interface DesiredAccessGrant {
  readonly grantKey: GrantKey;
  readonly siteId: SiteId;
  readonly holder: string;
  readonly doorIds: readonly DoorId[];
  readonly window: AccessWindow;
}

/** One desired access grant per grant that is not revoked and whose window has not ended. */
export function desiredAccessGrants(grants: readonly Grant[], now: Instant): DesiredAccessGrant[] {
  return grants
    .filter((g) => !isRevoked(g) && !windowEnded(g.window, now))
    .map((g) => ({
      grantKey: g.key,
      siteId: g.siteId,
      holder: g.holder,
      doorIds: g.lockIds,
      window: g.window,
    }));
}

/**
 * Why an access grant is deleted:
 * - `not_desired`: its keyslot grant is revoked, ended or unknown;
 * - `duplicate`: another access grant already serves the same keyslot grant;
 * - `changed`: it serves the grant with other doors or another window;
 * - `not_subscribed`: Salto refused its person a slot at the site's limit; it never works.
 */
export type AccessGrantDeleteReason = 'not_desired' | 'duplicate' | 'changed' | 'not_subscribed';

/**
 * One action on the provider's access grants. `lockId` is always `null` (one access grant covers
 * all the grant's doors), so reports can read `lockId` on the actions of either path.
 */
export type AccessGrantAction =
  | {
      readonly kind: 'create_access_grant';
      readonly lockId: null;
      readonly grantKey: GrantKey;
      readonly siteId: SiteId;
      readonly holder: string;
      readonly doorIds: readonly DoorId[];
      readonly window: AccessWindow;
    }
  | {
      readonly kind: 'delete_access_grant';
      readonly lockId: null;
      readonly accessGrantId: AccessGrantId;
      readonly grantKey: GrantKey;
      readonly reason: AccessGrantDeleteReason;
    };

const cmp = compareCodeUnits;

/** The same set of doors, in any order. */
const sameDoors = (a: readonly DoorId[], b: readonly DoorId[]): boolean => {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((door, i) => door === y[i]);
};

/** Which of several equivalent access grants to keep: one with its PIN first, then the lowest id. */
const keepOrder = (a: ProviderAccessGrant, b: ProviderAccessGrant): number =>
  Number(pinOf(b) !== null) - Number(pinOf(a) !== null) || cmp(a.id, b.id);

/**
 * The actions that make the provider's access grants (`actual`, as listed) match `desired`.
 * Access grants that carry no keyslot grant key (`key: null`) belong to someone else: never
 * touched. A grant refused at the limit is deleted (`not_subscribed`) and, if still desired, made
 * again. For each desired grant one access grant with the same doors and window is kept (its PIN
 * first, then the lowest id); the others are deleted (`duplicate`), those with other doors or
 * another window too (`changed`); if none is kept, one is created. All deletes come first (by id),
 * then the creates in the order of `desired`. Applying them and reconciling again gives no action.
 */
export function reconcileAccessGrants(
  desired: readonly DesiredAccessGrant[],
  actual: readonly ProviderAccessGrant[],
  now: Instant,
): AccessGrantAction[] {
  const wanted = new Map<GrantKey, DesiredAccessGrant>();
  for (const d of desired)
    if (!windowEnded(d.window, now) && !wanted.has(d.grantKey)) wanted.set(d.grantKey, d);

  const deletes: Extract<AccessGrantAction, { kind: 'delete_access_grant' }>[] = [];
  const del = (g: ProviderAccessGrant, grantKey: GrantKey, reason: AccessGrantDeleteReason): void => {
    deletes.push({ kind: 'delete_access_grant', lockId: null, accessGrantId: g.id, grantKey, reason });
  };
  const candidates = new Map<GrantKey, ProviderAccessGrant[]>();
  for (const g of actual) {
    const key = g.key;
    if (key === null) continue;
    const want = wanted.get(key);
    if (isRefusedAtLimit(g)) del(g, key, 'not_subscribed');
    else if (want === undefined) del(g, key, 'not_desired');
    else if (!sameDoors(want.doorIds, g.doorIds) || !sameWindow(want.window, g.window))
      del(g, key, 'changed');
    else candidates.set(key, [...(candidates.get(key) ?? []), g]);
  }
  for (const [key, list] of candidates) {
    list.sort(keepOrder);
    for (const extra of list.slice(1)) del(extra, key, 'duplicate');
  }
  deletes.sort((a, b) => cmp(a.accessGrantId, b.accessGrantId));
  const creates: AccessGrantAction[] = [];
  for (const [key, d] of wanted) {
    if (candidates.has(key)) continue;
    creates.push({
      kind: 'create_access_grant',
      lockId: null,
      grantKey: key,
      siteId: d.siteId,
      holder: d.holder,
      doorIds: d.doorIds,
      window: d.window,
    });
  }
  return [...deletes, ...creates];
}
