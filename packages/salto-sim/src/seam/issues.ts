import type { Instant } from '@keyslot/core/domain';
import type {
  AttemptFailure,
  CodeIssue,
  LockCondition,
  LockConditionKind,
  SiteCondition,
  SiteConditionKind,
} from '../world/conditions.js';
import type {
  AccountIssue,
  DeviceIssue,
  NotSubscribedErrorCode,
  NotSubscribedReason,
  SimIssue,
  SiteSlotCount,
} from '../world/types.js';

/**
 * Seam's vocabulary for the world's Salto facts: the error and warning codes Seam gives each
 * situation, and their texts. The world decides THAT a lock's hub is offline, a site is full or a
 * code was refused a slot (`world/conditions.ts`); this module says how Seam reports it. It is
 * used where the world's records meet Seam: the world's public views (`world/views.ts`,
 * `world/acs/views.ts`; `SaltoKsWorld`'s records are Seam-shaped, so its results carry these codes
 * and texts, and through them the server's JSON and the in-process gateway), and the snapshot
 * boundary (`world/snapshot.ts`: kept facts are saved in these words and read back from them). It
 * imports nothing but types (architecture test: nothing from `server/` or `gateway/`).
 */

// ───────────── devices (derived at read time) ─────────────

/** What a device's texts name: the lock, and its site's name and user limit. */
export interface DeviceNames {
  readonly lockName: string;
  readonly siteName: string;
  readonly slotLimit: number;
}

interface DeviceRow {
  readonly code: string;
  /** A device error, a copy of its connected account's error, or a warning. */
  readonly as: 'device_error' | 'account_error' | 'warning';
  readonly text: (n: DeviceNames) => string;
}

const DEVICE: Readonly<Record<LockConditionKind | SiteConditionKind, DeviceRow>> = {
  hub_offline: {
    code: 'hub_disconnected',
    as: 'device_error',
    text: (n) =>
      `The IQ hub of ${n.lockName} is offline: remote unlock and code changes wait until it reconnects.`,
  },
  site_full: {
    code: 'salto_ks_subscription_limit_exceeded',
    as: 'account_error',
    text: (n) =>
      `Site ${n.siteName} reached its Salto KS user limit (${n.slotLimit}): new access codes cannot be subscribed.`,
  },
  weak_link: {
    code: 'device_has_flaky_connection',
    as: 'warning',
    text: (n) => `${n.lockName} has a weak link to its IQ hub: operations are slow and may fail.`,
  },
  privacy_mode: {
    code: 'salto_ks_privacy_mode',
    as: 'warning',
    text: (n) => `${n.lockName} is in privacy mode: access codes and remote unlocks will not open the door.`,
  },
  office_mode: {
    code: 'salto_ks_office_mode',
    as: 'warning',
    text: (n) =>
      `${n.lockName} is in office mode: access codes will not unlock the door (it is already free).`,
  },
  site_almost_full: {
    code: 'salto_ks_subscription_limit_almost_reached',
    as: 'warning',
    text: (n) => `Site ${n.siteName} is above 80 % of its Salto KS user limit.`,
  },
};

/** Seam's code for a lock's or a site's condition (e.g. `hub_offline` → `hub_disconnected`), for event payloads and mappings. */
export const deviceIssueCode = (kind: LockConditionKind | SiteConditionKind): string => DEVICE[kind].code;

/**
 * A lock's errors (hub offline; its site full, as a copy of the account's error) and warnings
 * (weak link, modes, site above 80 %): the lock's conditions first, then its site's.
 */
export function deviceIssues(
  names: DeviceNames,
  lock: readonly LockCondition[],
  site: readonly SiteCondition[],
): { errors: DeviceIssue[]; warnings: SimIssue[] } {
  const errors: DeviceIssue[] = [];
  const warnings: SimIssue[] = [];
  for (const c of [...lock, ...site]) {
    const row = DEVICE[c.kind];
    const issue = { code: row.code, message: row.text(names), createdAt: c.since };
    if (row.as === 'warning') warnings.push(issue);
    else
      errors.push({
        ...issue,
        isDeviceError: row.as === 'device_error',
        isConnectedAccountError: row.as === 'account_error',
      });
  }
  return { errors, warnings };
}

// ───────────── connected accounts (derived at read time) ─────────────

/** One of an account's sites, as its issues need it. */
export interface AccountSite {
  readonly siteName: string;
  readonly conditions: readonly SiteCondition[];
  readonly count: SiteSlotCount;
}

