// @ts-check
import { h, section } from '../dom.js';

/**
 * The whole world: download a snapshot (`GET /_sim/snapshot`), start from one
 * (`POST /_sim/restore`), or go back to how the server started (`POST /_sim/reset`).
 * @param {import('../types.js').Api} api
 * @returns {import('../types.js').Panel}
 */
export function worldPanel(api) {
  const { root, body } = section('world', 'Snapshot and reset');
  const download = h('button', {
    type: 'button',
    text: 'Download snapshot',
    onclick: async () => {
      const r = await api.call('/_sim/snapshot');
      if (!r.ok) return;
      const blob = new Blob([JSON.stringify(r.body.snapshot)], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: 'keyslot-sim-world.json' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
  });
  const file = h('input', {
    id: 'snapshot-file',
    type: 'file',
    accept: 'application/json,.json',
    onchange: async () => {
      const f = file.files?.[0];
      if (!f) return;
      /** @type {unknown} */
      let snapshot;
      try {
        snapshot = JSON.parse(await f.text());
      } catch {
        api.notify(`${f.name} is not JSON: choose a file saved with "Download snapshot".`);
        return;
      } finally {
        file.value = '';
      }
      const r = await api.call('/_sim/restore', { snapshot: /** @type {any} */ (snapshot) });
      if (r.ok) api.notify(null);
    },
  });
  const reset = h('button', {
    type: 'button',
    class: 'danger',
    text: 'Reset the world',
    onclick: () => void api.call('/_sim/reset', {}),
  });
  body.append(
    h('div', { class: 'buttons' }, download, reset),
    h(
      'p',
      { class: 'upload' },
      h('label', { for: 'snapshot-file', text: 'Start from a snapshot file' }),
      file,
    ),
  );
  return { root, column: 'side', update() {} };
}
