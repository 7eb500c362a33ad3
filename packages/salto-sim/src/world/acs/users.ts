import { err, type Instant, ok } from '@keyslot/core/domain';
import { invalid, notFound } from '../failures.js';
import type { Faults } from '../faults.js';
import type { QueuedTransition } from '../heap.js';
import type { SlotLedger } from '../ledger.js';
import type { Runtime } from '../runtime.js';
import type { WorldState } from '../state.js';
import type { SimFailure, SimResult } from '../types.js';
import type { AcsCredentials } from './credentials.js';
import type { AcsDirectory } from './directory.js';
import type { AcsUserState } from './state.js';
import type { AccessSchedule, CreateAcsUserParams, UpdateAcsUserParams } from './types.js';

export const acsUserNotFound = (id: string): SimFailure =>
  notFound('acs_user_not_found', 'ACS user', id, 'acs_user_id');

const isText = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';

/** A schedule's instants are numbers, and it ends after it starts and in the future. */
export function scheduleProblem(
  startsAt: Instant,
  endsAt: Instant | null,
  now: Instant,
  prefix = 'access_schedule.',
): SimFailure | null {
  if (!Number.isFinite(startsAt)) return invalid(`${prefix}starts_at`, 'must be a valid instant');
  if (endsAt === null) return null;
  if (!Number.isFinite(endsAt)) return invalid(`${prefix}ends_at`, 'must be a valid instant');
  if (endsAt <= startsAt) return invalid(`${prefix}ends_at`, 'must be after starts_at');
  if (endsAt <= now) return invalid(`${prefix}ends_at`, 'must be in the future');
  return null;
}

/** What a new user is made of (checked by the caller). */
export interface NewAcsUser {
  readonly siteId: string;
  readonly acsSystemId: string;
  readonly connectedAccountId: string;
  readonly fullName: string;
  readonly emailAddress: string | null;
  readonly phoneNumber: string | null;
  readonly userIdentityId: string | null;
  readonly accessSchedule: AccessSchedule | null;
  readonly accessGroupIds: readonly string[];
  readonly entranceIds: readonly string[];
  readonly accessGrantId: string | null;
}

/**
 * ACS users and Salto KS's subscription rules. A user should hold one of its site's slots while
 * it is not suspended and now is inside its access schedule (`[startsAt, endsAt)`; none: always);
 * the slot ledger decides whether it gets one (at the limit: refused, with
 * `salto_ks_subscription_limit_exceeded`). The rule is applied when the user is created, at
 * `startsAt` and `endsAt` (queued transitions), on suspend/unsuspend and on a schedule update;
 * a user refused at the limit is not subscribed later by itself (unsuspend it or update its
 * schedule once a slot is free). Suspending or deleting a user frees its slot at once.
 */