/** An account's subscription error (some site full) and warning (some site above 80 %), naming those sites. */
export function accountIssues(sites: readonly AccountSite[]): {
  errors: AccountIssue[];
  warnings: AccountIssue[];
} {
  const concerned = (kind: SiteConditionKind) =>
    sites.flatMap((s) =>
      s.conditions.filter((c) => c.kind === kind).map((c) => ({ site: s, since: c.since })),
    );
  const issue = (
    hits: ReturnType<typeof concerned>,
    code: string,
    text: (names: string) => string,
  ): AccountIssue[] =>
    hits.length === 0
      ? []
      : [
          {
            code,
            message: text(hits.map((h) => h.site.siteName).join(', ')),
            createdAt: Math.min(...hits.map((h) => h.since)),
            sites: hits.map((h) => h.site.count),
          },
        ];
  return {
    errors: issue(
      concerned('site_full'),
      'salto_ks_subscription_limit_exceeded',
      (names) =>
        `Salto KS subscription limit reached on ${names}: new access codes cannot be subscribed. Delete codes or raise the site's user limit.`,
    ),
    warnings: issue(
      concerned('site_almost_full'),
      'salto_ks_subscription_limit_almost_reached',
      (names) => `Salto KS sites above 80 % of their user limit: ${names}.`,
    ),
  };
}

// ───────────── the ACS side: systems, entrances, users (derived at read time) ─────────────

/** What an ACS system's texts name: its site, and how many of the site's user slots are taken. */
export interface AcsSystemNames {
  readonly siteName: string;
  readonly used: number;
  readonly slotLimit: number;
}

/** An ACS system's (a site's) error at the limit and warning above 80 %. */
export function acsSystemIssues(
  n: AcsSystemNames,
  site: readonly SiteCondition[],
): { errors: SimIssue[]; warnings: SimIssue[] } {
  const errors: SimIssue[] = [];
  const warnings: SimIssue[] = [];
  for (const c of site) {
    if (c.kind === 'site_full')
      errors.push({
        code: 'salto_ks_subscription_limit_exceeded',
        message: `Site ${n.siteName} reached its Salto KS user limit (${n.used}/${n.slotLimit}): new users stay unsubscribed. Delete or suspend users (or access codes), or raise the limit.`,
        createdAt: c.since,
      });
    else
      warnings.push({
        code: 'salto_ks_subscription_limit_almost_reached',
        message: `Site ${n.siteName} is above 80 % of its Salto KS user limit (${n.used}/${n.slotLimit}).`,
        createdAt: c.since,
      });
  }
  return { errors, warnings };
}

/** An ACS entrance's (a lock's) warnings: privacy mode only (Seam shows no other entrance issue). */
export function acsEntranceWarnings(lockName: string, lock: readonly LockCondition[]): SimIssue[] {
  return lock
    .filter((c) => c.kind === 'privacy_mode')
    .map((c) => ({
      code: 'salto_ks_privacy_mode',
      message: `${lockName} is in privacy mode: credentials will not open it.`,
      createdAt: c.since,
    }));
}

const NOT_SUBSCRIBED_TEXT: Readonly<Record<NotSubscribedReason, string>> = {
  suspended: 'it is suspended; unsuspend it to subscribe it again',
  schedule_not_started: 'its access schedule has not started; it is subscribed at starts_at',
  schedule_ended: 'its access schedule has ended',
  site_at_limit:
    "the site reached its user-slot limit; free a slot (delete or suspend a user or code) or raise the limit, then unsuspend or update the user's schedule",
};

/**
 * An ACS user's warning while it holds no slot (`notSubscribed`: why, and since when) and its
 * error while its site's limit refuses it (`refusedAt`).
 */
export function acsUserIssues(
  n: { readonly fullName: string; readonly siteName: string },
  notSubscribed: { readonly reason: NotSubscribedReason; readonly since: Instant } | null,
  refusedAt: Instant | null,
): { errors: SimIssue[]; warnings: SimIssue[] } {
  return {
    errors:
      refusedAt === null
        ? []
        : [
            {
              code: 'salto_ks_subscription_limit_exceeded',
              message: `Site ${n.siteName} is at its Salto KS user limit, so this user could not be subscribed.`,
              createdAt: refusedAt,
            },
          ],
    warnings:
      notSubscribed === null
        ? []
        : [
            {
              code: 'salto_ks_user_not_subscribed',
              message: `The Salto KS user ${n.fullName} is not subscribed (holds no user slot and cannot unlock): ${NOT_SUBSCRIBED_TEXT[notSubscribed.reason]}.`,
              createdAt: notSubscribed.since,
            },
          ],
  };
}

// ───────────── access codes (kept on the code) ─────────────

