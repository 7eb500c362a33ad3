import { describe, expect, it } from 'vitest';
import { grantKeyOf } from './access-code.js';

describe('grantKeyOf (the grant key in a code name)', () => {
  it('finds none in a code without a name, or one not made by keyslot', () => {
    expect(grantKeyOf(null)).toBe(null);
    expect(grantKeyOf(undefined)).toBe(null);
    expect(grantKeyOf('Front desk')).toBe(null);
    expect(grantKeyOf('keyslot:g1 Jane')).toBe('g1');
  });
});
