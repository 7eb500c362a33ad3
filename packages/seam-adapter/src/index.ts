export { SeamAccessGrantGateway } from './acs-gateway.js';
export {
  DEFAULT_SEAM_ENDPOINT,
  type FetchLike,
  type ResolvedSeamAdapterOptions,
  resolveSeamAdapterOptions,
  SEAM_RATE_LIMITS,
  type SeamAdapterOptions,
  type SeamThrottleOptions,
  seamOptionsFromEnv,
} from './config.js';
export { SeamAdapterConfigError, SeamAuthError } from './errors.js';
export { isAmbiguous, type SeamCallFailure, toGatewayFailure } from './failures.js';
export { type SeamGatewayDeps, SeamLockGateway } from './gateway.js';
export { NOT_SUBSCRIBED_ERROR_CODES, toAccessCode, toLock } from './mapping.js';
export {
  SEAM_ACCESS_GRANT_GATEWAY,
  SEAM_LOCK_GATEWAY,
  SEAM_WEBHOOK_VERIFIER,
  seamAccessGrantModule,
  seamAdapterModule,
} from './module.js';
export type {
  ConnectWebview,
  ConnectWebviewStatus,
  CreateConnectWebviewInput,
} from './onboarding.js';
export { DeviceThrottle, THROTTLE_WINDOW_MS, type ThrottledOperation } from './throttle.js';
export {
  type AccessCodeEventKind,
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  type SeamWebhookEvent,
  SeamWebhookVerifier,
  signSeamWebhook,
  toSeamWebhookEvent,
  type WebhookHeaders,
  type WebhookRejection,
  type WebhookRejectionCode,
} from './webhooks.js';
