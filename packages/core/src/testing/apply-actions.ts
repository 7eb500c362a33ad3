import type { AccessCode } from '../domain/access-code.js';
import type { ReconcileAction } from '../domain/reconcile.js';

export interface ApplyOptions {
  /** How a delete shows up in the next listing: gone, or still listed as `removing`. Default `gone`. */
  readonly deleted?: 'gone' | 'removing';
  /** Status of newly created codes. Default `setting`. */
  readonly createdStatus?: AccessCode['status'];
  /** Prefix of new code ids (made unique by a counter). Default `created-`. */
  readonly idPrefix?: string;
}

/**
 * A pure, ideal provider: applies reconcile actions to a listing of codes and returns the next
 * listing. Creates always succeed (no slot limit, no PIN yet); deleting an unknown id is a no-op.
 * For property tests of reconcile (idempotence, convergence) and of anything that drives it.
 */
export function applyActions(
  actual: readonly AccessCode[],
  actions: readonly ReconcileAction[],
  options: ApplyOptions = {},
): AccessCode[] {
  const deleted = options.deleted ?? 'gone';
  const status = options.createdStatus ?? 'setting';
  const prefix = options.idPrefix ?? 'created-';
  let codes = [...actual];
  let n = 0;
  for (const a of actions) {
    if (a.kind === 'delete') {
      codes =
        deleted === 'gone'
          ? codes.filter((c) => c.id !== a.accessCodeId)
          : codes.map((c) => (c.id === a.accessCodeId ? { ...c, status: 'removing' } : c));
    } else {
      let id: string;
      do id = `${prefix}${n++}`;
      while (codes.some((c) => c.id === id));
      codes.push({ id, lockId: a.lockId, name: a.name, pin: null, status, window: a.window, issues: [] });
    }
  }
  return codes;
}
