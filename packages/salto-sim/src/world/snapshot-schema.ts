import { err, NOT_SUBSCRIBED_PROVIDER_CODES, ok } from '@keyslot/core/domain';
import type { Clock } from '@keyslot/core/ports';
import { z } from 'zod/v4';
import { acsSystemIdOf } from './acs/ids.js';
import { ACS_RATE_LIMITED_OPERATIONS, ACS_READ_OPERATIONS } from './acs/operations.js';
import {
  ACS_EVENT_TYPES,
  acsCrossReferenceProblems,
  acsShape,
  acsTransitions,
  subscribedUsersOf,
} from './acs/snapshot-schema.js';
import { issueList, jsonRecord, PARSE_OPTIONS } from './schema-issues.js';
import { count, durationMs, id, instant, type Problem, pin, text } from './snapshot-ranges.js';
import { isTimeZone } from './topology.js';
import type { RateLimitedOperation, SimEventType, SimFailure, SimOperation, SimResult } from './types.js';
import { SaltoKsWorld, type WorldSnapshot } from './world.js';

/**
 * The whole shape of a world snapshot (`SaltoKsWorld.toJSON`), for snapshots that come from
 * outside (`POST /_sim/restore`, `keyslot-sim serve --world`): every field typed, every number in
 * range, and every id a record refers to present. `SaltoKsWorld.fromJSON` trusts its input; a
 * snapshot that passes here restores into a world whose every call works.
 */

// ───────────── ranges ─────────────

/** Bounds on sizes a snapshot may configure (each one allocates memory up front or per device). */
export const SNAPSHOT_LIMITS = {
  slotLimit: 1_000_000,
  eventLogCapacity: 1_000_000,
  actionAttemptRetention: 1_000_000,
  perDeviceRateLimit: 100_000,
} as const;

/** Every rate-limited operation, at run time. */
export const RATE_LIMITED_OPERATIONS = [
  'create_access_code',
  'update_access_code',
  'delete_access_code',
  'unlock_door',
  'lock_door',
] as const satisfies readonly RateLimitedOperation[];
/** Every operation faults can target, at run time. */
export const SIM_OPERATIONS = [
  ...RATE_LIMITED_OPERATIONS,
  'list_connected_accounts',
  'get_connected_account',
  'list_sites',
  'get_site',
  'list_devices',
  'get_device',
  'list_access_codes',
  'get_access_code',
  'get_action_attempt',
  'list_events',
  ...ACS_RATE_LIMITED_OPERATIONS,
  ...ACS_READ_OPERATIONS,
] as const satisfies readonly SimOperation[];
/** Every event type the world emits (a new one fails to typecheck here until it is listed). */
const EVENT_TYPES: Record<SimEventType, true> = {
  'connected_account.connected': true,
  'connect_webview.login_succeeded': true,
  'connected_account.created': true,
  'connected_account.completed_first_sync': true,
  'device.added': true,
  'device.connected': true,
  'device.disconnected': true,
  'device.connection_became_flaky': true,
  'device.connection_stabilized': true,
  'device.low_battery': true,
  'device.battery_status_changed': true,
  'device.salto.privacy_mode_activated': true,
  'device.salto.privacy_mode_deactivated': true,
  'access_code.created': true,
  'access_code.changed': true,
  'access_code.scheduled_on_device': true,
  'access_code.set_on_device': true,
  'access_code.delay_in_setting_on_device': true,
  'access_code.failed_to_set_on_device': true,
  'access_code.removed_from_device': true,
  'access_code.delay_in_removing_from_device': true,
  'access_code.deleted': true,
  'lock.unlocked': true,
  'lock.locked': true,
  'lock.access_denied': true,
  'action_attempt.unlock_door.succeeded': true,
  'action_attempt.unlock_door.failed': true,
  'action_attempt.lock_door.succeeded': true,
  'action_attempt.lock_door.failed': true,
  ...ACS_EVENT_TYPES,
};

// ───────────── records ─────────────

