// The trend of the operations dashboard: dossiers received per half-month or month (bars), the on-time and online
// shares (lines), drawn with uPlot, with a summary sentence and, off the wall screen, the table of the figures.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h, replace } from '../../dom.js';
import { lang, t } from '../../i18n.js';
import { fmtN, fmtPct, shareView, todayVn } from './labels.js';
import { tableWrap, thead } from './table.js';

let cssAdded = false;
export function uplotCss() {
  if (cssAdded || document.querySelector('link[href="/vendor/uplot/uPlot.min.css"]')) return;
  cssAdded = true;
  document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/uplot/uPlot.min.css' }));
}

/** Half-months for a short period (a month, a reporting month, a custom range up to 62 days), months otherwise. */
export function trendBy(v) {
  if (v.kind === 'month' || v.kind.startsWith('report_') || /-H[12]$/i.test(v.period)) return 'half';
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v.period);
  if (m) return (Date.parse(m[2]) - Date.parse(m[1])) / 86_400_000 + 1 <= 62 ? 'half' : 'month';
  return /^\d{4}-\d{2}$/.test(v.period) && !v.kind ? 'half' : 'month';
}

// ---- trend (uPlot) ----
/** The buckets to show: every month (or half-month) of the period up to today, zeros where nothing happened. */
/**
 * The buckets to show: every half-month or month of the period up to today, zeros where nothing happened. A
 * reporting quarter, half-year or year is shown per reporting month (15th → 14th, named by the month it ends in),
 * summed from the half-months.
 */
