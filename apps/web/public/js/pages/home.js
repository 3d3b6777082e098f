// Home: find a procedure (accents optional, typo-tolerant search on the server), browse by field, deciding agency,
// level and online level.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { levelLabel, onlineBadge } from '../labels.js';

const PAGE = 20;

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('homeTitle'));
  const fieldsP = api('/api/procedures/fields').catch(() => ({ items: [] }));
  const agenciesP = api('/api/procedures/agencies').catch(() => ({ items: [] }));

  const q = h('input', {
    id: 'q',
    name: 'q',
    type: 'search',
    autocomplete: 'off',
    maxlength: '200',
    placeholder: t('searchPlaceholder'),
    value: query.get('q') ?? '',
    'aria-describedby': 'q-hint',
  });
  const field = h('select', { id: 'f-field', name: 'linh-vuc' }, h('option', { value: '' }, t('allFields')));
  const agency = h(
    'select',
    { id: 'f-agency', name: 'co-quan' },
    h('option', { value: '' }, t('allAgencies')),
  );
  const level = h(
    'select',
    { id: 'f-level', name: 'cap' },
    h('option', { value: '' }, t('allLevels')),
    h('option', { value: 'province' }, t('level_province')),
    h('option', { value: 'commune' }, t('level_commune')),
  );
  const online = h(
    'select',
    { id: 'f-online', name: 'muc-do' },
    h('option', { value: '' }, t('allOnline')),
    ...['TOAN_TRINH', 'MOT_PHAN', 'KHONG'].map((v) => h('option', { value: v }, t(`online_${v}`))),
  );
  level.value = query.get('cap') ?? '';
  online.value = query.get('muc-do') ?? '';
  const status = h('p', { id: 'search-status', role: 'status', 'aria-live': 'polite', class: 'status' });
  const results = h('ol', { id: 'results', class: 'results', 'aria-labelledby': 'results-title' });
  const more = h(
    'button',
    { type: 'button', class: 'btn secondary', id: 'more', hidden: true },
    t('showMore'),
  );
  const resultsTitle = h('h2', { id: 'results-title', class: 'sr-only' }, t('results'));
  const resultsSection = h(
    'section',
    { 'aria-labelledby': 'results-title', hidden: true },
    resultsTitle,
    status,
    results,
    more,
  );
  const browse = h('section', { class: 'card', 'aria-labelledby': 'browse-title', id: 'browse' });

  const form = h(
    'form',
    {
      id: 'search-form',
      role: 'search',
      class: 'search',
      'on:submit': (e) => {
        e.preventDefault();
        run(true);
      },
    },
    h('label', { for: 'q' }, t('searchLabel')),
    h('p', { id: 'q-hint', class: 'hint' }, t('searchHint')),
    h(
      'div',
      { class: 'row' },
      q,
      h('button', { type: 'submit', class: 'btn', id: 'search-button' }, t('search')),
    ),
    h(
      'div',
      { class: 'filters' },
      h('div', {}, h('label', { for: 'f-field' }, t('field')), field),
      h('div', {}, h('label', { for: 'f-agency' }, t('agency')), agency),
      h('div', {}, h('label', { for: 'f-level' }, t('agencyLevel')), level),
      h('div', {}, h('label', { for: 'f-online' }, t('onlineLevel')), online),
    ),
  );
  for (const s of [field, agency, level, online]) s.addEventListener('change', () => run(true));

  replace(
    main,
    h('div', { class: 'hero' }, h('h1', {}, t('homeTitle')), h('p', { class: 'lead' }, t('homeLead')), form),
    resultsSection,
    browse,
    h(
      'section',
      { class: 'quick', 'aria-label': t('quickLinks') },
      h(
        'a',
        { class: 'tile', href: '/tra-cuu', id: 'tile-lookup' },
        h('strong', {}, t('navLookup')),
        h('span', {}, t('lookupTile')),
      ),
      h(
        'a',
        { class: 'tile', href: '/ho-so', id: 'tile-my' },
        h('strong', {}, t('navMyDossiers')),
        h('span', {}, t('myTile')),
      ),
    ),
  );

  let offset = 0;
  let token = 0;
  async function run(push) {
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (field.value) params.set('linh-vuc', field.value);
    if (agency.value) params.set('co-quan', agency.value);
    if (level.value) params.set('cap', level.value);
    if (online.value) params.set('muc-do', online.value);
    if (push) history.replaceState(null, '', params.size ? `/?${params}` : '/');
    offset = 0;
    results.replaceChildren();
    if (!params.size) {
      resultsSection.hidden = true;
      browse.hidden = false;
      return;
    }
    resultsSection.hidden = false;
    browse.hidden = true;
    await load();
  }
  async function load() {
    const my = ++token;
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (q.value.trim()) p.set('q', q.value.trim());
    if (field.value) p.set('field', field.value);
    if (agency.value) p.set('agency', agency.value);
    if (level.value) p.set('level', level.value);
    if (online.value) p.set('onlineLevel', online.value);
    status.textContent = t('searching');
    more.hidden = true;
    try {
      const { items, total } = await api(`/api/procedures?${p}`);
      if (my !== token || !ctx.isCurrent()) return;
      status.textContent = total === 0 ? t('noResults') : t('resultCount', { n: total });
      for (const item of items) results.append(resultItem(item));
      offset += items.length;
      more.hidden = offset >= total;
    } catch (err) {
      if (my !== token) return;
      status.replaceChildren(h('span', { class: 'error' }, err.message));
    }
  }
  more.addEventListener('click', () => {
    const first = results.children.length;
    load().then(() => results.children[first]?.querySelector('a')?.focus());
  });

  const [{ items: fields }, { items: agencies }] = await Promise.all([fieldsP, agenciesP]);
  for (const f of fields) field.append(h('option', { value: f.field }, `${f.field} (${f.count})`));
  field.value = query.get('linh-vuc') ?? '';
  const departments = agencies.filter((a) => a.level === 'department');
  const communes = agencies.filter((a) => a.level === 'commune');
  for (const [label, list] of [
    [t('agencyDepartments'), departments],
    [t('agencyCommunes'), communes],
  ]) {
    if (list.length === 0) continue;
    agency.append(
      h('optgroup', { label }, ...list.map((a) => h('option', { value: a.code }, `${a.name} (${a.count})`))),
    );
  }
  agency.value = query.get('co-quan') ?? '';
  const browseLink = (href, label, count, pick) =>
    h(
      'li',
      {},
      h(
        'a',
        {
          href,
          'on:click': (e) => {
            e.preventDefault();
            pick();
            run(true).then(() => status.focus?.());
          },
        },
        h('span', {}, label),
        h('span', { class: 'count', 'aria-label': t('procedureCount', { n: count }) }, String(count)),
      ),
    );
  replace(
    browse,
    h('h2', { id: 'browse-title' }, t('browseByField')),
    h(
      'ul',
      { class: 'fields' },
      fields.map((f) =>
        browseLink(`/?linh-vuc=${encodeURIComponent(f.field)}`, f.field, f.count, () => {
          field.value = f.field;
        }),
      ),
    ),
    h('h2', { id: 'browse-agency-title' }, t('browseByAgency')),
    h(
      'ul',
      { class: 'fields', 'aria-labelledby': 'browse-agency-title' },
      departments.map((a) =>
        browseLink(`/?co-quan=${encodeURIComponent(a.code)}`, a.name, a.count, () => {
          agency.value = a.code;
        }),
      ),
    ),
    communes.length > 0 ? h('p', { class: 'hint' }, t('browseCommunesHint')) : null,
  );
  await run(false);
}

function resultItem(p) {
  return h(
    'li',
    { class: 'result' },
    h('a', { href: `/thu-tuc/${encodeURIComponent(p.code)}`, class: 'result-link', lang: 'vi' }, p.name),
    h(
      'p',
      { class: 'meta' },
      h('span', {}, `${t('codeShort')} ${p.code}`),
      ' · ',
      h('span', {}, p.field),
      ' · ',
      h('span', {}, levelLabel(p.level)),
      ' ',
      onlineBadge(p.onlineLevel),
    ),
  );
}
