import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { requirePolicy } from './deps.js';
import { InvalidPolicyError } from './errors.js';

describe('requirePolicy', () => {
  it('returns a valid policy as parsed', () => {
    expect(requirePolicy({ policy: DEFAULT_POLICY }, 'GrantAccess')).toEqual(DEFAULT_POLICY);
  });

  it("throws InvalidPolicyError naming the use case, the policy's problem and how to build one", () => {
    const bad = { ...DEFAULT_POLICY, remoteUnlock: 'everyone' } as unknown as typeof DEFAULT_POLICY;
    let thrown: unknown;
    try {
      requirePolicy({ policy: bad }, 'UnlockDoor');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidPolicyError);
    const message = (thrown as InvalidPolicyError).message;
    expect(message.startsWith('UnlockDoor: ')).toBe(true);
    expect(message).toContain('remoteUnlock');
    expect(
      message.endsWith(' Build the policy with parsePolicy (or let createKeyslotContainer do it).'),
    ).toBe(true);
  });
});