const delayRange = z
  .tuple([durationMs(), durationMs()])
  .refine(([min, max]) => min <= max, { message: 'Expected [min, max] with min ≤ max' });

const config = z.strictObject({
  timings: z.strictObject({
    pinAssignmentMs: delayRange,
    programmingMs: delayRange,
    removalMs: delayRange,
    unlockMs: delayRange,
    relockMs: durationMs(),
  }),
  weakLink: z.strictObject({
    slowdownFactor: z.number().min(1).max(1_000),
    failureProbability: z.number().min(0).max(1),
  }),
  rateLimits: z.strictObject({
    enabled: z.boolean(),
    windowMs: durationMs().min(1),
    perDevice: z.strictObject(
      Object.fromEntries(
        RATE_LIMITED_OPERATIONS.map((op) => [
          op,
          z.number().int().min(1).max(SNAPSHOT_LIMITS.perDeviceRateLimit),
        ]),
      ) as Record<RateLimitedOperation, z.ZodNumber>,
    ),
  }),
  notSubscribedErrorCode: z.enum(NOT_SUBSCRIBED_PROVIDER_CODES),
  eventLogCapacity: z.number().int().min(0).max(SNAPSHOT_LIMITS.eventLogCapacity),
  actionAttemptRetention: z.number().int().min(0).max(SNAPSHOT_LIMITS.actionAttemptRetention),
});

const account = z.strictObject({
  connectedAccountId: id(),
  accountType: z.literal('salto_ks'),
  displayName: text(1_000),
  createdAt: instant(),
});

const site = z.strictObject({
  siteId: id(),
  siteName: z.string().min(1).max(1_000),
  connectedAccountId: id(),
  slotLimit: z.number().int().min(0).max(SNAPSHOT_LIMITS.slotLimit),
  hasCustomPinSubscription: z.boolean(),
  timeZone: z.string().min(1).max(100).refine(isTimeZone, { message: 'Expected an IANA time zone' }),
  slotLeadTimeMs: durationMs(),
  pinLength: z.number().int().min(6).max(10),
  createdAt: instant(),
  used: count(),
  pins: z.array(pin()),
  limitReachedSince: instant().nullable(),
  almostReachedSince: instant().nullable(),
});

const hub = z.strictObject({ hubId: id(), siteId: id(), name: text(1_000), createdAt: instant() });

const lock = z.strictObject({
  deviceId: id(),
  siteId: id(),
  hubId: id(),
  connectedAccountId: id(),
  name: text(1_000),
  saltoLockId: text(200),
  lockType: text(200),
  capabilities: z.strictObject({ remoteUnlock: z.boolean(), accessCodes: z.boolean() }),
  hubLink: z.enum(['good', 'weak', 'offline']),
  privacyMode: z.boolean(),
  officeMode: z.boolean(),
  batteryLevel: z.number().min(0).max(1),
  locked: z.boolean(),
  createdAt: instant(),
  hubLinkSince: instant(),
  privacyModeSince: instant(),
  officeModeSince: instant(),
  parked: z.array(z.strictObject({ kind: z.enum(['program', 'remove']), codeId: id() })),
});

const issue = z.strictObject({ code: text(200), message: text(2_000), createdAt: instant() });

const code = z
  .strictObject({
    accessCodeId: id(),
    deviceId: id(),
    siteId: id(),
    name: text(1_000).nullable(),
    code: pin().nullable(),
    type: z.enum(['ongoing', 'time_bound']),
    startsAt: instant().nullable(),
    endsAt: instant().nullable(),
    status: z.enum(['unset', 'setting', 'set', 'removing']),
    createdAt: instant(),
    isWaitingForCodeAssignment: z.boolean(),
    isScheduledOnDevice: z.boolean(),
    holdsSlot: z.boolean(),
    loaded: z.boolean(),
    errors: z.array(issue),
    warnings: z.array(issue),
    onDevice: z.boolean(),
    deleteRequested: z.boolean(),
  })
  .refine(
    (c) =>
      c.type === 'ongoing'
        ? c.startsAt === null && c.endsAt === null
        : c.startsAt !== null && c.endsAt !== null && c.startsAt < c.endsAt,
    {
      message: 'An ongoing code has no startsAt/endsAt; a time-bound one has both, startsAt < endsAt',
      path: ['type'],
    },
  );

