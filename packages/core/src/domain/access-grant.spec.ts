import { describe, expect, it } from 'vitest';
import {
  accessGrantKeyFor,
  grantKeyOfAccessGrantKey,
  isRefusedAtLimit,
  type ProviderAccessGrant,
  pinOf,
} from './access-grant.js';

describe('access grant keys', () => {
  it('carry the keyslot grant key behind the keyslot prefix, both ways', () => {
    expect(accessGrantKeyFor('booking-1')).toBe('keyslot:booking-1');
    expect(grantKeyOfAccessGrantKey(accessGrantKey('booking-1'))).toBe('booking-1');
  });

  it('are not keyslot’s without the prefix, with a label, or with a bad key', () => {
    for (const k of [
      null,
      undefined,
      '',
      'booking-1',
      'other:booking-1',
      'keyslot:',
      'keyslot:a b',
      'keyslot:ä',
    ])
      expect(grantKeyOfAccessGrantKey(k), String(k)).toBe(null);
  });
});

const accessGrantKey = (k: string): string => accessGrantKeyFor(k);

const grant = (over: Partial<ProviderAccessGrant>): ProviderAccessGrant => ({
  id: 'ag-1',
  key: 'booking-1',
  siteId: 'site-1',
  doorIds: ['d1', 'd2'],
  window: { kind: 'ongoing' },
  methods: [],
  issues: [],
  ...over,
});

describe('provider access grants', () => {
  it('are refused at the limit only with the slot_limit_reached issue', () => {
    expect(isRefusedAtLimit(grant({}))).toBe(false);
    const issue = (code: 'slot_limit_reached' | 'not_subscribed') => ({
      code,
      providerCode: code,
      message: '',
    });
    expect(isRefusedAtLimit(grant({ issues: [issue('not_subscribed')] }))).toBe(false);
    expect(isRefusedAtLimit(grant({ issues: [issue('not_subscribed'), issue('slot_limit_reached')] }))).toBe(
      true,
    );
  });

  it('show the code method’s PIN once generated, never a mobile key’s', () => {
    expect(pinOf(grant({}))).toBe(null);
    expect(pinOf(grant({ methods: [{ id: 'm1', mode: 'code', pin: null, issued: false }] }))).toBe(null);
    expect(
      pinOf(
        grant({
          methods: [
            { id: 'm2', mode: 'mobile_key', pin: null, issued: true },
            { id: 'm1', mode: 'code', pin: '123456', issued: true },
          ],
        }),
      ),
    ).toBe('123456');
    // Only the code method's: a PIN on another method (which Seam never sends) is not the grant's.
    expect(
      pinOf(
        grant({
          methods: [
            { id: 'm2', mode: 'mobile_key', pin: '999999', issued: true },
            { id: 'm1', mode: 'code', pin: '123456', issued: true },
          ],
        }),
      ),
    ).toBe('123456');
  });
});
