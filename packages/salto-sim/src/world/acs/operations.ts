import type { AcsRateLimitedOperation, AcsReadOperation } from '../config-types.js';

/** Every rate-limited ACS operation, at run time. */
export const ACS_RATE_LIMITED_OPERATIONS = [
  'create_acs_user',
  'update_acs_user',
  'delete_acs_user',
  'create_acs_credential',
  'delete_acs_credential',
  'create_access_grant',
  'delete_access_grant',
] as const satisfies readonly AcsRateLimitedOperation[];

/** Every other ACS operation faults can target, at run time. */
export const ACS_READ_OPERATIONS = [
  'list_acs_systems',
  'get_acs_system',
  'list_acs_entrances',
  'get_acs_entrance',
  'list_acs_access_groups',
  'get_acs_access_group',
  'list_acs_users',
  'get_acs_user',
  'list_acs_credentials',
  'get_acs_credential',
  'create_user_identity',
  'list_user_identities',
  'get_user_identity',
  'list_access_grants',
  'get_access_grant',
  'list_access_methods',
  'get_access_method',
] as const satisfies readonly AcsReadOperation[];

/**
 * Calls per ACS system (site) per rate-limit window (`rateLimits.windowMs`, on/off with
 * `rateLimits.enabled`). Seam publishes no ACS limits; these are the simulator's, set so that a
 * well-behaved client never meets them and a runaway loop does.
 */
export const ACS_RATE_LIMITS: Readonly<Record<AcsRateLimitedOperation, number>> = {
  create_acs_user: 30,
  update_acs_user: 30,
  delete_acs_user: 30,
  create_acs_credential: 30,
  delete_acs_credential: 30,
  create_access_grant: 30,
  delete_access_grant: 30,
};

/** Whether an ACS operation changes the world (its `reply_lost` fault is then `committed`). */
export const isAcsMutation = (op: string): boolean =>
  (ACS_RATE_LIMITED_OPERATIONS as readonly string[]).includes(op) || op === 'create_user_identity';
