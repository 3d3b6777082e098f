// A work queue /can-bo/hang-doi/:key: the table (code, applicant, procedure, step, due date with a traffic light),
// search by code, name or ID number ("/" focuses it), filters (procedure, channel, period), paging, Enter opens a row.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { lang, t } from '../i18n.js';
import { channelLabel, statusBadge } from '../labels.js';
import {
  cleanupAll,
  currentUnit,
  dateRange,
  dt,
  field,
  layout,
  lightBadge,
  loadQueues,
  QUEUE_KEYS,
  queueLabel,
  requireOfficer,
  roleLabel,
  shortcuts,
} from './common.js';

const PAGE = 25;
/** Until GET /api/queues/:key exists: the nearest list GET /api/dossiers gives (status filter). */
const FALLBACK_STATUS = { to_receive: 1, waiting_citizen: 5, to_return: 9, returned: 10, all: null };

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  const key = ctx.params[0];
  if (!QUEUE_KEYS.includes(key)) {
    const { render: nf } = await import('../pages/notfound.js');
    return nf(ctx);
  }
  const q = ctx.query;
  const filters = {
    q: q.get('q') ?? '',
    procedure: q.get('procedure') ?? '',
    channel: q.get('channel') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    offset: Math.max(0, Number(q.get('offset')) || 0),
  };
  const queues = await loadQueues(me);
  const meta = queues?.find((x) => x.key === key) ?? { key };
  const title = queueLabel(meta);
  ctx.setTitle(title);

  const search = h('input', {
    type: 'search',
    value: filters.q,
    maxlength: '100',
    'data-search': '',
    autocomplete: 'off',
  });
  const proc = h('input', {
    type: 'text',
    value: filters.procedure,
    maxlength: '40',
    placeholder: '1.000656',
  });
  const chan = h(
    'select',
    {},
    h('option', { value: '' }, t('oAllChannels')),
    ['counter', 'online', 'post'].map((c) =>
      h('option', { value: c, selected: filters.channel === c }, channelLabel(c)),
    ),
  );
  // The dates are kept in the address as YYYY-MM-DD.
  const dates = dateRange(filters.from, filters.to);
  const apply = (extra = {}) => {
    const d = dates.read();
    if (!d) return;
    const p = new URLSearchParams();
    const v = {
      q: search.value.trim(),
      procedure: proc.value.trim(),
      channel: chan.value,
      from: d.from,
      to: d.to,
      offset: 0,
      ...extra,
    };
    for (const [k, x] of Object.entries(v)) if (x) p.set(k, String(x));
    ctx.navigate(`/can-bo/hang-doi/${key}${p.size ? `?${p}` : ''}`);
  };
  const form = h(
    'form',
    {
      class: 'o-filters',
      id: 'queue-filters',
      role: 'search',
      'on:submit': (e) => {
        e.preventDefault();
        apply();
      },
    },
    field('queue-q', t('oQueueSearch'), search, { hint: t('oQueueSearchHint') }),
    field('queue-procedure', t('procedureCode'), proc),
    field('queue-channel', t('channel'), chan),
    field('queue-from', t('oFrom'), dates.from),
    field('queue-to', t('oTo'), dates.to),
    h(
      'div',
      { class: 'o-row-btn' },
      h('button', { type: 'submit', class: 'btn small', id: 'queue-apply' }, t('search')),
    ),
  );

  const body = h(
    'div',
    { id: 'queue-body', 'aria-live': 'polite' },
    h('p', { class: 'loading' }, t('loading')),
  );
  layout(ctx, me, `queue:${key}`, h('h1', {}, title), form, body);

  // ---- data ----
  const unit = currentUnit(me);
  let items;
  let total;
  let totalCapped = false;
  let fallback = false;
  const p = new URLSearchParams({ limit: String(PAGE), offset: String(filters.offset) });
  if (unit) p.set('unit', unit);
  for (const k of ['q', 'procedure', 'channel', 'from', 'to']) if (filters[k]) p.set(k, filters[k]);
  try {
    ({ items, total, totalCapped } = await api(`/api/queues/${key}?${p}`));
  } catch (err) {
    if (err.status !== 404 || !(key in FALLBACK_STATUS)) {
      replace(body, h('p', { class: 'field-error', role: 'alert', id: 'queue-error' }, err.message));
      return cleanupAll(shortcuts(ctx));
    }
    fallback = true;
    const f = new URLSearchParams({ limit: String(PAGE), offset: String(filters.offset) });
    if (FALLBACK_STATUS[key]) f.set('status', String(FALLBACK_STATUS[key]));
    if (unit) f.set('unit', unit);
    if (filters.q) f.set('q', filters.q);
    try {
      ({ items, total } = await api(`/api/dossiers?${f}`));
    } catch (e2) {
      replace(body, h('p', { class: 'field-error', role: 'alert', id: 'queue-error' }, e2.message));
      return cleanupAll(shortcuts(ctx));
    }
  }
  if (!ctx.isCurrent()) return cleanupAll();

  const open = (code) => ctx.navigate(`/can-bo/ho-so/${encodeURIComponent(code)}`);
  const rows = items.map((d) =>
    h(
      'tr',
      {
        tabindex: '0',
        'data-code': d.code,
        'aria-label': `${d.code}, ${d.applicantName}`,
        'on:keydown': (e) => {
          if (e.key === 'Enter' && e.target === e.currentTarget) open(d.code);
          else if (e.key === 'ArrowDown') {
            e.preventDefault();
            e.currentTarget.nextElementSibling?.focus();
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            e.currentTarget.previousElementSibling?.focus();
          }
        },
        'on:dblclick': () => open(d.code),
      },
      h(
        'td',
        { class: 'nowrap' },
        h('a', { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}`, tabindex: '-1' }, d.code),
      ),
      h('td', {}, d.applicantName, d.applicantId ? h('span', { class: 'meta block' }, d.applicantId) : null),
      h(
        'td',
        {},
        d.procedureName,
        h('span', { class: 'meta block' }, `${d.procedureCode} · ${channelLabel(d.channel)}`),
      ),
      h(
        'td',
        {},
        statusBadge(d.status, t(`status_${d.status}`)),
        d.currentStep
          ? h('span', { class: 'meta block' }, `${d.currentStep.name} (${roleLabel(d.currentStep.role)})`)
          : null,
        d.assignee ? h('span', { class: 'meta block' }, d.assignee.name) : null,
      ),
      h(
        'td',
        { class: 'nowrap' },
        dt(d.dueAt),
        d.stepDueAt ? h('span', { class: 'meta block' }, `${t('oStepShort')}: ${dt(d.stepDueAt)}`) : null,
      ),
      h('td', {}, fallback ? lightBadge(null) : lightBadge(d.deadline)),
    ),
  );
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const page = Math.floor(filters.offset / PAGE) + 1;
  replace(
    body,
    fallback ? h('p', { class: 'notice', id: 'queue-fallback' }, t('oQueueFallback')) : null,
    h(
      'p',
      { class: 'meta', id: 'queue-total' },
      t(totalCapped ? 'oQueueTotalMore' : 'oQueueTotal', {
        n: total.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB'),
      }),
      ' ',
      t('oQueueKeys'),
    ),
    items.length === 0
      ? h('p', { id: 'queue-empty' }, t('oQueueEmpty'))
      : h(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
          h(
            'table',
            { class: 'grid o-queue', id: 'queue-table' },
            h('caption', { class: 'sr-only' }, title),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  t('dossierCode'),
                  t('applicant'),
                  t('procedure'),
                  t('oColStep'),
                  t('dueAt'),
                  t('oDeadline'),
                ].map((x) => h('th', { scope: 'col' }, x)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
    pages > 1
      ? h(
          'nav',
          { class: 'o-pager', 'aria-label': t('oPaging') },
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary small',
              id: 'queue-prev',
              disabled: page <= 1,
              'on:click': () => apply({ offset: filters.offset - PAGE }),
            },
            t('oPrev'),
          ),
          h('span', { id: 'queue-page' }, t('oPageOf', { n: page, of: pages })),
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary small',
              id: 'queue-next',
              disabled: page >= pages,
              'on:click': () => apply({ offset: filters.offset + PAGE }),
            },
            t('oNext'),
          ),
        )
      : null,
  );
  return cleanupAll(shortcuts(ctx));
}
