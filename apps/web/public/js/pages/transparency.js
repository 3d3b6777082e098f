// Public transparency of results per agency (issue 6): /minh-bach (pick an agency and a period) and
// /minh-bach/:code (figures as large tiles, a sortable table per procedure, open-data downloads). No login, and the
// API returns aggregates only: no dossier code, name or ID number ever reaches this page.
import { api } from '../api.js';
import { crumbs, h, replace } from '../dom.js';
import { fmtDateTime, fmtIsoDay } from '../format.js';
import { lang, t } from '../i18n.js';

const num = () => new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN');

/** 0.956 → "95,6 %" (vi) or "95.6%" (en); null → null. */
export function fmtPct(x) {
  if (x === null || x === undefined) return null;
  const v = (x * 100).toFixed(1);
  return lang() === 'en' ? `${v}%` : `${v.replace('.', ',')} %`;
}
const fmtNum = (n) => num().format(n);
/** A median of whole working days: 4 → "4", 1.5 → "1,5". */
const fmtDays = (n) =>
  Number.isInteger(n) ? fmtNum(n) : lang() === 'en' ? n.toFixed(1) : n.toFixed(1).replace('.', ',');

/** The period options offered: years, quarters and months around today, and the reporting years (Decree 09/2019). */
function periodOptions() {
  const today = new Date(Date.now() + 7 * 3600_000);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  const q = Math.ceil(m / 3);
  const years = [y, y - 1].map((v) => ({ kind: 'year', key: String(v), label: t('tpYear', { y: v }) }));
  const quarters = [];
  for (let i = 0; i < 6; i++) {
    const n = (y * 4 + q - 1 - i) % 4;
    const yy = Math.floor((y * 4 + q - 1 - i) / 4);
    quarters.push({ kind: 'quarter', key: `${yy}-Q${n + 1}`, label: t('tpQuarter', { q: n + 1, y: yy }) });
  }
  const months = [];
  for (let i = 0; i < 12; i++) {
    const k = y * 12 + (m - 1) - i;
    const yy = Math.floor(k / 12);
    const mm = String((k % 12) + 1).padStart(2, '0');
    months.push({ kind: 'month', key: `${yy}-${mm}`, label: t('tpMonth', { m: mm, y: yy }) });
  }
  // The reporting year y runs 15/12/(y-1) → 14/12/y; after the 14th of December the next one has started.
  const ry = m === 12 && today.getUTCDate() >= 15 ? y + 1 : y;
  const reports = [ry, ry - 1].map((v) => ({
    kind: 'report_year',
    key: String(v),
    label: t('tpReportYear', { y: v, p: v - 1 }),
  }));
  return [
    [t('tpYears'), years],
    [t('tpQuarters'), quarters],
    [t('tpMonths'), months],
    [t('tpReportPeriods'), reports],
  ];
}

const optionValue = (kind, key) => `${kind}|${key}`;

/** The period in the address: ?ky=2026-Q4&loai=quarter (default: the current year). */
function periodFromQuery(query) {
  const key = query.get('ky') || String(new Date(Date.now() + 7 * 3600_000).getUTCFullYear());
  const loai = query.get('loai');
  const kind =
    loai ||
    (/^\d{4}$/.test(key)
      ? 'year'
      : /-Q\d$/i.test(key)
        ? 'quarter'
        : /^\d{4}-\d{2}$/.test(key)
          ? 'month'
          : 'custom');
  return { kind, key };
}

function pageHref(code, period) {
  const p = new URLSearchParams({ ky: period.key });
  const natural = periodFromQuery(new URLSearchParams({ ky: period.key })).kind;
  if (period.kind !== natural) p.set('loai', period.kind);
  return `/minh-bach/${encodeURIComponent(code)}?${p}`;
}

function apiQuery(period, extra = {}) {
  const p = new URLSearchParams({ period: period.key, ...extra });
  if (period.kind !== 'custom') p.set('kind', period.kind);
  return p.toString();
}

