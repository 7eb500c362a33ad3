export { accessGrantOf, acsSiteOf, doorOf } from './acs-map.js';
export { SaltoKsAcsSimulator, type SaltoKsAcsSimulatorOptions } from './acs-simulator.js';
export {
  NOT_SUBSCRIBED_CODES,
  toAccessCode,
  toGatewayFailure,
  toLock,
  toSite,
  toUnlockAttempt,
} from './map.js';
export { DEFAULT_SETTLE_MS, SaltoKsSimulator, type SaltoKsSimulatorOptions } from './salto-ks-simulator.js';
