import { err, ok } from '@keyslot/core/domain';
import { chance } from '@keyslot/core/infrastructure';
import type { AttemptFailure } from './conditions.js';
import { invalid } from './failures.js';
import type { Faults } from './faults.js';
import { isRefused } from './ledger.js';
import type { Runtime } from './runtime.js';
import type { AttemptState, CodeState, LockState, WorldState } from './state.js';
import { findLock } from './topology.js';
import type { ActionAttemptRecord, KeypadDenialReason, KeypadEntryResult, SimResult } from './types.js';
import { attemptView } from './views.js';

type RemoteAction = { readonly deviceId: string; readonly actionType: 'UNLOCK_DOOR' | 'LOCK_DOOR' };

/**
 * The door: PINs typed on the keypad, remote unlock and lock (action attempts that finish after
 * `unlockMs`), and the automatic relock `relockMs` after the door opened.
 */
export class Door {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly faults: Faults,
  ) {}

  /** Someone types `pin` on the lock's keypad; see `SaltoKsWorld.enterKeypadCode`. */
  enterKeypadCode(deviceId: string, pin: string): SimResult<KeypadEntryResult> {
    const s = this.s;
    const t = this.rt.catchUp();
    const found = findLock(s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (!lock.capabilities.accessCodes)
      return err({
        type: 'access_codes_not_supported',
        message: `Device ${deviceId} (${lock.name}) has no PIN pad, so no PIN can be typed on it.`,
        data: { device_id: deviceId },
      });
    if (typeof pin !== 'string' || !/^\d{1,12}$/.test(pin))
      return err(invalid('code', 'must be 1–12 digits'));
    let match: CodeState | undefined;
    for (const c of s.codes.values()) {
      if (c.code === pin && c.deviceId === deviceId) {
        match = c;
        break;
      }
    }
    const accessCodeId = match?.accessCodeId ?? null;
    let reason: KeypadDenialReason | null = null;
    let message = '';
    if (lock.privacyMode) {
      reason = 'privacy_mode';
      message = `${lock.name} is in privacy mode: it refuses every PIN until privacy mode is turned off.`;
    } else if (lock.officeMode) {
      return ok({ outcome: 'already_free', accessCodeId });
    } else if (!match) {
      reason = 'unknown_code';
      message = `No access code of ${lock.name} has that PIN; the door stayed locked.`;
    } else if (isRefused(match) && match.status !== 'removing') {
      reason = 'not_subscribed';
      message = `Access code ${match.accessCodeId} holds no user slot (the site reached its limit), so Salto refuses it.`;
    } else if (
      (match.startsAt !== null && t < match.startsAt) ||
      (match.endsAt !== null && t >= match.endsAt)
    ) {
      reason = 'outside_window';
      message = `Access code ${match.accessCodeId} is outside its window (${new Date(match.startsAt!).toISOString()} to ${new Date(match.endsAt!).toISOString()}).`;
    } else if (match.status !== 'set') {
      reason = 'code_not_set';
      message = `Access code ${match.accessCodeId} is not active on ${lock.name} (status ${match.status}).`;
    } else if (lock.hubLink === 'weak' && chance(s.rng, s.config.weakLink.failureProbability)) {
      reason = 'hub_unreachable';
      message = `${lock.name} could not check the PIN: its link to the IQ hub is weak. Try again.`;
    }
    const acc = lock.connectedAccountId;
    if (reason !== null) {
      this.rt.emit(
        'lock.access_denied',
        acc,
        accessCodeId !== null ? { deviceId, accessCodeId } : { deviceId },
      );
      return ok({ outcome: 'denied', reason, accessCodeId, message });
    }
    lock.locked = false;
    this.rt.emit('lock.unlocked', acc, {
      deviceId,
      accessCodeId: accessCodeId!,
      data: { method: 'keycode', access_code_is_managed: true },
    });
    this.rt.schedule(t + s.config.timings.relockMs, 'relock', deviceId);
    return ok({ outcome: 'unlocked', accessCodeId: accessCodeId! });
  }

  unlockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.faults.call('unlock_door', this, this.remoteActionNow, {
      deviceId,
      actionType: 'UNLOCK_DOOR',
    });
  }

  lockDoor(deviceId: string): SimResult<ActionAttemptRecord> {
    return this.faults.call('lock_door', this, this.remoteActionNow, { deviceId, actionType: 'LOCK_DOOR' });
  }

  private remoteActionNow(p: RemoteAction): SimResult<ActionAttemptRecord> {
    const s = this.s;
    const t = s.nowMs;
    const { deviceId, actionType } = p;
    const unlock = actionType === 'UNLOCK_DOOR';
    const found = findLock(s, deviceId);
    if (!found.ok) return found;
    const lock = found.value;
    if (!lock.capabilities.remoteUnlock)
      return err({
        type: unlock ? 'remote_unlock_not_supported' : 'remote_lock_not_supported',
        message: `Device ${deviceId} (${lock.name}) cannot be ${unlock ? 'unlocked' : 'locked'} remotely: its site has no Salto pass-through waiver. Ask Seam/Salto to enable remote lock and unlock.`,
        data: { device_id: deviceId },
      });
    const limited = this.faults.rateLimit(deviceId, unlock ? 'unlock_door' : 'lock_door');
    if (limited) return err(limited);
    const attempt: AttemptState = {
      actionAttemptId: this.rt.newId(),
      actionType,
      deviceId,
      status: 'pending',
      createdAt: t,
      completedAt: null,
      error: null,
      doomed: unlock ? unlockBlocker(lock) : offlineBlocker(lock),
    };
    s.attempts.set(attempt.actionAttemptId, attempt);
    this.rt.schedule(
      t + this.rt.draw(s.config.timings.unlockMs, this.rt.hubFactor(lock)),
      'unlock_done',
      attempt.actionAttemptId,
    );
    return ok(attemptView(this.s, attempt));
  }

  /** Transition `relock`: the door locks itself again. */
  relock(deviceId: string): void {
    const lock = this.s.locks.get(deviceId);
    if (lock && !lock.locked) {
      lock.locked = true;
      this.rt.emit('lock.locked', lock.connectedAccountId, {
        deviceId: lock.deviceId,
        data: { method: 'automatic' },
      });
    }
  }

  /** Ends a pending UNLOCK_DOOR or LOCK_DOOR attempt (transition `unlock_done`, named before locks had attempts). */
  finishAttempt(attemptId: string): void {
    const s = this.s;
    const a = s.attempts.get(attemptId);
    if (a?.status !== 'pending') return;
    const lock = s.locks.get(a.deviceId)!;
    const unlock = a.actionType === 'UNLOCK_DOOR';
    // Privacy mode refuses opening the door, not locking it.
    let error = a.doomed ?? (unlock ? unlockBlocker(lock) : offlineBlocker(lock));
    if (!error && lock.hubLink === 'weak' && chance(s.rng, s.config.weakLink.failureProbability))
      error = { kind: 'weak_link' };
    const now = s.nowMs;
    a.completedAt = now;
    a.doomed = null;
    const acc = lock.connectedAccountId;
    const deviceId = lock.deviceId;
    if (error) {
      a.status = 'error';
      a.error = error;
      this.rt.emit(unlock ? 'action_attempt.unlock_door.failed' : 'action_attempt.lock_door.failed', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: a.actionType, status: 'error' },
      });
    } else if (unlock) {
      a.status = 'success';
      lock.locked = false;
      this.rt.emit('lock.unlocked', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { method: 'remote' },
      });
      this.rt.emit('action_attempt.unlock_door.succeeded', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: 'UNLOCK_DOOR', status: 'success' },
      });
      this.rt.schedule(now + s.config.timings.relockMs, 'relock', deviceId);
    } else {
      a.status = 'success';
      // Locking is how someone with rights ends (manual) office mode; a pending relock then finds it locked.
      lock.locked = true;
      if (lock.officeMode) {
        lock.officeMode = false;
        lock.officeModeSince = now;
      }
      this.rt.emit('lock.locked', acc, { deviceId, actionAttemptId: attemptId, data: { method: 'remote' } });
      this.rt.emit('action_attempt.lock_door.succeeded', acc, {
        deviceId,
        actionAttemptId: attemptId,
        data: { action_type: 'LOCK_DOOR', status: 'success' },
      });
    }
    s.finishedAttempts.push(attemptId);
    while (s.finishedAttempts.length > s.config.actionAttemptRetention) {
      const old = s.finishedAttempts.shift()!;
      s.attempts.delete(old);
    }
  }
}

/** Why a remote action on `lock` fails at once: its hub is offline. */
const offlineBlocker = (lock: LockState): AttemptFailure | null =>
  lock.hubLink === 'offline' ? { kind: 'hub_offline' } : null;

/** Why a remote unlock fails at once: the hub is offline, or privacy mode refuses it. */
function unlockBlocker(lock: LockState): AttemptFailure | null {
  return offlineBlocker(lock) ?? (lock.privacyMode ? { kind: 'privacy_mode' } : null);
}
