/**
 * The Seam-compatible HTTP server of the Salto KS simulator.
 * `startSimServer({ world, apiKey })` → `{ url, close() }`; see the package README.
 */
export { HTTP_STATUS_OF, httpStatusOf, type SimHttpStatus } from './failure-status.js';
export { createRequestListener, type HttpMethod, type Route, type RouteContext } from './http.js';
export {
  DEFAULT_SIM_LIMITS,
  limitEnvName,
  limitsFromEnv,
  resolveLimits,
  type SimLimits,
  type SimUsage,
} from './limits.js';
export { type Page, type Pagination, paginate } from './pagination.js';
export { createRequestLog, describeEvent, type RequestLog, type RequestLogFormat } from './request-log.js';
export * as seamViews from './seam-views.js';
export { type SimServer, type SimServerOptions, startSimServer } from './server.js';
export {
  type DeliveryOptions,
  newWebhookSecret,
  SVIX_RETRY_DELAYS_MS,
  signWebhook,
  verifyWebhook,
  WebhookDispatcher,
  type WebhookRecord,
  type WebhookVerification,
} from './webhooks.js';
