import { VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from './default-world.js';
import { parseWorldSnapshot, restoreWorldSnapshot } from './snapshot-schema.js';

/** A snapshot with a bit of everything: codes in every state, pending transitions, attempts, faults. */
async function busySnapshot() {
  const { world, ids } = createDefaultWorld({ seed: 5 });
  world.createAccessCode({ deviceId: ids.locks.frontDoor, name: 'ongoing' });
  world.createAccessCode({
    deviceId: ids.locks.apartment1,
    name: 'later',
    startsAt: world.now() + 5 * 86_400_000,
    endsAt: world.now() + 6 * 86_400_000,
  });
  world.createAccessCode({ deviceId: ids.locks.rooftop, name: 'parked' });
  world.unlockDoor(ids.locks.frontDoor);
  await world.advance(10_000);
  const gone = world.createAccessCode({ deviceId: ids.locks.gym, name: 'deleted' });
  if (gone.ok) world.deleteAccessCode(gone.value.accessCodeId);
  world.unlockDoor(ids.locks.frontDoor);
  world.injectFault({ kind: 'server_error', count: 2, operations: ['list_devices'] });
  return JSON.parse(JSON.stringify(world.toJSON())) as Record<string, unknown> & {
    sites: Record<string, unknown>[];
    locks: Record<string, unknown>[];
    codes: Record<string, unknown>[];
  };
}

const problemPaths = (input: unknown): string[] => {
  const r = parseWorldSnapshot(input);
  if (r.ok) return [];
  return ((r.error.data?.['problems'] ?? []) as { path: string[] }[]).map((p) => p.path.join('.'));
};

describe('world snapshots from outside are checked whole', () => {
  it('accepts every snapshot the world writes, and restores it exactly', async () => {
    const snap = await busySnapshot();
    expect(problemPaths(snap)).toEqual([]);
    const r = restoreWorldSnapshot(snap);
    // The generator may hold a word as a signed int32; restored, it is the same word unsigned.
    const rng = (snap['rng'] as number[]).map((x) => x >>> 0);
    expect(r.ok && JSON.parse(JSON.stringify(r.value.toJSON()))).toEqual({ ...snap, rng });
  });

  it('names the bad field of each attack that used to poison the server', async () => {
    const snap = await busySnapshot();
    const withLock = (patch: Record<string, unknown>) => ({
      ...snap,
      locks: snap.locks.map((l, i) => (i === 0 ? { ...l, ...patch } : l)),
    });
    expect(problemPaths({ ...snap, now: 'abc' })).toEqual(['now']);
    expect(problemPaths(withLock({ capabilities: null }))).toEqual(['locks.0.capabilities']);
    expect(problemPaths(withLock({ siteId: 'nope' }))).toContain('locks.0.siteId');
    expect(problemPaths({ ...snap, sites: snap.sites.map((s) => ({ ...s, pinLength: 1e6 })) })).toEqual([
      'sites.0.pinLength',
      'sites.1.pinLength',
    ]);
    // A code on an unknown site with its transitions pending (the tick used to crash on it).
    expect(problemPaths({ ...snap, codes: snap.codes.map((c) => ({ ...c, siteId: 'nope' })) })).toContain(
      'codes.0.siteId',
    );
    expect(problemPaths({ version: 1 })).toContain('config');
    expect(
      problemPaths({ ...snap, config: { ...(snap['config'] as object), eventLogCapacity: 1e9 } }),
    ).toEqual(['config.eventLogCapacity']);
  });

  it('refuses 100 000 levels of nesting without recursing into them', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(problemPaths({ version: 1, config: deep })).toContain('config');
    expect(problemPaths(deep)).toEqual(['']);
  });

  it('any one field changed: refused as invalid_input, or restored into a world whose calls all work', async () => {
    const snap = await busySnapshot();
    /** Every [path, value] leaf of the snapshot. */
    const leaves: (readonly (string | number)[])[] = [];
    const walk = (x: unknown, path: (string | number)[]) => {
      if (x !== null && typeof x === 'object') {
        for (const [k, v] of Object.entries(x)) walk(v, [...path, Array.isArray(x) ? Number(k) : k]);
      } else leaves.push(path);
    };
    walk(snap, []);
    const junk = fc.oneof(
      fc.constantFrom(null, 'abc', '', -1, 0, 1, 1e6, 1e300, true, [], {}, 'nope'),
      fc.integer(),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...leaves), junk, (path, value) => {
        const copy = structuredClone(snap) as Record<string | number, unknown>;
        let node = copy;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
        node[path.at(-1) as string | number] = value;
        const r = restoreWorldSnapshot(copy, { clock: new VirtualClock((snap['now'] as number) + 60_000) });
        if (!r.ok) {
          expect(r.error.type).toBe('invalid_input');
          expect(r.error.message).toMatch(/^Invalid snapshot: /);
          return;
        }
        const w = r.value;
        for (const call of [
          () => w.listDevices(),
          () => w.listSites(),
          () => w.listConnectedAccounts(),
          () => w.listAccessCodes({}),
          () => w.listEvents({}),
          () => w.toJSON(),
        ])
          call();
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
