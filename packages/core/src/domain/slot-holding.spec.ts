import { describe, expect, it } from 'vitest';
import {
  type AccessCode,
  isNotSubscribedProviderCode,
  NOT_SUBSCRIBED_PROVIDER_CODES,
} from './access-code.js';
import { codeHoldsSlot, holdsSlotAt, slotCostModelOf } from './slot-holding.js';
import { HOUR_MS } from './time.js';

const site = { slotLeadTimeMs: 72 * HOUR_MS };
const startsAt = 1000 * HOUR_MS;
const endsAt = startsAt + 24 * HOUR_MS;
const scheduled = { kind: 'scheduled', startsAt, endsAt } as const;

const code = (over: Partial<AccessCode> = {}): AccessCode => ({
  id: 'c1',
  lockId: 'L1',
  name: 'keyslot:g1',
  pin: null,
  status: 'set',
  window: scheduled,
  issues: [],
  ...over,
});

describe('slotCostModelOf', () => {
  it('puts a site that names no cost model on the lock integration, and keeps one it names', () => {
    expect(slotCostModelOf(site)).toBe('code_per_lock');
    expect(slotCostModelOf({ ...site, slotCostModel: 'user_per_grant' })).toBe('user_per_grant');
  });
});

describe('holdsSlotAt', () => {
  it('holds from the lead time before the start, up to but not at the end', () => {
    expect(holdsSlotAt(site, scheduled, 0, startsAt - 72 * HOUR_MS - 1)).toBe(false);
    expect(holdsSlotAt(site, scheduled, 0, startsAt - 72 * HOUR_MS)).toBe(true);
    expect(holdsSlotAt(site, scheduled, 0, endsAt - 1)).toBe(true);
    expect(holdsSlotAt(site, scheduled, 0, endsAt)).toBe(false);
  });

  it('holds nothing before the code was created', () => {
    expect(holdsSlotAt(site, { kind: 'ongoing' }, 500, 499)).toBe(false);
    expect(holdsSlotAt(site, { kind: 'ongoing' }, 500, 500)).toBe(true);
  });
});

describe('codeHoldsSlot (a code seen at the provider)', () => {
  it('counts an ongoing code at any time', () => {
    expect(codeHoldsSlot(code({ window: { kind: 'ongoing' } }), site, 0)).toBe(true);
  });

  it('counts a scheduled code only inside its holding interval', () => {
    expect(codeHoldsSlot(code(), site, startsAt - 72 * HOUR_MS - 1)).toBe(false);
    expect(codeHoldsSlot(code(), site, startsAt - 72 * HOUR_MS)).toBe(true);
    expect(codeHoldsSlot(code(), site, endsAt)).toBe(false);
  });

  it('does not count a code refused for the slot limit, but does count one with another issue', () => {
    const refused = {
      code: 'slot_limit_reached',
      providerCode: 'access_code_inactive',
      message: 'm',
    } as const;
    const offline = { code: 'hub_offline', providerCode: 'hub_disconnected', message: 'm' } as const;
    expect(codeHoldsSlot(code({ window: { kind: 'ongoing' }, issues: [refused] }), site, 0)).toBe(false);
    expect(codeHoldsSlot(code({ window: { kind: 'ongoing' }, issues: [offline] }), site, 0)).toBe(true);
  });
});

describe('the not-subscribed provider codes', () => {
  it('are the three names Seam has used, and nothing else', () => {
    expect([...NOT_SUBSCRIBED_PROVIDER_CODES].sort()).toEqual([
      'access_code_inactive',
      'salto_ks_user_not_subscribed',
      'salto_site_user_not_subscribed',
    ]);
    for (const name of NOT_SUBSCRIBED_PROVIDER_CODES) expect(isNotSubscribedProviderCode(name)).toBe(true);
    expect(isNotSubscribedProviderCode('salto_ks_subscription_limit_exceeded')).toBe(false);
    expect(isNotSubscribedProviderCode(undefined)).toBe(false);
  });
});
