// @ts-check
import { h, keyed, section, setText } from '../dom.js';

/**
 * Connected accounts and Connect Webviews: open a pending webview's Salto KS sign-in page, or
 * create one (`POST /connect_webviews/create`, as an app would).
 * @param {import('../types.js').Api} api
 * @returns {import('../types.js').Panel}
 */
export function onboardingPanel(api) {
  const { root, body } = section('onboarding', 'Accounts and Connect Webviews');
  const accounts = h('ul', { 'aria-label': 'Connected accounts' });
  const webviews = h('ul', { 'aria-label': 'Connect Webviews' });
  const create = h('button', {
    type: 'button',
    text: 'New Connect Webview',
    onclick: () => void api.call('/connect_webviews/create', { accepted_providers: ['salto_ks'] }),
  });
  body.append(
    h('h3', { text: 'Connected accounts' }),
    accounts,
    h('h3', { text: 'Connect Webviews' }),
    webviews,
    create,
  );
  return {
    root,
    column: 'side',
    update(view) {
      keyed(
        accounts,
        view.accounts,
        (a) => a.connectedAccountId,
        () => {
          const node = h('li');
          return {
            node,
            update(a) {
              setText(
                node,
                `${a.displayName}${a.errors.length ? ` — ${a.errors.map((e) => e.code).join(', ')}` : ''}`,
              );
            },
          };
        },
      );
      keyed(
        webviews,
        [...view.webviews].reverse(),
        (w) => w.connectWebviewId,
        (first) => {
          const status = h('span', { 'data-field': 'status' });
          const link = h('a', {
            href: `/_sim/connect_webviews/view?connect_webview_id=${encodeURIComponent(first.connectWebviewId)}`,
            target: '_blank',
            rel: 'noopener',
            text: 'open sign-in page',
          });
          return {
            node: h('li', {}, status, ' ', link),
            update(w) {
              setText(status, `${w.connectWebviewId.slice(0, 8)}… ${w.status}`);
              link.hidden = w.status !== 'pending';
            },
          };
        },
      );
    },
  };
}
