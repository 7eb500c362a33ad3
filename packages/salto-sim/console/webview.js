// @ts-check
/**
 * The Connect Webview sign-in page: "Sign in" completes the webview (authorized), "Deny access"
 * fails it; then the browser follows the app's custom_redirect_url (or its failure URL). The
 * password is never sent: the simulator accepts any.
 */
const form = /** @type {HTMLFormElement | null} */ (document.getElementById('login'));
const result = /** @type {HTMLElement} */ (document.getElementById('result'));

async function finish(/** @type {boolean} */ deny) {
  if (!form) return;
  for (const b of Array.from(form.querySelectorAll('button'))) b.disabled = true;
  const email = /** @type {HTMLInputElement} */ (form.elements.namedItem('email')).value;
  const res = await fetch('/_sim/connect_webviews/view/submit', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      connect_webview_id: form.dataset['webview'],
      ...(deny ? { deny: true } : { email }),
    }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.ok) {
    result.textContent = body?.error?.message ?? `The simulator answered HTTP ${res.status}.`;
    return;
  }
  form.hidden = true;
  if (body.redirect_url) {
    result.textContent = 'Returning to the app…';
    location.assign(body.redirect_url);
  } else {
    result.textContent =
      body.status === 'authorized'
        ? 'Your Salto KS account is connected. You can close this window.'
        : 'Access denied. You can close this window.';
  }
}

form?.addEventListener('submit', (e) => {
  e.preventDefault();
  void finish(false);
});
document.getElementById('deny')?.addEventListener('click', () => void finish(true));
