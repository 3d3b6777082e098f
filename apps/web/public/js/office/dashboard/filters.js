// The filter form of the operations dashboard: unit, kind of period, year and part of it, or a custom range.
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { dateRange, field } from '../common.js';
import { ROMAN, todayVn } from './labels.js';
import { KINDS, pageHref } from './view.js';

/** Draws the form into `box` for the summary `s`; applying it navigates to the view chosen. */
export function renderFilters(box, s, { watched, unitLabel, navigate }) {
  const p = s.period;
  const year = Number(p.key.slice(0, 4)) || Number(todayVn().slice(0, 4));
  const thisYear = Number(todayVn().slice(0, 4));
  const unitSel = h(
    'select',
    {},
    [...new Set([...watched, s.unit.code])]
      .sort()
      .map((c) => h('option', { value: c, selected: c === s.unit.code }, `${unitLabel(c)} (${c})`)),
  );
  const kindSel = h(
    'select',
    {},
    KINDS.map((k) => h('option', { value: k, selected: k === p.kind }, t(`iocKind_${k}`))),
  );
  const years = [];
  for (let y = Math.max(thisYear, year); y >= Math.min(thisYear - 5, year); y--) years.push(y);
  const yearSel = h(
    'select',
    {},
    years.map((y) => h('option', { value: String(y), selected: y === year }, String(y))),
  );
  const subSel = h('select', {});
  const dates = dateRange(p.from, p.to);
  const subOf = (kind) => {
    if (kind === 'month' || kind === 'report_month')
      return Array.from({ length: 12 }, (_, i) => [
        String(i + 1).padStart(2, '0'),
        t('iocMonthN', { n: i + 1 }),
      ]);
    if (kind === 'quarter' || kind === 'report_quarter')
      return ROMAN.map((r, i) => [`Q${i + 1}`, t('iocQuarterN', { q: r })]);
    if (kind === 'report_half')
      return [
        ['H1', t('iocHalf1')],
        ['H2', t('iocHalf2')],
      ];
    return [];
  };
  const currentSub = () => {
    if (/^\d{4}-\d{2}$/.test(p.key)) return p.key.slice(5);
    if (/^\d{4}-[QH]\d$/.test(p.key)) return p.key.slice(5);
    return null;
  };
  const subField = field('ioc-sub-sel', t('iocPeriodPart'), subSel);
  const yearField = field('ioc-year', t('iocYear'), yearSel);
  const fromField = field('ioc-from', t('oFrom'), dates.from, { hint: 'dd/mm/yyyy' });
  const toField = field('ioc-to', t('oTo'), dates.to, { hint: 'dd/mm/yyyy' });
  const sync = () => {
    const kind = kindSel.value;
    const opts = subOf(kind);
    const had = subSel.value || currentSub() || todayVn().slice(5, 7);
    // Switching between months, quarters and halves keeps the same time of year.
    const month = /^\d{2}$/.test(had)
      ? Number(had)
      : had.startsWith('Q')
        ? 3 * Number(had.slice(1)) - 2
        : had === 'H2'
          ? 7
          : 1;
    const fallback = kind.endsWith('month')
      ? String(month).padStart(2, '0')
      : kind.endsWith('quarter')
        ? `Q${Math.ceil(month / 3)}`
        : month > 6
          ? 'H2'
          : 'H1';
    const keep = opts.some(([v]) => v === had) ? had : fallback;
    replace(
      subSel,
      opts.map(([v, label]) => h('option', { value: v, selected: v === keep }, label)),
    );
    subField.hidden = opts.length === 0;
    yearField.hidden = kind === 'custom';
    fromField.hidden = kind !== 'custom';
    toField.hidden = kind !== 'custom';
  };
  kindSel.addEventListener('change', sync);
  const error = h('p', { class: 'field-error', id: 'ioc-filter-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    {
      class: 'o-filters ioc-filters',
      id: 'ioc-filters',
      'aria-label': t('iocFilters'),
      'on:submit': (e) => {
        e.preventDefault();
        error.hidden = true;
        for (const x of [dates.from, dates.to]) x.removeAttribute('aria-invalid');
        const kind = kindSel.value;
        let period;
        if (kind === 'custom') {
          // Both dates are needed here; only the first thing wrong is said, in the line under the form.
          const { dates: d, wrong } = dates.check({ required: true });
          const [bad, why] = wrong[0] ?? [];
          if (bad) {
            bad.setAttribute('aria-invalid', 'true');
            error.textContent =
              why === 'order' ? t('iocErrDateOrder') : t('iocErrDate', { value: bad.value.trim() || '…' });
            error.hidden = false;
            bad.focus();
            return;
          }
          period = `${d.from}..${d.to}`;
        } else if (kind === 'year' || kind === 'report_year') period = yearSel.value;
        else period = `${yearSel.value}-${subSel.value}`;
        navigate(pageHref({ unit: unitSel.value, period, kind, wall: false }));
      },
    },
    field('ioc-unit', t('iocUnit'), unitSel),
    field('ioc-kind', t('iocKind'), kindSel),
    yearField,
    subField,
    fromField,
    toField,
    h(
      'div',
      { class: 'o-row-btn' },
      h('button', { type: 'submit', class: 'btn small', id: 'ioc-apply' }, t('oShow')),
    ),
    error,
  );
  sync();
  const sub = currentSub();
  if (sub && [...subSel.options].some((o) => o.value === sub)) subSel.value = sub;
  replace(box, form);
}
