import { z } from 'zod/v4';
import { type count, id, instant, type Problem, pin, text } from '../snapshot-ranges.js';
import type { SimEventType } from '../types.js';
import { acsEntranceIdOf, acsSystemIdOf } from './ids.js';

/**
 * The ACS side of a snapshot from outside (`WorldSnapshot.acs`): every field typed and every
 * reference present (users on known sites, credentials of known users, grants' users and methods),
 * and subscribed users counted in their site's `used` (checked with the codes by the caller).
 */

type AcsEventType = Extract<
  SimEventType,
  `acs_user.${string}` | `acs_credential.${string}` | `access_grant.${string}` | `access_method.${string}`
>;

/** Every ACS event type the world emits (a new one fails to typecheck until it is listed). */
export const ACS_EVENT_TYPES: Record<AcsEventType, true> = {
  'acs_user.created': true,
  'acs_user.deleted': true,
  'acs_credential.issued': true,
  'acs_credential.deleted': true,
  'access_grant.created': true,
  'access_grant.deleted': true,
  'access_grant.access_granted_to_door': true,
  'access_grant.access_to_door_lost': true,
  'access_method.created': true,
  'access_method.issued': true,
  'access_method.revoked': true,
  'access_method.deleted': true,
};

export function acsTransitions(when: { at: ReturnType<typeof instant>; seq: ReturnType<typeof count> }) {
  return [
    z.strictObject({ ...when, kind: z.enum(['acs_subscribe', 'acs_unsubscribe']), acsUserId: id() }),
    z.strictObject({ ...when, kind: z.literal('acs_issue'), acsCredentialId: id() }),
  ] as const;
}

const name = text(1_000);
const mode = z.enum(['code', 'mobile_key']);

const group = z.strictObject({
  accessGroupId: id(),
  acsSystemId: id(),
  siteId: id(),
  connectedAccountId: id(),
  name: z.string().min(1).max(1_000),
  entranceIds: z.array(id()),
  createdAt: instant(),
});

const user = z.strictObject({
  acsUserId: id(),
  acsSystemId: id(),
  siteId: id(),
  connectedAccountId: id(),
  fullName: z.string().min(1).max(1_000),
  emailAddress: name.nullable(),
  phoneNumber: name.nullable(),
  userIdentityId: id().nullable(),
  accessSchedule: z.strictObject({ startsAt: instant(), endsAt: instant().nullable() }).nullable(),
  isSuspended: z.boolean(),
  isSubscribed: z.boolean(),
  limitRefusedAt: instant().nullable(),
  notSubscribedSince: instant(),
  accessGroupIds: z.array(id()),
  entranceIds: z.array(id()),
  accessGrantId: id().nullable(),
  createdAt: instant(),
});

const credential = z.strictObject({
  acsCredentialId: id(),
  acsUserId: id(),
  acsSystemId: id(),
  siteId: id(),
  connectedAccountId: id(),
  accessMethod: mode,
  code: pin().nullable(),
  isIssued: z.boolean(),
  issuedAt: instant().nullable(),
  isMultiPhoneSyncCredential: z.boolean(),
  startsAt: instant().nullable(),
  endsAt: instant().nullable(),
  accessMethodId: id().nullable(),
  createdAt: instant(),
});

const identity = z.strictObject({
  userIdentityId: id(),
  userIdentityKey: name.nullable(),
  emailAddress: name.nullable(),
  phoneNumber: name.nullable(),
  fullName: name.nullable(),
  createdAt: instant(),
});

const grant = z.strictObject({
  accessGrantId: id(),
  accessGrantKey: name.nullable(),
  userIdentityId: id(),
  name: name.nullable(),
  acsEntranceIds: z.array(id()),
  startsAt: instant(),
  endsAt: instant().nullable(),
  requestedAccessMethods: z.array(
    z.strictObject({ mode, createdAt: instant(), accessMethodIds: z.array(id()) }),
  ),
  accessMethodIds: z.array(id()),
  acsUserIds: z.array(id()),
  createdAt: instant(),
});

const method = z.strictObject({
  accessMethodId: id(),
  accessGrantId: id(),
  mode,
  code: pin().nullable(),
  isIssued: z.boolean(),
  issuedAt: instant().nullable(),
  acsCredentialIds: z.array(id()),
  createdAt: instant(),
});

export const acsShape = z.strictObject({
  groups: z.array(group),
  users: z.array(user),
  credentials: z.array(credential),
  identities: z.array(identity),
  grants: z.array(grant),
  methods: z.array(method),
});

type AcsShape = z.output<typeof acsShape>;

/** Subscribed ACS users of a site (each holds one of its slots). */
export const subscribedUsersOf = (acs: AcsShape | undefined, siteId: string): number =>
  acs ? acs.users.filter((u) => u.siteId === siteId && u.isSubscribed).length : 0;

