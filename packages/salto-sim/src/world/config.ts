import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core/domain';
import { DEFAULT_NOT_SUBSCRIBED_CODE } from '../seam/issues.js';
import type { DelayRange, SimFailure, WorldConfig, WorldConfigInput } from './types.js';

export const DEFAULT_WORLD_CONFIG: WorldConfig = {
  timings: {
    pinAssignmentMs: [1_000, 3_000],
    programmingMs: [1_000, 5_000],
    removalMs: [1_000, 5_000],
    unlockMs: [1_000, 6_000],
    relockMs: 7_000,
  },
  weakLink: { slowdownFactor: 3, failureProbability: 0.25 },
  rateLimits: {
    enabled: true,
    windowMs: 60_000,
    perDevice: {
      create_access_code: 10,
      update_access_code: 10,
      delete_access_code: 20,
      unlock_door: 15,
      lock_door: 15,
    },
  },
  notSubscribedErrorCode: DEFAULT_NOT_SUBSCRIBED_CODE,
  eventLogCapacity: 1_000,
  actionAttemptRetention: 1_000,
};

const NOT_SUBSCRIBED_NAMES: ReadonlySet<string> = new Set(NOT_SUBSCRIBED_PROVIDER_CODES);

/** Merges `input` over the defaults and validates it; the failure names every bad field. */
export function resolveWorldConfig(
  input: WorldConfigInput = {},
): { ok: true; value: WorldConfig } | { ok: false; error: SimFailure } {
  const d = DEFAULT_WORLD_CONFIG;
  const config: WorldConfig = {
    timings: { ...d.timings, ...input.timings },
    weakLink: { ...d.weakLink, ...input.weakLink },
    rateLimits: {
      enabled: input.rateLimits?.enabled ?? d.rateLimits.enabled,
      windowMs: input.rateLimits?.windowMs ?? d.rateLimits.windowMs,
      perDevice: { ...d.rateLimits.perDevice, ...input.rateLimits?.perDevice },
    },
    notSubscribedErrorCode: input.notSubscribedErrorCode ?? d.notSubscribedErrorCode,
    eventLogCapacity: input.eventLogCapacity ?? d.eventLogCapacity,
    actionAttemptRetention: input.actionAttemptRetention ?? d.actionAttemptRetention,
  };
  const problems: string[] = [];
  const range = (name: string, r: DelayRange): void => {
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => Number.isInteger(x) && x >= 0) || r[0] > r[1])
      problems.push(`${name}: must be [min, max] with integers 0 ≤ min ≤ max`);
  };
  range('timings.pinAssignmentMs', config.timings.pinAssignmentMs);
  range('timings.programmingMs', config.timings.programmingMs);
  range('timings.removalMs', config.timings.removalMs);
  range('timings.unlockMs', config.timings.unlockMs);
  if (!Number.isInteger(config.timings.relockMs) || config.timings.relockMs < 0)
    problems.push('timings.relockMs: must be an integer ≥ 0');
  if (!(config.weakLink.slowdownFactor >= 1) || !Number.isFinite(config.weakLink.slowdownFactor))
    problems.push('weakLink.slowdownFactor: must be a finite number ≥ 1');
  if (!(config.weakLink.failureProbability >= 0 && config.weakLink.failureProbability <= 1))
    problems.push('weakLink.failureProbability: must be within [0, 1]');
  if (!Number.isInteger(config.rateLimits.windowMs) || config.rateLimits.windowMs < 1)
    problems.push('rateLimits.windowMs: must be an integer ≥ 1');
  for (const [op, n] of Object.entries(config.rateLimits.perDevice)) {
    if (!Number.isInteger(n) || n < 1) problems.push(`rateLimits.perDevice.${op}: must be an integer ≥ 1`);
  }
  if (!NOT_SUBSCRIBED_NAMES.has(config.notSubscribedErrorCode))
    problems.push(`notSubscribedErrorCode: must be one of ${[...NOT_SUBSCRIBED_NAMES].join(', ')}`);
  if (!Number.isInteger(config.eventLogCapacity) || config.eventLogCapacity < 0)
    problems.push('eventLogCapacity: must be an integer ≥ 0');
  if (!Number.isInteger(config.actionAttemptRetention) || config.actionAttemptRetention < 0)
    problems.push('actionAttemptRetention: must be an integer ≥ 0');
  if (problems.length > 0) {
    return {
      ok: false,
      error: {
        type: 'invalid_input',
        message: `Invalid simulator configuration: ${problems.join('; ')}. Fix these fields and create the world again.`,
        data: { problems },
      },
    };
  }
  return { ok: true, value: config };
}
