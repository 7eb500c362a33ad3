// @ts-check
import { h, keyed, setText, time } from '../dom.js';

/**
 * One lock: its hub link, Seam device type, modes, battery, locked state, the controls (hub
 * link, privacy/office mode, the keypad) and its access codes with their PINs masked.
 * @typedef {import('../types.js').ConsoleLock & { hubName: string }} Lock
 * @typedef {import('../types.js').AccessCodeRecord} Code
 * @typedef {import('../types.js').Api} Api
 */

/** Access codes whose PIN the user chose to see (kept across updates, never stored). */
const revealed = new Set();

/** @param {Lock} first @param {Api} api */
export function lockCard(first, api) {
  const id = `lock-${first.deviceId}`;
  const field = (/** @type {string} */ name) => h('span', { class: 'badge', 'data-field': name });
  const f = {
    deviceType: field('device-type'),
    hubLink: field('hub-link'),
    locked: field('locked'),
    battery: field('battery'),
    privacy: field('privacy-mode'),
    office: field('office-mode'),
  };
  const title = h('h4', { id: `${id}-name` });
  const hubLine = h('p', { class: 'meta' });
  const issues = h('p', { class: 'issues', 'data-field': 'issues' });
  const link = h(
    'select',
    {
      id: `${id}-link`,
      onchange: () => void api.call('/_sim/hub_link', { device_id: first.deviceId, hub_link: link.value }),
    },
    ...['good', 'weak', 'offline'].map((v) => h('option', { value: v, text: v })),
  );
  const privacy = h('input', {
    id: `${id}-privacy`,
    type: 'checkbox',
    onchange: () =>
      void api.call('/_sim/modes', { device_id: first.deviceId, privacy_mode: privacy.checked }),
  });
  const office = h('input', {
    id: `${id}-office`,
    type: 'checkbox',
    onchange: () => void api.call('/_sim/modes', { device_id: first.deviceId, office_mode: office.checked }),
  });
  const pin = h('input', {
    id: `${id}-pin`,
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '[0-9]*',
    maxlength: 10,
    required: true,
  });
  const keypadResult = h('output', { for: `${id}-pin`, class: 'keypad-result', 'aria-live': 'polite' });
  const keypad = h(
    'form',
    {
      class: 'inline keypad',
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const r = await api.call('/locks/simulate/keypad_code_entry', {
          device_id: first.deviceId,
          code: pin.value,
        });
        pin.value = '';
        const attempt = r.body?.action_attempt;
        setText(keypadResult, r.ok ? keypadOutcome(attempt) : '');
      },
    },
    h('label', { for: `${id}-pin`, text: 'Keypad PIN' }),
    pin,
    h('button', { type: 'submit', text: 'Enter' }),
    keypadResult,
  );
  // Remote unlock / lock go through Seam's own routes, as an app's would (rate limits, faults).
  const remote = h(
    'span',
    { class: 'control' },
    h('button', {
      type: 'button',
      text: 'Unlock remotely',
      onclick: () => void api.call('/locks/unlock_door', { device_id: first.deviceId }),
    }),
    h('button', {
      type: 'button',
      text: 'Lock remotely',
      onclick: () => void api.call('/locks/lock_door', { device_id: first.deviceId }),
    }),
  );
  const controls = h(
    'div',
    { class: 'controls' },
    h('span', { class: 'control' }, h('label', { for: `${id}-link`, text: 'Hub link' }), link),
    h('span', { class: 'control' }, privacy, h('label', { for: `${id}-privacy`, text: 'Privacy mode' })),
    h('span', { class: 'control' }, office, h('label', { for: `${id}-office`, text: 'Office mode' })),
    remote,
    keypad,
  );
  const rows = h('tbody');
  const more = h('p', { class: 'meta' });
  const codes = h(
    'table',
    { class: 'codes', 'aria-label': 'Access codes' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Name', 'Status', 'Window', 'Slot', 'Errors', 'PIN'].map((t) =>
          h('th', { scope: 'col', text: t }),
        ),
      ),
    ),
    rows,
  );
  const node = h(
    'article',
    { class: 'lock card', 'aria-labelledby': `${id}-name`, 'data-device-id': first.deviceId },
    h('header', {}, title, hubLine),
    h('p', { class: 'badges' }, f.hubLink, f.deviceType, f.locked, f.battery, f.privacy, f.office),
    issues,
    controls,
    codes,
    more,
  );

  /** @param {Lock} l */
  function update(l) {
    setText(title, l.name);
    setText(
      hubLine,
      `${l.lockType} · ${l.hubName} · ${l.capabilities.accessCodes ? 'PIN pad' : 'no PIN pad'}${l.capabilities.remoteUnlock ? ' · remote unlock' : ''}`,
    );
    setText(f.hubLink, `hub link ${l.hubLink}`);
    f.hubLink.className = `badge ${l.hubLink === 'good' ? 'good' : l.hubLink === 'weak' ? 'warn' : 'bad'}`;
    f.hubLink.dataset['value'] = l.hubLink;
    setText(f.deviceType, l.deviceType);
    f.deviceType.dataset['value'] = l.deviceType;
    setText(f.locked, l.locked ? 'locked' : 'unlocked');
    f.locked.dataset['value'] = String(l.locked);
    setText(f.battery, `battery ${Math.round(l.batteryLevel * 100)} %`);
    f.battery.dataset['value'] = String(l.batteryLevel);
    f.battery.className = `badge ${l.batteryLevel < 0.2 ? 'warn' : ''}`;
    setText(f.privacy, l.privacyMode ? 'privacy mode' : 'no privacy mode');
    f.privacy.hidden = !l.privacyMode;
    setText(f.office, l.officeMode ? 'office mode' : 'no office mode');
    f.office.hidden = !l.officeMode;
    const notes = [...l.errors, ...l.warnings].map((i) => i.code);
    setText(issues, notes.length ? notes.join(' · ') : '');
    issues.hidden = notes.length === 0;
    if (document.activeElement !== link) link.value = l.hubLink;
    privacy.checked = l.privacyMode;
    office.checked = l.officeMode;
    keypad.hidden = !l.capabilities.accessCodes;
    remote.hidden = !l.capabilities.remoteUnlock;
    keyed(
      rows,
      l.codes,
      (c) => c.accessCodeId,
      (c) => codeRow(c),
    );
    codes.hidden = l.codes.length === 0;
    node.classList.toggle('has-codes', l.codes.length > 0);
    setText(more, l.moreCodes ? `… and ${l.moreCodes} more codes` : '');
  }
  return { node, update };
}