export function acsCrossReferenceProblems(
  a: AcsShape,
  world: {
    readonly sites: ReadonlyMap<string, { readonly connectedAccountId: string }>;
    readonly locks: ReadonlyMap<string, { readonly siteId: string }>;
    readonly accounts: ReadonlyMap<string, unknown>;
  },
): Problem[] {
  const problems: Problem[] = [];
  const missing = (path: PropertyKey[], what: string, value: string) =>
    problems.push({ path: ['acs', ...path], message: `No ${what} ${JSON.stringify(value)} in the snapshot` });
  const ids = <T>(name: string, items: readonly T[], key: (t: T) => string): Set<string> => {
    const seen = new Set<string>();
    items.forEach((x, i) => {
      const k = key(x);
      if (seen.has(k))
        problems.push({ path: ['acs', name, i], message: `Duplicate id ${JSON.stringify(k)}` });
      seen.add(k);
    });
    return seen;
  };
  const entrances = new Set([...world.locks.keys()].map(acsEntranceIdOf));
  const groups = ids('groups', a.groups, (g) => g.accessGroupId);
  const users = ids('users', a.users, (u) => u.acsUserId);
  const credentials = ids('credentials', a.credentials, (c) => c.acsCredentialId);
  const identities = ids('identities', a.identities, (x) => x.userIdentityId);
  const grants = ids('grants', a.grants, (g) => g.accessGrantId);
  const methods = ids('methods', a.methods, (m) => m.accessMethodId);
  const onSite = (
    path: PropertyKey[],
    x: { siteId: string; acsSystemId: string; connectedAccountId: string },
  ) => {
    const site = world.sites.get(x.siteId);
    if (!site) missing([...path, 'siteId'], 'site', x.siteId);
    else if (site.connectedAccountId !== x.connectedAccountId)
      problems.push({
        path: ['acs', ...path, 'connectedAccountId'],
        message: "Expected the site's connected account",
      });
    if (x.acsSystemId !== acsSystemIdOf(x.siteId))
      problems.push({ path: ['acs', ...path, 'acsSystemId'], message: "Expected the site's ACS system id" });
  };
  a.groups.forEach((g, i) => {
    onSite(['groups', i], g);
    g.entranceIds.forEach((e, j) => {
      if (!entrances.has(e)) missing(['groups', i, 'entranceIds', j], 'entrance', e);
    });
  });
  a.users.forEach((u, i) => {
    onSite(['users', i], u);
    if (u.userIdentityId !== null && !identities.has(u.userIdentityId))
      missing(['users', i, 'userIdentityId'], 'user identity', u.userIdentityId);
    if (u.accessGrantId !== null && !grants.has(u.accessGrantId))
      missing(['users', i, 'accessGrantId'], 'Access Grant', u.accessGrantId);
    u.accessGroupIds.forEach((g, j) => {
      if (!groups.has(g)) missing(['users', i, 'accessGroupIds', j], 'access group', g);
    });
    u.entranceIds.forEach((e, j) => {
      if (!entrances.has(e)) missing(['users', i, 'entranceIds', j], 'entrance', e);
    });
    if (u.isSubscribed && u.isSuspended)
      problems.push({ path: ['acs', 'users', i, 'isSubscribed'], message: 'A suspended user holds no slot' });
  });
  a.credentials.forEach((c, i) => {
    onSite(['credentials', i], c);
    if (!users.has(c.acsUserId)) missing(['credentials', i, 'acsUserId'], 'ACS user', c.acsUserId);
    if (c.accessMethodId !== null && !methods.has(c.accessMethodId))
      missing(['credentials', i, 'accessMethodId'], 'access method', c.accessMethodId);
  });
  a.grants.forEach((g, i) => {
    if (!identities.has(g.userIdentityId))
      missing(['grants', i, 'userIdentityId'], 'user identity', g.userIdentityId);
    g.acsUserIds.forEach((u, j) => {
      if (!users.has(u)) missing(['grants', i, 'acsUserIds', j], 'ACS user', u);
    });
    g.accessMethodIds.forEach((m, j) => {
      if (!methods.has(m)) missing(['grants', i, 'accessMethodIds', j], 'access method', m);
    });
  });
  a.methods.forEach((m, i) => {
    if (!grants.has(m.accessGrantId))
      missing(['methods', i, 'accessGrantId'], 'Access Grant', m.accessGrantId);
    m.acsCredentialIds.forEach((c, j) => {
      if (!credentials.has(c)) missing(['methods', i, 'acsCredentialIds', j], 'ACS credential', c);
    });
  });
  return problems;
}