/**
 * The world's default name for the code error "not subscribed": the Salto guides' name (Seam's
 * schemas have used two others; `WorldConfig.notSubscribedErrorCode` picks one of core's three).
 */
export const DEFAULT_NOT_SUBSCRIBED_CODE: NotSubscribedErrorCode = 'salto_site_user_not_subscribed';

/** What a code's texts name: the not-subscribed code the world is configured with, and the code's site. */
export interface CodeNames {
  readonly notSubscribedCode: NotSubscribedErrorCode;
  readonly siteId: string;
  readonly pinLength: number;
}

/** A code's kept issue as Seam words it (an error or a warning: the array it is kept in says which). */
export function codeIssue(i: CodeIssue, n: CodeNames): SimIssue {
  const createdAt = i.since;
  switch (i.kind) {
    case 'not_subscribed':
      return {
        code: n.notSubscribedCode,
        message:
          'The Salto KS site user behind this code is not subscribed: the site reached its user-slot limit. Delete this code, free a slot, or raise the site limit, then create it again.',
        createdAt,
      };
    case 'no_free_pin':
      return {
        code: 'failed_to_set_on_device',
        message: `Salto could not generate a free ${n.pinLength}-digit PIN on site ${n.siteId}; delete unused codes.`,
        createdAt,
      };
    case 'programming_delayed':
      return {
        code: 'delay_in_setting_on_device',
        message:
          i.cause === 'hub_offline'
            ? `The lock's IQ hub is offline; the code is programmed once it reconnects.`
            : `The lock's link to its IQ hub is weak; programming is being retried.`,
        createdAt,
      };
    case 'removal_delayed':
      return {
        code: 'delay_in_removing_from_device',
        message: `The lock's IQ hub is offline; the code is removed once it reconnects.`,
        createdAt,
      };
    case 'as_written':
      return { code: i.code, message: i.message, createdAt };
  }
}

/**
 * The fact behind a kept issue as a snapshot stores it: the one whose wording is exactly `x`, so
 * restoring and saving again gives the same bytes; `as_written` when none is (or the code's site
 * is unknown).
 */
export function codeIssueOf(x: SimIssue, n: CodeNames | undefined): CodeIssue {
  const since = x.createdAt;
  const facts: readonly CodeIssue[] = [
    { kind: 'not_subscribed', since },
    { kind: 'no_free_pin', since },
    { kind: 'programming_delayed', cause: 'hub_offline', since },
    { kind: 'programming_delayed', cause: 'weak_link', since },
    { kind: 'removal_delayed', since },
  ];
  const found =
    n &&
    facts.find((f) => {
      const w = codeIssue(f, n);
      return w.code === x.code && w.message === x.message;
    });
  return found ?? { kind: 'as_written', code: x.code, message: x.message, since };
}

// ───────────── action attempts (kept on the attempt) ─────────────

/** What an attempt's error texts name: its lock, and whether it unlocks or locks. */
export interface AttemptNames {
  readonly deviceId: string;
  readonly lockName: string;
  readonly actionType: 'UNLOCK_DOOR' | 'LOCK_DOOR';
}

/** An attempt's failure as Seam's action-attempt `error` (`type`, `message`). */
export function attemptError(f: AttemptFailure, n: AttemptNames): { type: string; message: string } {
  const lock = `Lock ${n.deviceId} (${n.lockName})`;
  switch (f.kind) {
    case 'hub_offline':
      return {
        type: 'hub_disconnected',
        message: `${lock} could not be reached: its IQ hub is offline. Check the hub's power and network.`,
      };
    case 'privacy_mode':
      return {
        type: 'salto_ks_privacy_mode',
        message: `${lock} is in privacy mode and refuses remote unlocks until it is turned off.`,
      };
    case 'weak_link':
      return {
        type: 'uncategorized_error',
        message: `${lock} did not confirm the ${n.actionType === 'UNLOCK_DOOR' ? 'unlock' : 'lock'}: its link to the IQ hub is weak. Try again or check the hub's placement.`,
      };
    case 'as_written':
      return { type: f.type, message: f.message };
  }
}

/** The fact behind an attempt's error as a snapshot stores it (see {@link codeIssueOf}). */
export function attemptFailureOf(
  x: { readonly type: string; readonly message: string },
  n: AttemptNames | undefined,
): AttemptFailure {
  const facts: readonly AttemptFailure[] = [
    { kind: 'hub_offline' },
    { kind: 'privacy_mode' },
    { kind: 'weak_link' },
  ];
  const found =
    n &&
    facts.find((f) => {
      const w = attemptError(f, n);
      return w.type === x.type && w.message === x.message;
    });
  return found ?? { kind: 'as_written', type: x.type, message: x.message };
}
