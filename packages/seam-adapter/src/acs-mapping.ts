/**
 * Seam's ACS objects → keyslot's domain values for the access-control path: entrances → doors,
 * Access Grants (+ their ACS users and access methods) → `ProviderAccessGrant`, and the
 * `/access_grants/create` body. Everything the adapter knows about the ACS path's error and
 * warning names lives here (HTTP errors: `failures.ts`).
 */
import type {
  AccessGrantIssue,
  AccessMethod,
  AccessMethodMode,
  AccessWindow,
  CreateAccessGrantInput,
  Door,
  ProviderAccessGrant,
  SiteId,
} from '@keyslot/core';
import { accessGrantKeyFor, grantKeyOfAccessGrantKey } from '@keyslot/core';
import type {
  WireAccessGrant,
  WireAccessMethod,
  WireAcsEntrance,
  WireAcsSystem,
  WireAcsUser,
} from './acs-wire.js';
import { SALTO_KS_SITE } from './acs-wire.js';
import { PRIVACY_MODE_CODES, SUBSCRIPTION_LIMIT_EXCEEDED } from './mapping.js';
import { scrubProviderText } from './redaction.js';

/** The ACS user warning for "holds no slot" (schedule not started or ended, suspended, at the limit). */
export const USER_NOT_SUBSCRIBED = 'salto_ks_user_not_subscribed';

/** ACS user notices that are not problems of the grant (Seam is still working on it). */
const BENIGN_USER_NOTICES: ReadonlySet<string> = new Set(['being_deleted', 'acs_user_inactive']);

/** Access methods keyslot asks for and reads back (Salto KS: a generated PIN, a mobile key). */
const MODES: ReadonlySet<string> = new Set<AccessMethodMode>(['code', 'mobile_key']);
export const isAccessMethodMode = (m: unknown): m is AccessMethodMode =>
  typeof m === 'string' && MODES.has(m);

/** A Salto KS site seen as an access control system (`external_type: salto_ks_site`). */
export const isSaltoKsSite = (s: WireAcsSystem): boolean =>
  (s.external_type ?? s.system_type) === SALTO_KS_SITE;

export function toDoor(e: WireAcsEntrance): Door {
  const meta = e.salto_ks_metadata;
  const accessMethods: AccessMethodMode[] = [];
  if (e.can_unlock_with_code === true) accessMethods.push('code');
  if (e.can_unlock_with_mobile_key === true) accessMethods.push('mobile_key');
  return {
    id: e.acs_entrance_id,
    siteId: e.acs_system_id,
    name: e.display_name || meta?.door_name || e.acs_entrance_id,
    hubLink: meta?.online === false ? 'offline' : 'good',
    capabilities: {
      remoteUnlock: e.can_unlock_with_cloud_key === true,
      accessCodes: e.can_unlock_with_code === true,
    },
    modes: {
      privacy: meta?.privacy_mode === true || e.warnings.some((w) => PRIVACY_MODE_CODES.has(w.warning_code)),
      office: false,
    },
    accessMethods,
  };
}

export function toAccessMethod(m: WireAccessMethod): AccessMethod | null {
  if (!isAccessMethodMode(m.mode)) return null; // card / cloud_key: keyslot never asks for them
  return {
    id: m.access_method_id,
    mode: m.mode,
    pin: m.mode === 'code' ? (m.code ?? null) : null,
    issued: m.is_issued,
  };
}

const message = (seam: string | undefined, fallback: string) => (seam ? scrubProviderText(seam) : fallback);

/**
 * Why a grant's person holds no slot, from its ACS users (one per site) and the grant's own errors:
 * the limit error → `slot_limit_reached`; "not subscribed" without it → `not_subscribed` (a
 * window not started yet, ended, or a suspended user); other errors → `provider_issue`.
 */
