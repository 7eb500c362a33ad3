/**
 * The exactly-once runner's checks of the provider's own records, per path — the same split as the
 * use cases' `AccessPath`: on the lock integration the codes (one per lock of each live grant), on
 * the ACS path the access grants (one per live grant, ONE slot each). The runner itself is
 * path-blind (`exactly-once.ts`).
 */
import { grantKeyOf } from '../domain/access-code.js';
import type { Grant, GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { SlotCostModel } from '../domain/site.js';
import { holdsSlotAt } from '../domain/slot-holding.js';
import { type AccessWindow, type Instant, sameWindow } from '../domain/time.js';

/** One access code as the provider itself holds it (read without faults). */
export interface ProviderCodeView {
  readonly id: string;
  readonly lockId: LockId;
  readonly name: string | null;
  readonly status: string;
  /** The PIN (never logged by this runner: only its presence is checked). */
  readonly pin: string | null;
  readonly window: AccessWindow;
  readonly holdsSlot: boolean;
  /** Refused at the slot limit (Salto's "user not subscribed"). */
  readonly notSubscribed: boolean;
}

/** One access grant as an ACS provider itself holds it (read without faults). */
export interface ProviderAccessGrantView {
  readonly id: string;
  /** The keyslot grant key it carries (`grantKeyOfAccessGrantKey`), or `null`. */
  readonly key: GrantKey | null;
  readonly doorIds: readonly string[];
  readonly window: AccessWindow;
  /** Its shared PIN (never logged by this runner: only its presence is checked). */
  readonly pin: string | null;
  /** Its person is subscribed: it holds one of the site's slots. */
  readonly holdsSlot: boolean;
  /** Its person was refused a slot at the site's limit. */
  readonly notSubscribed: boolean;
}

/** The provider's own view of the site (no faults, no rate limits). */
export interface ProviderView {
  readonly slotLimit: number;
  readonly used: number;
  /** Codes not yet gone (including `removing` ones). Empty on the ACS path. */
  readonly codes: readonly ProviderCodeView[];
  /** The site's access grants: the ACS path only. */
  readonly accessGrants?: readonly ProviderAccessGrantView[];
}

export interface ProviderChecks {
  /**
   * Violations seen at one observation (after every provider call and step). `strict` is off when
   * a crashed app's requests may land late: transient duplicates and refusals are then allowed.
   * `refused` collects the ids refused at the limit (each reported once).
   */
  observe(view: ProviderView, where: string, strict: boolean, refused: Set<string>): string[];
  /** Violations of the final state: the live grants, exactly, and nothing else holding a slot. */
  final(view: ProviderView, live: readonly Grant[], now: Instant): string[];
}

const holdingNow = (lead: { slotLeadTimeMs: number; slotCostModel: SlotCostModel }, g: Grant, now: Instant) =>
  holdsSlotAt(lead, g.window, Number.NEGATIVE_INFINITY, now);

/** The lock integration: one code per lock of every live grant, each holding one slot once loaded. */
export function codeChecks(slotLeadTimeMs: number): ProviderChecks {
  const cost = { slotLeadTimeMs, slotCostModel: 'code_per_lock' as const };
  return {
    observe(view, where, strict, refused) {
      const out: string[] = [];
      const holding = view.codes.filter((c) => c.holdsSlot).length;
      if (holding !== view.used) out.push(`${where}: ${holding} codes hold a slot but used = ${view.used}`);
      if (!strict) return out;
      const seen = new Set<string>();
      for (const c of view.codes) {
        if (c.notSubscribed && !refused.has(c.id)) {
          refused.add(c.id);
          out.push(`${where}: the provider refused code ${c.id} (${c.name}) at the slot limit`);
        }
        const key = grantKeyOf(c.name);
        if (key === null || c.status === 'removing') continue;
        const pair = JSON.stringify([key, c.lockId]);
        if (seen.has(pair)) out.push(`${where}: grant ${key} has two live codes on lock ${c.lockId}`);
        seen.add(pair);
      }
      return out;
    },
    final(view, live, now) {
      const out: string[] = [];
      const liveKeys = new Set(live.map((g) => g.key));
      let expectedHolding = 0;
      for (const g of live) {
        const holding = holdingNow(cost, g, now);
        for (const lockId of g.lockIds) {
          const codes = view.codes.filter((c) => c.lockId === lockId && grantKeyOf(c.name) === g.key);
          const what = `live grant ${g.key} on lock ${lockId}`;
          if (codes.length !== 1) {
            out.push(`${what} has ${codes.length} codes (expected exactly 1)`);
            continue;
          }
          const code = codes[0]!;
          if (code.status === 'removing') out.push(`${what}: its code is being removed`);
          if (code.notSubscribed) out.push(`${what}: its code was refused at the slot limit`);
          if (!sameWindow(code.window, g.window)) out.push(`${what}: its code has another window`);
          if (holding) {
            expectedHolding++;
            if (!code.holdsSlot) out.push(`${what}: its code holds no slot`);
            if (code.pin === null) out.push(`${what}: its code has no PIN`);
          }
        }
      }
      for (const c of view.codes) {
        const key = grantKeyOf(c.name);
        if (key === null || !liveKeys.has(key))
          out.push(`code ${c.id} (${c.name}, ${c.status}) on lock ${c.lockId} has no live grant`);
        if (c.notSubscribed) out.push(`refused code ${c.id} (${c.name}) was left behind`);
      }
      if (view.used !== expectedHolding)
        out.push(`slots used ${view.used} ≠ live codes holding a slot ${expectedHolding}`);
      return out;
    },
  };
}

const sameDoors = (a: readonly string[], b: readonly string[]): boolean =>
  [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The ACS path: ONE access grant per live grant — its doors, its window, its one PIN — holding ONE
 * slot once its window has started; none for a revoked or ended grant; nothing else holding a slot.
 */
export const accessGrantChecks: ProviderChecks = {
  observe(view, where, strict, refused) {
    const out: string[] = [];
    const grants = view.accessGrants ?? [];
    const holding = grants.filter((g) => g.holdsSlot).length;
    if (holding !== view.used)
      out.push(`${where}: ${holding} access grants hold a slot but used = ${view.used}`);
    if (!strict) return out;
    const seen = new Set<string>();
    for (const g of grants) {
      if (g.notSubscribed && !refused.has(g.id)) {
        refused.add(g.id);
        out.push(`${where}: the provider refused access grant ${g.id} (${g.key}) a slot at the limit`);
      }
      if (g.key === null) continue;
      if (seen.has(g.key)) out.push(`${where}: grant ${g.key} has two access grants`);
      seen.add(g.key);
    }
    return out;
  },
  final(view, live, now) {
    const out: string[] = [];
    const grants = view.accessGrants ?? [];
    const liveKeys = new Set(live.map((g) => g.key));
    const cost = { slotLeadTimeMs: 0, slotCostModel: 'user_per_grant' as const };
    let expectedHolding = 0;
    for (const g of live) {
      const mine = grants.filter((a) => a.key === g.key);
      const what = `live grant ${g.key}`;
      if (mine.length !== 1) {
        out.push(`${what} has ${mine.length} access grants (expected exactly 1)`);
        continue;
      }
      const a = mine[0]!;
      if (a.notSubscribed) out.push(`${what}: its access grant was refused at the slot limit`);
      if (!sameWindow(a.window, g.window)) out.push(`${what}: its access grant has another window`);
      if (!sameDoors(a.doorIds, g.lockIds)) out.push(`${what}: its access grant opens other doors`);
      if (holdingNow(cost, g, now)) {
        expectedHolding++;
        if (!a.holdsSlot) out.push(`${what}: its access grant holds no slot`);
        if (a.pin === null) out.push(`${what}: its access grant has no PIN`);
      }
    }
    for (const a of grants) {
      if (a.key === null || !liveKeys.has(a.key))
        out.push(
          `access grant ${a.id} (${a.key}) has no live grant${a.holdsSlot ? ' and holds a slot' : ''}`,
        );
      if (a.notSubscribed) out.push(`refused access grant ${a.id} (${a.key}) was left behind`);
    }
    if (view.used !== expectedHolding)
      out.push(`slots used ${view.used} ≠ live access grants holding a slot ${expectedHolding}`);
    return out;
  },
};
