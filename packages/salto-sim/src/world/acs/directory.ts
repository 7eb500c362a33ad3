import { err, ok } from '@keyslot/core/domain';
import { invalid, notFound, siteNotFound } from '../failures.js';
import type { Runtime } from '../runtime.js';
import type { LockState, SiteState, WorldState } from '../state.js';
import type { SimResult } from '../types.js';
import { accessGroupIdOf, acsEntranceIdOf, acsSystemIdOf } from './ids.js';
import type { AccessGroupState } from './state.js';
import type { AccessGroupRecord, AddAccessGroupParams } from './types.js';
import { accessGroupView } from './views.js';

export const acsSystemNotFound = (id: string) =>
  notFound('acs_system_not_found', 'ACS system', id, 'acs_system_id');
export const acsEntranceNotFound = (id: string) =>
  notFound('acs_entrance_not_found', 'ACS entrance', id, 'acs_entrance_id');
export const accessGroupNotFound = (id: string) =>
  notFound('acs_access_group_not_found', 'Access group', id, 'acs_access_group_id');

/**
 * What Salto syncs to Seam: each site is an ACS system, each lock an entrance (ids derived from
 * theirs, see `ids.ts`), and the site's access groups. Lookups by ACS id, and the one control that
 * adds an access group (the API never creates or edits them).
 */
export class AcsDirectory {
  private systemIndex = new Map<string, string>();
  private entranceIndex = new Map<string, string>();

  constructor(
    private readonly s: WorldState,
    private readonly rt: Runtime,
  ) {}

  /** The site behind ACS system `acsSystemId`, or `acs_system_not_found`. */
  site(acsSystemId: string): SimResult<SiteState> {
    if (this.systemIndex.size !== this.s.sites.size) {
      this.systemIndex = new Map([...this.s.sites.keys()].map((id) => [acsSystemIdOf(id), id]));
    }
    const site = this.s.sites.get(this.systemIndex.get(acsSystemId) ?? '');
    return site ? ok(site) : err(acsSystemNotFound(acsSystemId));
  }

  /** The lock behind entrance `acsEntranceId`, or `acs_entrance_not_found`. */
  lock(acsEntranceId: string): SimResult<LockState> {
    if (this.entranceIndex.size !== this.s.locks.size) {
      this.entranceIndex = new Map([...this.s.locks.keys()].map((id) => [acsEntranceIdOf(id), id]));
    }
    const lock = this.s.locks.get(this.entranceIndex.get(acsEntranceId) ?? '');
    return lock ? ok(lock) : err(acsEntranceNotFound(acsEntranceId));
  }

  group(accessGroupId: string): SimResult<AccessGroupState> {
    const g = this.s.acs.groups.get(accessGroupId);
    return g ? ok(g) : err(accessGroupNotFound(accessGroupId));
  }

  /** Entrance ids a set of groups opens, in group order, without repeats. */
  groupEntrances(groupIds: readonly string[]): string[] {
    const out = new Set<string>();
    for (const id of groupIds) for (const e of this.s.acs.groups.get(id)?.entranceIds ?? []) out.add(e);
    return [...out];
  }

  /**
   * Adds a Salto KS access group to a site (control: what Salto would sync). Its entrances are
   * the given locks of that site. The id is derived from the site and the name unless given.
   */
  addAccessGroup(params: AddAccessGroupParams): SimResult<AccessGroupRecord> {
    const t = this.rt.catchUp();
    const site = this.s.sites.get(params.siteId);
    if (!site) return err(siteNotFound(params.siteId));
    if (typeof params.name !== 'string' || params.name.trim() === '')
      return err(invalid('name', 'must be a non-empty string'));
    const entranceIds: string[] = [];
    for (const deviceId of params.deviceIds ?? []) {
      const lock = this.s.locks.get(deviceId);
      if (!lock || lock.siteId !== site.siteId)
        return err(invalid('deviceIds', `${deviceId} is not a lock of site ${site.siteId}`));
      entranceIds.push(acsEntranceIdOf(deviceId));
    }
    const id = params.accessGroupId ?? accessGroupIdOf(site.siteId, params.name);
    if (this.s.acs.groups.has(id)) return err(invalid('accessGroupId', `${id} already exists`));
    const group: AccessGroupState = {
      accessGroupId: id,
      acsSystemId: acsSystemIdOf(site.siteId),
      siteId: site.siteId,
      connectedAccountId: site.connectedAccountId,
      name: params.name,
      entranceIds: [...new Set(entranceIds)],
      createdAt: t,
    };
    this.s.acs.groups.set(id, group);
    return ok(accessGroupView(group));
  }
}