const attemptError = z.strictObject({ type: text(200), message: text(2_000) }).nullable();
const attempt = z.strictObject({
  actionAttemptId: id(),
  actionType: z.enum(['UNLOCK_DOOR', 'LOCK_DOOR']),
  deviceId: id(),
  status: z.enum(['pending', 'success', 'error']),
  createdAt: instant(),
  completedAt: instant().nullable(),
  error: attemptError,
  doomed: attemptError,
});

const when = { at: instant(), seq: count() };
const transition = z.discriminatedUnion('kind', [
  z.strictObject({
    ...when,
    kind: z.enum(['assign_pin', 'load', 'program', 'activate', 'expire', 'remove']),
    codeId: id(),
  }),
  z.strictObject({ ...when, kind: z.literal('unlock_done'), attemptId: id() }),
  z.strictObject({ ...when, kind: z.literal('relock'), deviceId: id() }),
  ...acsTransitions(when),
]);

const event = z.strictObject({
  eventId: id(),
  sequence: count(),
  eventType: z.enum(Object.keys(EVENT_TYPES) as [SimEventType, ...SimEventType[]]),
  occurredAt: instant(),
  createdAt: instant(),
  connectedAccountId: id(),
  deviceId: id().optional(),
  accessCodeId: id().optional(),
  actionAttemptId: id().optional(),
  data: jsonRecord(z.string().max(100), z.union([text(2_000), z.number(), z.boolean(), z.null()])).optional(),
});

const operations = z.array(z.enum(SIM_OPERATIONS));
const fault = z.strictObject({
  faultId: count(),
  spec: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('server_error'),
      status: z.union([z.literal(500), z.literal(503)]).optional(),
    }),
    z.strictObject({ kind: z.literal('rate_limited'), retryAfterMs: durationMs().optional() }),
    z.strictObject({ kind: z.literal('latency'), latencyMs: z.number().int().min(0).max(120_000) }),
    z.strictObject({ kind: z.literal('reply_lost') }),
  ]),
  remaining: z.number().int().min(1).max(1_000_000),
  operations: operations.nullable(),
});

const shape = z.strictObject({
  version: z.literal(1),
  config,
  rng: z.tuple([rngWord(), rngWord(), rngWord(), rngWord()]),
  now: instant(),
  seq: count(),
  eventSeq: count(),
  faultSeq: count(),
  saltoLockSeq: count(),
  accounts: z.array(account),
  sites: z.array(site),
  hubs: z.array(hub),
  locks: z.array(lock),
  codes: z.array(code),
  attempts: z.array(attempt),
  finishedAttempts: z.array(id()),
  transitions: z.array(transition),
  events: z.array(event),
  rateWindows: z.array(
    z.tuple([id(), z.enum([...RATE_LIMITED_OPERATIONS, ...ACS_RATE_LIMITED_OPERATIONS]), z.array(instant())]),
  ),
  faults: z.array(fault),
  acs: acsShape.optional(),
});

/** A 32-bit word of the generator's state (it may hold one as a signed int32). */
function rngWord() {
  return z.number().int().min(-0x8000_0000).max(0xffff_ffff);
}

type Shape = z.output<typeof shape>;

// ───────────── cross-references ─────────────

