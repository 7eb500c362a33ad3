// @ts-check
/**
 * The console's whole "framework": build elements with text (never HTML, so names typed by
 * users cannot inject markup) and keep keyed lists in step with the data without rebuilding
 * what is already there — a lock card's inputs keep their text and focus across updates.
 */

/**
 * @typedef {{ [name: string]: string | number | boolean | null | undefined | ((e: Event) => void) }} Props
 * @typedef {Node | string | null | undefined | false} Child
 */

/**
 * An element: `class`, `text`, `on<event>` handlers, boolean/number/string attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** Sets text only when it changed (keeps screen readers and selections calm). */
export function setText(/** @type {Element} */ node, /** @type {string} */ text) {
  if (node.textContent !== text) node.textContent = text;
}

/** @type {WeakMap<Element, (item: any) => void>} */
const updaters = new WeakMap();

/**
 * Makes `parent`'s children one element per item, in order: an item whose key has an element
 * keeps it (and gets `update`d), a new key gets `create`d, a vanished key's element is removed.
 * @template T
 * @param {Element} parent
 * @param {readonly T[]} items
 * @param {(item: T) => string} keyOf
 * @param {(item: T) => { node: HTMLElement, update: (item: T) => void }} create
 */
export function keyed(parent, items, keyOf, create) {
  /** @type {Map<string, Element>} */
  const old = new Map();
  for (const child of Array.from(parent.children)) {
    const k = child instanceof HTMLElement ? child.dataset['key'] : undefined;
    if (k !== undefined) old.set(k, child);
    else child.remove();
  }
  /** @type {Element | null} */
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    let node = old.get(key);
    if (node) old.delete(key);
    else {
      const made = create(item);
      made.node.dataset['key'] = key;
      updaters.set(made.node, made.update);
      node = made.node;
    }
    updaters.get(node)?.(item);
    /** @type {Element | null} */
    const want = prev ? prev.nextElementSibling : parent.firstElementChild;
    if (want !== node) parent.insertBefore(node, want);
    prev = node;
  }
  for (const gone of old.values()) gone.remove();
}

/** A panel: a titled section of the page (see app.js for the contract). */
export function section(/** @type {string} */ id, /** @type {string} */ title) {
  const heading = h('h2', { id: `${id}-title`, text: title });
  const body = h('div', { class: 'panel-body' });
  const root = h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, heading, body);
  return { root, body };
}

/** `2026-01-01 09:30:00 UTC` for an epoch-ms instant. */
export function time(/** @type {number | null} */ ms) {
  if (ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `3 d 4 h`, `12 min`, `5 s` for a duration in ms. */
export function duration(/** @type {number} */ ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400)
    return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.round((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d${s % 86400 >= 3600 ? ` ${Math.floor((s % 86400) / 3600)} h` : ''}`;
}
