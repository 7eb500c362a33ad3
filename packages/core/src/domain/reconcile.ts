import {
  type AccessCode,
  type AccessCodeId,
  codeNameFor,
  grantKeyOf,
  isNotSubscribed,
} from './access-code.js';
import { type Grant, type GrantKey, isRevoked } from './grant.js';
import type { LockId } from './lock.js';
import { type AccessWindow, type Instant, sameWindow, windowEnded } from './time.js';
import { compareCodeUnits } from './value-checks.js';

/** One code that should exist: grant `grantKey` on lock `lockId` for `window`. */
export interface DesiredCode {
  readonly grantKey: GrantKey;
  readonly lockId: LockId;
  readonly window: AccessWindow;
}

/** One desired code per lock of each grant that is not revoked and whose window has not ended. */
export function desiredCodes(grants: readonly Grant[], now: Instant): DesiredCode[] {
  const out: DesiredCode[] = [];
  for (const g of grants) {
    if (isRevoked(g) || windowEnded(g.window, now)) continue;
    for (const lockId of g.lockIds) out.push({ grantKey: g.key, lockId, window: g.window });
  }
  return out;
}

/**
 * Why a code is deleted:
 * - `not_desired`: its grant is revoked, ended, unknown, or no longer covers that lock;
 * - `duplicate`: another live code already serves the same grant on the same lock;
 * - `window_changed`: it serves the grant on that lock but with an outdated window;
 * - `not_subscribed`: the provider refused it for the slot limit; it holds no slot and never works.
 */
export type DeleteReason = 'not_desired' | 'duplicate' | 'window_changed' | 'not_subscribed';

export type ReconcileAction =
  | {
      readonly kind: 'create';
      readonly grantKey: GrantKey;
      readonly lockId: LockId;
      readonly window: AccessWindow;
      /** `codeNameFor(grantKey)`: the name is how the code is found again after a lost reply. */
      readonly name: string;
    }
  | {
      readonly kind: 'delete';
      readonly accessCodeId: AccessCodeId;
      readonly lockId: LockId;
      readonly grantKey: GrantKey;
      readonly reason: DeleteReason;
    };

export type CreateAction = Extract<ReconcileAction, { kind: 'create' }>;
export type DeleteAction = Extract<ReconcileAction, { kind: 'delete' }>;

const cmp = compareCodeUnits;

/** Which of several equivalent codes to keep: `set` first, then one with a PIN, then the lowest id. */
const keepOrder = (a: AccessCode, b: AccessCode): number =>
  Number(b.status === 'set') - Number(a.status === 'set') ||
  Number(b.pin !== null) - Number(a.pin !== null) ||
  cmp(a.id, b.id);

const pairKey = (grantKey: GrantKey, lockId: LockId): string => JSON.stringify([grantKey, lockId]);

/**
 * The actions that make the codes at the provider (`actual`, as listed) match the desired codes.
 *
 * - Codes whose name carries no keyslot grant key belong to someone else: never touched.
 * - Codes already `removing` are going away: not deleted again, and they satisfy nothing.
 * - A code refused for the slot limit (`slot_limit_reached`) is deleted (`not_subscribed`); if
 *   still desired, a new one is created.
 * - For each desired (grant, lock): one live code with the same window is kept (`set` first,
 *   then one with a PIN, then the lowest id) and the others are deleted (`duplicate`); codes
 *   with another window are deleted (`window_changed`); if none is kept, one is created.
 * - Other keyslot codes are deleted (`not_desired`).
 *
 * All deletes come before all creates, so slots are freed before new ones are taken. Deletes
 * are ordered by lock then code id, creates in the order of `desired`: the same inputs (in
 * any listing order of `actual`) give the same actions. Applying them and reconciling again
 * gives no action. A desired entry whose window has ended at `now` is ignored, and when
 * `desired` lists the same (grant, lock) twice, the first entry wins.
 */
export function reconcile(
  desired: readonly DesiredCode[],
  actual: readonly AccessCode[],
  now: Instant,
): ReconcileAction[] {
  const wanted = new Map<string, DesiredCode>();
  for (const d of desired) {
    if (windowEnded(d.window, now)) continue;
    const k = pairKey(d.grantKey, d.lockId);
    if (!wanted.has(k)) wanted.set(k, d);
  }

  const deletes: DeleteAction[] = [];
  const del = (code: AccessCode, grantKey: GrantKey, reason: DeleteReason): void => {
    deletes.push({ kind: 'delete', accessCodeId: code.id, lockId: code.lockId, grantKey, reason });
  };

  // Live keyslot codes with the desired window, per (grant, lock).
  const candidates = new Map<string, AccessCode[]>();
  for (const code of actual) {
    const grantKey = grantKeyOf(code.name);
    if (grantKey === null || code.status === 'removing') continue;
    if (isNotSubscribed(code)) {
      del(code, grantKey, 'not_subscribed');
      continue;
    }
    const k = pairKey(grantKey, code.lockId);
    const want = wanted.get(k);
    if (want === undefined) {
      del(code, grantKey, 'not_desired');
    } else if (!sameWindow(want.window, code.window)) {
      del(code, grantKey, 'window_changed');
    } else {
      const list = candidates.get(k);
      if (list) list.push(code);
      else candidates.set(k, [code]);
    }
  }

  for (const list of candidates.values()) {
    list.sort(keepOrder);
    for (const extra of list.slice(1)) del(extra, grantKeyOf(extra.name)!, 'duplicate');
  }
  deletes.sort((a, b) => cmp(a.lockId, b.lockId) || cmp(a.accessCodeId, b.accessCodeId));

  const creates: CreateAction[] = [];
  for (const [k, d] of wanted) {
    if (candidates.has(k)) continue;
    creates.push({
      kind: 'create',
      grantKey: d.grantKey,
      lockId: d.lockId,
      window: d.window,
      name: codeNameFor(d.grantKey),
    });
  }
  return [...deletes, ...creates];
}
