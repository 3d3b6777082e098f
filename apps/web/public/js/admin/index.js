// /can-bo/quan-tri and /can-bo/quan-tri/*: the administration screens (officers holding the `admin` role).
// One shell (title, section navigation) and one lazily loaded module per section.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { getMe } from '../main.js';

export const BASE = '/can-bo/quan-tri';

const SECTIONS = [
  {
    key: 'thu-tuc',
    label: 'adminCatalogue',
    hint: 'adminCatalogueHint',
    load: () => import('./catalogue.js'),
  },
  { key: 'can-bo', label: 'adminOfficers', hint: 'adminOfficersHint', load: () => import('./officers.js') },
  {
    key: 'ngay-nghi',
    label: 'adminHolidays',
    hint: 'adminHolidaysHint',
    load: () => import('./holidays.js'),
  },
  { key: 'don-vi', label: 'adminUnits', hint: 'adminUnitsHint', load: () => import('./units.js') },
  { key: 'cai-dat', label: 'adminSettings', hint: 'adminSettingsHint', load: () => import('./settings.js') },
];

export async function render(ctx) {
  const { main } = ctx;
  main.classList.add('admin-wide');
  // Ctrl+S (⌘S) saves the form being edited (the focused one, else the page's main form).
  const onKey = (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 's') return;
    const form =
      document.activeElement?.closest?.('form') ??
      document.querySelector('dialog[open] form') ??
      main.querySelector('form[data-primary]');
    if (!form) return;
    e.preventDefault();
    form.requestSubmit();
  };
  document.addEventListener('keydown', onKey);
  const cleanup = () => {
    main.classList.remove('admin-wide');
    document.removeEventListener('keydown', onKey);
  };
  ctx.setTitle(t('adminTitle'));
  const me = getMe();
  if (me?.kind !== 'officer') {
    replace(
      main,
      h(
        'section',
        { class: 'card narrow', id: 'admin-login-needed' },
        h('h1', {}, t('adminTitle')),
        h('p', {}, t('adminNeedLogin')),
        h('p', {}, h('a', { href: '/can-bo', class: 'btn', id: 'admin-go-login' }, t('login'))),
      ),
    );
    return cleanup;
  }
  if (!(me.roles ?? []).some((r) => r.role === 'admin')) {
    replace(
      main,
      h(
        'section',
        { class: 'card narrow', id: 'admin-forbidden', role: 'alert' },
        h('h1', {}, t('adminTitle')),
        h('p', {}, h('strong', {}, t('adminNotAdmin'))),
        h('p', {}, t('adminForbiddenHint')),
        h('p', {}, h('a', { href: '/can-bo' }, t('adminBackToOffice'))),
      ),
    );
    return cleanup;
  }
  const rest = location.pathname
    .slice(BASE.length)
    .split('/')
    .filter(Boolean)
    .map((x) => decodeURIComponent(x));
  const section = SECTIONS.find((s) => s.key === rest[0]);
  const nav = h(
    'nav',
    { class: 'admin-nav', 'aria-label': t('adminNavLabel'), id: 'admin-nav' },
    h(
      'ul',
      {},
      SECTIONS.map((s) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `${BASE}/${s.key}`,
              id: `admin-nav-${s.key}`,
              'aria-current': s === section ? 'page' : null,
            },
            t(s.label),
          ),
        ),
      ),
    ),
  );
  const body = h('div', { class: 'admin-body', id: 'admin-body' });
  replace(
    main,
    h(
      'div',
      { class: 'admin-head' },
      h('p', { class: 'meta admin-kicker' }, t('adminTitle')),
      h('h1', { id: 'admin-h1' }, section ? t(section.label) : t('adminTitle')),
    ),
    nav,
    body,
  );
  if (!section) {
    if (rest.length) {
      replace(body, h('p', { class: 'notice', role: 'alert' }, t('notFoundText')));
      return cleanup;
    }
    replace(
      body,
      h(
        'ul',
        { class: 'admin-tiles', id: 'admin-tiles' },
        SECTIONS.map((s) =>
          h(
            'li',
            {},
            h(
              'a',
              { class: 'tile', href: `${BASE}/${s.key}` },
              h('strong', {}, t(s.label)),
              h('span', {}, t(s.hint)),
            ),
          ),
        ),
      ),
    );
    return cleanup;
  }
  ctx.setTitle(`${t(section.label)} — ${t('adminTitle')}`);
  const mod = await section.load();
  if (!ctx.isCurrent()) return cleanup;
  const inner = await mod.render({
    ctx,
    root: body,
    params: rest.slice(1),
    h1: main.querySelector('#admin-h1'),
  });
  return () => {
    cleanup();
    if (typeof inner === 'function') inner();
  };
}
