import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';

describe('parseQuery (Seam SDK query encoding)', () => {
  it('turns repeated keys and key[] into arrays, dotted keys into objects, drops empty values', () => {
    const q = parseQuery(
      'device_ids=a&device_ids=b&ids[]=x&custom_metadata_has.team=blue&custom_metadata_has.floor=2&empty=&limit=5',
    );
    expect({ ...q, custom_metadata_has: { ...(q['custom_metadata_has'] as object) } }).toEqual({
      device_ids: ['a', 'b'],
      ids: ['x'],
      custom_metadata_has: { team: 'blue', floor: '2' },
      limit: '5',
    });
  });

  it('decodes percent-encoding and plus signs', () => {
    expect(parseQuery('search=front%20door&name=a+b')).toMatchObject({ search: 'front door', name: 'a b' });
  });

  it('ignores prototype-polluting keys and conflicting shapes', () => {
    const q = parseQuery('__proto__.polluted=1&constructor.prototype.x=1&a=1&a.b=2');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(q)).toEqual(['a']);
    expect(q['a']).toBe('1');
  });
});
