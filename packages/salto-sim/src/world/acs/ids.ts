import { formatUuid } from '../uuid.js';

/**
 * Ids of what Salto syncs to Seam without anyone creating it (a site's ACS system, a lock's
 * entrance, an access group) are derived from the record they mirror, not drawn from the world's
 * generator: the lock side's random stream, ids and golden snapshots stay exactly as they were,
 * and the same site always has the same ACS system id.
 */
export function derivedId(...parts: readonly string[]): string {
  // cyrb128: four 32-bit lanes over the joined parts.
  const str = parts.join('\u0000');
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return formatUuid(h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0);
}

export const acsSystemIdOf = (siteId: string): string => derivedId('acs_system', siteId);
export const acsEntranceIdOf = (deviceId: string): string => derivedId('acs_entrance', deviceId);
export const accessGroupIdOf = (siteId: string, name: string): string =>
  derivedId('acs_access_group', siteId, name);
