import { VirtualClock } from '@keyslot/core';
import { describe, expect, it } from 'vitest';
import type { SimResult } from './types.js';
import { SaltoKsWorld } from './world.js';

/**
 * The issues kept on codes and attempts are Salto facts in the world's state and Seam's words in
 * its views and snapshots (`seam/issues.ts`): a snapshot's words become the facts again on restore,
 * and words the world does not write itself (an edited snapshot) are kept exactly as written.
 */
const T0 = Date.UTC(2026, 0, 1);

function value<T>(r: SimResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.type}: ${r.error.message}`);
  return r.value;
}

function world() {
  const w = new SaltoKsWorld({ seed: 11, clock: new VirtualClock(T0) });
  const acc = value(w.addConnectedAccount()).connectedAccountId;
  const site = value(w.addSite({ connectedAccountId: acc, siteName: 'S', slotLimit: 1 }));
  const hub = value(w.addHub({ siteId: site.siteId }));
  const lockId = value(w.addLock({ hubId: hub.hubId, name: 'DOOR' })).deviceId;
  return { w, lockId };
}

const restore = (w: SaltoKsWorld, snapshot: unknown = w.toJSON()): SaltoKsWorld =>
  value(SaltoKsWorld.fromJSON(JSON.parse(JSON.stringify(snapshot)), { clock: new VirtualClock(w.now()) }));

describe('kept issues across a snapshot', () => {
  it("a restored delay warning is the world's fact again: programming on reconnect drops it", async () => {
    const { w, lockId } = world();
    value(w.setHubLink(lockId, 'offline'));
    const c = value(w.createAccessCode({ deviceId: lockId }));
    await w.advance(30_000);
    expect(value(w.getAccessCode(c.accessCodeId)).warnings.map((x) => x.code)).toEqual([
      'delay_in_setting_on_device',
    ]);

    const r = restore(w);
    value(r.setHubLink(lockId, 'good'));
    await r.advance(60_000);
    const after = value(r.getAccessCode(c.accessCodeId));
    expect(after.status).toBe('set');
    expect(after.warnings).toEqual([]);
  });

  it('a refused code and a failed unlock restore with the same words, and save the same bytes', async () => {
    const { w, lockId } = world();
    value(w.createAccessCode({ deviceId: lockId, name: 'holds' }));
    const refused = value(w.createAccessCode({ deviceId: lockId, name: 'refused' }));
    value(w.setHubLink(lockId, 'offline'));
    const attempt = value(w.unlockDoor(lockId));
    await w.advance(30_000);

    const r = restore(w);
    expect(value(r.getAccessCode(refused.accessCodeId)).errors).toEqual(
      value(w.getAccessCode(refused.accessCodeId)).errors,
    );
    expect(value(r.getActionAttempt(attempt.actionAttemptId)).error).toMatchObject({
      type: 'hub_disconnected',
    });
    expect(JSON.stringify(r.toJSON())).toBe(JSON.stringify(w.toJSON()));
  });

  it('words the world does not write (an edited snapshot) are kept as written and saved unchanged', async () => {
    const { w, lockId } = world();
    const c = value(w.createAccessCode({ deviceId: lockId }));
    value(w.setHubLink(lockId, 'offline'));
    const attempt = value(w.unlockDoor(lockId));
    await w.advance(30_000);
    const snapshot = JSON.parse(JSON.stringify(w.toJSON()));
    const edited = { code: 'some_other_error', message: 'Written by hand.', createdAt: T0 + 5 };
    snapshot.codes[0].errors = [edited];
    snapshot.attempts[0].error = { type: 'hub_disconnected', message: 'Not the words the world writes.' };

    const r = restore(w, snapshot);
    expect(value(r.getAccessCode(c.accessCodeId)).errors).toEqual([edited]);
    expect(value(r.getActionAttempt(attempt.actionAttemptId)).error).toEqual({
      type: 'hub_disconnected',
      message: 'Not the words the world writes.',
    });
    const saved = r.toJSON();
    expect(JSON.stringify([saved.codes, saved.attempts])).toBe(
      JSON.stringify([snapshot.codes, snapshot.attempts]),
    );
  });
});
