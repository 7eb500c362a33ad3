import type { AccessPolicy } from '../domain/policy.js';
import type { Clock } from '../ports/clock.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';

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
