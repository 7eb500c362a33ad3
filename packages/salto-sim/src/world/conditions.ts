import type { Instant } from '@keyslot/core/domain';
import type { LockState, SiteState } from './state.js';

/**
 * What Salto knows is wrong with a lock or a site right now, and since when: facts read from the
 * state when a view is built (nothing stores them). The world decides them in Salto's terms;
 * Seam's error and warning codes and their texts for them are `seam/issues.ts`'s.
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
