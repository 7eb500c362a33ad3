// @ts-check
import { duration, h, section, setText, time } from '../dom.js';

/**
 * The world's clock. On a virtual clock (`--clock virtual`) time moves only when asked:
 * the buttons call `POST /_sim/clock/advance`. On the real clock they are disabled.
 * @param {import('../types.js').Api} api
 * @returns {import('../types.js').Panel}
 */
export function clockPanel(api) {
  const { root, body } = section('clock', 'Clock');
  const now = h('p', { class: 'now', 'data-field': 'now' });
  const next = h('p', { class: 'meta' });
  const note = h('p', { class: 'meta' });
  const steps = [
    ['+5 s', 5_000],
    ['+1 min', 60_000],
    ['+1 h', 3_600_000],
    ['+1 day', 86_400_000],
    ['+2 days', 2 * 86_400_000],
  ];
  const advance = (/** @type {number} */ ms) => void api.call('/_sim/clock/advance', { ms });
  const buttons = steps.map(([label, ms]) =>
    h('button', {
      type: 'button',
      text: String(label),
      'aria-label': `Advance the clock ${String(label).slice(1)}`,
      onclick: () => advance(Number(ms)),
    }),
  );
  const toNext = h('button', {
    type: 'button',
    text: 'To next transition',
    onclick: () => {
      const c = api.view?.clock;
      if (c?.nextTransitionAt != null) advance(Math.max(0, c.nextTransitionAt - c.now));
    },
  });
  const group = h(
    'div',
    { class: 'buttons', role: 'group', 'aria-label': 'Advance the virtual clock' },
    ...buttons,
    toNext,
  );
  body.append(now, next, group, note);
  /** On the real clock the display moves on between updates (they come when the world changes). */
  let real = { at: 0, received: 0, on: false };
  setInterval(() => {
    if (real.on) setText(now, `${time(real.at + Date.now() - real.received)} (real clock)`);
  }, 1000);
  return {
    root,
    column: 'side',
    update(view) {
      const c = view.clock;
      setText(now, `${time(c.now)} (${c.kind} clock)`);
      real = { at: c.now, received: Date.now(), on: c.kind === 'real' };
      setText(
        next,
        c.nextTransitionAt === null
          ? 'Nothing scheduled.'
          : `${c.pendingTransitions} scheduled step${c.pendingTransitions === 1 ? '' : 's'}; next in ${duration(c.nextTransitionAt - c.now)}.`,
      );
      const isReal = c.kind === 'real';
      for (const b of [...buttons, toNext]) b.disabled = isReal;
      toNext.disabled = isReal || c.nextTransitionAt === null;
      setText(
        note,
        isReal
          ? 'Real clock: time passes by itself. Start keyslot-sim with --clock virtual to move it from here.'
          : '',
      );
    },
  };
}