/** Every id a record refers to exists, ids are unique, and the slot counts add up. */
function crossReferenceProblems(s: Shape): Problem[] {
  const problems: Problem[] = [];
  const index = <T>(name: string, items: readonly T[], key: (t: T) => string): Map<string, T> => {
    const m = new Map<string, T>();
    items.forEach((item, i) => {
      const k = key(item);
      if (m.has(k)) problems.push({ path: [name, i], message: `Duplicate id ${JSON.stringify(k)}` });
      m.set(k, item);
    });
    return m;
  };
  const missing = (path: PropertyKey[], what: string, value: string) =>
    problems.push({ path, message: `No ${what} ${JSON.stringify(value)} in the snapshot` });

  const accounts = index('accounts', s.accounts, (a) => a.connectedAccountId);
  const sites = index('sites', s.sites, (x) => x.siteId);
  const hubs = index('hubs', s.hubs, (h) => h.hubId);
  const locks = index('locks', s.locks, (l) => l.deviceId);
  const codes = index('codes', s.codes, (c) => c.accessCodeId);
  const attempts = index('attempts', s.attempts, (a) => a.actionAttemptId);

  s.sites.forEach((x, i) => {
    if (!accounts.has(x.connectedAccountId))
      missing(['sites', i, 'connectedAccountId'], 'connected account', x.connectedAccountId);
    const holding =
      s.codes.filter((c) => c.siteId === x.siteId && c.holdsSlot).length + subscribedUsersOf(s.acs, x.siteId);
    if (x.used !== holding)
      problems.push({
        path: ['sites', i, 'used'],
        message: `Expected ${holding} (the site's codes holding a slot and subscribed ACS users), received ${x.used}`,
      });
    else if (x.used > x.slotLimit)
      problems.push({ path: ['sites', i, 'used'], message: `Expected at most slotLimit (${x.slotLimit})` });
    if (new Set(x.pins).size !== x.pins.length)
      problems.push({ path: ['sites', i, 'pins'], message: 'Expected unique PINs' });
  });
  s.hubs.forEach((h, i) => {
    if (!sites.has(h.siteId)) missing(['hubs', i, 'siteId'], 'site', h.siteId);
  });
  s.locks.forEach((l, i) => {
    const site = sites.get(l.siteId);
    if (!site) missing(['locks', i, 'siteId'], 'site', l.siteId);
    const hub = hubs.get(l.hubId);
    if (!hub) missing(['locks', i, 'hubId'], 'hub', l.hubId);
    else if (hub.siteId !== l.siteId)
      problems.push({ path: ['locks', i, 'hubId'], message: `Hub ${l.hubId} belongs to another site` });
    if (site && site.connectedAccountId !== l.connectedAccountId)
      problems.push({
        path: ['locks', i, 'connectedAccountId'],
        message: `Expected the site's connected account ${JSON.stringify(site.connectedAccountId)}`,
      });
    l.parked.forEach((w, j) => {
      if (!codes.has(w.codeId)) missing(['locks', i, 'parked', j, 'codeId'], 'access code', w.codeId);
    });
  });
  s.codes.forEach((c, i) => {
    const lock = locks.get(c.deviceId);
    if (!lock) missing(['codes', i, 'deviceId'], 'lock', c.deviceId);
    else if (lock.siteId !== c.siteId)
      problems.push({
        path: ['codes', i, 'siteId'],
        message: `Expected the lock's site ${JSON.stringify(lock.siteId)}`,
      });
  });
  s.attempts.forEach((a, i) => {
    if (!locks.has(a.deviceId)) missing(['attempts', i, 'deviceId'], 'lock', a.deviceId);
  });
  s.finishedAttempts.forEach((a, i) => {
    const found = attempts.get(a);
    if (!found) missing(['finishedAttempts', i], 'action attempt', a);
    else if (found.status === 'pending')
      problems.push({ path: ['finishedAttempts', i], message: `Action attempt ${a} is still pending` });
  });
  s.transitions.forEach((t, i) => {
    if (t.kind === 'unlock_done') {
      if (!attempts.has(t.attemptId)) missing(['transitions', i, 'attemptId'], 'action attempt', t.attemptId);
    } else if (t.kind === 'relock') {
      if (!locks.has(t.deviceId)) missing(['transitions', i, 'deviceId'], 'lock', t.deviceId);
    } else if ('acsUserId' in t) {
      if (!s.acs?.users.some((u) => u.acsUserId === t.acsUserId))
        missing(['transitions', i, 'acsUserId'], 'ACS user', t.acsUserId);
    } else if (t.kind === 'acs_issue') {
      if (!s.acs?.credentials.some((c) => c.acsCredentialId === t.acsCredentialId))
        missing(['transitions', i, 'acsCredentialId'], 'ACS credential', t.acsCredentialId);
    } else if (!codes.has(t.codeId)) missing(['transitions', i, 'codeId'], 'access code', t.codeId);
  });
  s.events.forEach((e, i) => {
    if (!accounts.has(e.connectedAccountId))
      missing(['events', i, 'connectedAccountId'], 'connected account', e.connectedAccountId);
    if (e.deviceId !== undefined && !locks.has(e.deviceId))
      missing(['events', i, 'deviceId'], 'lock', e.deviceId);
    if (e.sequence > s.eventSeq)
      problems.push({
        path: ['events', i, 'sequence'],
        message: `Expected at most eventSeq (${s.eventSeq})`,
      });
  });
  const acsSystems = new Set(s.sites.map((x) => acsSystemIdOf(x.siteId)));
  s.rateWindows.forEach(([key], i) => {
    if (!locks.has(key) && !acsSystems.has(key)) missing(['rateWindows', i, 0], 'lock or ACS system', key);
  });
  if (s.acs) problems.push(...acsCrossReferenceProblems(s.acs, { sites, locks, accounts }));
  return problems;
}

