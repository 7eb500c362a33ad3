import { err, type Instant, ok } from '@keyslot/core/domain';
import { accessCodeNotFound, deviceNotFound, invalid } from './failures.js';
import type { Faults } from './faults.js';
import type { Lifecycle } from './lifecycle.js';
import type { Runtime } from './runtime.js';
import type { CodeState, LockState, SiteState, WorldState } from './state.js';
import { findLock } from './topology.js';
import type {
  AccessCodeRecord,
  CreateAccessCodeParams,
  SimFailure,
  SimResult,
  UpdateAccessCodeParams,
} from './types.js';
import { codeView } from './views.js';

const PIN_PATTERN = /^\d{6,10}$/;

/** A window's instants must be numbers (each checked only when given). */
function instantProblem(p: { readonly startsAt?: Instant; readonly endsAt?: Instant }): SimFailure | null {
  if (p.startsAt !== undefined && !Number.isFinite(p.startsAt))
    return invalid('starts_at', 'must be a valid instant');
  if (p.endsAt !== undefined && !Number.isFinite(p.endsAt))
    return invalid('ends_at', 'must be a valid instant');
  return null;
}

/** A time-bound window ends after it starts, and in the future. */
function boundsProblem(startsAt: Instant, endsAt: Instant, now: Instant): SimFailure | null {
  if (endsAt <= startsAt) return invalid('ends_at', 'must be after starts_at');
  if (endsAt <= now) return invalid('ends_at', 'must be in the future');
  return null;
}

/**
 * A caller-chosen PIN: only with the site's custom-PIN subscription, 6–10 digits, and not the PIN
 * of another live code of the site (`current`: the code's own PIN, which it may keep).
 */
function pinProblem(
  site: SiteState,
  lock: LockState,
  pin: string,
  current: string | null,
): SimFailure | null {
  if (!site.hasCustomPinSubscription)
    return invalid(
      'code',
      `site ${site.siteId} has no custom-PIN subscription, so Salto generates every PIN; omit "code"`,
      { reason: 'custom_pin_not_allowed' },
    );
  if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) return invalid('code', 'must be 6–10 digits');
  if (pin !== current && site.pins.has(pin))
    return {
      type: 'duplicate_access_code',
      message: `That PIN is already used by another live code of site ${site.siteId}; choose another or omit "code".`,
      data: { device_id: lock.deviceId },
    };
  return null;
}

/**
 * Access-code commands (Seam's `/access_codes/create`, `update`, `delete`): check the request,
 * count it against the rate limit, make the change, emit the event, and hand the code to the
 * lifecycle (`lifecycle.ts`). A refused request changes nothing. Documented on `SaltoKsWorld`.
 */
