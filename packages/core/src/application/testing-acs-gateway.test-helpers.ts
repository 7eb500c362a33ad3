import {
  type AccessGrantId,
  accessGrantKeyFor,
  type Door,
  type DoorId,
  grantKeyOfAccessGrantKey,
  type ProviderAccessGrant,
} from '../domain/access-grant.js';
import type { GrantKey } from '../domain/grant.js';
import type { HubLink } from '../domain/lock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Site, SiteId } from '../domain/site.js';
import { type AccessWindow, windowContains, windowEnded } from '../domain/time.js';
import type { AccessGrantGateway, CreateAccessGrantInput } from '../ports/access-grant-gateway.js';
import type { Clock } from '../ports/clock.js';
import type { GatewayFailure, GatewayFailureCode, ProviderSlotUsage } from '../ports/lock-gateway.js';
import type { Fault } from './testing-gateway.test-helpers.js';

/**
 * A small, scripted `AccessGrantGateway` for the use-case tests (core must not depend on the
 * simulator). Honest where the use cases care, as Salto KS's ACS integration behaves:
 * - an access grant is ONE Salto user: it holds ONE slot of its site inside its window, however
 *   many doors it opens; a grant whose window has not started is `not_subscribed` and holds none;
 * - when a grant starts holding (at creation, or at `startsAt`) and the site is full, Salto
 *   refuses it: it carries `slot_limit_reached` and never holds a slot;
 * - the shared PIN is generated `pinDelayMs` of Clock time after creation;
 * - a second create with the same key is refused (`access_grant_exists`);
 * - faults are scripted per operation: fail before acting, or act and lose the reply.
 */
export type FakeAcsOperation =
  | 'listSites'
  | 'getSlotUsage'
  | 'listDoors'
  | 'createAccessGrant'
  | 'getAccessGrant'
  | 'findAccessGrant'
  | 'listAccessGrants'
  | 'deleteAccessGrant';

interface StoredGrant {
  readonly id: AccessGrantId;
  /** Seam's `access_grant_key` as sent. */
  readonly accessGrantKey: string;
  readonly siteId: SiteId;
  readonly doorIds: readonly DoorId[];
  readonly window: AccessWindow;
  readonly methods: CreateAccessGrantInput['methods'];
  readonly createdAt: number;
  readonly pin: string;
  /** `null` until the grant starts holding (then: refused at the limit or not). */
  refused: boolean | null;
}

export class FakeAccessGrantGateway implements AccessGrantGateway {
  private readonly sites = new Map<SiteId, Site>();
  private readonly doors = new Map<DoorId, Door>();
  private readonly grants = new Map<AccessGrantId, StoredGrant>();
  private readonly faults: { op: FakeAcsOperation; fault: Fault }[] = [];
  private readonly hooks: { op: FakeAcsOperation; run: () => void }[] = [];
  /** Salto users of the site that are not access grants (other apps, lock-integration codes). */
  private readonly others = new Map<SiteId, number>();
  private seq = 0;
  /** Every call, in order. */
  readonly calls: FakeAcsOperation[] = [];
  private readonly clock: Clock;
  private readonly pinDelayMs: number;

  constructor(options: { readonly clock: Clock; readonly pinDelayMs?: number }) {
    this.clock = options.clock;
    this.pinDelayMs = options.pinDelayMs ?? 2000;
  }

  // ---- control ------------------------------------------------------------------------------

  /** Adds a site (as an ACS: `slotCostModel: 'user_per_grant'`) and its doors. */
  addSite(site: Site, doors: readonly Door[] = []): this {
    this.sites.set(site.id, { ...site, slotCostModel: 'user_per_grant' });
    for (const d of doors) this.doors.set(d.id, d);
    return this;
  }

  setSlotLimit(siteId: SiteId, slotLimit: number): void {
    const s = this.sites.get(siteId);
    if (!s) throw new Error(`fake: no site ${siteId}`);
    this.sites.set(siteId, { ...s, slotLimit });
  }

  setHubLink(doorId: DoorId, hubLink: HubLink): void {
    const d = this.doors.get(doorId);
    if (!d) throw new Error(`fake: no door ${doorId}`);
    this.doors.set(doorId, { ...d, hubLink });
  }