export async function render(ctx) {
  const { main, query } = ctx;
  // Read from the address itself: the router passes an optional group that did not match as "undefined".
  const m = /^\/minh-bach\/([^/]+)$/.exec(location.pathname.replace(/\/+$/, ''));
  const code = m ? decodeURIComponent(m[1]) : null;
  const period = periodFromQuery(query);
  ctx.setTitle(t('tpTitle'));

  const agenciesP = api('/api/public/transparency');
  const agencySelect = h(
    'select',
    { id: 'tp-agency', name: 'co-quan', required: true },
    h('option', { value: '' }, t('tpChooseAgency')),
  );
  const periodSelect = h('select', { id: 'tp-period', name: 'ky' });
  const known = new Set();
  for (const [label, options] of periodOptions()) {
    periodSelect.append(
      h(
        'optgroup',
        { label },
        options.map((o) => {
          known.add(optionValue(o.kind, o.key));
          return h('option', { value: optionValue(o.kind, o.key) }, o.label);
        }),
      ),
    );
  }
  if (!known.has(optionValue(period.kind, period.key))) {
    periodSelect.append(h('option', { value: optionValue(period.kind, period.key) }, period.key));
  }
  periodSelect.value = optionValue(period.kind, period.key);

  const chosenPeriod = () => {
    const [kind, key] = periodSelect.value.split('|');
    return { kind, key };
  };
  const form = h(
    'form',
    {
      id: 'tp-form',
      class: 'mb-form',
      'on:submit': (e) => {
        e.preventDefault();
        if (!agencySelect.value) {
          agencySelect.focus();
          return;
        }
        ctx.navigate(pageHref(agencySelect.value, chosenPeriod()));
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'tp-agency' }, t('tpAgency')), agencySelect),
    h('div', { class: 'field' }, h('label', { for: 'tp-period' }, t('tpPeriod')), periodSelect),
    h(
      'div',
      { class: 'mb-submit' },
      h('button', { type: 'submit', class: 'btn', id: 'tp-show' }, t('tpShow')),
    ),
  );
  // On an agency's page, changing the period shows it at once.
  if (code) periodSelect.addEventListener('change', () => ctx.navigate(pageHref(code, chosenPeriod())));

  const out = h('div', { id: 'tp-result', class: 'mb-result', 'aria-live': 'polite' });
  const trail = crumbs(code ? [t('tpCrumb'), '/minh-bach'] : [t('tpCrumb')]);
  const heading = h('h1', { id: 'tp-h1' }, t('tpTitle'));
  const head = h(
    'section',
    { class: 'hero', 'aria-labelledby': 'tp-h1' },
    heading,
    code ? null : h('p', { class: 'lead' }, t('tpLead')),
    form,
  );
  replace(main, trail, head, out);

  let agencies = [];
  try {
    agencies = (await agenciesP).items;
  } catch (err) {
    replace(out, h('p', { class: 'banner warn', role: 'alert' }, err.message));
    return;
  }
  if (!ctx.isCurrent()) return;
  const groups = [
    [t('tpProvince'), agencies.filter((a) => a.level === 'province')],
    [t('tpDepartments'), agencies.filter((a) => a.level === 'department')],
    [t('tpCommunes'), agencies.filter((a) => a.level === 'commune')],
  ];
  for (const [label, list] of groups) {
    if (list.length === 0) continue;
    agencySelect.append(
      h(
        'optgroup',
        { label },
        list.map((a) => h('option', { value: a.code, lang: 'vi' }, a.name)),
      ),
    );
  }
  if (code) agencySelect.value = agencies.some((a) => a.code === code) ? code : '';
  agencySelect.addEventListener('change', () => {
    if (code && agencySelect.value) ctx.navigate(pageHref(agencySelect.value, chosenPeriod()));
  });

  if (!code) {
    replace(
      out,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'tp-browse' },
        h('h2', { id: 'tp-browse' }, t('tpBrowse')),
        groups
          .filter(([, list]) => list.length > 0)
          .map(([label, list], i) => [
            h('h3', { id: `tp-group-${i}` }, label),
            h(
              'ul',
              { class: 'fields', 'aria-labelledby': `tp-group-${i}` },
              list.map((a) => h('li', {}, h('a', { href: pageHref(a.code, period), lang: 'vi' }, a.name))),
            ),
          ]),
        h('p', { class: 'meta mb-note' }, t('tpPrivacy')),
      ),
    );
    return;
  }

  replace(out, h('p', { class: 'loading' }, t('loading')));
  let f;
  try {
    f = await api(`/api/public/transparency/${encodeURIComponent(code)}?${apiQuery(period)}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(
      out,
      h(
        'p',
        { class: 'banner warn', role: 'alert', id: 'tp-error' },
        err.status === 404 ? t('tpNotFound', { code }) : err.message,
      ),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`${f.agency.name} — ${t('tpCrumb')}`);
  heading.textContent = f.agency.name;
  heading.setAttribute('lang', 'vi');
  head.insertBefore(h('p', { class: 'mb-kicker' }, t('tpTitle')), heading);
  trail.querySelector('ol').append(h('li', { lang: 'vi', 'aria-current': 'page' }, f.agency.name));
  replace(out, figuresView(f), proceduresView(f), downloadsView(f, period));
}

function tile(id, label, value, sub) {
  return h(
    'li',
    { class: 'mb-tile', id },
    h('span', { class: 'mb-label' }, label),
    h('strong', { class: value === null ? 'mb-value none' : 'mb-value' }, value ?? t('tpNoData')),
    sub ? h('span', { class: 'mb-sub' }, sub) : null,
  );
}

function figuresView(f) {
  const c = f.counts;
  const s = f.shares;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tp-figures' },
    h('h2', { id: 'tp-figures' }, t('tpFigures')),
    h(
      'p',
      { class: 'meta', id: 'tp-period-line' },
      t('tpPeriodLine', { from: fmtIsoDay(f.period.from), to: fmtIsoDay(f.period.to) }),
      ' · ',
      t('tpUpdated', { at: fmtDateTime(f.generatedAt) }),
    ),
    h(
      'ul',
      { class: 'mb-tiles' },
      tile('tile-received', t('tpReceived'), fmtNum(c.received), t('tpReceivedSub', { n: fmtNum(c.online) })),
      tile(
        'tile-resolved',
        t('tpResolved'),
        fmtNum(c.resolved),
        t('tpResolvedSub', { n: fmtNum(c.inProgress) }),
      ),
      tile(
        'tile-ontime',
        t('tpOnTime'),
        fmtPct(s.onTime),
        t('tpOnTimeSub', { a: fmtNum(c.early + c.onTime), b: fmtNum(c.resolved) }),
      ),
      tile(
        'tile-online',
        t('tpOnline'),
        fmtPct(s.online),
        t('tpOnlineSub', { a: fmtNum(c.online), b: fmtNum(c.received) }),
      ),
      tile(
        'tile-paid',
        t('tpPaid'),
        fmtPct(s.paidOnline),
        t('tpPaidSub', { a: fmtNum(c.paidOnline), b: fmtNum(c.feeCharging) }),
      ),
      tile(
        'tile-satisfied',
        t('tpSatisfied'),
        fmtPct(s.satisfied),
        t('tpSatisfiedSub', { n: fmtNum(c.rated) }),
      ),
      tile(
        'tile-digitized',
        t('tpDigitized'),
        fmtPct(s.digitized),
        t('tpDigitizedSub', { a: fmtNum(c.digitized), b: fmtNum(c.received) }),
      ),
    ),
    h('p', { class: 'hint' }, t('tpMethod')),
  );
}

const COLUMNS = [
  { key: 'name', label: () => t('tpColProcedure'), text: true },
  { key: 'received', label: () => t('tpColReceived') },
  { key: 'decided', label: () => t('tpColDecided') },
  { key: 'onTimeShare', label: () => t('tpColOnTime') },
  { key: 'medianWorkDays', label: () => t('tpColMedian') },
];

function proceduresView(f) {
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'tp-procs' },
    h('h2', { id: 'tp-procs' }, t('tpProcedures')),
  );
  if (f.procedures.length === 0) {
    section.append(h('p', { id: 'tp-no-procs' }, t('tpNoProcedures')));
    return section;
  }
  section.append(h('p', { class: 'hint', id: 'tp-procs-hint' }, t('tpProceduresHint')));
  let sort = { key: 'decided', dir: 'desc' };
  const table = h('table', { class: 'grid mb-table', id: 'tp-table', 'aria-describedby': 'tp-procs-hint' });
  const wrap = h('div', { class: 'table-wrap' }, table);
  section.append(wrap);

  const compare = (a, b) => {
    const col = COLUMNS.find((c) => c.key === sort.key);
    const x = a[sort.key];
    const y = b[sort.key];
    let r;
    if (col.text) r = String(x).localeCompare(String(y), 'vi');
    else if (x === null && y === null) r = 0;
    else if (x === null)
      return 1; // no value: always last
    else if (y === null) return -1;
    else r = x - y;
    return (sort.dir === 'asc' ? r : -r) || a.code.localeCompare(b.code);
  };

  const draw = (focusKey) => {
    const headRow = h(
      'tr',
      {},
      COLUMNS.map((c) => {
        const active = sort.key === c.key;
        const dirLabel = active ? t(sort.dir === 'asc' ? 'tpSortAsc' : 'tpSortDesc') : null;
        return h(
          'th',
          {
            scope: 'col',
            class: c.text ? null : 'num',
            'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : null,
          },
          h(
            'button',
            {
              type: 'button',
              class: 'mb-sort',
              id: `tp-sort-${c.key}`,
              'on:click': () => {
                sort =
                  sort.key === c.key
                    ? { key: c.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
                    : { key: c.key, dir: c.text ? 'asc' : 'desc' };
                draw(c.key);
              },
            },
            c.label(),
            h(
              'span',
              { class: 'mb-arrow', 'aria-hidden': 'true' },
              active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕',
            ),
            dirLabel ? h('span', { class: 'sr-only' }, ` (${dirLabel})`) : null,
          ),
        );
      }),
    );
    const rows = [...f.procedures]
      .sort(compare)
      .map((p) =>
        h(
          'tr',
          { 'data-code': p.code },
          h(
            'td',
            { 'data-label': t('tpColProcedure') },
            h('a', { href: `/thu-tuc/${encodeURIComponent(p.code)}`, lang: 'vi' }, p.name),
            h('span', { class: 'meta mb-code' }, ` ${p.code}`),
          ),
          h('td', { class: 'num', 'data-label': t('tpColReceived') }, fmtNum(p.received)),
          h('td', { class: 'num mb-decided', 'data-label': t('tpColDecided') }, fmtNum(p.decided)),
          h('td', { class: 'num', 'data-label': t('tpColOnTime') }, fmtPct(p.onTimeShare) ?? '—'),
          h(
            'td',
            { class: 'num', 'data-label': t('tpColMedian') },
            p.medianWorkDays === null ? '—' : t('tpDays', { n: fmtDays(p.medianWorkDays) }),
          ),
        ),
      );
    replace(table, h('thead', {}, headRow), h('tbody', {}, rows));
    if (focusKey) table.querySelector(`#tp-sort-${focusKey}`)?.focus();
  };
  draw(null);
  return section;
}

function downloadsView(f, period) {
  const base = `/api/open-data/transparency`;
  const one = apiQuery(period, { agency: f.agency.code });
  const all = apiQuery(period);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tp-downloads' },
    h('h2', { id: 'tp-downloads' }, t('tpDownloads')),
    h(
      'ul',
      { class: 'mb-downloads' },
      h(
        'li',
        {},
        h(
          'a',
          { href: `${base}.csv?${one}`, id: 'tp-csv', download: '', class: 'btn secondary' },
          t('tpCsv'),
        ),
      ),
      h(
        'li',
        {},
        h(
          'a',
          { href: `${base}.json?${one}`, id: 'tp-json', download: '', class: 'btn secondary' },
          t('tpJson'),
        ),
      ),
      h('li', {}, h('a', { href: `${base}.csv?${all}`, id: 'tp-csv-all', download: '' }, t('tpCsvAll'))),
    ),
    h('p', { class: 'hint' }, t('tpDownloadHint')),
    h('p', { class: 'meta' }, t('tpPrivacy')),
  );
}