// ───────────── parse and restore ─────────────

/** Problems listed in a failure message; the rest are counted. */
const LISTED = 10;

function snapshotFailure(problems: readonly Problem[]): SimFailure {
  const lines = problems.map((p) =>
    p.path.length ? `${p.path.map(String).join('.')}: ${p.message}` : p.message,
  );
  const shown = lines.slice(0, LISTED).join('; ');
  const more = lines.length > LISTED ? ` (and ${lines.length - LISTED} more)` : '';
  return {
    type: 'invalid_input',
    message: `Invalid snapshot: ${shown}${more}. Send a snapshot saved with GET /_sim/snapshot (SaltoKsWorld.toJSON), unchanged or edited within these rules; nothing was restored.`,
    data: { problems: problems.map((p) => ({ path: p.path.map(String), message: p.message })) },
  };
}

/**
 * Checks `input` whole — shape, ranges and cross-references — and returns it as a
 * {@link WorldSnapshot}, or an `invalid_input` failure whose `data.problems` names every bad field.
 */
export function parseWorldSnapshot(input: unknown): SimResult<WorldSnapshot> {
  const parsed = shape.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) return err(snapshotFailure(issueList(parsed.error)));
  const problems = crossReferenceProblems(parsed.data);
  if (problems.length > 0) return err(snapshotFailure(problems));
  return ok(parsed.data as WorldSnapshot);
}

/**
 * Restores an untrusted snapshot: validates it whole ({@link parseWorldSnapshot}), builds the
 * world, and runs it once (catching up to `clock`'s now and reading every view) before handing it
 * over, so a snapshot is either refused with nothing changed or yields a world whose calls work.
 */
export function restoreWorldSnapshot(
  input: unknown,
  options: { clock?: Clock } = {},
): SimResult<SaltoKsWorld> {
  const parsed = parseWorldSnapshot(input);
  if (!parsed.ok) return parsed;
  const restored = SaltoKsWorld.fromJSON(parsed.value, options);
  if (!restored.ok) return restored;
  const world = restored.value;
  const snapshot = parsed.value as Shape;
  try {
    world.now();
    for (const s of snapshot.sites) world.inspectSite(s.siteId);
    for (const l of snapshot.locks) world.inspectDevice(l.deviceId);
    for (const a of snapshot.attempts) world.inspectActionAttempt(a.actionAttemptId);
    world.inspectAccessCodes();
  } catch (e) {
    return err(
      snapshotFailure([
        {
          path: [],
          message: `The restored world failed on its first run (${e instanceof Error ? e.message : String(e)})`,
        },
      ]),
    );
  }
  return ok(world);
}
