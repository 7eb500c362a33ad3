import type { SimFailure, SimFailureType } from './types.js';

/**
 * The world's failure values: a type, a message saying what was wrong and what to do, and data.
 * How a failure travels (an HTTP status, a core outcome) is for the server's and the gateway's
 * tables (`server/failure-status.ts`, `gateway/map.ts`), not for the world.
 */

/** Every `*_not_found` failure type. */
export type NotFoundType = Extract<SimFailureType, `${string}_not_found`>;

export const notFound = (type: NotFoundType, what: string, id: string, dataKey: string): SimFailure => ({
  type,
  message: `${what} ${JSON.stringify(id)} was not found: it never existed or has been removed. List them again to get a current id.`,
  data: { [dataKey]: id },
});

export const deviceNotFound = (deviceId: string): SimFailure =>
  notFound('device_not_found', 'Device', deviceId, 'device_id');

export const siteNotFound = (siteId: string): SimFailure =>
  notFound('site_not_found', 'Site', siteId, 'site_id');

export const hubNotFound = (hubId: string): SimFailure =>
  notFound('hub_not_found', 'IQ hub', hubId, 'hub_id');

export const accessCodeNotFound = (accessCodeId: string): SimFailure =>
  notFound('access_code_not_found', 'Access code', accessCodeId, 'access_code_id');

export const accountNotFound = (connectedAccountId: string): SimFailure =>
  notFound('connected_account_not_found', 'Connected account', connectedAccountId, 'connected_account_id');

export const invalid = (field: string, message: string, extra: Record<string, unknown> = {}): SimFailure => ({
  type: 'invalid_input',
  message: `Invalid ${field}: ${message}.`,
  data: { field, ...extra },
});
