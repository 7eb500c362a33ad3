import type { Grant, GrantRequest } from './grant.js';
import type { GrantState } from './grant-decision.js';
import type { Lock } from './lock.js';
import { type AccessPolicy, DEFAULT_POLICY } from './policy.js';
import type { Site } from './site.js';
import { SlotPlan } from './slot-plan.js';
import { DAY_MS, HOUR_MS } from './time.js';

/** Well-formed inputs of the grant and unlock decisions, for their specs; `over` replaces fields. */

/** 2026-06-01T00:00:00Z */
export const NOW = 1_780_272_000_000;

export const site = (over: Partial<Site> = {}): Site => ({
  id: 'site-1',
  name: 'Main office',
  slotLimit: 10,
  timeZone: 'Europe/Madrid',
  slotLeadTimeMs: 72 * HOUR_MS,
  hasCustomPinSubscription: false,
  ...over,
});

export const lock = (id: string, over: Partial<Lock> = {}): Lock => ({
  id,
  siteId: 'site-1',
  name: `Door ${id}`,
  hubLink: 'good',
  capabilities: { remoteUnlock: true, accessCodes: true },
  modes: { privacy: false, office: false },
  ...over,
});

export const request = (over: Partial<GrantRequest> = {}): GrantRequest => ({
  key: 'booking-1',
  holder: 'alice',
  siteId: 'site-1',
  lockIds: ['L1'],
  window: { kind: 'ongoing' },
  ...over,
});

export const state = (over: Partial<GrantState> = {}): GrantState => ({
  site: site(),
  locks: [lock('L1'), lock('L2')],
  plan: new SlotPlan(),
  unmanagedHeld: 0,
  now: NOW,
  ...over,
});

export const policy = (over: Partial<AccessPolicy> = {}): AccessPolicy => ({ ...DEFAULT_POLICY, ...over });

export const grant = (over: Partial<Grant> = {}): Grant => ({
  key: 'booking-1',
  holder: 'alice',
  siteId: 'site-1',
  lockIds: ['L1'],
  window: { kind: 'ongoing' },
  createdAt: NOW - DAY_MS,
  revokedAt: null,
  version: 1,
  ...over,
});