export class AccessCodes {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly faults: Faults,
    private readonly lifecycle: Lifecycle,
  ) {}

  create(params: CreateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.faults.call('create_access_code', this, this.createNow, params);
  }

  delete(accessCodeId: string): SimResult<AccessCodeRecord> {
    return this.faults.call('delete_access_code', this, this.deleteNow, accessCodeId);
  }

  update(params: UpdateAccessCodeParams): SimResult<AccessCodeRecord> {
    return this.faults.call('update_access_code', this, this.updateNow, params);
  }

  private createNow(params: CreateAccessCodeParams): SimResult<AccessCodeRecord> {
    const s = this.s;
    const t = s.nowMs;
    const found = findLock(s, params.deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    const site = s.sites.get(lock.siteId)!;
    if (params.name !== undefined && params.name !== null && typeof params.name !== 'string')
      return err(invalid('name', 'must be a string'));
    const hasStart = params.startsAt !== undefined;
    if (hasStart !== (params.endsAt !== undefined))
      return err(
        invalid(
          hasStart ? 'ends_at' : 'starts_at',
          'starts_at and ends_at must be given together (or neither for an ongoing code)',
        ),
      );
    const windowProblem =
      instantProblem(params) ?? (hasStart ? boundsProblem(params.startsAt!, params.endsAt!, t) : null);
    if (windowProblem) return err(windowProblem);
    if (params.code !== undefined) {
      const problem = pinProblem(site, lock, params.code, null);
      if (problem) return err(problem);
    }
    if (!lock.capabilities.accessCodes)
      return err({
        type: 'access_codes_not_supported',
        message: `Device ${lock.deviceId} (${lock.name}) has no PIN pad, so it cannot take access codes. Use a lock with a keypad.`,
        data: { device_id: lock.deviceId },
      });
    const limited = this.faults.rateLimit(lock.deviceId, 'create_access_code');
    if (limited) return err(limited);

    const code: CodeState = {
      accessCodeId: this.rt.newId(),
      deviceId: lock.deviceId,
      siteId: site.siteId,
      name: params.name ?? null,
      code: params.code ?? null,
      type: hasStart ? 'time_bound' : 'ongoing',
      startsAt: hasStart ? params.startsAt! : null,
      endsAt: hasStart ? params.endsAt! : null,
      status: hasStart ? 'unset' : 'setting',
      createdAt: t,
      isWaitingForCodeAssignment: params.code === undefined,
      isScheduledOnDevice: false,
      holdsSlot: false,
      loaded: false,
      errors: [],
      warnings: [],
      onDevice: false,
      deleteRequested: false,
    };
    if (code.code !== null) site.pins.add(code.code);
    s.codes.set(code.accessCodeId, code);
    this.rt.emit('access_code.created', lock.connectedAccountId, {
      deviceId: lock.deviceId,
      accessCodeId: code.accessCodeId,
    });
    this.lifecycle.start(code, site, lock);
    return ok(codeView(this.s, code));
  }

  private deleteNow(accessCodeId: string): SimResult<AccessCodeRecord> {
    const s = this.s;
    const code = s.codes.get(accessCodeId);
    if (!code) return err(accessCodeNotFound(accessCodeId));
    if (code.status === 'removing') return ok(codeView(this.s, code));
    const limited = this.faults.rateLimit(code.deviceId, 'delete_access_code');
    if (limited) return err(limited);
    const lock = s.locks.get(code.deviceId)!;
    this.lifecycle.startRemoval(code, lock);
    code.deleteRequested = true;
    this.rt.emit('access_code.deleted', lock.connectedAccountId, {
      deviceId: code.deviceId,
      accessCodeId,
      data: { code: code.code },
    });
    return ok(codeView(this.s, code));
  }

  private updateNow(params: UpdateAccessCodeParams): SimResult<AccessCodeRecord> {
    const s = this.s;
    const t = s.nowMs;
    const id = params.accessCodeId;
    const code = s.codes.get(id);
    if (!code) return err(accessCodeNotFound(id));
    if (params.deviceId !== undefined && params.deviceId !== code.deviceId) {
      if (!s.locks.has(params.deviceId)) return err(deviceNotFound(params.deviceId));
      return err({
        type: 'access_code_not_found',
        message: `Access code ${id} is not on device ${params.deviceId}: give the code's own device_id or leave it out (a code cannot move to another lock; create a new one there).`,
        data: { device_id: params.deviceId, access_code_id: id },
      });
    }
    if (code.status === 'removing')
      return err(
        invalid(
          'access_code_id',
          `access code ${id} is being removed and can no longer be changed; create a new one`,
          {
            reason: 'access_code_being_removed',
            access_code_id: id,
          },
        ),
      );
    const lock = s.locks.get(code.deviceId)!;
    const site = s.sites.get(code.siteId)!;
    if (params.name !== undefined && params.name !== null && typeof params.name !== 'string')
      return err(invalid('name', 'must be a string or null'));

    // The new window.
    let type = code.type;
    let startsAt = code.startsAt;
    let endsAt = code.endsAt;
    const hasStart = params.startsAt !== undefined;
    const hasEnd = params.endsAt !== undefined;
    if (params.type !== undefined && params.type !== 'ongoing' && params.type !== 'time_bound')
      return err(invalid('type', 'must be "ongoing" or "time_bound"'));
    const instants = instantProblem(params);
    if (instants) return err(instants);
    if (params.type === 'ongoing') {
      if (hasStart || hasEnd)
        return err(
          invalid(
            hasStart ? 'starts_at' : 'ends_at',
            'an ongoing code has no window: leave starts_at and ends_at out with type "ongoing"',
          ),
        );
      type = 'ongoing';
      startsAt = null;
      endsAt = null;
    } else if (hasStart || hasEnd || params.type === 'time_bound') {
      if (code.type === 'ongoing' && !(hasStart && hasEnd))
        return err(
          invalid(
            hasStart ? 'ends_at' : 'starts_at',
            'an ongoing code becomes time-bound only with both starts_at and ends_at',
          ),
        );
      type = 'time_bound';
      startsAt = hasStart ? params.startsAt! : startsAt;
      endsAt = hasEnd ? params.endsAt! : endsAt;
      const bounds = boundsProblem(startsAt!, endsAt!, t);
      if (bounds) return err(bounds);
    }
    const windowChanged = type !== code.type || startsAt !== code.startsAt || endsAt !== code.endsAt;

    // The new PIN.
    let pinChanged = false;
    if (params.code !== undefined) {
      const problem = pinProblem(site, lock, params.code, code.code);
      if (problem) return err(problem);
      pinChanged = params.code !== code.code;
    }
    const nameChanged = params.name !== undefined && (params.name ?? null) !== code.name;
    const limited = this.faults.rateLimit(code.deviceId, 'update_access_code');
    if (limited) return err(limited);
    if (!windowChanged && !pinChanged && !nameChanged) return ok(codeView(this.s, code));

    // Everything is valid: apply.
    if (nameChanged) code.name = params.name ?? null;
    if (pinChanged) {
      if (code.code !== null) site.pins.delete(code.code);
      code.code = params.code!;
      code.isWaitingForCodeAssignment = false;
      site.pins.add(code.code);
    }
    code.type = type;
    code.startsAt = startsAt;
    code.endsAt = endsAt;
    this.rt.emit('access_code.changed', lock.connectedAccountId, {
      deviceId: lock.deviceId,
      accessCodeId: id,
    });
    if (windowChanged || pinChanged) this.lifecycle.redefine(code, site, lock, windowChanged);
    return ok(codeView(this.s, code));
  }
}
