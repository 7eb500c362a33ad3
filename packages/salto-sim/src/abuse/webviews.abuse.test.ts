import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimChild, startSimChild } from './child.test-helpers.js';

/** 3,000 Connect Webviews with the largest custom_metadata Seam allows (50 keys × 500 characters). */

const WEBVIEWS = 3_000;

let sim: SimChild;
beforeAll(async () => {
  sim = await startSimChild();
});
afterAll(async () => {
  await sim?.stop();
});

describe('Connect Webviews', () => {
  it('are kept up to the retention cap, oldest forgotten first, with memory bounded', async () => {
    const custom_metadata = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`key_${String(i).padStart(36, '0')}`, 'x'.repeat(500)]),
    );
    const limits = (await sim.call('/_sim/limits', {}, 'GET')).body.limits;
    const max: number = limits.max_connect_webviews.value;
    const before = sim.rssMb();
    const ids: string[] = [];
    let peak = before;
    for (let i = 0; i < WEBVIEWS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          sim.call('/connect_webviews/create', { accepted_providers: ['salto_ks'], custom_metadata }),
        ),
      );
      for (const r of batch) {
        expect(r.status).toBe(200);
        ids.push(r.body.connect_webview.connect_webview_id);
      }
      peak = Math.max(peak, sim.rssMb());
    }
    const usage = (await sim.call('/_sim/limits', {}, 'GET')).body.usage;
    const oldest = await sim.call('/connect_webviews/get', { connect_webview_id: ids[0] });
    const newest = await sim.call('/connect_webviews/get', { connect_webview_id: ids.at(-1) });
    const list = await sim.call('/connect_webviews/list', {});
    console.log(
      `[abuse] webviews: ${WEBVIEWS} created with 50×500-character metadata; ${usage.connect_webviews} kept (cap ${max}); ` +
        `server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, after ${sim.rssMb().toFixed(0)} MB; ` +
        `/connect_webviews/list of ${list.body.connect_webviews.length} took ${list.ms.toFixed(0)} ms`,
    );
    expect(usage.connect_webviews).toBe(max);
    expect(oldest.status).toBe(404);
    expect(newest.status).toBe(200);
    expect(peak - before).toBeLessThan(300);
    expect(sim.alive()).toBe(true);
  });
});
