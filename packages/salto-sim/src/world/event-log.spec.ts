import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from './default-world.js';
import { EventLog } from './event-log.js';
import type { SimEvent } from './types.js';
import { formatUuid } from './uuid.js';

const event = (sequence: number, eventId = ''): SimEvent => ({
  eventId,
  sequence,
  eventType: 'access_code.created',
  occurredAt: 0,
  createdAt: 0,
  connectedAccountId: 'acc',
});

describe('EventLog', () => {
  it('keeps the newest `capacity` events and formats each pending id from its own draws, across wrap-around', () => {
    const log = new EventLog(3);
    for (let i = 1; i <= 5; i++) log.push({ ...event(i) }, i, i * 16, i * 256, 0xffffffff - i);
    const got = log.toArray();
    expect(got.map((e) => e.sequence)).toEqual([3, 4, 5]);
    expect(got.map((e) => e.eventId)).toEqual(
      [3, 4, 5].map((i) => formatUuid(i, i * 16, i * 256, 0xffffffff - i)),
    );
    // Reading again gives the same ids (formatted once, kept).
    expect(log.toArray().map((e) => e.eventId)).toEqual(got.map((e) => e.eventId));
  });

  it('keeps an id that is already there and ignores the draws; capacity 0 keeps nothing', () => {
    const log = new EventLog(2, [event(1, 'restored-id')]);
    log.push({ ...event(2, 'given-id') }, 1, 2, 3, 4);
    expect(log.toArray().map((e) => e.eventId)).toEqual(['restored-id', 'given-id']);
    const none = new EventLog(0);
    none.push({ ...event(1) }, 1, 2, 3, 4);
    expect(none.toArray()).toEqual([]);
  });

  it('a world gives the same event ids whether they are read later or seen by a listener at once', async () => {
    const run = async (listen: boolean) => {
      const { world, ids } = createDefaultWorld({ seed: 3 });
      const seen: SimEvent[] = [];
      if (listen) world.onEvent((e) => seen.push({ ...e }));
      for (let i = 0; i < 5; i++) {
        const c = world.createAccessCode({ deviceId: ids.locks.frontDoor });
        if (!c.ok) throw new Error(c.error.message);
        await world.advance(2_000);
        if (i % 2 === 0) world.deleteAccessCode(c.value.accessCodeId);
      }
      await world.advance(60_000);
      const listed = world.listEvents();
      if (!listed.ok) throw new Error(listed.error.message);
      return { listed: listed.value, seen };
    };
    const lazy = await run(false);
    const eager = await run(true);
    expect(lazy.listed.length).toBeGreaterThan(10);
    expect(
      lazy.listed.every((e) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(e.eventId),
      ),
    ).toBe(true);
    expect(new Set(lazy.listed.map((e) => e.eventId)).size).toBe(lazy.listed.length);
    expect(lazy.listed).toEqual(eager.listed);
    // The listener joined after the default world was built: it saw the newest events.
    expect(eager.seen.length).toBeGreaterThan(10);
    expect(eager.listed.slice(-eager.seen.length)).toEqual(eager.seen);
  });
});
