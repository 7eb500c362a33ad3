/**
 * Query-string decoding the way Seam's SDK encodes it (`@seamapi/url-search-params-serializer`):
 * arrays as repeated keys (`device_ids=a&device_ids=b`) or brackets (`device_ids[]=a`), nested
 * objects as dotted keys (`custom_metadata_has.team=blue`), empty values dropped. Values stay
 * strings; the route schemas coerce numbers and booleans and split comma lists.
 */

/** Keys that would pollute prototypes are refused silently (dropped). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export type QueryValue = string | string[] | QueryObject;
export interface QueryObject {
  [key: string]: QueryValue;
}

export function parseQuery(search: string): QueryObject {
  const out: QueryObject = Object.create(null) as QueryObject;
  if (search === '' || search === '?') return out;
  const params = new URLSearchParams(search);
  for (const [rawKey, value] of params) {
    if (value === '') continue;
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    const path = key.split('.');
    if (path.some((p) => p === '' || FORBIDDEN_KEYS.has(p))) continue;
    let node = out;
    let ok = true;
    for (const segment of path.slice(0, -1)) {
      const existing = node[segment];
      if (existing === undefined) {
        const child = Object.create(null) as QueryObject;
        node[segment] = child;
        node = child;
      } else if (typeof existing === 'object' && !Array.isArray(existing)) {
        node = existing;
      } else {
        ok = false; // `a=1&a.b=2`: conflicting shapes; keep the first.
        break;
      }
    }
    if (!ok) continue;
    const leaf = path[path.length - 1] as string;
    const existing = node[leaf];
    if (existing === undefined) node[leaf] = isArray ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') node[leaf] = [existing, value];
    // an object already there: conflicting shapes, keep the first.
  }
  return out;
}
