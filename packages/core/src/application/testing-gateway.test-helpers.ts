import { type AccessCode, type AccessCodeId, isNotSubscribed } from '../domain/access-code.js';
import type { HubLink, Lock, LockId } from '../domain/lock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import { holdingInterval, holdsSlotAt } from '../domain/slot-holding.js';
import type { Clock } from '../ports/clock.js';
import type {
  CreateAccessCodeInput,
  GatewayFailure,
  GatewayFailureCode,
  LockGateway,
  ProviderSlotUsage,
  UnlockAttempt,
} from '../ports/lock-gateway.js';

/**
 * A small, scripted LockGateway for the use-case tests (core must not depend on the simulator).
 * Honest where the use cases care:
 * - one live code = one user slot of its lock's site, from creation until deletion (a
 *   simplification: Salto loads time-bound codes only 72 h ahead; counting them from creation
 *   is stricter, so the fake refuses at least what Salto would). With `scheduledLoading`, a
 *   scheduled code holds its slot as Salto's does instead: from `startsAt − slotLeadTimeMs`
 *   until `endsAt`, and is refused at the limit (if full) when it loads, not when it is created;
 * - at the limit a create still makes the code, but with the `slot_limit_reached` issue and no
 *   slot, as Salto does ("user not subscribed");
 * - an offline hub refuses creates and unlocks with `hub_offline` and changes nothing;
 * - PINs are assigned `pinDelayMs` of Clock time after creation;
 * - faults are scripted per operation: fail before acting, or act and lose the reply.
 */
export type FakeOperation =
  | 'listSites'
  | 'getSlotUsage'
  | 'listLocks'
  | 'getLock'
  | 'createAccessCode'
  | 'getAccessCode'
  | 'listAccessCodes'
  | 'deleteAccessCode'
  | 'unlock'
  | 'getUnlockAttempt';

export type Fault =
  /** Refuse before acting. */
  | { readonly kind: 'fail'; readonly code: GatewayFailureCode }
  /** Act, then lose the reply (`outcome_unknown`): Seam's "timeout after commit". */
  | { readonly kind: 'lose_reply' };

interface StoredCode {
  readonly id: AccessCodeId;
  readonly lockId: LockId;
  readonly name: string;
  readonly window: AccessCode['window'];
  readonly createdAt: number;
  readonly pin: string;
  /** `null`: a scheduled code not loaded yet (`scheduledLoading`): refused or not is decided at load. */
  refused: boolean | null;
}

interface StoredAttempt {
  readonly id: string;
  readonly lockId: LockId;
  pollsLeft: number;
  readonly outcome: 'success' | 'error';
}

export interface FakeGatewayOptions {
  readonly clock: Clock;
  /** Clock time between creating a code and Salto assigning its PIN. Default 2000 ms. */
  readonly pinDelayMs?: number;
  /**
   * Scheduled codes hold their slot only from `startsAt − site.slotLeadTimeMs` to `endsAt`, and
   * Salto's refusal at the limit happens when they load (as in Salto). Default false: every code
   * holds its slot from creation (stricter).
   */
  readonly scheduledLoading?: boolean;
}

export class FakeLockGateway implements LockGateway {
  private readonly sites = new Map<SiteId, Site>();
  private readonly locks = new Map<LockId, Lock>();
  private readonly codes = new Map<AccessCodeId, StoredCode>();
  private readonly attempts = new Map<string, StoredAttempt>();
  private readonly faults: { op: FakeOperation; lockId: LockId | undefined; fault: Fault }[] = [];
  private readonly hooks: { op: FakeOperation; run: () => void }[] = [];
  private readonly unlockScripts = new Map<LockId, { polls: number; outcome: 'success' | 'error' }>();
  private seq = 0;
  /** Every call, in order, as `op` or `op:lockId` (for assertions such as "created once"). */
  readonly calls: string[] = [];
  private readonly clock: Clock;
  private readonly pinDelayMs: number;
  private readonly scheduledLoading: boolean;

  constructor(options: FakeGatewayOptions) {
    this.clock = options.clock;
    this.pinDelayMs = options.pinDelayMs ?? 2000;
    this.scheduledLoading = options.scheduledLoading ?? false;
  }

  // ---- control ------------------------------------------------------------------------------

  addSite(site: Site, locks: readonly Lock[] = []): this {
    this.sites.set(site.id, site);
    for (const l of locks) this.locks.set(l.id, l);
    return this;
  }

  setSlotLimit(siteId: SiteId, slotLimit: number): void {
    const s = this.sites.get(siteId);
    if (!s) throw new Error(`fake: no site ${siteId}`);
    this.sites.set(siteId, { ...s, slotLimit });
  }

  setHubLink(lockId: LockId, hubLink: HubLink): void {
    const l = this.locks.get(lockId);
    if (!l) throw new Error(`fake: no lock ${lockId}`);
    this.locks.set(lockId, { ...l, hubLink });
  }

  removeLock(lockId: LockId): void {
    this.locks.delete(lockId);
    for (const c of [...this.codes.values()]) if (c.lockId === lockId) this.codes.delete(c.id);
  }

