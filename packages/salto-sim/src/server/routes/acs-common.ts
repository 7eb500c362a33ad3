import type { AcsCredentialRecord, AcsUserRecord, SimResult } from '../../world/types.js';
import { acsCredentialJson, acsUserJson } from '../acs-views.js';
import type { RouteContext } from '../http.js';
import { paginate } from '../pagination.js';
import { type Reply, success } from '../reply.js';
import { iso, type Json } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { failureReply } from './seam-common.js';

/** What the ACS, user-identity and Access Grant route files share: views needing lookups, lists, results. */

export const userJson = (state: SimState, u: AcsUserRecord): Json =>
  acsUserJson(
    u,
    u.userIdentityId !== null
      ? (state.world.accessGrants.inspectUserIdentity(u.userIdentityId) ?? undefined)
      : undefined,
  );

export const credentialJson = (state: SimState, c: AcsCredentialRecord): Json =>
  acsCredentialJson(c, state.world.acs.inspectUser(c.acsUserId)?.userIdentityId ?? null);

/** A world result as `{ [key]: view }` (mutations tick the server's timer to the next transition). */
export function one<T>(
  state: SimState,
  key: string,
  r: SimResult<T>,
  view: (x: T) => Json,
  mutation = false,
): Reply {
  if (mutation) state.scheduleTick();
  return r.ok ? success({ [key]: view(r.value) }) : failureReply(r.error);
}

/** A mutation Seam answers with `{}` only. */
export function done<T>(state: SimState, r: SimResult<T>): Reply {
  state.scheduleTick();
  return r.ok ? success({}) : failureReply(r.error);
}

/** A world list as `{ [key]: views }`, paginated Seam style when the route pages. */
export function many<T extends { readonly createdAt: number }>(
  r: SimResult<T[]>,
  key: string,
  view: (x: T) => Json,
  id: (x: T) => string,
  paging?: { readonly params: Record<string, unknown>; readonly ctx: RouteContext },
): Reply {
  if (!r.ok) return failureReply(r.error);
  if (!paging) return success({ [key]: r.value.map(view) });
  const page = paginate(r.value, (x) => ({ id: id(x), createdAt: iso(x.createdAt) }), {
    params: paging.params,
    defaultLimit: 500,
    routeUrl: paging.ctx.routeUrl,
  });
  if (!page.ok) return page.error;
  return success({ [key]: page.value.items.map(view), pagination: page.value.pagination });
}

/** ISO time parameter → instant. */
export const ms = (s: string | undefined): number | undefined =>
  s === undefined ? undefined : Date.parse(s);