/** What the keypad did, from the SIMULATE_KEYPAD_CODE_ENTRY action attempt. @param {any} attempt */
function keypadOutcome(attempt) {
  if (attempt?.status === 'success')
    return 'Opened (see lock.unlocked in the events; office mode: already free).';
  return `Denied: ${attempt?.error?.type ?? 'refused'} (lock.access_denied).`;
}

/** @param {Code} first */
function codeRow(first) {
  const cells = {
    name: h('td'),
    status: h('td', { 'data-field': 'status' }),
    window: h('td'),
    slot: h('td', { 'data-field': 'holds-slot' }),
    errors: h('td', { 'data-field': 'errors' }),
  };
  const pinButton = h('button', {
    type: 'button',
    class: 'pin',
    'aria-pressed': 'false',
    onclick: () => toggle(),
  });
  const node = h(
    'tr',
    { 'data-access-code-id': first.accessCodeId },
    cells.name,
    cells.status,
    cells.window,
    cells.slot,
    cells.errors,
    h('td', {}, pinButton),
  );
  let current = first;
  function toggle() {
    if (revealed.has(current.accessCodeId)) revealed.delete(current.accessCodeId);
    else revealed.add(current.accessCodeId);
    update(current);
  }
  /** @param {Code} c */
  function update(c) {
    current = c;
    setText(cells.name, c.name ?? '(no name)');
    setText(
      cells.status,
      c.status +
        (c.isWaitingForCodeAssignment ? ' · PIN pending' : '') +
        (c.isScheduledOnDevice ? ' · scheduled' : ''),
    );
    setText(cells.window, c.type === 'ongoing' ? 'ongoing' : `${time(c.startsAt)} → ${time(c.endsAt)}`);
    setText(cells.slot, c.holdsSlot ? 'holds a slot' : c.loaded ? 'no slot' : 'not loaded yet');
    setText(cells.errors, [...c.errors, ...c.warnings].map((i) => i.code).join(', '));
    const shown = revealed.has(c.accessCodeId);
    pinButton.setAttribute('aria-pressed', String(shown));
    pinButton.disabled = c.code === null;
    setText(pinButton, c.code === null ? 'not assigned' : shown ? c.code : '•'.repeat(c.code.length));
    pinButton.setAttribute(
      'aria-label',
      c.code === null
        ? 'PIN not assigned yet'
        : shown
          ? `PIN ${c.code.split('').join(' ')}, hide`
          : 'Show PIN',
    );
  }
  return { node, update };
}
