import type { AccessGrantGateway, Clock, LockGateway, Logger } from '@keyslot/core';
import { ACCESS_GRANT_GATEWAY, CLOCK, LOCK_GATEWAY, LOGGER } from '@keyslot/core';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import type { SeamAdapterOptions } from './config.js';
import { SeamLockGateway } from './gateway.js';
import { SeamWebhookVerifier } from './webhooks.js';

/** The concrete Seam gateway (for Connect Webviews and `waitForUnlock`, beyond the port). */
export const SEAM_LOCK_GATEWAY: ServiceIdentifier<SeamLockGateway> = Symbol.for(
  'keyslot.seam.SeamLockGateway',
);
/** The concrete Seam Access Grants gateway (`seamAccessGrantModule`). */
export const SEAM_ACCESS_GRANT_GATEWAY: ServiceIdentifier<SeamAccessGrantGateway> = Symbol.for(
  'keyslot.seam.SeamAccessGrantGateway',
);
/** Bound when `webhookSecret` is given. */
export const SEAM_WEBHOOK_VERIFIER: ServiceIdentifier<SeamWebhookVerifier> = Symbol.for(
  'keyslot.seam.SeamWebhookVerifier',
);

/** The container's clock and logger, when it has them (system clock and silence otherwise). */
const clockAndLogger = [
  { serviceIdentifier: CLOCK as ServiceIdentifier<Clock>, optional: true },
  { serviceIdentifier: LOGGER as ServiceIdentifier<Logger>, optional: true },
] as const;

/**
 * Binds core's `LOCK_GATEWAY` to Seam. Loads next to core's module instead of the simulator's:
 * `container.load(coreModule, seamAdapterModule(seamOptionsFromEnv()))`. Uses `CLOCK` and `LOGGER`
 * when the container has them (system clock and silence otherwise). Options are validated now, so
 * a bad configuration fails at load time, not on the first call.
 */
export function seamAdapterModule(options: SeamAdapterOptions): ContainerModule {
  // Validate eagerly (throws SeamAdapterConfigError) rather than at first resolution.
  const probe = new SeamLockGateway(options);
  void probe;
  const verifier = options.webhookSecret;
  return new ContainerModule(({ bind }) => {
    bind(SEAM_LOCK_GATEWAY)
      .toResolvedValue(
        (clock: Clock | undefined, logger: Logger | undefined) =>
          new SeamLockGateway(options, { ...(clock ? { clock } : {}), ...(logger ? { logger } : {}) }),
        [...clockAndLogger],
      )
      .inSingletonScope();
    bind(LOCK_GATEWAY as ServiceIdentifier<LockGateway>).toService(SEAM_LOCK_GATEWAY);
    if (verifier !== undefined) {
      bind(SEAM_WEBHOOK_VERIFIER)
        .toResolvedValue(
          (clock: Clock | undefined) => new SeamWebhookVerifier(verifier, clock ? { clock } : {}),
          [{ serviceIdentifier: CLOCK as ServiceIdentifier<Clock>, optional: true }],
        )
        .inSingletonScope();
    }
  });
}

/**
 * Binds core's `ACCESS_GRANT_GATEWAY` to Seam's Access Grants on its Salto KS access control
 * system integration (`SeamAccessGrantGateway`, also as `SEAM_ACCESS_GRANT_GATEWAY`). Load it
 * instead of (or next to) `seamAdapterModule` when the app reaches its sites through ACS. Options
 * are validated now (throws `SeamAdapterConfigError`); `CLOCK` and `LOGGER` are used when bound.
 */
export function seamAccessGrantModule(options: SeamAdapterOptions): ContainerModule {
  void new SeamAccessGrantGateway(options);
  return new ContainerModule(({ bind }) => {
    bind(SEAM_ACCESS_GRANT_GATEWAY)
      .toResolvedValue(
        (clock: Clock | undefined, logger: Logger | undefined) =>
          new SeamAccessGrantGateway(options, { ...(clock ? { clock } : {}), ...(logger ? { logger } : {}) }),
        [...clockAndLogger],
      )
      .inSingletonScope();
    bind(ACCESS_GRANT_GATEWAY as ServiceIdentifier<AccessGrantGateway>).toService(SEAM_ACCESS_GRANT_GATEWAY);
  });
}