/** A half-month by its days: "01–14/11", "15–30/11". */
const halfLabel = (k) => {
  const [y, m] = k.split('-').map(Number);
  const last = k.endsWith('-01') ? 14 : new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${k.slice(8)}–${last}/${k.slice(5, 7)}`;
};
function trendSeries(tr, p) {
  const nextMonth = (ym) => {
    const [y, m] = ym.split('-').map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  };
  const end = p.to < todayVn() ? p.to : todayVn();
  const keys = [];
  if (tr.by === 'half') {
    let d = p.from.slice(8, 10) < '15' ? `${p.from.slice(0, 8)}01` : `${p.from.slice(0, 8)}15`;
    while (d <= end) {
      keys.push(d);
      d = d.endsWith('01') ? `${d.slice(0, 8)}15` : `${nextMonth(d.slice(0, 7))}-01`;
    }
  } else {
    for (let d = p.from.slice(0, 7); d <= end.slice(0, 7); d = nextMonth(d)) keys.push(d);
  }
  for (const i of tr.items) if (!keys.includes(i.key)) keys.push(i.key);
  keys.sort();
  const reporting = tr.by === 'half' && p.kind.startsWith('report_') && p.kind !== 'report_month';
  const bucketOf = (k) => (reporting ? (k.endsWith('-15') ? nextMonth(k.slice(0, 7)) : k.slice(0, 7)) : k);
  const sums = new Map(keys.map((k) => [bucketOf(k), { received: 0, online: 0, resolved: 0, late: 0 }]));
  for (const i of tr.items) {
    const b = sums.get(bucketOf(i.key));
    for (const f of ['received', 'online', 'resolved', 'late']) b[f] += i[f];
  }
  return [...sums.entries()].map(([k, i]) => ({
    key: k,
    label: k.length === 7 ? `${k.slice(5)}/${k.slice(0, 4)}` : halfLabel(k),
    received: i.received,
    online: i.received > 0 ? i.online / i.received : null,
    onTime: i.resolved > 0 ? (i.resolved - i.late) / i.resolved : null,
  }));
}
/** What one bucket of the trend is: a month, a half-month, a reporting month. */
const bucketName = (tr, p) =>
  tr.by === 'month'
    ? t('iocMonthCol')
    : p.kind.startsWith('report_') && p.kind !== 'report_month'
      ? t('iocReportMonthCol')
      : t('iocHalfCol');

/** The trend drawn into `trendBox` (larger and dark on the wall screen): { render(tr, p), destroy() }. */
export function trendChart(trendBox, wall) {
  let plot = null;
  let resize = null;

  function renderTrend(tr, p) {
    plot?.destroy();
    plot = null;
    resize?.disconnect();
    const rows = trendSeries(tr, p);
    const chart = h('div', { class: 'ioc-chart', id: 'ioc-chart', 'aria-hidden': 'true' });
    const total = rows.reduce((a, r) => a + r.received, 0);
    const peak = rows.reduce((a, r) => (r.received > (a?.received ?? -1) ? r : a), null);
    const lastWith = [...rows].reverse().find((r) => r.onTime !== null);
    const summary =
      rows.length === 0
        ? t('iocTrendEmpty')
        : t('iocTrendSummary', {
            from: rows[0].label,
            to: rows[rows.length - 1].label,
            n: fmtN(total),
            peak: peak?.label ?? '—',
            peakN: fmtN(peak?.received ?? 0),
            onTime: lastWith ? fmtPct(lastWith.onTime) : '—',
            at: lastWith?.label ?? '—',
          });
    const table = h(
      'table',
      { class: 'grid', id: 'ioc-trend-table' },
      h('caption', { class: 'sr-only' }, t('iocTrend')),
      thead([
        bucketName(tr, p),
        { text: t('iocReceived'), num: true },
        { text: t('iocOnTimeShare'), num: true },
        { text: t('iocOnlineShare'), num: true },
      ]),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, r.label),
            h('td', { class: 'num' }, fmtN(r.received)),
            h('td', { class: 'num' }, shareView(r.onTime)),
            h('td', { class: 'num' }, shareView(r.online)),
          ),
        ),
      ),
    );
    replace(
      trendBox,
      h('h2', { id: 'ioc-trend-h' }, t('iocTrend')),
      h(
        'figure',
        { class: 'ioc-figure' },
        h('figcaption', { id: 'ioc-trend-summary', class: 'hint' }, summary),
        chart,
        wall
          ? null
          : h('details', { class: 'ioc-trend-data' }, h('summary', {}, t('iocTrendTable')), tableWrap(table)),
      ),
    );
    if (rows.length === 0) return;
    const dark = wall;
    const ink = dark ? '#e8edf3' : '#1b1b1b';
    const grid = dark ? 'rgba(255,255,255,0.14)' : 'rgba(0,0,0,0.1)';
    const labels = rows.map((r) => r.label);
    const pct = (v) => (v === null || v === undefined ? '—' : fmtPct(v / 100));
    const opts = {
      width: Math.max(280, chart.clientWidth || trendBox.clientWidth - 32 || 600),
      height: wall ? 340 : 280,
      legend: { live: false },
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        n: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
        pct: { range: [0, 100] },
      },
      axes: [
        {
          stroke: ink,
          grid: { show: false },
          ticks: { stroke: grid },
          incrs: [1, 2, 3, 4, 6, 12],
          space: 64,
          values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
          font: wall ? '15px system-ui' : '12px system-ui',
        },
        {
          scale: 'n',
          stroke: ink,
          grid: { stroke: grid },
          ticks: { stroke: grid },
          font: wall ? '15px system-ui' : '12px system-ui',
          values: (_u, v) => v.map((x) => (Number.isInteger(x) ? fmtN(x) : '')),
        },
        {
          scale: 'pct',
          side: 1,
          stroke: ink,
          grid: { show: false },
          ticks: { stroke: grid },
          font: wall ? '15px system-ui' : '12px system-ui',
          values: (_u, v) => v.map((x) => (lang() === 'en' ? `${x}%` : `${x} %`)),
          size: wall ? 76 : 60,
        },
      ],
      series: [
        { label: bucketName(tr, p), value: (_u, v) => labels[v] ?? '—' },
        {
          label: t('iocReceived'),
          scale: 'n',
          stroke: dark ? '#7fb2ff' : '#0b3277',
          fill: dark ? 'rgba(127,178,255,0.45)' : 'rgba(11,50,119,0.35)',
          width: 1,
          paths: uPlot.paths.bars({ size: [0.6, 64] }),
          points: { show: false },
          value: (_u, v) => (v === null || v === undefined ? '—' : fmtN(v)),
        },
        {
          label: t('iocOnTimeShare'),
          scale: 'pct',
          stroke: dark ? '#7ee08f' : '#1b5e20',
          width: wall ? 4 : 2.5,
          spanGaps: false,
          points: { size: wall ? 9 : 6 },
          value: (_u, v) => pct(v),
        },
        {
          label: t('iocOnlineShare'),
          scale: 'pct',
          stroke: dark ? '#ffcf5c' : '#a4161a',
          width: wall ? 4 : 2.5,
          dash: [8, 5],
          spanGaps: false,
          points: { size: wall ? 9 : 6 },
          value: (_u, v) => pct(v),
        },
      ],
    };
    const data = [
      rows.map((_r, i) => i),
      rows.map((r) => r.received),
      rows.map((r) => (r.onTime === null ? null : Math.round(r.onTime * 1000) / 10)),
      rows.map((r) => (r.online === null ? null : Math.round(r.online * 1000) / 10)),
    ];
    plot = new uPlot(opts, data, chart);
    resize = new ResizeObserver(() => {
      const w = chart.clientWidth;
      if (plot && w > 0 && Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: opts.height });
    });
    resize.observe(chart);
  }

  return {
    render: renderTrend,
    destroy: () => {
      plot?.destroy();
      resize?.disconnect();
    },
  };
}
