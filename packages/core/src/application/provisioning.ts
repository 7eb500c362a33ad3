import { type AccessCode, codeNameFor, isNotSubscribed } from '../domain/access-code.js';
import type { GrantKey } from '../domain/grant.js';
import type { LockId } from '../domain/lock.js';
import type { AccessWindow } from '../domain/time.js';
import type { GatewayFailure, LockGateway } from '../ports/lock-gateway.js';
import type { Logger } from '../ports/logger.js';
import { codesOfGrantOnLock, deleteCodeTolerant } from './gateway-queries.js';

/** How many times a create is sent after lost replies (each after a lookup found nothing). */
const MAX_CREATES = 3;

export type EnsureCodeOutcome =
  /** The code exists: made now, or already there (e.g. made by a create whose reply was lost). */
  | { readonly kind: 'ready'; readonly code: AccessCode }
  /**
   * The provider refused the code for the slot limit. The refused code was deleted
   * (`cleanupFailure` set when that delete failed: reconcile removes it later).
   */
  | {
      readonly kind: 'refused_at_limit';
      readonly code: AccessCode;
      readonly cleanupFailure: GatewayFailure | null;
    }
  | { readonly kind: 'failed'; readonly failure: GatewayFailure };

/**
 * Makes sure grant `key` has one code on `lockId`, without ever creating blindly twice: with
 * `lookFirst` an existing code is reused; after a lost reply (`outcome_unknown`) the lock's
 * codes are listed and the grant's code is taken if the create had in fact succeeded. A code
 * the provider refused for the slot limit holds no slot and is deleted at once.
 */
export async function ensureCode(
  gateway: LockGateway,
  logger: Logger,
  input: {
    readonly key: GrantKey;
    readonly lockId: LockId;
    readonly window: AccessWindow;
    readonly lookFirst: boolean;
  },
): Promise<EnsureCodeOutcome> {
  const { key, lockId, window } = input;
  const settle = async (code: AccessCode): Promise<EnsureCodeOutcome> => {
    if (!isNotSubscribed(code)) return { kind: 'ready', code };
    const del = await deleteCodeTolerant(gateway, code.id);
    logger.log('warn', 'access code refused at the slot limit; deleted it', {
      grantKey: key,
      lockId,
      accessCodeId: code.id,
      deleted: del.ok,
    });
    return { kind: 'refused_at_limit', code, cleanupFailure: del.ok ? null : del.error };
  };
  const lookup = async (): Promise<EnsureCodeOutcome | null | GatewayFailure> => {
    const found = await codesOfGrantOnLock(gateway, lockId, key);
    if (!found.ok) return found.error;
    const code = found.value.find((c) => !isNotSubscribed(c)) ?? found.value[0];
    return code ? settle(code) : null;
  };

  if (input.lookFirst) {
    const existing = await lookup();
    if (existing !== null && 'kind' in existing) return existing;
    if (existing !== null) return { kind: 'failed', failure: existing };
  }
  for (let attempt = 1; ; attempt++) {
    const created = await gateway.createAccessCode({ lockId, name: codeNameFor(key), window });
    if (created.ok) {
      logger.log('info', 'access code created', {
        grantKey: key,
        lockId,
        accessCodeId: created.value.id,
        status: created.value.status,
      });
      return settle(created.value);
    }
    if (created.error.code !== 'outcome_unknown') return { kind: 'failed', failure: created.error };
    logger.log('warn', 'create access code: reply lost; looking the code up by grant key', {
      grantKey: key,
      lockId,
      attempt,
      requestId: created.error.requestId,
    });
    const after = await lookup();
    if (after !== null && 'kind' in after) return after;
    // The lookup failed: we cannot know whether the code exists, so we must not create again.
    if (after !== null) return { kind: 'failed', failure: created.error };
    if (attempt >= MAX_CREATES) return { kind: 'failed', failure: created.error };
  }
}
