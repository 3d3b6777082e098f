// Officer sign-in /can-bo and a simple list of the unit's dossiers (the full back office is elsewhere).
import { api, setCsrf } from '../api.js';
import { h, replace } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { t } from '../i18n.js';
import { statusBadge } from '../labels.js';
import { getMe, loadMe } from '../main.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('officerTitle'));
  const me = getMe();
  if (me?.kind === 'officer') return list(ctx, me);
  const status = h('p', { id: 'login-status', role: 'alert', class: 'field-error', hidden: true });
  const user = h('input', {
    id: 'username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    maxlength: '100',
  });
  const pass = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: '200',
  });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'login-submit' }, t('login'));
  replace(
    main,
    h(
      'section',
      { class: 'card narrow', 'aria-labelledby': 'officer-h1' },
      h('h1', { id: 'officer-h1' }, t('officerTitle')),
      me?.kind === 'citizen' ? h('p', { class: 'notice' }, t('officerCitizenNote')) : null,
      h(
        'form',
        {
          id: 'login-form',
          'on:submit': async (e) => {
            e.preventDefault();
            btn.disabled = true;
            try {
              const who = await api('/api/auth/login', {
                method: 'POST',
                body: { username: user.value, password: pass.value },
              });
              setCsrf(who.csrfToken);
              await loadMe();
              await ctx.navigate('/can-bo', { replace: true });
            } catch (err) {
              btn.disabled = false;
              status.hidden = false;
              status.textContent = err.message;
            }
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'username' }, t('username')), user),
        h('div', { class: 'field' }, h('label', { for: 'password' }, t('password')), pass),
        status,
        btn,
      ),
    ),
  );
}

async function list(ctx, me) {
  const { items, total } = await api('/api/dossiers?limit=50');
  replace(
    ctx.main,
    h('h1', {}, t('officerDossiers')),
    h('p', { class: 'lead' }, `${me.name} — ${me.roles.map((r) => `${r.role}@${r.unit}`).join(', ')}`),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'officer-list-title' },
      h('h2', { id: 'officer-list-title' }, t('dossierCount', { n: total })),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'grid', id: 'officer-dossiers' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('dossierCode'), t('procedure'), t('applicant'), t('status'), t('dueAt')].map((x) =>
                h('th', { scope: 'col' }, x),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            items.map((d) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  { class: 'nowrap' },
                  h('a', { href: `/ho-so/${encodeURIComponent(d.code)}` }, d.code),
                ),
                h('td', {}, d.procedureName),
                h('td', {}, d.applicantName),
                h('td', {}, statusBadge(d.status, t(`status_${d.status}`))),
                h('td', {}, fmtDateTime(d.dueAt)),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
