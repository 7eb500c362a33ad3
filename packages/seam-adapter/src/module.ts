import type { Clock, LockGateway, Logger } from '@keyslot/core';
import { CLOCK, LOCK_GATEWAY, LOGGER } from '@keyslot/core';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { SeamAdapterOptions } from './config.js';
import { SeamLockGateway } from './gateway.js';
import { SeamWebhookVerifier } from './webhooks.js';

/** The concrete Seam gateway (for Connect Webviews and `waitForUnlock`, beyond the port). */
export const SEAM_LOCK_GATEWAY: ServiceIdentifier<SeamLockGateway> = Symbol.for(
  'keyslot.seam.SeamLockGateway',
);
/** Bound when `webhookSecret` is given. */
export const SEAM_WEBHOOK_VERIFIER: ServiceIdentifier<SeamWebhookVerifier> = Symbol.for(
  'keyslot.seam.SeamWebhookVerifier',
);

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
        [
          { serviceIdentifier: CLOCK as ServiceIdentifier<Clock>, optional: true },
          { serviceIdentifier: LOGGER as ServiceIdentifier<Logger>, optional: true },
        ],
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
