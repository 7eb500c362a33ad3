// @ts-check
import { h, section, time } from '../dom.js';

/**
 * The live event feed: the world's events as they happen (newest first, the last 200).
 * PINs that some events carry (`code`) are not shown here.
 * @param {import('../types.js').Api} _api
 * @returns {import('../types.js').Panel}
 */
export function eventsPanel(_api) {
  const { root, body } = section('events', 'Live events');
  const list = h('ol', {
    class: 'feed',
    role: 'log',
    'aria-label': 'World events, newest first',
    'aria-live': 'off',
  });
  body.append(list);
  let generation = -1;
  let lastSequence = 0;
  /** @type {Map<string, string>} */
  let names = new Map();
  return {
    root,
    column: 'side',
    update(view) {
      if (view.generation !== generation) {
        // Restore or reset: a new world, whose events start again.
        generation = view.generation;
        lastSequence = 0;
        list.replaceChildren();
      }
      names = new Map(
        view.sites.flatMap((s) => s.hubs.flatMap((hub) => hub.locks.map((l) => [l.deviceId, l.name]))),
      );
    },
    events(events) {
      for (const e of events) {
        if (e.sequence <= lastSequence) continue;
        lastSequence = e.sequence;
        const details = Object.entries(e.data ?? {})
          .filter(([k]) => k !== 'code')
          .map(([k, v]) => `${k}: ${v}`);
        const item = h(
          'li',
          { 'data-event-type': e.eventType, 'data-sequence': e.sequence },
          h('time', { text: time(e.occurredAt).slice(11, 19) }),
          ' ',
          h('strong', { text: e.eventType }),
          e.deviceId ? ` ${names.get(e.deviceId) ?? e.deviceId}` : '',
          details.length ? h('span', { class: 'meta', text: ` ${details.join(', ')}` }) : null,
        );
        list.prepend(item);
      }
      while (list.children.length > 200) list.lastElementChild?.remove();
    },
  };
}
