import type { AccessCode, AccessCodeId } from '../domain/access-code.js';
import { grantKeyOf } from '../domain/access-code.js';
import type { GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import { ok, type Result } from '../domain/result.js';
import type { GatewayFailure, LockGateway } from '../ports/lock-gateway.js';

/** Small questions and commands the use cases put to the `LockGateway`, each in one place. */

/** The live keyslot codes of grant `key` on one lock (codes being removed are left out). */
export async function codesOfGrantOnLock(
  gateway: Pick<LockGateway, 'listAccessCodes'>,
  lockId: LockId,
  key: GrantKey,
): Promise<Result<AccessCode[], GatewayFailure>> {
  const listed = await gateway.listAccessCodes(lockId);
  if (!listed.ok) return listed;
  return ok(listed.value.filter((c) => grantKeyOf(c.name) === key && c.status !== 'removing'));
}

/** Deletes a code, treating "already gone" as done. */
export async function deleteCodeTolerant(
  gateway: Pick<LockGateway, 'deleteAccessCode'>,
  id: AccessCodeId,
): Promise<Result<void, GatewayFailure>> {
  const r = await gateway.deleteAccessCode(id);
  return !r.ok && r.error.code === 'access_code_not_found' ? ok(undefined) : r;
}
