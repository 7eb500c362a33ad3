import { type AccessPolicy, parsePolicy } from '../domain/policy.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';
import { InvalidPolicyError } from './errors.js';

/**
 * The ports and the policy, as the composition root binds them, for sites reached through Seam's
 * lock integration (`LockGateway`: one access code per lock). Every use case accepts this.
 */
export interface CoreDeps {
  readonly gateway: LockGateway;
  readonly store: GrantStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: AccessPolicy;
}

/**
 * The same for sites reached as a Salto KS access control system (`AccessGrantGateway`: one access
 * grant, one person, one slot, however many doors). Every use case but `UnlockDoor` accepts this.
 */
export interface AcsCoreDeps extends Omit<CoreDeps, 'gateway'> {
  readonly accessGrants: AccessGrantGateway;
}

/** Either path's deps: what `GrantAccess`, `RevokeAccess`, `AwaitPins`, `ReconcileSite` and `ReportSlotUsage` take. */
export type AnyCoreDeps = CoreDeps | AcsCoreDeps;

/** What the use cases that apply no policy are built from (`RevokeAccess`, `AwaitPins`, `ReconcileSite`). */
export type PortDeps = Pick<CoreDeps, 'gateway' | 'store' | 'clock' | 'logger'>;

/** `PortDeps` on either path. */
export type AnyPortDeps = PortDeps | Pick<AcsCoreDeps, 'accessGrants' | 'store' | 'clock' | 'logger'>;

/** DI token of the `AccessPolicy` value (a plain symbol: core never imports inversify). */
export const ACCESS_POLICY = Symbol.for('keyslot.AccessPolicy');

/**
 * The policy a use case applies, checked once when it is built (the decisions it feeds check no
 * shapes). Throws `InvalidPolicyError` naming every bad field: a configuration error.
 */
export function requirePolicy(deps: Pick<CoreDeps, 'policy'>, useCase: string): AccessPolicy {
  const parsed = parsePolicy(deps.policy);
  if (parsed.ok) return parsed.value;
  throw new InvalidPolicyError(
    `${useCase}: ${parsed.error.message} Build the policy with parsePolicy (or let createKeyslotContainer do it).`,
    parsed.error.issues,
  );
}
