/**
 * The shared failures, as a user reads them: each names what failed, on what, and what to do.
 * Where each arises in a use case is tested with that use case (e.g. grant-admission.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AccessPolicy } from '../domain/policy.js';
import type { GatewayFailure } from '../ports/lock-gateway.js';
import { grantNotFound, InvalidPolicyError, providerFailed, siteNotFound } from './errors.js';
import { GrantAccess } from './grant-access.js';
import { makeWorld } from './use-cases.test-helpers.js';

const limited: GatewayFailure = { code: 'rate_limited', message: 'Too many requests.', requestId: 'req-7' };
const unset: GatewayFailure = { code: 'not_configured', message: 'Set SEAM_API_KEY to your Seam API key.' };

describe('providerFailed', () => {
  it.each([
    {
      operation: 'getLock',
      target: { lockId: 'L1' },
      todo: undefined,
      message:
        'The lock provider failed getLock for lock "L1" (rate_limited: Too many requests.); retry later; nothing was half-done.',
    },
    {
      operation: 'listSites',
      target: { siteId: 'site-1' },
      todo: undefined,
      message:
        'The lock provider failed listSites for site "site-1" (rate_limited: Too many requests.); retry later; nothing was half-done.',
    },
    {
      // The lock is the more precise target.
      operation: 'getLock',
      target: { siteId: 'site-1', lockId: 'L1' },
      todo: undefined,
      message:
        'The lock provider failed getLock for lock "L1" (rate_limited: Too many requests.); retry later; nothing was half-done.',
    },
    {
      operation: 'listDoors',
      target: {},
      todo: 'the door was not opened; try again',
      message:
        'The lock provider failed listDoors (rate_limited: Too many requests.); the door was not opened; try again.',
    },
  ])('names the operation, the target ($target) and what to do', ({ operation, target, todo, message }) => {
    expect(providerFailed(operation, limited, target, todo)).toEqual({
      code: 'provider_failed',
      message,
      operation,
      failure: limited,
      ...target,
    });
  });

  it('leaves the target out when there is none', () => {
    expect(providerFailed('listDoors', limited)).toEqual({
      code: 'provider_failed',
      message:
        'The lock provider failed listDoors (rate_limited: Too many requests.); retry later; nothing was half-done.',
      operation: 'listDoors',
      failure: limited,
    });
  });

  it.each([
    { target: { lockId: 'L1' }, on: ' for lock "L1"' },
    { target: { siteId: 'site-1' }, on: ' for site "site-1"' },
    { target: {}, on: '' },
  ])('a provider not configured says what to set, never "retry" ($on)', ({ target, on }) => {
    expect(providerFailed('listSites', unset, target, 'retry later')).toEqual({
      code: 'provider_failed',
      message: `The lock provider is not configured for listSites${on}: Set SEAM_API_KEY to your Seam API key.`,
      operation: 'listSites',
      failure: unset,
      ...target,
    });
  });
});

describe('the not-found failures', () => {
  it('siteNotFound names the site and says where to connect it', () => {
    expect(siteNotFound('site-9')).toEqual({
      code: 'site_not_found',
      message:
        'Site "site-9" is not one of the Salto KS sites the provider knows; check the site id, or connect the site\'s Salto KS account in Seam.',
      siteId: 'site-9',
    });
  });

  it('grantNotFound names the key and how grants are found', () => {
    expect(grantNotFound('booking-9')).toEqual({
      code: 'grant_not_found',
      message:
        'No grant has the key "booking-9"; check the key (grants are found by the key given when access was granted).',
      key: 'booking-9',
    });
  });
});

describe('InvalidPolicyError', () => {
  it('carries its code and name, so a caller and a stack trace can tell it from other errors', () => {
    const w = makeWorld();
    const bad = { ...w.policy, reservedSlots: -1 } as AccessPolicy;
    let thrown: unknown;
    try {
      new GrantAccess({ ...w, policy: bad });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidPolicyError);
    const e = thrown as InvalidPolicyError;
    expect(e.code).toBe('invalid_policy');
    expect(e.name).toBe('InvalidPolicyError');
    expect(String(e)).toMatch(/^InvalidPolicyError: GrantAccess: /);
    expect(e.issues.map((i) => i.field)).toEqual(['reservedSlots']);
  });
});
