// "Hồ sơ của tôi" /ho-so: the citizen's dossiers and unfinished drafts.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { t } from '../i18n.js';
import { statusBadge } from '../labels.js';
import { getMe, loginHref } from '../main.js';

export async function render(ctx) {
  const { main } = ctx;
  const me = getMe();
  ctx.setTitle(t('navMyDossiers'));
  if (me?.kind !== 'citizen') {
    replace(
      main,
      h(
        'section',
        { class: 'card narrow' },
        h('h1', {}, t('navMyDossiers')),
        h('p', {}, t('loginToSeeMine')),
        h(
          'p',
          {},
          h('a', { class: 'btn big', href: loginHref('/ho-so'), 'data-reload': '' }, t('loginVneid')),
        ),
        h('p', {}, h('a', { href: '/tra-cuu' }, t('lookupWithoutLogin'))),
      ),
    );
    return;
  }
  const [list, drafts] = await Promise.all([
    api('/api/dossiers?limit=100'),
    api('/api/me/drafts').catch(() => ({ items: [] })),
  ]);
  const draftSection = drafts.items.length
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'drafts-title' },
        h('h2', { id: 'drafts-title' }, t('drafts')),
        h(
          'ul',
          { class: 'plain cards', id: 'draft-list' },
          drafts.items.map((d) =>
            h(
              'li',
              { class: 'item' },
              h('p', {}, h('strong', {}, d.procedureName)),
              h(
                'p',
                { class: 'meta' },
                `${d.procedureCode} · ${t('savedAt', { time: fmtDateTime(d.updatedAt) })}`,
              ),
              h(
                'a',
                {
                  class: 'btn secondary small',
                  href: `/nop/${encodeURIComponent(d.procedureCode)}`,
                  'aria-label': `${t('continue')}: ${d.procedureName}`,
                },
                t('continue'),
              ),
            ),
          ),
        ),
      )
    : null;
  replace(
    main,
    h('h1', {}, t('navMyDossiers')),
    h('p', { class: 'lead' }, t('myLead', { name: me.name })),
    draftSection,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'dossiers-title' },
      h('h2', { id: 'dossiers-title' }, t('submittedDossiers', { n: list.total })),
      list.items.length
        ? h(
            'ul',
            { class: 'plain cards', id: 'my-dossiers' },
            list.items.map((d) =>
              h(
                'li',
                { class: 'item' },
                h(
                  'p',
                  {},
                  h('a', { href: `/ho-so/${encodeURIComponent(d.code)}`, class: 'strong-link' }, d.code),
                ),
                h('p', {}, d.procedureName),
                h(
                  'p',
                  { class: 'meta' },
                  statusBadge(d.status, t(`status_${d.status}`)),
                  ` · ${t('submittedAt')}: ${fmtDateTime(d.submittedAt)}`,
                  d.dueAt && [1, 2, 4, 5, 6].includes(d.status)
                    ? ` · ${t('dueAt')}: ${fmtDateTime(d.dueAt)}`
                    : '',
                ),
              ),
            ),
          )
        : h('p', {}, t('noDossiers'), ' ', h('a', { href: '/' }, t('findProcedure'))),
    ),
  );
}
