import type { Instant } from '@keyslot/core/domain';
import type { LockState, SiteState } from './state.js';

/**
 * The world's Salto facts, in Salto's terms and nothing of Seam: what is wrong with a lock or a
 * site right now (conditions, read from the state when a view is built; nothing stores them), and
 * what is kept on a code or an attempt from the instant it happened. The rooms decide them; Seam's
 * error and warning codes and their texts for them are `seam/issues.ts`'s.
 */
export interface Condition<K extends string> {
  readonly kind: K;
  readonly since: Instant;
}

/**
 * A lock's conditions: its IQ hub link is down (`hub_offline`) or weak (`weak_link`), it is in
 * privacy mode (it refuses every PIN and remote unlock) or office mode (the door is free).
 */
export type LockConditionKind = 'hub_offline' | 'weak_link' | 'privacy_mode' | 'office_mode';

/** A site's conditions: every user slot is taken (`site_full`), more than 80 % are (`site_almost_full`). */
export type SiteConditionKind = 'site_full' | 'site_almost_full';

export type LockCondition = Condition<LockConditionKind>;
export type SiteCondition = Condition<SiteConditionKind>;

/** The lock's conditions, in this order: hub link, privacy mode, office mode. */
export function lockConditions(l: LockState): LockCondition[] {
  const out: LockCondition[] = [];
  if (l.hubLink === 'offline') out.push({ kind: 'hub_offline', since: l.hubLinkSince });
  else if (l.hubLink === 'weak') out.push({ kind: 'weak_link', since: l.hubLinkSince });
  if (l.privacyMode) out.push({ kind: 'privacy_mode', since: l.privacyModeSince });
  if (l.officeMode) out.push({ kind: 'office_mode', since: l.officeModeSince });
  return out;
}

/** The site's slot conditions (the ledger keeps the instants), full before almost full. */
export function siteConditions(s: SiteState): SiteCondition[] {
  const out: SiteCondition[] = [];
  if (s.limitReachedSince !== null) out.push({ kind: 'site_full', since: s.limitReachedSince });
  if (s.almostReachedSince !== null) out.push({ kind: 'site_almost_full', since: s.almostReachedSince });
  return out;
}

// ───────────── facts kept on records ─────────────

/**
 * Why an access code is in trouble, kept on the code from the instant it happened (`since`):
 * errors — the site had no free user slot when it loaded or its limit dropped (`not_subscribed`),
 * Salto found no free PIN (`no_free_pin`); warnings — programming waits for the IQ hub
 * (`programming_delayed`: offline until it reconnects, or a weak link being retried), removal
 * waits for it (`removal_delayed`). `as_written`: an issue restored from a snapshot in words this
 * world does not write itself (an edited snapshot), kept as it was and playing no part in the rules.
 */
export type CodeIssue =
  | { readonly kind: 'not_subscribed'; readonly since: Instant }
  | { readonly kind: 'no_free_pin'; readonly since: Instant }
  | {
      readonly kind: 'programming_delayed';
      readonly cause: 'hub_offline' | 'weak_link';
      readonly since: Instant;
    }
  | { readonly kind: 'removal_delayed'; readonly since: Instant }
  | { readonly kind: 'as_written'; readonly code: string; readonly message: string; readonly since: Instant };

/**
 * Why a remote unlock or lock failed (or will fail: decided at request time), kept on the
 * attempt: the lock's IQ hub is offline, privacy mode refuses the unlock, the weak link lost the
 * command. `as_written`: restored from a snapshot in words this world does not write itself.
 */
export type AttemptFailure =
  | { readonly kind: 'hub_offline' | 'privacy_mode' | 'weak_link' }
  | { readonly kind: 'as_written'; readonly type: string; readonly message: string };
