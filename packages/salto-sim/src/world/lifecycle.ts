import { chance, randomDigits } from '@keyslot/core/infrastructure';
import type { QueuedTransition } from './heap.js';
import { isRefused, type SlotLedger } from './ledger.js';
import type { Runtime } from './runtime.js';
import type { CodeState, LockState, SiteState, WorldState } from './state.js';

/** Drops the programming-delayed warning (a new array, as before; none to drop is the common case). */
function dropDelayWarning(code: CodeState): void {
  if (code.warnings.length > 0) code.warnings = code.warnings.filter((w) => w.kind !== 'programming_delayed');
}

/**
 * The access-code lifecycle: what happens to a code after a command created, changed or deleted
 * it. Load (take a slot through the ledger), PIN assignment, programming through the IQ hub
 * (parked while the hub is offline, retried on a weak link), activation at `startsAt`, expiry at
 * `endsAt`, removal. Each step is a scheduled transition (`heap.ts`) run at its own instant.
 *
 * Statuses: ongoing `setting` → `set`; time-bound `unset` → (loaded, programmed before its start:
 * `scheduled_on_device`) → `set` at `startsAt`; any → `removing` → gone.
 */
export class Lifecycle {
  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
    private readonly ledger: SlotLedger,
  ) {}

  /** A new code: ongoing loads now; time-bound loads at `startsAt − slotLeadTimeMs` and expires at `endsAt`. */
  start(code: CodeState, site: SiteState, lock: LockState): void {
    if (code.type === 'ongoing') this.load(code, site, lock);
    else {
      const loadAt = code.startsAt! - site.slotLeadTimeMs;
      if (loadAt <= this.s.nowMs) this.load(code, site, lock);
      else this.rt.schedule(loadAt, 'load', code.accessCodeId);
      this.rt.schedule(code.endsAt!, 'expire', code.accessCodeId);
    }
  }

  /**
   * A code's window or PIN changed: a new definition that must reach the lock. It is taken off
   * (`onDevice` false; ongoing → `setting`, time-bound → `unset`) and loaded again under the new
   * window exactly as a new code would be — it keeps the slot it held if the new window holds one
   * now, gives it back if the new window starts beyond the lead time (taken again at the new
   * load), and takes one if the new window makes it load now (at the site's limit: the
   * not-subscribed error, no slot). The slot is freed at the new `endsAt`. Programming then
   * follows the usual path (on an offline hub it waits with `delay_in_setting_on_device`). A code
   * already refused at the limit stays refused: only its expiry moves.
   */
  redefine(code: CodeState, site: SiteState, lock: LockState, windowChanged: boolean): void {
    const t = this.s.nowMs;
    const refused = isRefused(code);
    if (windowChanged && code.type === 'time_bound')
      this.rt.schedule(code.endsAt!, 'expire', code.accessCodeId);
    if (refused) return;
    this.ledger.releaseForReload(code, site);
    code.loaded = false;
    code.onDevice = false;
    code.isScheduledOnDevice = false;
    code.status = code.type === 'ongoing' ? 'setting' : 'unset';
    dropDelayWarning(code);
    const loadAt = code.type === 'ongoing' ? t : code.startsAt! - site.slotLeadTimeMs;
    if (loadAt <= t) this.load(code, site, lock);
    else this.rt.schedule(loadAt, 'load', code.accessCodeId);
    this.ledger.settle(site);
  }

  /** Deleted or expired: gives the slot back, turns `removing`, and is gone after `removalMs`. */
  startRemoval(code: CodeState, lock: LockState): void {
    const site = this.s.sites.get(code.siteId)!;
    this.ledger.release(code, site);
    code.status = 'removing';
    dropDelayWarning(code);
    const delay = this.rt.draw(this.s.config.timings.removalMs, code.onDevice ? this.rt.hubFactor(lock) : 1);
    this.rt.schedule(this.s.nowMs + delay, 'remove', code.accessCodeId);
  }

  /** The lock's hub came back: the work it parked (programming, removal) is scheduled again. */
  resumeParked(lock: LockState): void {
    const t = this.s.nowMs;
    const timings = this.s.config.timings;
    const parked = lock.parked;
    lock.parked = [];
    for (const w of parked) {
      const range = w.kind === 'program' ? timings.programmingMs : timings.removalMs;
      this.rt.schedule(t + this.rt.draw(range, this.rt.hubFactor(lock)), w.kind, w.codeId);
    }
  }

  /** Runs a code transition (`load`, `assign_pin`, `program`, `activate`, `expire`, `remove`). */
  handle(tr: QueuedTransition): void {
    const s = this.s;
    const code = s.codes.get(tr.target);
    if (!code) return;
    const lock = s.locks.get(code.deviceId)!;
    const site = s.sites.get(code.siteId)!;
    switch (tr.kind) {
      // `load`, `activate` and `expire` are due at an instant of the code's window; an update
      // that moved the window leaves the old ones queued, and they are ignored here.
      case 'load':
        if (
          code.status !== 'removing' &&
          !code.loaded &&
          code.startsAt !== null &&
          tr.at === code.startsAt - site.slotLeadTimeMs
        )
          this.load(code, site, lock);
        return;
      case 'assign_pin':
        if (code.code === null && code.loaded && code.status !== 'removing') this.assignPin(code, site);
        return;
      case 'program':
        this.program(code, site, lock);
        return;
      case 'activate':
        if (
          code.status === 'unset' &&
          code.isScheduledOnDevice &&
          code.holdsSlot &&
          tr.at === code.startsAt
        ) {
          code.status = 'set';
          this.rt.emit('access_code.set_on_device', lock.connectedAccountId, {
            deviceId: lock.deviceId,
            accessCodeId: code.accessCodeId,
            data: { code: code.code },
          });
        }
        return;
      case 'expire':
        if (code.status !== 'removing' && tr.at === code.endsAt) this.startRemoval(code, lock);
        return;
      case 'remove':
        this.remove(code, site, lock);
        return;
    }
  }

  /** Takes a slot if one is free (else the not-subscribed error) and starts PIN assignment + programming. */
  private load(code: CodeState, site: SiteState, lock: LockState): void {
    const t = this.s.nowMs;
    const timings = this.s.config.timings;
    code.loaded = true;
    if (this.ledger.take(code, site)) {
      if (code.type === 'time_bound' && code.startsAt! <= t) code.status = 'setting';
    } else {
      code.status = 'unset';
    }
    const pinAt = code.code === null ? t + this.rt.draw(timings.pinAssignmentMs) : t;
    if (code.code === null) this.rt.schedule(pinAt, 'assign_pin', code.accessCodeId);
    if (code.holdsSlot) {
      const programAt = Math.max(pinAt, t + this.rt.draw(timings.programmingMs, this.rt.hubFactor(lock)));
      this.rt.schedule(programAt, 'program', code.accessCodeId);
    }
  }

  private assignPin(code: CodeState, site: SiteState): void {
    const rng = this.s.rng;
    const taken = site.pins;
    let pin = randomDigits(rng, site.pinLength);
    for (let i = 0; taken.has(pin) && i < 10_000; i++) pin = randomDigits(rng, site.pinLength);
    if (taken.has(pin)) {
      code.errors.push({ kind: 'no_free_pin', since: this.s.nowMs });
      return;
    }
    code.code = pin;
    code.isWaitingForCodeAssignment = false;
    site.pins.add(pin);
  }

  private program(code: CodeState, site: SiteState, lock: LockState): void {
    const s = this.s;
    const t = s.nowMs;
    if (code.status === 'removing' || !code.holdsSlot || code.onDevice) return;
    if (lock.hubLink === 'offline') {
      lock.parked.push({ kind: 'program', codeId: code.accessCodeId });
      this.delayWarning(code, lock, 'hub_offline');
      return;
    }
    if (lock.hubLink === 'weak' && chance(s.rng, s.config.weakLink.failureProbability)) {
      this.delayWarning(code, lock, 'weak_link');
      this.rt.schedule(
        t + Math.max(1, this.rt.draw(s.config.timings.programmingMs, this.rt.hubFactor(lock))),
        'program',
        code.accessCodeId,
      );
      return;
    }
    if (code.code === null) this.assignPin(code, site);
    code.onDevice = true;
    dropDelayWarning(code);
    const acc = lock.connectedAccountId;
    const fields = { deviceId: lock.deviceId, accessCodeId: code.accessCodeId, data: { code: code.code } };
    if (code.type === 'time_bound' && t < code.startsAt!) {
      code.isScheduledOnDevice = true;
      code.status = 'unset';
      this.rt.emit('access_code.scheduled_on_device', acc, fields);
      this.rt.schedule(code.startsAt!, 'activate', code.accessCodeId);
    } else {
      code.status = 'set';
      this.rt.emit('access_code.set_on_device', acc, fields);
    }
  }

  private delayWarning(code: CodeState, lock: LockState, cause: 'hub_offline' | 'weak_link'): void {
    if (code.warnings.some((w) => w.kind === 'programming_delayed')) return;
    code.warnings.push({ kind: 'programming_delayed', cause, since: this.s.nowMs });
    this.rt.emit('access_code.delay_in_setting_on_device', lock.connectedAccountId, {
      deviceId: lock.deviceId,
      accessCodeId: code.accessCodeId,
    });
  }

  /** The removal step: off the lock (parked while the hub is offline, retried on a weak link), then gone. */
  private remove(code: CodeState, site: SiteState, lock: LockState): void {
    const s = this.s;
    const t = s.nowMs;
    if (code.status !== 'removing') return;
    if (code.onDevice) {
      if (lock.hubLink === 'offline') {
        lock.parked.push({ kind: 'remove', codeId: code.accessCodeId });
        if (!code.warnings.some((w) => w.kind === 'removal_delayed')) {
          code.warnings.push({ kind: 'removal_delayed', since: t });
          this.rt.emit('access_code.delay_in_removing_from_device', lock.connectedAccountId, {
            deviceId: lock.deviceId,
            accessCodeId: code.accessCodeId,
          });
        }
        return;
      }
      if (lock.hubLink === 'weak' && chance(s.rng, s.config.weakLink.failureProbability)) {
        this.rt.schedule(
          t + Math.max(1, this.rt.draw(s.config.timings.removalMs, this.rt.hubFactor(lock))),
          'remove',
          code.accessCodeId,
        );
        return;
      }
    }
    s.codes.delete(code.accessCodeId);
    if (code.code !== null) site.pins.delete(code.code);
    if (code.onDevice)
      this.rt.emit('access_code.removed_from_device', lock.connectedAccountId, {
        deviceId: lock.deviceId,
        accessCodeId: code.accessCodeId,
      });
    if (!code.deleteRequested)
      this.rt.emit('access_code.deleted', lock.connectedAccountId, {
        deviceId: lock.deviceId,
        accessCodeId: code.accessCodeId,
        data: { code: code.code },
      });
  }
}
