// The yearly holiday schedule: days off (holidays, compensatory, swapped) and make-up working Saturdays, with the
// lunar date of each day. GET /api/calendar/holidays?year=, PUT /api/calendar/years/:year, GET /api/calendar/lunar.
import { h, newId, replace } from '../dom.js';
import { lang, t } from '../i18n.js';
import {
  api,
  clearFieldErrors,
  dateInput,
  dmyToIso,
  field,
  issueList,
  issuesOf,
  placeIssues,
  showBusy,
  showError,
  showOk,
  statusRegion,
} from './common.js';

const KINDS = ['holiday', 'compensatory', 'swapped', 'makeup_workday'];
const lunarCache = new Map();

async function lunar(iso) {
  if (!lunarCache.has(iso))
    lunarCache.set(
      iso,
      api(`/api/calendar/lunar?date=${iso}`).catch(() => null),
    );
  return lunarCache.get(iso);
}

const weekday = (iso) =>
  new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

export async function render({ ctx, root }) {
  const thisYear = Number(
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()),
  );
  const qYear = Number(ctx.query.get('nam'));
  const year = Number.isInteger(qYear) && qYear >= 1901 && qYear <= 2099 ? qYear : thisYear;
  const data = await api(`/api/calendar/holidays?year=${year}`);

  const yearSel = h(
    'select',
    { id: 'hol-year' },
    Array.from({ length: 7 }, (_, i) => thisYear - 3 + i).map((y) =>
      h('option', { value: y, selected: y === year }, String(y)),
    ),
  );
  yearSel.addEventListener('change', () => ctx.navigate(`/can-bo/quan-tri/ngay-nghi?nam=${yearSel.value}`));

  const source = h('input', {
    type: 'text',
    id: 'hol-source',
    'data-path': 'source',
    value: data.official ? data.source : '',
    maxlength: '500',
  });
  const tbody = h('tbody', { id: 'hol-rows' });
  const rows = [];
  const status = statusRegion('hol-status');
  const form = h('form', { id: 'hol-form', novalidate: true, 'data-primary': '' });
  const count = h('p', { class: 'meta', id: 'hol-count', 'aria-live': 'polite' });
  const recount = () => {
    const off = rows.filter((r) => r.kind.value !== 'makeup_workday').length;
    count.textContent = t('adminHolCount', { off, makeup: rows.length - off });
  };

  const addRow = (d, focus) => {
    const rid = newId('hol');
    const date = dateInput({ id: `${rid}-date`, 'aria-label': t('adminDate'), class: 'admin-date' }, d.date);
    const kind = h(
      'select',
      { id: `${rid}-kind`, 'aria-label': t('adminHolKind') },
      KINDS.map((k) => h('option', { value: k, selected: d.kind === k }, t(`adminKind_${k}`))),
    );
    const name = h('input', {
      type: 'text',
      id: `${rid}-name`,
      value: d.name,
      maxlength: '300',
      'aria-label': t('adminHolName'),
    });
    const wd = h('td', { class: 'nowrap' });
    const lun = h('td', { class: 'nowrap', 'data-lunar': '' });
    const refresh = async () => {
      const iso = dmyToIso(date.value);
      wd.textContent = iso ? weekday(iso) : '—';
      lun.textContent = '…';
      const l = iso ? await lunar(iso) : null;
      lun.textContent = l
        ? `${String(l.day).padStart(2, '0')}/${String(l.month).padStart(2, '0')}${l.leapMonth ? ` (${t('adminLeap')})` : ''}/${l.year}`
        : '—';
    };
    date.addEventListener('change', () => {
      refresh();
    });
    kind.addEventListener('change', recount);
    const tr = h(
      'tr',
      { id: rid },
      h('td', { class: 'admin-cell' }, date),
      wd,
      lun,
      h('td', { class: 'admin-cell' }, kind),
      h('td', { class: 'admin-cell admin-wide-cell' }, name),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'btn small secondary',
            id: `${rid}-remove`,
            'on:click': () => {
              const i = rows.indexOf(entry);
              rows.splice(i, 1);
              tr.remove();
              recount();
              (rows[i] ?? rows[i - 1])?.date.focus() ?? addBtn.focus();
            },
          },
          t('adminRemove'),
          h('span', { class: 'sr-only' }, ` ${d.date ? date.value : ''}`),
        ),
      ),
    );
    const entry = { tr, date, kind, name };
    rows.push(entry);
    tbody.append(tr);
    refresh();
    recount();
    if (focus) date.focus();
  };
  for (const d of data.items) addRow(d, false);
  const addBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn small secondary',
      id: 'hol-add',
      'on:click': () => addRow({ date: '', kind: 'holiday', name: '' }, true),
    },
    t('adminAddDay'),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const items = rows.map((r, i) => {
      r.date.setAttribute('data-path', `items.${i}.date`);
      r.kind.setAttribute('data-path', `items.${i}.kind`);
      r.name.setAttribute('data-path', `items.${i}.name`);
      return { date: dmyToIso(r.date.value) ?? r.date.value, kind: r.kind.value, name: r.name.value.trim() };
    });
    const bad = items
      .map((x, i) =>
        /^\d{4}-\d{2}-\d{2}$/.test(x.date) ? null : { path: `items.${i}.date`, message: t('adminBadDate') },
      )
      .filter(Boolean);
    if (bad.length) {
      placeIssues(form, bad);
      showError(status, new Error(t('adminFixErrors')));
      return;
    }
    items.sort((a, b) => a.date.localeCompare(b.date));
    showBusy(status);
    try {
      const res = await api(`/api/calendar/years/${year}`, {
        method: 'PUT',
        body: { source: source.value.trim(), items },
      });
      showOk(status, t('adminHolSaved', { year: res.year, n: res.items }));
    } catch (err) {
      const issues = issuesOf(err);
      // A domain error names a date ("Ngày 2026-05-01 bị lặp"): point at that row.
      const m = /(\d{4}-\d{2}-\d{2})/.exec(err.message ?? '');
      if (!issues.length && m) {
        const i = items.findIndex((x) => x.date === m[1]);
        const r = rows.find((x) => dmyToIso(x.date.value) === m[1]);
        if (r && i >= 0) issues.push({ path: r.date.getAttribute('data-path'), message: err.message });
      }
      showError(status, err, issueList(placeIssues(form, issues)));
    }
  });

  replace(
    form,
    h(
      'div',
      { class: 'admin-grid3' },
      field(t('adminYear'), yearSel),
      h('div', { class: 'admin-span2' }, field(t('adminHolSource'), source, t('adminHolSourceHint'))),
    ),
    data.official ? null : h('p', { class: 'notice', id: 'hol-default' }, t('adminHolDefault', { year })),
    count,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid admin-table admin-edit-table', id: 'hol-table' },
        h('caption', { class: 'sr-only' }, t('adminHolCaption', { year })),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('adminDate'), t('adminWeekday'), t('adminLunar'), t('adminHolKind'), t('adminHolName')].map(
              (x) => h('th', { scope: 'col' }, x),
            ),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('adminActions'))),
          ),
        ),
        tbody,
      ),
    ),
    addBtn,
    h(
      'div',
      { class: 'admin-savebar' },
      h('span', { class: 'meta admin-kbd-hint' }, t('adminSaveShortcut')),
      h('button', { type: 'submit', class: 'btn', id: 'hol-save' }, t('adminSaveYear', { year })),
      status,
    ),
  );
  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'hol-h' },
      h('h2', { id: 'hol-h' }, t('adminHolTitle', { year })),
      h('p', { class: 'meta' }, t('adminHolLead')),
      form,
    ),
  );
}