  /** A code made by another app (not named by keyslot): holds a slot, never touched by keyslot. */
  addForeignCode(lockId: LockId, name = 'Cleaning staff'): AccessCodeId {
    return this.store(lockId, name, { kind: 'ongoing' }).id;
  }

  /** Queues a fault for the next call of `op` (optionally only for that lock). */
  inject(op: FakeOperation, fault: Fault, lockId?: LockId): this {
    this.faults.push({ op, lockId, fault });
    return this;
  }

  /** Drops every scripted fault and hook (the provider behaves from now on). */
  clearFaults(): void {
    this.faults.length = 0;
    this.hooks.length = 0;
  }

  /** Locks of all sites. */
  allLocks(): Lock[] {
    return [...this.locks.values()];
  }

  /** Runs `run` just before the next call of `op` acts (e.g. another app takes the last slot). */
  beforeNext(op: FakeOperation, run: () => void): this {
    this.hooks.push({ op, run });
    return this;
  }

  /** The next unlock of `lockId` stays pending for `polls` looks, then ends with `outcome`. */
  scriptUnlock(lockId: LockId, polls: number, outcome: 'success' | 'error'): void {
    this.unlockScripts.set(lockId, { polls, outcome });
  }

  /** All live codes, as the provider lists them. */
  allCodes(): AccessCode[] {
    this.load();
    return [...this.codes.values()].map((c) => this.view(c));
  }

  used(siteId: SiteId): number {
    this.load();
    return this.holding(siteId);
  }

  /** Codes of the site holding a slot now (refusals of codes due to load already decided). */
  private holding(siteId: SiteId): number {
    const now = this.clock.now();
    return [...this.codes.values()].filter(
      (c) => c.refused === false && this.locks.get(c.lockId)?.siteId === siteId && this.holdsAt(c, now),
    ).length;
  }

  /** The lead time of code `c`'s site. */
  private leadOf(c: StoredCode): { slotLeadTimeMs: number } {
    return { slotLeadTimeMs: this.sites.get(this.locks.get(c.lockId)?.siteId ?? '')?.slotLeadTimeMs ?? 0 };
  }

  /** When code `c` starts holding its slot (at creation without scheduled loading). */
  private loadAt(c: StoredCode): number {
    if (!this.scheduledLoading) return c.createdAt;
    return holdingInterval(this.leadOf(c), c.window, c.createdAt).from;
  }

  private holdsAt(c: StoredCode, t: number): boolean {
    if (!this.scheduledLoading) return true;
    return holdsSlotAt(this.leadOf(c), c.window, c.createdAt, t);
  }

  /** Loads the scheduled codes whose time has come, in load order: refused if the site is full. */
  private load(): void {
    const now = this.clock.now();
    const due = [...this.codes.values()]
      .filter((c) => c.refused === null && this.loadAt(c) <= now)
      .sort((a, b) => this.loadAt(a) - this.loadAt(b) || a.createdAt - b.createdAt);
    for (const c of due) {
      const siteId = this.locks.get(c.lockId)?.siteId;
      const site = siteId === undefined ? undefined : this.sites.get(siteId);
      c.refused = site === undefined || this.holding(site.id) >= site.slotLimit;
    }
  }

  count(op: FakeOperation): number {
    return this.calls.filter((c) => c === op || c.startsWith(`${op}:`)).length;
  }

