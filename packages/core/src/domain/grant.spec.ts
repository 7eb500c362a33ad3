import { describe, expect, it } from 'vitest';
import { type AccessCode, isNotSubscribed } from './access-code.js';
import { type Grant, holdsPlannedSlots, isCleanupPending, parseGrantRequest } from './grant.js';
import type { Site } from './site.js';
import { planForGrants } from './slot-plan.js';

const valid = {
  key: 'booking-1',
  holder: 'alice',
  siteId: 'site-1',
  lockIds: ['L1', 'L2'],
  window: { kind: 'ongoing' },
};

/** The fields named by a refusal (in order), or `[]` when the request was accepted. */
const fields = (input: unknown): string[] => {
  const r = parseGrantRequest(input);
  return r.ok ? [] : r.error.issues.map((i) => i.field);
};
const messages = (input: unknown): string[] => {
  const r = parseGrantRequest(input);
  return r.ok ? [] : r.error.issues.map((i) => i.message);
};

describe('parseGrantRequest', () => {
  it('accepts a well-formed request and copies the lock ids', () => {
    const r = parseGrantRequest(valid);
    expect(r).toEqual({ ok: true, value: valid });
    if (r.ok) expect(r.value.lockIds).not.toBe(valid.lockIds);
  });

  it('refuses a non-object, naming the request', () => {
    expect(fields(null)).toEqual(['request']);
    expect(fields('booking-1')).toEqual(['request']);
    expect(messages(null)).toEqual(['must be an object']);
  });

  it('names the key when it is missing, too long or has characters a code name cannot carry', () => {
    expect(fields({ ...valid, key: undefined })).toEqual(['key']);
    expect(fields({ ...valid, key: 'a'.repeat(65) })).toEqual(['key']);
    expect(fields({ ...valid, key: 'a'.repeat(64) })).toEqual([]);
    expect(fields({ ...valid, key: 'has space' })).toEqual(['key']);
    expect(messages({ ...valid, key: 'has space' })).toEqual([
      'must be 1–64 characters of A–Z, a–z, 0–9, "_", "-", ".", ":"',
    ]);
  });

  it('names a blank holder or site id (whitespace only counts as blank)', () => {
    expect(fields({ ...valid, holder: '' })).toEqual(['holder']);
    expect(fields({ ...valid, holder: '   ' })).toEqual(['holder']);
    expect(fields({ ...valid, holder: 7 })).toEqual(['holder']);
    expect(fields({ ...valid, siteId: ' ' })).toEqual(['siteId']);
    expect(fields({ ...valid, siteId: '' })).toEqual(['siteId']);
    expect(messages({ ...valid, holder: ' ' })).toEqual(['must be a non-empty string']);
    expect(messages({ ...valid, siteId: ' ' })).toEqual(['must be a non-empty string']);
  });

  it('names lockIds when empty, when any one id is blank, or when a lock is listed twice', () => {
    expect(messages({ ...valid, lockIds: [] })).toEqual(['must list at least one lock id']);
    expect(messages({ ...valid, lockIds: 'L1' })).toEqual(['must list at least one lock id']);
    // One blank id among good ones is enough to refuse (not only when all are blank).
    expect(messages({ ...valid, lockIds: ['L1', ''] })).toEqual(['must contain only non-empty strings']);
    expect(messages({ ...valid, lockIds: ['', 'L1'] })).toEqual(['must contain only non-empty strings']);
    expect(messages({ ...valid, lockIds: ['L1', 3] })).toEqual(['must contain only non-empty strings']);
    expect(messages({ ...valid, lockIds: ['L1', 'L2', 'L1'] })).toEqual([
      'must not list the same lock twice',
    ]);
    expect(fields({ ...valid, lockIds: ['L1', 'L1'] })).toEqual(['lockIds']);
    expect(fields({ ...valid, lockIds: ['L1', ''] })).toEqual(['lockIds']);
  });

  it('names every bad field at once, in field order, with the window issues last', () => {
    expect(
      fields({
        key: '',
        holder: '',
        siteId: '',
        lockIds: [],
        window: { kind: 'scheduled', startsAt: 2, endsAt: 1 },
      }),
    ).toEqual(['key', 'holder', 'siteId', 'lockIds', 'window.endsAt']);
    const r = parseGrantRequest({ ...valid, holder: '' });
    expect(!r.ok && r.error.message).toBe('Invalid input: holder: must be a non-empty string.');
  });
});

describe('grant lifecycle predicates', () => {
  const g = (over: Partial<Grant>): Grant => ({
    key: 'g',
    holder: 'h',
    siteId: 's',
    lockIds: ['L1'],
    window: { kind: 'ongoing' },
    createdAt: 0,
    revokedAt: null,
    version: 1,
    ...over,
  });

  it('a live grant holds its planned slots and has no cleanup pending', () => {
    expect(holdsPlannedSlots(g({}))).toBe(true);
    expect(isCleanupPending(g({}))).toBe(false);
  });

  it('a revoked grant holds them until cleanedUpAt is recorded (absent or null counts as not yet)', () => {
    expect(holdsPlannedSlots(g({ revokedAt: 5 }))).toBe(true);
    expect(isCleanupPending(g({ revokedAt: 5, cleanedUpAt: null }))).toBe(true);
    expect(holdsPlannedSlots(g({ revokedAt: 5, cleanedUpAt: 6 }))).toBe(false);
    expect(isCleanupPending(g({ revokedAt: 5, cleanedUpAt: 6 }))).toBe(false);
  });
});

describe('isNotSubscribed', () => {
  const code = (issueCodes: AccessCode['issues'][number]['code'][]): AccessCode => ({
    id: 'c',
    lockId: 'L1',
    name: 'keyslot:g',
    pin: null,
    status: 'unset',
    window: { kind: 'ongoing' },
    issues: issueCodes.map((c) => ({ code: c, providerCode: c, message: c })),
  });

  it('is true only for a code carrying slot_limit_reached, whatever else it carries', () => {
    expect(isNotSubscribed(code(['slot_limit_reached']))).toBe(true);
    expect(isNotSubscribed(code(['hub_offline', 'slot_limit_reached']))).toBe(true);
    expect(isNotSubscribed(code([]))).toBe(false);
    for (const other of ['hub_offline', 'failed_to_set', 'failed_to_remove', 'provider_issue'] as const)
      expect(isNotSubscribed(code([other]))).toBe(false);
  });
});

describe('planForGrants and grants without locks', () => {
  const site: Site = {
    id: 'site-1',
    name: 'S',
    slotLimit: 3,
    timeZone: 'UTC',
    slotLeadTimeMs: 0,
    hasCustomPinSubscription: false,
  };

  it('leaves out a grant with no locks (it holds nothing) instead of failing', () => {
    const grants: Grant[] = [
      {
        key: 'empty',
        holder: 'h',
        siteId: 'site-1',
        lockIds: [],
        window: { kind: 'ongoing' },
        createdAt: 0,
        revokedAt: null,
        version: 1,
      },
    ];
    const plan = planForGrants(site, grants, 10);
    expect(plan.size).toBe(0);
    expect(plan.heldAt(10)).toBe(0);
  });
});
