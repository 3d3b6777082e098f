// History-API routing: real addresses (/thu-tuc/1.013225, /ho-so/H41.50-261124-0001…), page modules loaded on demand.
import { t } from './i18n.js';

const ROUTES = [
  [/^\/$/, () => import('./pages/home.js')],
  [/^\/thu-tuc\/([^/]+)$/, () => import('./pages/procedure.js')],
  [/^\/nop\/([^/]+)$/, () => import('./pages/wizard/index.js')],
  [/^\/ho-so$/, () => import('./pages/my.js')],
  [/^\/ho-so\/([^/]+)$/, () => import('./pages/dossier/index.js')],
  [/^\/tra-cuu$/, () => import('./pages/lookup.js')],
  // Back office (helper office-ui): officer home, counter intake, queues, dossier workspace, leaders.
  [/^\/can-bo$/, () => import('./office/home.js')],
  [/^\/can-bo\/tiep-nhan$/, () => import('./office/intake.js')],
  [/^\/can-bo\/hang-doi\/([^/]+)$/, () => import('./office/queue.js')],
  [/^\/can-bo\/ho-so\/([^/]+)$/, () => import('./office/workspace.js')],
  [/^\/can-bo\/lanh-dao$/, () => import('./office/leader.js')],
  // Operations dashboard (IOC) and the public transparency pages (issue 6).
  [/^\/can-bo\/dieu-hanh$/, () => import('./office/dashboard.js')],
  [/^\/minh-bach(?:\/([^/]+))?$/, () => import('./pages/transparency.js')],
  // Administration (helper admin-ui): units, officers, catalogue, holidays, settings.
  [/^\/can-bo\/quan-tri(?:\/.*)?$/, () => import('./admin/index.js')],
];

let cleanup = null;
let seq = 0;
let context = null;

/** ctx: {main, live, getMe, refreshHeader}. Starts listening to links and back/forward. */
export function startRouter(ctx) {
  context = ctx;
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest?.('a[href]');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.reload !== undefined) return;
    const url = new URL(a.href, location.href);
    if (
      url.origin !== location.origin ||
      url.pathname.startsWith('/api/') ||
      url.pathname.startsWith('/verify/')
    )
      return;
    if (!ROUTES.some(([re]) => re.test(url.pathname))) return;
    e.preventDefault();
    if (url.pathname === location.pathname && url.search === location.search && url.hash) {
      location.hash = url.hash;
      return;
    }
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => render(false));
  return render(true);
}

/** Goes to a portal address without reloading. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render(false);
}

/** Renders the current address again (e.g. after the language changed). */
export const rerender = () => render(false, { keepFocus: true });

async function render(first, { keepFocus = false } = {}) {
  const my = ++seq;
  const { main } = context;
  const query = new URLSearchParams(location.search);
  let loader = null;
  let params = [];
  for (const [re, load] of ROUTES) {
    const m = re.exec(location.pathname.replace(/\/+$/, '') || '/');
    if (m) {
      loader = load;
      params = m.slice(1).map((x) => (x === undefined ? undefined : decodeURIComponent(x)));
      break;
    }
  }
  // The QR code on a receipt opens /?ma={code}: the public status page, directly.
  if (location.pathname === '/' && query.get('ma')) loader = () => import('./pages/lookup.js');
  if (typeof cleanup === 'function') {
    try {
      await cleanup();
    } catch {}
  }
  cleanup = null;
  main.setAttribute('aria-busy', 'true');
  const loading = setTimeout(() => {
    if (my === seq)
      main.replaceChildren(
        Object.assign(document.createElement('p'), { className: 'loading', textContent: t('loading') }),
      );
  }, 150);
  let page;
  try {
    page = loader ? await loader() : await import('./pages/notfound.js');
  } catch {
    page = await import('./pages/notfound.js').catch(() => null);
  }
  if (my !== seq || !page) return;
  let title = '';
  const ctx = {
    ...context,
    params,
    query,
    navigate,
    setTitle: (s) => {
      title = s;
      document.title = `${s} — ${t('siteName')}`;
    },
    isCurrent: () => my === seq,
  };
  // The page writes into <main> as soon as it has something to show: no "loading" line after that.
  const writes = new MutationObserver(() => {
    clearTimeout(loading);
    writes.disconnect();
  });
  writes.observe(main, { childList: true });
  try {
    cleanup = (await page.render(ctx)) ?? null;
  } catch (err) {
    if (my !== seq) return;
    const { renderError } = await import('./pages/notfound.js');
    renderError(ctx, err);
  }
  clearTimeout(loading);
  writes.disconnect();
  if (my !== seq) return;
  main.removeAttribute('aria-busy');
  if (!title) document.title = t('siteName');
  if (!first && !keepFocus) {
    const h1 = main.querySelector('h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
}
