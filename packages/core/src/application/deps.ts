import { type AccessPolicy, parsePolicy } from '../domain/policy.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';
import { InvalidPolicyError } from './errors.js';

/** The ports and the policy, as the composition root binds them. Every use case accepts this. */
export interface CoreDeps {
  readonly gateway: LockGateway;
  readonly store: GrantStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: AccessPolicy;
}

/** What the use cases that apply no policy are built from (`RevokeAccess`, `AwaitPins`, `ReconcileSite`). */
export type PortDeps = Pick<CoreDeps, 'gateway' | 'store' | 'clock' | 'logger'>;

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
