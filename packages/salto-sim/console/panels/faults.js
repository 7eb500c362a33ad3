// @ts-check
import { h, keyed, section, setText } from '../dom.js';

const KINDS = ['server_error', 'rate_limited', 'latency', 'reply_lost'];

/**
 * Faults for the next N API calls (`POST /_sim/faults`, `/_sim/faults/clear`) and Seam's
 * per-device rate limits (`POST /_sim/rate_limits`).
 * @param {import('../types.js').Api} api
 * @returns {import('../types.js').Panel}
 */
export function faultsPanel(api) {
  const { root, body } = section('faults', 'Faults and rate limits');
  const kind = h('select', { id: 'fault-kind' }, ...KINDS.map((k) => h('option', { value: k, text: k })));
  const count = h('input', {
    id: 'fault-count',
    type: 'number',
    min: 1,
    max: 1000000,
    value: 1,
    required: true,
  });
  const operation = h('select', { id: 'fault-operation' }, h('option', { value: '', text: 'any operation' }));
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        void api.call('/_sim/faults', {
          kind: kind.value,
          count: Number(count.value),
          ...(operation.value ? { operations: [operation.value] } : {}),
        });
      },
    },
    h('label', { for: 'fault-kind', text: 'Fault' }),
    kind,
    h('label', { for: 'fault-count', text: 'For the next N calls' }),
    count,
    h('label', { for: 'fault-operation', text: 'Only' }),
    operation,
    h('button', { type: 'submit', text: 'Inject fault' }),
  );
  const active = h('ul', { class: 'faults', 'aria-label': 'Active faults' });
  const none = h('p', { class: 'meta', text: 'No fault is active.' });
  const clear = h('button', {
    type: 'button',
    text: 'Clear faults',
    onclick: () => void api.call('/_sim/faults/clear', {}),
  });
  const rate = h('input', {
    id: 'rate-limits',
    type: 'checkbox',
    onchange: () => void api.call('/_sim/rate_limits', { enabled: rate.checked }),
  });
  body.append(
    form,
    none,
    active,
    clear,
    h(
      'p',
      { class: 'control' },
      rate,
      h('label', { for: 'rate-limits', text: "Seam's per-device rate limits" }),
    ),
  );
  return {
    root,
    column: 'side',
    update(view) {
      if (operation.options.length === 1)
        operation.append(...view.faultOperations.map((o) => h('option', { value: o, text: o })));
      none.hidden = view.faults.length > 0;
      clear.disabled = view.faults.length === 0;
      rate.checked = view.rateLimits;
      keyed(
        active,
        view.faults,
        (f) => String(f.faultId),
        () => {
          const node = h('li');
          return {
            node,
            update(f) {
              setText(
                node,
                `${f.spec.kind} × ${f.remaining} left${f.operations ? ` (${f.operations.join(', ')})` : ''}`,
              );
            },
          };
        },
      );
    },
  };
}
