import { describe, expect, it } from 'vitest';
import { type AccessCode, type AccessCodeId, codeNameFor } from '../domain/access-code.js';
import type { GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import { ok } from '../domain/result.js';
import { codesOfGrantOnLock } from './gateway-queries.js';

const key = 'guest-1' as GrantKey;
const lockId = 'L1' as LockId;
const code = (id: string, name: string, status: AccessCode['status']): AccessCode => ({
  id: id as AccessCodeId,
  lockId,
  name,
  pin: null,
  status,
  window: { kind: 'ongoing' },
  issues: [],
});

describe('codesOfGrantOnLock', () => {
  it("keeps the grant's live codes and leaves out codes being removed and other grants' codes", async () => {
    const listed = [
      code('c1', codeNameFor(key), 'set'),
      code('c2', codeNameFor(key, 'Front door'), 'setting'),
      code('c3', codeNameFor(key), 'removing'),
      code('c4', codeNameFor('guest-2' as GrantKey), 'set'),
      code('c5', 'Cleaner', 'set'),
    ];
    const r = await codesOfGrantOnLock({ listAccessCodes: async () => ok(listed) }, lockId, key);
    expect(r.ok && r.value.map((c) => c.id)).toEqual(['c1', 'c2']);
  });
});