  /** Salto users of another app (or the lock integration) on the site: they hold slots too. */
  setOtherUsers(siteId: SiteId, n: number): void {
    this.others.set(siteId, n);
  }

  /** An access grant made by another app (no keyslot key): holds a slot, never touched by keyslot. */
  addForeignGrant(siteId: SiteId, doorIds: readonly DoorId[], accessGrantKey = 'other-app-1'): AccessGrantId {
    return this.store({ accessGrantKey, siteId, doorIds, window: { kind: 'ongoing' }, methods: ['code'] }).id;
  }

  /** Queues a fault for the next call of `op`. */
  inject(op: FakeAcsOperation, fault: Fault): this {
    this.faults.push({ op, fault });
    return this;
  }

  /** Runs `run` just before the next call of `op` acts (e.g. another app takes the last slot). */
  beforeNext(op: FakeAcsOperation, run: () => void): this {
    this.hooks.push({ op, run });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.hooks.length = 0;
  }

  /** Every access grant, as the provider holds it. */
  allGrants(): ProviderAccessGrant[] {
    this.start();
    return [...this.grants.values()].map((g) => this.view(g));
  }

  used(siteId: SiteId): number {
    this.start();
    return this.holding(siteId) + (this.others.get(siteId) ?? 0);
  }

  count(op: FakeAcsOperation): number {
    return this.calls.filter((c) => c === op).length;
  }

  // ---- AccessGrantGateway -------------------------------------------------------------------

  async listSites(): Promise<Result<readonly Site[], GatewayFailure>> {
    return this.call('listSites', () => ok([...this.sites.values()]));
  }

  async getSlotUsage(siteId: SiteId): Promise<Result<ProviderSlotUsage, GatewayFailure>> {
    return this.call('getSlotUsage', () => {
      const s = this.sites.get(siteId);
      return s ? ok({ siteId, used: this.used(siteId), limit: s.slotLimit }) : fail('site_not_found');
    });
  }

  async listDoors(siteId?: SiteId): Promise<Result<readonly Door[], GatewayFailure>> {
    return this.call('listDoors', () => {
      if (siteId !== undefined && !this.sites.has(siteId)) return fail('site_not_found');
      return ok([...this.doors.values()].filter((d) => siteId === undefined || d.siteId === siteId));
    });
  }

