// @ts-check
import { duration, h, keyed, section, setText } from '../dom.js';
import { lockCard } from './lock.js';

/**
 * Sites: the user-slot bar (used / limit, the 80 % warning, the limit reached, the planned
 * time-bound codes that load within the lead time), the slot-limit control, then each lock.
 * @typedef {import('../types.js').ConsoleSite} ConsoleSite
 * @typedef {import('../types.js').Api} Api
 * @param {Api} api
 * @returns {import('../types.js').Panel}
 */
export function sitesPanel(api) {
  const { root, body } = section('sites', 'Sites and locks');
  const list = h('div', { class: 'sites' });
  body.append(list);
  return {
    root,
    column: 'main',
    update(view) {
      keyed(
        list,
        view.sites,
        (s) => s.siteId,
        (s) => siteCard(s, api),
      );
    },
  };
}

/** @param {ConsoleSite} first @param {Api} api */
function siteCard(first, api) {
  const id = `site-${first.siteId}`;
  const title = h('h3', { id: `${id}-name` });
  const meta = h('p', { class: 'meta' });
  const fill = h('div', { class: 'fill' });
  const planned = h('div', { class: 'planned' });
  const bar = h(
    'div',
    { class: 'slotbar', role: 'meter', 'aria-valuemin': 0, 'aria-labelledby': `${id}-slots` },
    fill,
    planned,
  );
  const figures = h('span', { class: 'slot-figures', 'data-field': 'slots' });
  const badge = h('span', { class: 'badge', 'data-field': 'slot-state' });
  const slots = h('p', { class: 'slots', id: `${id}-slots` }, 'User slots: ', figures, ' ', badge);
  const plannedText = h('p', { class: 'planned-text', 'data-field': 'planned' });
  const limitInput = h('input', {
    id: `${id}-limit`,
    type: 'number',
    min: 0,
    step: 1,
    required: true,
    inputmode: 'numeric',
  });
  const limitForm = h(
    'form',
    { class: 'inline', onsubmit: (e) => void setLimit(e) },
    h('label', { for: `${id}-limit`, text: 'Slot limit' }),
    limitInput,
    h('button', { type: 'submit', text: 'Set limit' }),
  );
  const locks = h('div', { class: 'locks' });
  const node = h(
    'article',
    { class: 'site card', 'aria-labelledby': `${id}-name`, 'data-site-id': first.siteId },
    title,
    meta,
    slots,
    bar,
    plannedText,
    limitForm,
    locks,
  );
  let shownLimit = -1;

  async function setLimit(/** @type {Event} */ e) {
    e.preventDefault();
    await api.call('/_sim/slot_limit', { site_id: first.siteId, slot_limit: Number(limitInput.value) });
  }

  /** @param {ConsoleSite} s */
  function update(s) {
    setText(title, s.siteName);
    setText(
      meta,
      `${s.timeZone} · lead time ${duration(s.slotLeadTimeMs)} · ${s.pinLength}-digit PINs · ${
        s.hasCustomPinSubscription ? 'custom PINs allowed' : 'Salto-generated PINs only'
      }`,
    );
    setText(figures, `${s.used} / ${s.slotLimit}`);
    const state = s.limitReached ? 'limit reached' : s.almostReached ? 'over 80 %' : 'ok';
    setText(badge, state);
    badge.className = `badge ${s.limitReached ? 'bad' : s.almostReached ? 'warn' : 'good'}`;
    bar.classList.toggle('full', s.limitReached);
    bar.classList.toggle('warn', s.almostReached && !s.limitReached);
    bar.setAttribute('aria-valuemax', String(s.slotLimit));
    bar.setAttribute('aria-valuenow', String(s.used));
    bar.setAttribute('aria-valuetext', `${s.used} of ${s.slotLimit} user slots used, ${state}`);
    const pct = (/** @type {number} */ n) => (s.slotLimit === 0 ? 0 : Math.min(100, (100 * n) / s.slotLimit));
    fill.style.width = `${pct(s.used)}%`;
    planned.style.left = `${pct(s.used)}%`;
    planned.style.width = `${Math.min(100 - pct(s.used), pct(s.planned.length))}%`;
    setText(
      plannedText,
      s.planned.length === 0
        ? 'No planned code loads within the lead time.'
        : `${s.planned.length} planned code${s.planned.length === 1 ? '' : 's'} load${s.planned.length === 1 ? 's' : ''} within the lead time (next in ${duration(
            Math.max(0, (s.planned[0]?.loadsAt ?? 0) - (api.view?.clock.now ?? 0)),
          )}).`,
    );
    // Keep what the user is typing; follow the world otherwise.
    if (document.activeElement !== limitInput && shownLimit !== s.slotLimit) {
      limitInput.value = String(s.slotLimit);
      shownLimit = s.slotLimit;
    }
    const allLocks = s.hubs.flatMap((hub) => hub.locks.map((l) => ({ ...l, hubName: hub.name })));
    keyed(
      locks,
      allLocks,
      (l) => l.deviceId,
      (l) => lockCard(l, api),
    );
  }
  return { node, update };
}