export function accessGrantIssues(grant: WireAccessGrant, users: readonly WireAcsUser[]): AccessGrantIssue[] {
  const issues: AccessGrantIssue[] = [];
  const add = (i: AccessGrantIssue) => {
    if (!issues.some((x) => x.code === i.code && x.providerCode === i.providerCode)) issues.push(i);
  };
  for (const u of users) {
    const atLimit = u.errors.find((e) => e.error_code === SUBSCRIPTION_LIMIT_EXCEEDED);
    if (atLimit) {
      add({
        code: 'slot_limit_reached',
        providerCode: SUBSCRIPTION_LIMIT_EXCEEDED,
        message: message(
          atLimit.message,
          'Salto KS refused the person a user slot: the site is at its subscription limit. Delete the grant, free a slot, then grant again.',
        ),
      });
    }
    for (const e of u.errors) {
      if (e.error_code === SUBSCRIPTION_LIMIT_EXCEEDED || BENIGN_USER_NOTICES.has(e.error_code)) continue;
      add({
        code: 'provider_issue',
        providerCode: e.error_code,
        message: message(e.message, `Seam reports ${e.error_code}.`),
      });
    }
    const notSubscribed =
      u.warnings.find((w) => w.warning_code === USER_NOT_SUBSCRIBED) ??
      (u.salto_ks_metadata?.is_subscribed === false
        ? { warning_code: USER_NOT_SUBSCRIBED, message: undefined }
        : undefined);
    if (!atLimit && notSubscribed) {
      add({
        code: 'not_subscribed',
        providerCode: USER_NOT_SUBSCRIBED,
        message: message(
          notSubscribed.message,
          'The person holds no user slot now: the grant’s window has not started or has ended, or the user is suspended.',
        ),
      });
    }
  }
  for (const e of grant.errors) {
    add({
      code: 'provider_issue',
      providerCode: e.error_code,
      message: message(e.message, `Seam reports ${e.error_code}.`),
    });
  }
  return issues;
}

export function accessGrantWindow(g: WireAccessGrant): AccessWindow {
  return g.ends_at === null
    ? { kind: 'ongoing' }
    : { kind: 'scheduled', startsAt: Date.parse(g.starts_at), endsAt: Date.parse(g.ends_at) };
}

/** What a grant is made of at Seam, read with separate calls (users, their entrances, methods). */
export interface AccessGrantParts {
  readonly grant: WireAccessGrant;
  readonly siteId: SiteId;
  readonly doorIds: readonly string[];
  readonly users: readonly WireAcsUser[];
  readonly methods: readonly WireAccessMethod[];
}

/**
 * A grant with its parts. A grant whose person Salto refused a slot (at the limit) shows no PIN:
 * Seam may still carry one on its code method, but an unsubscribed Salto user's PIN opens nothing,
 * so it is never handed out (the caller deletes the grant).
 */
export function toProviderAccessGrant(p: AccessGrantParts): ProviderAccessGrant {
  const issues = accessGrantIssues(p.grant, p.users);
  const refused = issues.some((i) => i.code === 'slot_limit_reached');
  const methods: AccessMethod[] = [];
  for (const m of p.methods) {
    const mapped = toAccessMethod(m);
    if (mapped) methods.push(refused ? { ...mapped, pin: null } : mapped);
  }
  return {
    id: p.grant.access_grant_id,
    key: grantKeyOfAccessGrantKey(p.grant.access_grant_key),
    siteId: p.siteId,
    doorIds: [...p.doorIds],
    window: accessGrantWindow(p.grant),
    methods,
    issues,
  };
}

/**
 * The `/access_grants/create` body: a new user identity per grant (named after the holder; its
 * ACS users are then exactly this grant's), the doors as entrances, the methods without any PIN
 * (Salto KS generates it), the window, and the grant key as `access_grant_key`.
 */
export function toCreateAccessGrantBody(input: CreateAccessGrantInput) {
  return {
    user_identity: { full_name: input.holder },
    acs_entrance_ids: [...input.doorIds],
    requested_access_methods: input.methods.map((mode) => ({ mode })),
    ...(input.window.kind === 'scheduled'
      ? {
          starts_at: new Date(input.window.startsAt).toISOString(),
          ends_at: new Date(input.window.endsAt).toISOString(),
        }
      : { ends_at: null }),
    access_grant_key: accessGrantKeyFor(input.key),
  };
}
