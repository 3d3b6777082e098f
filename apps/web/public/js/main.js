// Tỉnh Số — Cổng dịch vụ công. No build step, no framework: ES modules, pages loaded on demand.
import { api, setCsrf } from './api.js';
import { h, replace } from './dom.js';
import { applyStatic, lang, setLang, t } from './i18n.js';
import { rerender, startRouter } from './router.js';

let me = null;
const header = document.getElementById('account');
const live = document.getElementById('live');

/** Announces a short status message to screen readers (polite). */
export function announce(msg) {
  live.textContent = '';
  setTimeout(() => {
    live.textContent = msg;
  }, 50);
}

export const getMe = () => me;
export const loginHref = (returnTo = location.pathname + location.search) =>
  `/api/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`;

export async function loadMe() {
  try {
    me = await api('/api/auth/me');
  } catch {
    me = null;
  }
  setCsrf(me?.csrfToken);
  renderHeader();
  return me;
}

async function logout() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } catch {}
  me = null;
  setCsrf(null);
  location.assign('/');
}

function renderHeader() {
  const langBtn = h(
    'button',
    {
      type: 'button',
      class: 'lang',
      id: 'lang-toggle',
      lang: lang() === 'vi' ? 'en' : 'vi',
      'aria-label': t('langSwitchLabel'),
      'on:click': async () => {
        setLang(lang() === 'vi' ? 'en' : 'vi');
        applyStatic();
        renderHeader();
        await rerender();
      },
    },
    lang() === 'vi' ? 'English' : 'Tiếng Việt',
  );
  const items = [h('li', {}, h('a', { href: '/tra-cuu', id: 'nav-lookup' }, t('navLookup')))];
  if (me?.kind === 'citizen') {
    items.push(
      h('li', {}, h('a', { href: '/ho-so', id: 'nav-my' }, t('navMyDossiers'))),
      h('li', { class: 'who' }, h('span', { id: 'user-name' }, me.name)),
      h(
        'li',
        {},
        h('button', { type: 'button', class: 'link', id: 'logout', 'on:click': logout }, t('logout')),
      ),
    );
  } else if (me?.kind === 'officer') {
    items.push(
      h('li', {}, h('a', { href: '/can-bo', id: 'nav-officer' }, t('navOfficerDossiers'))),
      h('li', { class: 'who' }, h('span', { id: 'user-name' }, me.name)),
      h(
        'li',
        {},
        h('button', { type: 'button', class: 'link', id: 'logout', 'on:click': logout }, t('logout')),
      ),
    );
  } else {
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          {
            href: loginHref(),
            id: 'login-vneid',
            class: 'login',
            'data-reload': '',
            // Come back to the page the citizen is on now (the address may have changed since the header was drawn).
            'on:click': (e) => {
              e.currentTarget.href = loginHref();
            },
          },
          t('loginVneid'),
        ),
      ),
    );
  }
  items.push(h('li', {}, langBtn));
  replace(header, h('ul', {}, items));
}

async function boot() {
  applyStatic();
  renderHeader();
  await loadMe();
  await startRouter({ main: document.getElementById('main'), announce, getMe, loadMe });
}
boot();
