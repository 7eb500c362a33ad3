import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core/domain';
import { describe, expect, it } from 'vitest';
import type { AttemptFailure, CodeIssue } from '../world/conditions.js';
import {
  type AttemptNames,
  attemptError,
  attemptFailureOf,
  type CodeNames,
  codeIssue,
  codeIssueOf,
} from './issues.js';

const since = Date.UTC(2026, 0, 1);
const CODE_FACTS: readonly CodeIssue[] = [
  { kind: 'not_subscribed', since },
  { kind: 'no_free_pin', since },
  { kind: 'programming_delayed', cause: 'hub_offline', since },
  { kind: 'programming_delayed', cause: 'weak_link', since },
  { kind: 'removal_delayed', since },
];
const ATTEMPT_FACTS: readonly AttemptFailure[] = [
  { kind: 'hub_offline' },
  { kind: 'privacy_mode' },
  { kind: 'weak_link' },
];

describe("Seam's words for kept facts read back as the same facts (what a snapshot restore relies on)", () => {
  it.each(NOT_SUBSCRIBED_PROVIDER_CODES)('every code issue, with %s as the not-subscribed code', (name) => {
    const n: CodeNames = { notSubscribedCode: name, siteId: 'site-1', pinLength: 8 };
    const words = CODE_FACTS.map((f) => codeIssue(f, n));
    // Each fact has its own words, so reading them back cannot mix two facts up.
    expect(new Set(words.map((w) => `${w.code} ${w.message}`)).size).toBe(CODE_FACTS.length);
    expect(words.map((w) => codeIssueOf(w, n))).toEqual(CODE_FACTS);
    expect(words[0]?.code).toBe(name);
  });

  it.each(['UNLOCK_DOOR', 'LOCK_DOOR'] as const)('every attempt failure of a %s attempt', (actionType) => {
    const n: AttemptNames = { deviceId: 'd-1', lockName: 'DOOR', actionType };
    const words = ATTEMPT_FACTS.map((f) => attemptError(f, n));
    expect(words.map((w) => attemptFailureOf(w, n))).toEqual(ATTEMPT_FACTS);
  });

  it('words of another site, lock or configuration, or none known, are kept as written', () => {
    const n: CodeNames = {
      notSubscribedCode: 'salto_site_user_not_subscribed',
      siteId: 'site-1',
      pinLength: 6,
    };
    const noPin = codeIssue({ kind: 'no_free_pin', since }, n);
    expect(codeIssueOf(noPin, { ...n, pinLength: 7 })).toEqual({ kind: 'as_written', ...asWritten(noPin) });
    expect(codeIssueOf(noPin, undefined)).toEqual({ kind: 'as_written', ...asWritten(noPin) });
    const refused = codeIssue({ kind: 'not_subscribed', since }, n);
    expect(codeIssueOf(refused, { ...n, notSubscribedCode: 'access_code_inactive' }).kind).toBe('as_written');
    const a: AttemptNames = { deviceId: 'd-1', lockName: 'DOOR', actionType: 'UNLOCK_DOOR' };
    const weak = attemptError({ kind: 'weak_link' }, a);
    expect(attemptFailureOf(weak, { ...a, actionType: 'LOCK_DOOR' })).toEqual({
      kind: 'as_written',
      ...weak,
    });
    expect(attemptFailureOf(weak, undefined)).toEqual({ kind: 'as_written', ...weak });
  });
});

const asWritten = (w: { code: string; message: string; createdAt: number }) => ({
  code: w.code,
  message: w.message,
  since: w.createdAt,
});
