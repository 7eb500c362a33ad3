import { type Grant, type GrantRequest, parseGrantRequest } from './grant.js';
import type { GrantState } from './grant-decision.js';
import type { HubLink, Lock } from './lock.js';
import type { AccessPolicy } from './policy.js';
import { parsePolicy } from './policy.js';
import { err, type FieldIssue, type InvalidInput, invalidInput, ok, type Result } from './result.js';
import type { SlotCostModel } from './site.js';
import type { SlotPlan } from './slot-plan.js';
import { isFiniteInstant } from './time.js';
import type { UnlockRequest, UnlockState } from './unlock-decision.js';
import { isNonNegativeInt, isNonNegativeNumber, isRecord, oneOf, show } from './value-checks.js';

/**
 * The shape checks of the decisions' inputs, in one place. The decisions themselves
 * (`evaluateGrant`, `evaluateUnlock`) read well-typed values and check nothing; the use cases
 * hand them values they have already parsed (the request with `parseGrantRequest`, the policy at
 * composition). `decideGrant` and `decideUnlock`, for callers holding untrusted values, run these
 * checks first and so are total: any input gives a decision, never a throw.
 */

/** Elements of `grantsOfHolder` that can be read as grants (anything else is passed over). */
const isGrantLike = (g: unknown): g is Grant =>
  isRecord(g) && Array.isArray(g['lockIds']) && isRecord(g['window']);

const isSlotPlan = (x: unknown): x is SlotPlan =>
  isRecord(x) && typeof x['peak'] === 'function' && typeof x['heldAt'] === 'function';

/** Field issues of a site value (from the gateway, or from a caller of the pure function). */
export function siteIssues(site: unknown, field = 'site'): FieldIssue[] {
  if (!isRecord(site)) return [{ field, message: 'must be a site object' }];
  const issues: FieldIssue[] = [];
  if (typeof site['id'] !== 'string' || site['id'] === '') {
    issues.push({ field: `${field}.id`, message: 'must be a non-empty string' });
  }
  if (typeof site['name'] !== 'string') issues.push({ field: `${field}.name`, message: 'must be a string' });
  if (!isNonNegativeInt(site['slotLimit'])) {
    issues.push({
      field: `${field}.slotLimit`,
      message: `must be a non-negative integer, got ${show(site['slotLimit'])}`,
    });
  }
  const lead = site['slotLeadTimeMs'];
  if (!isNonNegativeNumber(lead)) {
    issues.push({
      field: `${field}.slotLeadTimeMs`,
      message: `must be a non-negative number of ms, got ${show(lead)}`,
    });
  }
  const cost = site['slotCostModel'];
  if (cost !== undefined && !oneOf<SlotCostModel>(['code_per_lock', 'user_per_grant'], cost)) {
    issues.push({
      field: `${field}.slotCostModel`,
      message: `must be "code_per_lock", "user_per_grant" or absent, got ${show(cost)}`,
    });
  }
  return issues;
}

/** Field issues of a lock value; `lockIssues(x).length === 0` means every field decisions read is sound. */
export function lockIssues(lock: unknown, field: string): FieldIssue[] {
  if (!isRecord(lock)) return [{ field, message: 'must be a lock object' }];
  const issues: FieldIssue[] = [];
  if (typeof lock['id'] !== 'string') issues.push({ field: `${field}.id`, message: 'must be a string' });
  if (typeof lock['name'] !== 'string') issues.push({ field: `${field}.name`, message: 'must be a string' });
  if (typeof lock['siteId'] !== 'string')
    issues.push({ field: `${field}.siteId`, message: 'must be a string' });
  if (!oneOf<HubLink>(['good', 'weak', 'offline'], lock['hubLink'])) {
    issues.push({ field: `${field}.hubLink`, message: 'must be "good", "weak" or "offline"' });
  }
  const caps = lock['capabilities'];
  if (
    !isRecord(caps) ||
    typeof caps['remoteUnlock'] !== 'boolean' ||
    typeof caps['accessCodes'] !== 'boolean'
  ) {
    issues.push({
      field: `${field}.capabilities`,
      message: 'must be { remoteUnlock: boolean, accessCodes: boolean }',
    });
  }
  const modes = lock['modes'];
  if (!isRecord(modes) || typeof modes['privacy'] !== 'boolean' || typeof modes['office'] !== 'boolean') {
    issues.push({ field: `${field}.modes`, message: 'must be { privacy: boolean, office: boolean }' });
  }
  return issues;
}

