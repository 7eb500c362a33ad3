import type { SimFailure, SimFailureType } from '../world/types.js';

/** HTTP statuses the Seam-compatible server answers a world failure with. */
export type SimHttpStatus = 400 | 404 | 409 | 429 | 500 | 503 | 504;

/**
 * The one table from a world failure's type to its HTTP status (Seam's statuses for its own
 * error types). The world speaks Salto's domain and knows nothing of HTTP; only the server uses it.
 * `reply_lost` is an injected fault: the server drops the connection instead of answering, and
 * 504 is what a proxy in front of it would say.
 */
export const HTTP_STATUS_OF: Readonly<Record<SimFailureType, SimHttpStatus>> = {
  invalid_input: 400,
  access_codes_not_supported: 400,
  remote_unlock_not_supported: 400,
  remote_lock_not_supported: 400,
  connected_account_not_found: 404,
  site_not_found: 404,
  hub_not_found: 404,
  device_not_found: 404,
  access_code_not_found: 404,
  action_attempt_not_found: 404,
  acs_system_not_found: 404,
  acs_entrance_not_found: 404,
  acs_access_group_not_found: 404,
  acs_user_not_found: 404,
  acs_credential_not_found: 404,
  user_identity_not_found: 404,
  access_grant_not_found: 404,
  access_method_not_found: 404,
  duplicate_access_code: 409,
  duplicate_user_identity_key: 409,
  duplicate_access_grant_key: 409,
  rate_limit_exceeded: 429,
  internal_server_error: 500,
  service_unavailable: 503,
  reply_lost: 504,
};

/** The HTTP status of a world failure. */
export const httpStatusOf = (f: SimFailure): SimHttpStatus => HTTP_STATUS_OF[f.type];
