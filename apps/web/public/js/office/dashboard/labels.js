// Labels and formatting of the operations dashboard: numbers and shares in the reader's language, the period,
// formula and group names, the outcome of a dossier, the clock of the last update.
import { h } from '../../dom.js';
import { fmtIsoDay } from '../../format.js';
import { lang, t } from '../../i18n.js';

const TZ = 'Asia/Ho_Chi_Minh';
export const ROMAN = ['I', 'II', 'III', 'IV'];

// ---- formatting (numbers in the reader's language: 1.234 and 95,6 % in Vietnamese) ----
const locale = () => (lang() === 'en' ? 'en-GB' : 'vi-VN');
export const fmtN = (n) => new Intl.NumberFormat(locale()).format(n ?? 0);
export const fmt1 = (x) =>
  new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x ?? 0);
/** 0.956 → "95,6 %" (vi, with a no-break space) or "95.6%" (en); null → null. */
export const fmtPct = (x) => {
  if (x === null || x === undefined) return null;
  const n = fmt1(x * 100);
  return lang() === 'en' ? `${n}%` : `${n}\u00a0%`;
};
/** A share for a table cell or a tile: "—" with "không có hồ sơ" for screen readers and on hover when null. */
export function shareView(x) {
  const s = fmtPct(x);
  if (s !== null) return s;
  return h(
    'span',
    { class: 'ioc-null', title: t('iocNoDossiers') },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'sr-only' }, t('iocNoDossiers')),
  );
}
export const stampNow = () =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date());
export const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

/** "Năm 2026", "Kỳ báo cáo tháng 11/2026", "Từ 05/01/2026 đến 20/03/2026"… */
export function periodLabel(p) {
  const y = p.key.slice(0, 4);
  const last = p.key.slice(-1);
  switch (p.kind) {
    case 'month':
      return t('iocPMonth', { m: p.key.slice(5, 7), y });
    case 'quarter':
      return t('iocPQuarter', { q: ROMAN[Number(last) - 1], y });
    case 'year':
      return t('iocPYear', { y });
    case 'report_month':
      return t('iocPReportMonth', { m: p.key.slice(5, 7), y });
    case 'report_quarter':
      return t('iocPReportQuarter', { q: ROMAN[Number(last) - 1], y });
    case 'report_half':
      return t(last === '1' ? 'iocPReportH1' : 'iocPReportH2', { y });
    case 'report_year':
      return t('iocPReportYear', { y });
    default:
      return t('iocPCustom', { from: fmtIsoDay(p.from), to: fmtIsoDay(p.to) });
  }
}
export const periodRange = (p) => t('iocRange', { from: fmtIsoDay(p.from), to: fmtIsoDay(p.to) });

/** The label of a formula or group: the server's (Vietnamese, versioned) or our English one. */
export function itemLabel(item) {
  if (lang() !== 'en') return item.label;
  const key = `iocF_${item.id.replace('.', '_')}`;
  const s = t(key);
  return s === key ? item.label : s;
}
export function groupLabel(g) {
  if (lang() !== 'en') return g.label;
  const key = `iocG_${g.code}`;
  const s = t(key);
  return s === key ? g.label : s;
}

export function outcomeView(d) {
  const overdue = d.outcome === 'running' && d.dueAt && Date.parse(d.dueAt) < Date.now();
  const key = overdue ? 'running_overdue' : d.outcome;
  const bad = overdue || d.outcome === 'late';
  return h('span', { class: bad ? 'o-bad' : null, 'data-outcome': key }, t(`iocOutcome_${key}`));
}