  // ---- LockGateway --------------------------------------------------------------------------

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    return this.call('listSites', undefined, () => ok([...this.sites.values()]));
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    return this.call('getSlotUsage', undefined, () => {
      const s = this.sites.get(siteId);
      return s ? ok({ siteId, used: this.used(siteId), limit: s.slotLimit }) : fail('site_not_found');
    });
  }

  async listLocks(siteId?: SiteId): Promise<Result<readonly Lock[], GatewayFailure>> {
    return this.call('listLocks', undefined, () =>
      ok([...this.locks.values()].filter((l) => siteId === undefined || l.siteId === siteId)),
    );
  }

  async getLock(lockId: LockId): Promise<Result<Lock, GatewayFailure>> {
    return this.call('getLock', lockId, () => {
      const l = this.locks.get(lockId);
      return l ? ok(l) : fail('lock_not_found');
    });
  }

  async createAccessCode(input: CreateAccessCodeInput): Promise<Result<AccessCode, GatewayFailure>> {
    return this.call('createAccessCode', input.lockId, () => {
      const lock = this.locks.get(input.lockId);
      if (!lock) return fail('lock_not_found');
      if (!lock.capabilities.accessCodes) return fail('capability_missing');
      if (input.pin !== undefined) return fail('custom_pin_not_allowed');
      if (lock.hubLink === 'offline') return fail('hub_offline');
      return ok(this.view(this.store(input.lockId, input.name, input.window)));
    });
  }

  async getAccessCode(id: AccessCodeId): Promise<Result<AccessCode, GatewayFailure>> {
    return this.call('getAccessCode', undefined, () => {
      const c = this.codes.get(id);
      return c ? ok(this.view(c)) : fail('access_code_not_found');
    });
  }

  async listAccessCodes(lockId: LockId): Promise<Result<readonly AccessCode[], GatewayFailure>> {
    return this.call('listAccessCodes', lockId, () => {
      if (!this.locks.has(lockId)) return fail('lock_not_found');
      return ok([...this.codes.values()].filter((c) => c.lockId === lockId).map((c) => this.view(c)));
    });
  }

  async deleteAccessCode(id: AccessCodeId): Promise<Result<void, GatewayFailure>> {
    return this.call('deleteAccessCode', this.codes.get(id)?.lockId, () =>
      this.codes.delete(id) ? ok(undefined) : fail('access_code_not_found'),
    );
  }

  async unlock(lockId: LockId): Promise<Result<UnlockAttempt, GatewayFailure>> {
    return this.call('unlock', lockId, () => {
      const lock = this.locks.get(lockId);
      if (!lock) return fail('lock_not_found');
      if (!lock.capabilities.remoteUnlock) return fail('capability_missing');
      if (lock.hubLink === 'offline') return fail('hub_offline');
      if (lock.modes.privacy) return fail('privacy_mode');
      const script = this.unlockScripts.get(lockId) ?? { polls: 1, outcome: 'success' as const };
      const a: StoredAttempt = {
        id: `attempt-${++this.seq}`,
        lockId,
        pollsLeft: script.polls,
        outcome: script.outcome,
      };
      this.attempts.set(a.id, a);
      return ok(attemptView(a));
    });
  }

  async getUnlockAttempt(id: string): Promise<Result<UnlockAttempt, GatewayFailure>> {
    return this.call('getUnlockAttempt', undefined, () => {
      const a = this.attempts.get(id);
      if (!a) return fail('provider_issue');
      if (a.pollsLeft > 0) a.pollsLeft -= 1;
      return ok(attemptView(a));
    });
  }

  // ---- internals ----------------------------------------------------------------------------

  private async call<T>(
    op: FakeOperation,
    lockId: LockId | undefined,
    act: () => Result<T, GatewayFailure>,
  ): Promise<Result<T, GatewayFailure>> {
    this.calls.push(lockId ? `${op}:${lockId}` : op);
    this.load();
    const h = this.hooks.findIndex((x) => x.op === op);
    if (h !== -1) this.hooks.splice(h, 1)[0]?.run();
    const i = this.faults.findIndex((f) => f.op === op && (f.lockId === undefined || f.lockId === lockId));
    const fault = i === -1 ? undefined : this.faults.splice(i, 1)[0]?.fault;
    if (fault?.kind === 'fail') return fail(fault.code);
    const result = act();
    if (fault?.kind === 'lose_reply') return fail('outcome_unknown');
    return result;
  }

  private store(lockId: LockId, name: string, window: AccessCode['window']): StoredCode {
    const siteId = this.locks.get(lockId)?.siteId;
    const site = siteId === undefined ? undefined : this.sites.get(siteId);
    const n = ++this.seq;
    const now = this.clock.now();
    const code: StoredCode = {
      id: `code-${n}`,
      lockId,
      name,
      window,
      createdAt: now,
      pin: String(100000 + n),
      refused: null,
    };
    // Decided now when the code holds its slot from creation, else when it loads (see `load`).
    if (this.loadAt(code) <= now) code.refused = site === undefined || this.used(site.id) >= site.slotLimit;
    this.codes.set(code.id, code);
    return code;
  }

  private view(c: StoredCode): AccessCode {
    const assigned = !c.refused && this.clock.now() >= c.createdAt + this.pinDelayMs;
    return {
      id: c.id,
      lockId: c.lockId,
      name: c.name,
      window: c.window,
      pin: assigned ? c.pin : null,
      status: c.refused ? 'unset' : assigned ? 'set' : 'setting',
      issues: c.refused
        ? [
            {
              code: 'slot_limit_reached',
              providerCode: 'salto_site_user_not_subscribed',
              message: 'The Salto site user is not subscribed.',
            },
          ]
        : [],
    };
  }
}

/** The failure the fake answers with for `code` (injected or its own refusal). */
export const fakeFailure = (code: GatewayFailureCode): GatewayFailure => ({
  code,
  message: `fake provider: ${code.replaceAll('_', ' ')}`,
});

function fail(code: GatewayFailureCode): { ok: false; error: GatewayFailure } {
  return err(fakeFailure(code));
}

const attemptView = (a: StoredAttempt): UnlockAttempt => ({
  id: a.id,
  lockId: a.lockId,
  status: a.pollsLeft > 0 ? 'pending' : a.outcome,
  error:
    a.pollsLeft === 0 && a.outcome === 'error'
      ? { providerCode: 'lock_jammed', message: 'The lock is jammed.' }
      : null,
});

/** Codes the provider holds for keyslot that hold no slot (refused) — must never be left behind. */
export const refusedCodes = (g: FakeLockGateway): AccessCode[] => g.allCodes().filter(isNotSubscribed);

/** A sound site and lock (the domain's decision fixtures), `over` replacing fields. */
export { lock as testLock, site as testSite } from '../domain/decisions.test-helpers.js';
