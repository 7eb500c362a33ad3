// @ts-check
import { h, keyed, section, setText, time } from '../dom.js';

/**
 * Remote unlock / lock action attempts (the newest 30): pending, success or error and why.
 * @param {import('../types.js').Api} _api
 * @returns {import('../types.js').Panel}
 */
export function attemptsPanel(_api) {
  const { root, body } = section('attempts', 'Action attempts');
  const rows = h('tbody');
  const empty = h('p', { class: 'meta', text: 'No remote unlock or lock yet.' });
  const table = h(
    'table',
    { 'aria-labelledby': 'attempts-title' },
    h(
      'thead',
      {},
      h('tr', {}, ...['Type', 'Lock', 'Status', 'Created'].map((t) => h('th', { scope: 'col', text: t }))),
    ),
    rows,
  );
  body.append(empty, table);
  return {
    root,
    column: 'side',
    update(view) {
      const list = [...view.attempts].reverse();
      empty.hidden = list.length > 0;
      table.hidden = list.length === 0;
      keyed(
        rows,
        list,
        (a) => a.actionAttemptId,
        () => {
          const cells = [h('td'), h('td'), h('td', { 'data-field': 'status' }), h('td')];
          return {
            node: h('tr', {}, ...cells),
            update(a) {
              setText(cells[0], a.actionType);
              setText(cells[1], a.lockName ?? a.deviceId);
              setText(cells[2], a.status + (a.error ? `: ${a.error.type}` : ''));
              setText(cells[3], time(a.createdAt));
            },
          };
        },
      );
    },
  };
}