/** The policy as decisions read it (missing fields take their defaults), or its issues. */
function readPolicy(policy: unknown): Result<AccessPolicy, FieldIssue[]> {
  if (policy === undefined || policy === null) {
    return err([{ field: 'policy', message: 'must be an access policy (see DEFAULT_POLICY)' }]);
  }
  const parsed = parsePolicy(policy);
  return parsed.ok
    ? parsed
    : err(
        parsed.error.issues.map((i) => ({
          ...i,
          field: i.field === 'policy' ? 'policy' : `policy.${i.field}`,
        })),
      );
}

const nowIssues = (now: unknown): FieldIssue[] =>
  isFiniteInstant(now) ? [] : [{ field: 'now', message: 'must be a finite instant (ms since epoch)' }];

/** The inputs of a grant decision, checked: every bad field named, or the typed values. */
export function checkGrantInputs(
  policyIn: unknown,
  state: unknown,
  request: unknown,
): Result<{ policy: AccessPolicy; state: GrantState; request: GrantRequest }, InvalidInput> {
  const readP = readPolicy(policyIn);
  const issues: FieldIssue[] = readP.ok ? [] : [...readP.error];
  if (!isRecord(state)) {
    issues.push({ field: 'state', message: 'must be an object' });
    return err(invalidInput(issues));
  }
  issues.push(...nowIssues(state['now']), ...siteIssues(state['site']));
  if (!isSlotPlan(state['plan'])) issues.push({ field: 'plan', message: 'must be a SlotPlan' });
  if (!isNonNegativeInt(state['unmanagedHeld'])) {
    issues.push({
      field: 'unmanagedHeld',
      message: `must be a non-negative integer, got ${show(state['unmanagedHeld'])}`,
    });
  }
  const locksIn: unknown = state['locks'];
  if (!Array.isArray(locksIn)) issues.push({ field: 'locks', message: 'must be an array of locks' });
  else for (let i = 0; i < locksIn.length; i++) issues.push(...lockIssues(locksIn[i], `locks[${i}]`));
  const parsed = parseGrantRequest(request);
  if (!parsed.ok) issues.push(...parsed.error.issues);
  if (issues.length > 0 || !parsed.ok || !readP.ok) return err(invalidInput(issues));
  return ok({ policy: readP.value, state: state as unknown as GrantState, request: parsed.value });
}

/** The inputs of an unlock decision, checked: every bad field named, or the typed values. */
export function checkUnlockInputs(
  policyIn: unknown,
  state: unknown,
  request: unknown,
): Result<{ policy: AccessPolicy; state: UnlockState; request: UnlockRequest }, InvalidInput> {
  const readP = readPolicy(policyIn);
  const issues: FieldIssue[] = readP.ok ? [] : [...readP.error];
  if (!isRecord(state))
    return err(invalidInput([...issues, { field: 'state', message: 'must be an object' }]));
  if (!isRecord(request)) {
    return err(invalidInput([...issues, { field: 'request', message: 'must be an object' }]));
  }
  issues.push(...nowIssues(state['now']));
  const lockId: unknown = request['lockId'];
  if (typeof lockId !== 'string' || lockId.trim() === '') {
    issues.push({ field: 'lockId', message: 'must be a non-empty string' });
  }
  const holderIn: unknown = request['holder'];
  if (
    holderIn !== undefined &&
    holderIn !== null &&
    (typeof holderIn !== 'string' || holderIn.trim() === '')
  ) {
    issues.push({ field: 'holder', message: 'must be a non-empty string when given' });
  }
  if (state['lock'] !== null && state['lock'] !== undefined)
    issues.push(...lockIssues(state['lock'], 'lock'));
  const grantsIn: unknown = state['grantsOfHolder'];
  if (grantsIn !== undefined && !Array.isArray(grantsIn)) {
    issues.push({ field: 'grantsOfHolder', message: 'must be an array of grants when given' });
  }
  if (issues.length > 0 || !readP.ok) return err(invalidInput(issues));
  const grantsOfHolder = ((grantsIn ?? []) as unknown[]).filter(isGrantLike);
  return ok({
    policy: readP.value,
    state: { lock: (state['lock'] ?? null) as Lock | null, grantsOfHolder, now: state['now'] as number },
    request: { lockId: lockId as string, ...(typeof holderIn === 'string' ? { holder: holderIn } : {}) },
  });
}
