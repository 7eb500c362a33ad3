import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.js';

const rows = Array.from({ length: 7 }, (_, i) => ({
  id: `id-${i}`,
  createdAt: `2026-01-01T00:00:0${i % 3}.000Z`,
}));
const key = (r: (typeof rows)[number]) => r;
const routeUrl = 'http://127.0.0.1:1/devices/list';

describe('cursor pagination', () => {
  it('walks every row exactly once in created_at, id order', () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res: ReturnType<typeof paginate<(typeof rows)[number]>> = paginate(rows, key, {
        params: { limit: 3, page_cursor: cursor, device_type: 'salto_lock' },
        defaultLimit: 500,
        routeUrl,
      });
      if (!res.ok) throw new Error(res.error.error.message);
      seen.push(...res.value.items.map((r) => r.id));
      expect(res.value.pagination.has_next_page).toBe(res.value.pagination.next_page_cursor !== null);
      if (res.value.pagination.next_page_url !== null) {
        const u = new URL(res.value.pagination.next_page_url);
        expect(u.searchParams.get('page_cursor')).toBe(res.value.pagination.next_page_cursor);
        expect(u.searchParams.get('device_type')).toBe('salto_lock');
      }
      cursor = res.value.pagination.next_page_cursor;
      if (cursor === null) break;
    }
    const expected = [...rows]
      .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1))
      .map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  it('refuses a cursor reused with other filters, and garbage cursors', () => {
    const first = paginate(rows, key, {
      params: { limit: 2, device_type: 'salto_lock' },
      defaultLimit: 500,
      routeUrl,
    });
    if (!first.ok) throw new Error('first page failed');
    const cursor = first.value.pagination.next_page_cursor;
    const mismatched = paginate(rows, key, {
      params: { limit: 2, page_cursor: cursor },
      defaultLimit: 500,
      routeUrl,
    });
    expect(mismatched.ok === false && mismatched.error.error.type).toBe('mismatched_page_parameters');
    const garbage = paginate(rows, key, {
      params: { limit: 2, page_cursor: 'not a cursor!' },
      defaultLimit: 500,
      routeUrl,
    });
    expect(garbage.ok === false && garbage.error.error.type).toBe('invalid_input');
  });
});