  async createAccessGrant(
    input: CreateAccessGrantInput,
  ): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    return this.call('createAccessGrant', () => {
      if (!this.sites.has(input.siteId)) return fail('site_not_found');
      if (input.doorIds.length === 0 || input.methods.length === 0) return fail('invalid_input');
      for (const id of input.doorIds)
        if (this.doors.get(id)?.siteId !== input.siteId) return fail('lock_not_found');
      if (windowEnded(input.window, this.clock.now())) return fail('invalid_input');
      const accessGrantKey = accessGrantKeyFor(input.key);
      if ([...this.grants.values()].some((g) => g.accessGrantKey === accessGrantKey))
        return fail('access_grant_exists');
      return ok(this.view(this.store({ ...input, accessGrantKey })));
    });
  }

  async getAccessGrant(id: AccessGrantId): Promise<Result<ProviderAccessGrant, GatewayFailure>> {
    return this.call('getAccessGrant', () => {
      const g = this.grants.get(id);
      return g ? ok(this.view(g)) : fail('access_grant_not_found');
    });
  }

  async findAccessGrant(key: GrantKey): Promise<Result<ProviderAccessGrant | null, GatewayFailure>> {
    return this.call('findAccessGrant', () => {
      const g = [...this.grants.values()].find((x) => x.accessGrantKey === accessGrantKeyFor(key));
      return ok(g ? this.view(g) : null);
    });
  }

  async listAccessGrants(siteId: SiteId): Promise<Result<readonly ProviderAccessGrant[], GatewayFailure>> {
    return this.call('listAccessGrants', () => {
      if (!this.sites.has(siteId)) return fail('site_not_found');
      return ok([...this.grants.values()].filter((g) => g.siteId === siteId).map((g) => this.view(g)));
    });
  }

  async deleteAccessGrant(id: AccessGrantId): Promise<Result<void, GatewayFailure>> {
    return this.call('deleteAccessGrant', () =>
      this.grants.delete(id) ? ok(undefined) : fail('access_grant_not_found'),
    );
  }

  // ---- internals ----------------------------------------------------------------------------

  private async call<T>(
    op: FakeAcsOperation,
    act: () => Result<T, GatewayFailure>,
  ): Promise<Result<T, GatewayFailure>> {
    this.calls.push(op);
    this.start();
    const h = this.hooks.findIndex((x) => x.op === op);
    if (h !== -1) this.hooks.splice(h, 1)[0]?.run();
    const i = this.faults.findIndex((f) => f.op === op);
    const fault = i === -1 ? undefined : this.faults.splice(i, 1)[0]?.fault;
    if (fault?.kind === 'fail') return fail(fault.code);
    const result = act();
    if (fault?.kind === 'lose_reply') return fail('outcome_unknown');
    return result;
  }

  /** Grants of the site holding their one slot now. */
  private holding(siteId: SiteId): number {
    const now = this.clock.now();
    return [...this.grants.values()].filter(
      (g) => g.siteId === siteId && g.refused === false && windowContains(g.window, now),
    ).length;
  }

  private startsAt(g: StoredGrant): number {
    return g.window.kind === 'ongoing' ? g.createdAt : Math.max(g.createdAt, g.window.startsAt);
  }

  /** Subscribes the grants whose window has started, in start order: refused if the site is full. */
  private start(): void {
    const now = this.clock.now();
    const due = [...this.grants.values()]
      .filter((g) => g.refused === null && this.startsAt(g) <= now)
      .sort((a, b) => this.startsAt(a) - this.startsAt(b) || a.createdAt - b.createdAt);
    for (const g of due) {
      const site = this.sites.get(g.siteId);
      g.refused =
        site === undefined || this.holding(g.siteId) + (this.others.get(g.siteId) ?? 0) >= site.slotLimit;
    }
  }

  private store(input: Omit<StoredGrant, 'id' | 'createdAt' | 'pin' | 'refused'>): StoredGrant {
    const n = ++this.seq;
    const g: StoredGrant = {
      ...input,
      doorIds: [...input.doorIds],
      id: `access-grant-${n}`,
      createdAt: this.clock.now(),
      pin: String(100000 + n),
      refused: null,
    };
    this.grants.set(g.id, g);
    this.start();
    return g;
  }

  private view(g: StoredGrant): ProviderAccessGrant {
    const now = this.clock.now();
    const pinReady = g.refused === false && now >= g.createdAt + this.pinDelayMs;
    const subscribed = g.refused === false && windowContains(g.window, now);
    return {
      id: g.id,
      key: grantKeyOfAccessGrantKey(g.accessGrantKey),
      siteId: g.siteId,
      doorIds: g.doorIds,
      window: g.window,
      methods: g.methods.map((mode, i) => ({
        id: `${g.id}-method-${i + 1}`,
        mode,
        pin: mode === 'code' && pinReady ? g.pin : null,
        issued: pinReady,
      })),
      issues: [
        ...(g.refused
          ? [
              {
                code: 'slot_limit_reached' as const,
                providerCode: 'salto_ks_subscription_limit_exceeded',
                message: 'The Salto KS site is at its subscription limit.',
              },
            ]
          : []),
        ...(subscribed
          ? []
          : [
              {
                code: 'not_subscribed' as const,
                providerCode: 'salto_ks_user_not_subscribed',
                message: 'The Salto site user is not subscribed.',
              },
            ]),
      ],
    };
  }
}

/** The failure the fake ACS answers with for `code` (injected or its own refusal). */
export const fakeAcsFailure = (code: GatewayFailureCode): GatewayFailure => ({
  code,
  message: `fake ACS provider: ${code.replaceAll('_', ' ')}`,
});

function fail(code: GatewayFailureCode): { ok: false; error: GatewayFailure } {
  return err(fakeAcsFailure(code));
}

/** A door of site-1 that takes codes, with a good link. */
export const testDoor = (id: DoorId, over: Partial<Door> = {}): Door => ({
  id,
  siteId: 'site-1',
  name: `Entrance ${id}`,
  hubLink: 'good',
  capabilities: { remoteUnlock: false, accessCodes: true },
  modes: { privacy: false, office: false },
  accessMethods: ['code', 'mobile_key'],
  ...over,
});