export class AcsUsers {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly faults: Faults,
    private readonly ledger: SlotLedger,
    private readonly directory: AcsDirectory,
    private readonly credentials: AcsCredentials,
  ) {}

  find(acsUserId: string): SimResult<AcsUserState> {
    const u = this.s.acs.users.get(acsUserId);
    return u ? ok(u) : err(acsUserNotFound(acsUserId));
  }

  /** Checks a create request; the user to make, or the failure. Changes nothing. */
  check(params: CreateAcsUserParams): SimResult<NewAcsUser> {
    const site = this.directory.site(params.acsSystemId);
    if (!site.ok) return site;
    if (!isText(params.fullName)) return err(invalid('full_name', 'must be a non-empty string'));
    const identityId = params.userIdentityId ?? null;
    if (identityId !== null && !this.s.acs.identities.has(identityId))
      return err(notFound('user_identity_not_found', 'User identity', identityId, 'user_identity_id'));
    const groupIds = [...new Set(params.accessGroupIds ?? [])];
    for (const id of groupIds) {
      const g = this.directory.group(id);
      if (!g.ok) return g;
      if (g.value.siteId !== site.value.siteId)
        return err(invalid('acs_access_group_ids', `${id} belongs to another ACS system`));
    }
    let schedule: AccessSchedule | null = null;
    if (params.accessSchedule) {
      schedule = {
        startsAt: params.accessSchedule.startsAt ?? this.s.nowMs,
        endsAt: params.accessSchedule.endsAt ?? null,
      };
      const problem = scheduleProblem(schedule.startsAt, schedule.endsAt, this.s.nowMs);
      if (problem) return err(problem);
    }
    return ok({
      siteId: site.value.siteId,
      acsSystemId: params.acsSystemId,
      connectedAccountId: site.value.connectedAccountId,
      fullName: params.fullName,
      emailAddress: params.emailAddress ?? null,
      phoneNumber: params.phoneNumber ?? null,
      userIdentityId: identityId,
      accessSchedule: schedule,
      accessGroupIds: groupIds,
      entranceIds: [],
      accessGrantId: null,
    });
  }

  /** `/acs/users/create`: checks, counts against the rate limit, creates. */
  create(params: CreateAcsUserParams): SimResult<AcsUserState> {
    const checked = this.check(params);
    if (!checked.ok) return checked;
    const limited = this.faults.rateLimitAcs([checked.value.acsSystemId], 'create_acs_user');
    if (limited) return err(limited);
    return ok(this.add(checked.value));
  }

  /** Makes a checked user: emits `acs_user.created`, applies the subscription rule, queues its schedule. */
  add(n: NewAcsUser): AcsUserState {
    const t = this.s.nowMs;
    const user: AcsUserState = {
      acsUserId: this.rt.newId(),
      acsSystemId: n.acsSystemId,
      siteId: n.siteId,
      connectedAccountId: n.connectedAccountId,
      fullName: n.fullName,
      emailAddress: n.emailAddress,
      phoneNumber: n.phoneNumber,
      userIdentityId: n.userIdentityId,
      accessSchedule: n.accessSchedule,
      isSuspended: false,
      isSubscribed: false,
      limitRefusedAt: null,
      notSubscribedSince: t,
      accessGroupIds: [...n.accessGroupIds],
      entranceIds: [...n.entranceIds],
      accessGrantId: n.accessGrantId,
      createdAt: t,
    };
    this.s.acs.users.set(user.acsUserId, user);
    this.rt.emit('acs_user.created', user.connectedAccountId, {
      data: { acs_system_id: user.acsSystemId, acs_user_id: user.acsUserId },
    });
    this.evaluate(user);
    this.queueSchedule(user);
    return user;
  }

  update(params: UpdateAcsUserParams): SimResult<AcsUserState> {
    const found = this.find(params.acsUserId);
    if (!found.ok) return found;
    const u = found.value;
    if (params.fullName !== undefined && !isText(params.fullName))
      return err(invalid('full_name', 'must be a non-empty string'));
    const sched = params.accessSchedule;
    if (sched) {
      const problem = scheduleProblem(sched.startsAt, sched.endsAt, this.s.nowMs);
      if (problem) return err(problem);
    }
    const limited = this.faults.rateLimitAcs([u.acsSystemId], 'update_acs_user');
    if (limited) return err(limited);
    if (params.fullName !== undefined) u.fullName = params.fullName;
    if (params.emailAddress !== undefined) u.emailAddress = params.emailAddress;
    if (params.phoneNumber !== undefined) u.phoneNumber = params.phoneNumber;
    if (sched) {
      u.accessSchedule = { startsAt: sched.startsAt, endsAt: sched.endsAt };
      this.evaluate(u, true);
      this.queueSchedule(u);
    }
    return ok(u);
  }

  setSuspended(acsUserId: string, suspended: boolean): SimResult<AcsUserState> {
    const found = this.find(acsUserId);
    if (!found.ok) return found;
    const u = found.value;
    const limited = this.faults.rateLimitAcs([u.acsSystemId], 'update_acs_user');
    if (limited) return err(limited);
    if (u.isSuspended !== suspended) {
      u.isSuspended = suspended;
      if (suspended) u.notSubscribedSince = this.s.nowMs;
      this.evaluate(u, true);
    }
    return ok(u);
  }

  /** Adds the user to an access group of its own system (idempotent). */
  setGroupMembership(acsUserId: string, accessGroupId: string, member: boolean): SimResult<AcsUserState> {
    const found = this.find(acsUserId);
    if (!found.ok) return found;
    const u = found.value;
    const g = this.directory.group(accessGroupId);
    if (!g.ok) return g;
    if (g.value.siteId !== u.siteId)
      return err(
        invalid('acs_access_group_id', `${accessGroupId} belongs to another ACS system than the user`),
      );
    const limited = this.faults.rateLimitAcs([u.acsSystemId], 'update_acs_user');
    if (limited) return err(limited);
    const has = u.accessGroupIds.includes(accessGroupId);
    if (member && !has) u.accessGroupIds.push(accessGroupId);
    if (!member && has) u.accessGroupIds = u.accessGroupIds.filter((x) => x !== accessGroupId);
    return ok(u);
  }

  /** Entrance ids the user can open: its access groups' and its own, without repeats. */
  accessibleEntrances(u: AcsUserState): string[] {
    return [...new Set([...this.directory.groupEntrances(u.accessGroupIds), ...u.entranceIds])];
  }

  delete(acsUserId: string): SimResult<AcsUserState> {
    const found = this.find(acsUserId);
    if (!found.ok) return found;
    const limited = this.faults.rateLimitAcs([found.value.acsSystemId], 'delete_acs_user');
    if (limited) return err(limited);
    this.remove(found.value);
    return found;
  }

  /** Removes a user: frees its slot, deletes its credentials, emits `acs_user.deleted`. */
  remove(u: AcsUserState): void {
    const site = this.s.sites.get(u.siteId)!;
    const wasSubscribed = u.isSubscribed;
    this.ledger.unsubscribe(u, site);
    if (wasSubscribed) this.doorEvents(u, 'access_grant.access_to_door_lost');
    for (const c of [...this.s.acs.credentials.values()])
      if (c.acsUserId === u.acsUserId) this.credentials.remove(c);
    this.s.acs.users.delete(u.acsUserId);
    this.rt.emit('acs_user.deleted', u.connectedAccountId, {
      data: { acs_system_id: u.acsSystemId, acs_user_id: u.acsUserId },
    });
  }

  /** Runs `acs_subscribe` / `acs_unsubscribe` (stale ones, from a schedule since changed, are ignored). */
  handle(tr: QueuedTransition): void {
    const u = this.s.acs.users.get(tr.target);
    if (!u?.accessSchedule) return;
    const due = tr.kind === 'acs_subscribe' ? u.accessSchedule.startsAt : u.accessSchedule.endsAt;
    if (due === tr.at) this.evaluate(u, true);
  }

  /**
   * Applies the subscription rule now: subscribes a user that should hold a slot (the ledger may
   * refuse at the limit), unsubscribes one that should not. `retry` asks again after a refusal.
   */
  private evaluate(u: AcsUserState, retry = false): void {
    const now = this.s.nowMs;
    const site = this.s.sites.get(u.siteId)!;
    const sch = u.accessSchedule;
    const inWindow = !sch || (now >= sch.startsAt && (sch.endsAt === null || now < sch.endsAt));
    const wants = !u.isSuspended && inWindow;
    if (wants && !u.isSubscribed) {
      if (u.limitRefusedAt !== null && !retry) return;
      if (this.ledger.subscribe(u, site)) this.doorEvents(u, 'access_grant.access_granted_to_door');
    } else if (!wants) {
      const was = u.isSubscribed;
      this.ledger.unsubscribe(u, site);
      if (was) this.doorEvents(u, 'access_grant.access_to_door_lost');
    }
  }

  private queueSchedule(u: AcsUserState): void {
    const sch = u.accessSchedule;
    if (!sch) return;
    const now = this.s.nowMs;
    if (sch.startsAt > now) this.rt.schedule(sch.startsAt, 'acs_subscribe', u.acsUserId);
    if (sch.endsAt !== null && sch.endsAt > now) this.rt.schedule(sch.endsAt, 'acs_unsubscribe', u.acsUserId);
  }

  /** A grant's user gained or lost its doors: one event per entrance it opens. */
  private doorEvents(
    u: AcsUserState,
    type: 'access_grant.access_granted_to_door' | 'access_grant.access_to_door_lost',
  ): void {
    if (u.accessGrantId === null) return;
    for (const e of this.accessibleEntrances(u))
      this.rt.emit(type, u.connectedAccountId, {
        data: { access_grant_id: u.accessGrantId, acs_entrance_id: e, acs_user_id: u.acsUserId },
      });
  }
}
