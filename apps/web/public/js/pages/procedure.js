// Procedure page /thu-tuc/:code: everything a citizen needs to know before starting.
import { api } from '../api.js';
import { crumbs, h, longText, replace } from '../dom.js';
import { fmtDays, fmtMoney, fmtSize } from '../format.js';
import { t } from '../i18n.js';
import { channelLabel, levelLabel, onlineBadge } from '../labels.js';
import { getMe, loginHref } from '../main.js';

export async function render(ctx) {
  const { main } = ctx;
  const code = ctx.params[0];
  const { definition: d, version, templates = [] } = await api(`/api/procedures/${encodeURIComponent(code)}`);
  const uploaded = new Map(templates.map((tp) => [tp.component, tp]));
  const needUnits =
    d.competentUnits.length > 0 || d.workflow.some((s) => !['reception', 'competent'].includes(s.unit));
  const units = needUnits
    ? await api('/api/units')
        .then((r) => r.items)
        .catch(() => [])
    : [];
  const unitName = (c) => units.find((u) => u.code === c || u.classicCode === c)?.name ?? c;
  ctx.setTitle(d.name);

  const online = d.channels.includes('online');
  const me = getMe();
  const submitHref = `/nop/${encodeURIComponent(d.code)}`;
  const makeCta = (id) =>
    online
      ? h(
          'div',
          { class: 'cta' },
          me?.kind === 'citizen'
            ? h('a', { class: 'btn big', href: submitHref, id }, t('submitOnline'))
            : h(
                'a',
                { class: 'btn big', href: loginHref(submitHref), id, 'data-reload': '' },
                t('submitOnline'),
              ),
          me?.kind === 'citizen' ? null : h('p', { class: 'hint' }, t('submitNeedsLogin')),
        )
      : h('p', { class: 'notice' }, t('notOnline'));

  const who =
    d.competentUnits.length > 0
      ? d.competentUnits.map(unitName).join('; ')
      : d.level === 'commune'
        ? t('competentCommune')
        : t('competentProvince');

  const days = d.channels.map((c) =>
    h(
      'li',
      {},
      h('strong', {}, `${channelLabel(c)}: `),
      d.processingDays[c] === undefined ? '—' : fmtDays(d.processingDays[c]),
    ),
  );

  const feeItems = d.fees.length
    ? h(
        'ul',
        { class: 'plain' },
        d.fees.map((f) =>
          h(
            'li',
            {},
            h('strong', {}, fmtMoney(f.amountVnd)),
            ' — ',
            f.name,
            h(
              'span',
              { class: 'meta' },
              ` (${t(`feeKind_${f.kind ?? 'fee'}`)}; ${f.channels.map(channelLabel).join(', ')}${f.payableOnline ? `; ${t('payableOnline')}` : ''})`,
            ),
          ),
        ),
      )
    : h('p', {}, t('noFee'));

  const stepUnit = (u) =>
    u === 'reception' ? t('stepReception') : u === 'competent' ? t('stepCompetent') : unitName(u);

  replace(
    main,
    crumbs([d.field, `/?linh-vuc=${encodeURIComponent(d.field)}`]),
    h(
      'article',
      { class: 'card procedure', 'aria-labelledby': 'proc-title' },
      h('h1', { id: 'proc-title', lang: 'vi' }, d.name),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, t('procedureCode')),
        h('dd', {}, `${d.code} (${t('versionN', { n: version })})`),
        h('dt', {}, t('field')),
        h('dd', {}, d.field),
        h('dt', {}, t('whoDecides')),
        h('dd', { id: 'who-decides' }, `${levelLabel(d.level)} — ${who}`),
        h('dt', {}, t('onlineLevel')),
        h('dd', {}, onlineBadge(d.onlineLevel)),
        h('dt', {}, t('channels')),
        h('dd', {}, d.channels.map(channelLabel).join(', ')),
      ),
      makeCta('submit-online'),
    ),
    section(
      'sec-time',
      t('processingTime'),
      h('ul', { class: 'plain', id: 'processing-days' }, days),
      d.processingNote ? h('p', { class: 'meta' }, d.processingNote) : null,
    ),
    section('sec-fees', t('fees'), feeItems),
    section(
      'sec-components',
      t('components'),
      h('p', { class: 'hint' }, t('componentsHint')),
      h(
        'ol',
        { class: 'components', id: 'component-list' },
        d.components.map((c) =>
          h(
            'li',
            {},
            h('div', { lang: 'vi' }, longText(c.name, 300, t('showFullText'))),
            h(
              'p',
              { class: 'meta' },
              h(
                'span',
                { class: c.required ? 'tag required' : 'tag' },
                c.required ? t('required') : t('optional'),
              ),
              ' ',
              t('originalsCopies', { o: c.originals ?? 0, c: c.copies ?? 0 }),
              c.reusable ? ` · ${t('reusable')}` : '',
            ),
            uploaded.has(c.code) ? uploadedTemplateLink(uploaded.get(c.code)) : null,
            c.formTemplate && (isUrl(c.formTemplate) || !uploaded.has(c.code))
              ? templateLink(c.formTemplate)
              : null,
          ),
        ),
      ),
    ),
    section(
      'sec-steps',
      t('steps'),
      h(
        'ol',
        { class: 'steps' },
        d.workflow.map((s) =>
          h(
            'li',
            {},
            h('strong', {}, s.name),
            h('span', { class: 'meta' }, ` — ${stepUnit(s.unit)}; ${fmtDays(s.durationDays)}`),
          ),
        ),
      ),
    ),
    section(
      'sec-results',
      t('results_'),
      h(
        'ul',
        { class: 'plain' },
        d.results.map((r) => h('li', {}, r.name)),
      ),
    ),
    section(
      'sec-legal',
      t('legalBases'),
      d.legalBases.length
        ? h(
            'ul',
            {},
            d.legalBases.map((b) => h('li', {}, b)),
          )
        : h('p', {}, '—'),
    ),
    online ? makeCta('submit-online-bottom') : null,
  );
}

function section(id, title, ...body) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

const isUrl = (s) => /^https?:\/\//.test(s) || s.startsWith('/');

/** A form template uploaded by the province (GET, no login): "Tải mẫu: <name> (<size>)". */
function uploadedTemplateLink(tp) {
  return h(
    'p',
    {},
    h(
      'a',
      { href: tp.url, download: tp.name, class: 'download', 'data-template': tp.component },
      t('downloadForm', { name: tp.name, size: fmtSize(tp.size) }),
    ),
  );
}

/** A template is downloadable when the catalogue gives its address; otherwise say where to get it. */
function templateLink(name) {
  if (isUrl(name)) {
    return h('p', {}, h('a', { href: name, download: '', class: 'download' }, t('downloadTemplate')));
  }
  return h('p', { class: 'meta' }, t('templateName', { name }));
}
