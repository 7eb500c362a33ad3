import type { AcsState } from './state.js';

/**
 * The ACS side of a world snapshot (`WorldSnapshot.acs`), present only once the world has ACS
 * records (a lock-only world's snapshot is exactly what it was before the ACS side existed).
 */
export interface AcsSnapshot {
  readonly groups: readonly unknown[];
  readonly users: readonly unknown[];
  readonly credentials: readonly unknown[];
  readonly identities: readonly unknown[];
  readonly grants: readonly unknown[];
  readonly methods: readonly unknown[];
}

const clone = <T>(x: T): T => structuredClone(x);

export function takeAcsSnapshot(a: AcsState): AcsSnapshot | undefined {
  if (a.isEmpty()) return undefined;
  return {
    groups: [...a.groups.values()].map(clone),
    users: [...a.users.values()].map(clone),
    credentials: [...a.credentials.values()].map(clone),
    identities: [...a.identities.values()].map(clone),
    grants: [...a.grants.values()].map(clone),
    methods: [...a.methods.values()].map(clone),
  };
}

type Keyed = Record<string, unknown>;

export function restoreAcsSnapshot(a: AcsState, snap: AcsSnapshot | undefined): void {
  a.clear();
  if (!snap) return;
  const fill = <T>(map: Map<string, T>, items: readonly unknown[], key: string): void => {
    for (const x of items) map.set((x as Keyed)[key] as string, clone(x) as T);
  };
  fill(a.groups, snap.groups, 'accessGroupId');
  fill(a.users, snap.users, 'acsUserId');
  fill(a.credentials, snap.credentials, 'acsCredentialId');
  fill(a.identities, snap.identities, 'userIdentityId');
  fill(a.grants, snap.grants, 'accessGrantId');
  fill(a.methods, snap.methods, 'accessMethodId');
}
