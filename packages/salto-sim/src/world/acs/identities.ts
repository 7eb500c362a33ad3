import { err, ok } from '@keyslot/core/domain';
import { invalid, notFound } from '../failures.js';
import type { Runtime } from '../runtime.js';
import type { WorldState } from '../state.js';
import type { SimFailure, SimResult } from '../types.js';
import type { UserIdentityState } from './state.js';
import type { CreateUserIdentityParams } from './types.js';

export const userIdentityNotFound = (id: string): SimFailure =>
  notFound('user_identity_not_found', 'User identity', id, 'user_identity_id');

/** User identities: one person across ACS systems (what an Access Grant is for). */
export class UserIdentities {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
  ) {}

  find(userIdentityId: string): SimResult<UserIdentityState> {
    const i = this.s.acs.identities.get(userIdentityId);
    return i ? ok(i) : err(userIdentityNotFound(userIdentityId));
  }

  findByKey(key: string): SimResult<UserIdentityState> {
    for (const i of this.s.acs.identities.values()) if (i.userIdentityKey === key) return ok(i);
    return err({
      type: 'user_identity_not_found',
      message: `No user identity has user_identity_key ${JSON.stringify(key)}. List them to find the right key.`,
      data: { user_identity_key: key },
    });
  }

  /** Why `p` cannot make an identity (its key taken), or `null`. Changes nothing. */
  problem(p: CreateUserIdentityParams): SimFailure | null {
    for (const [field, v] of [
      ['user_identity_key', p.userIdentityKey],
      ['email_address', p.emailAddress],
      ['phone_number', p.phoneNumber],
      ['full_name', p.fullName],
    ] as const)
      if (v !== undefined && v !== null && typeof v !== 'string') return invalid(field, 'must be a string');
    const key = p.userIdentityKey ?? null;
    if (key !== null && this.findByKey(key).ok)
      return {
        type: 'duplicate_user_identity_key',
        message: `A user identity with user_identity_key ${JSON.stringify(key)} already exists; get it with /user_identities/get instead of creating it again.`,
        data: { user_identity_key: key },
      };
    return null;
  }

  create(p: CreateUserIdentityParams): SimResult<UserIdentityState> {
    const problem = this.problem(p);
    if (problem) return err(problem);
    const identity: UserIdentityState = {
      userIdentityId: this.rt.newId(),
      userIdentityKey: p.userIdentityKey ?? null,
      emailAddress: p.emailAddress ?? null,
      phoneNumber: p.phoneNumber ?? null,
      fullName: p.fullName ?? null,
      createdAt: this.s.nowMs,
    };
    this.s.acs.identities.set(identity.userIdentityId, identity);
    return ok(identity);
  }
}
