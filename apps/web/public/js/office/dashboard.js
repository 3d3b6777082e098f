// Operations dashboard (IOC) /can-bo/dieu-hanh for heads, leaders and administrators: service indicators and the
// Decision 766 index of a unit and period (GET /api/indicators), the dossiers behind a number, the monthly trend
// (uPlot), breakdowns by unit, procedure and channel, the ranking of departments and communes, the dossiers at
// risk. The view lives in the address (?unit=&period=&kind=&wall=1) so a link reproduces it; it refreshes itself
// quietly (60 s, or 30 s in the wall-screen mode) without losing the open drill-down, the focus or the scroll.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { fmtDateTime, fmtIsoDay, parseDmy } from '../format.js';
import { lang, t } from '../i18n.js';
import {
  cleanupAll,
  field,
  hasRole,
  layout,
  lightBadge,
  loginForm,
  requireOfficer,
  shortcuts,
  unitDirectory,
  unitsWith,
} from './common.js';

const KINDS = [
  'month',
  'quarter',
  'year',
  'report_month',
  'report_quarter',
  'report_half',
  'report_year',
  'custom',
];
const WATCH_ROLES = ['head', 'leader', 'admin'];
const PAGE = 20;
const TOP_PROCEDURES = 20;
/** At-risk dossiers listed: all the wall screen has room for, a long page otherwise (the count covers all). */
const RISK_WALL = 4;
const RISK_PAGE = 30;
const REFRESH_MS = 60_000;
const WALL_REFRESH_MS = 30_000;
const TZ = 'Asia/Ho_Chi_Minh';
const ROMAN = ['I', 'II', 'III', 'IV'];

/** What survives a re-render of the same view (language switch, wall toggle): the open drill-down, the tab. */
let kept = { view: '', drill: null, rankLevel: 'department' };

// ---- formatting (numbers in the reader's language: 1.234 and 95,6 % in Vietnamese) ----
const locale = () => (lang() === 'en' ? 'en-GB' : 'vi-VN');
const fmtN = (n) => new Intl.NumberFormat(locale()).format(n ?? 0);
const fmt1 = (x) =>
  new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x ?? 0);
/** 0.956 → "95,6 %" (vi, with a no-break space) or "95.6%" (en); null → null. */
const fmtPct = (x) => {
  if (x === null || x === undefined) return null;
  const n = fmt1(x * 100);
  return lang() === 'en' ? `${n}%` : `${n}\u00a0%`;
};
/** A share for a table cell or a tile: "—" with "không có hồ sơ" for screen readers and on hover when null. */
function shareView(x) {
  const s = fmtPct(x);
  if (s !== null) return s;
  return h(
    'span',
    { class: 'ioc-null', title: t('iocNoDossiers') },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'sr-only' }, t('iocNoDossiers')),
  );
}
const stampNow = () =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date());
const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

// ---- the address ----
function readAddress(query) {
  const kind = query.get('kind') ?? '';
  return {
    unit: (query.get('unit') ?? '').trim(),
    period: (query.get('period') ?? '').trim(),
    kind: KINDS.includes(kind) ? kind : '',
    wall: query.get('wall') === '1',
  };
}
function viewQuery(v, extra = {}) {
  const p = new URLSearchParams();
  if (v.unit) p.set('unit', v.unit);
  if (v.period) p.set('period', v.period);
  if (v.kind) p.set('kind', v.kind);
  for (const [k, x] of Object.entries(extra)) if (x !== undefined && x !== null && x !== '') p.set(k, x);
  return p.toString();
}
const pageHref = (v) => {
  const q = viewQuery(v, { wall: v.wall ? '1' : '' });
  return `/can-bo/dieu-hanh${q ? `?${q}` : ''}`;
};

/** "Năm 2026", "Kỳ báo cáo tháng 11/2026", "Từ 05/01/2026 đến 20/03/2026"… */
function periodLabel(p) {
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
const periodRange = (p) => t('iocRange', { from: fmtIsoDay(p.from), to: fmtIsoDay(p.to) });

/** The label of a formula or group: the server's (Vietnamese, versioned) or our English one. */
function itemLabel(item) {
  if (lang() !== 'en') return item.label;
  const key = `iocF_${item.id.replace('.', '_')}`;
  const s = t(key);
  return s === key ? item.label : s;
}
function groupLabel(g) {
  if (lang() !== 'en') return g.label;
  const key = `iocG_${g.code}`;
  const s = t(key);
  return s === key ? g.label : s;
}

function outcomeView(d) {
  const overdue = d.outcome === 'running' && d.dueAt && Date.parse(d.dueAt) < Date.now();
  const key = overdue ? 'running_overdue' : d.outcome;
  const bad = overdue || d.outcome === 'late';
  return h('span', { class: bad ? 'o-bad' : null, 'data-outcome': key }, t(`iocOutcome_${key}`));
}

let cssAdded = false;
function uplotCss() {
  if (cssAdded || document.querySelector('link[href="/vendor/uplot/uPlot.min.css"]')) return;
  cssAdded = true;
  document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/uplot/uPlot.min.css' }));
}

const tableWrap = (table) =>
  h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') }, table);
const thead = (cols) =>
  h(
    'thead',
    {},
    h(
      'tr',
      {},
      cols.map((c) =>
        typeof c === 'string'
          ? h('th', { scope: 'col' }, c)
          : h('th', { scope: 'col', class: c.num ? 'ioc-num-h' : null }, c.text),
      ),
    ),
  );
const bar = (value, max, cls = '') =>
  h(
    'span',
    { class: `ioc-bar ${cls}`, 'aria-hidden': 'true' },
    h('span', {
      class: 'ioc-bar-fill',
      style: `width:${max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)).toFixed(1) : 0}%`,
    }),
  );

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  ctx.setTitle(t('iocTitle'));
  const addr = readAddress(ctx.query);
  if (!hasRole(me, ...WATCH_ROLES)) {
    layout(
      ctx,
      me,
      'dashboard',
      h('h1', {}, t('iocTitle')),
      h('p', { class: 'notice', id: 'ioc-no-role' }, t('iocNoRole')),
    );
    return cleanupAll(shortcuts(ctx));
  }
  uplotCss();
  const wall = addr.wall;
  document.body.classList.toggle('ioc-wall', wall);

  const viewKey = `${addr.unit}|${addr.period}|${addr.kind}`;
  if (kept.view !== viewKey) kept = { view: viewKey, drill: null, rankLevel: kept.rankLevel };

  // The resolved view (the server fills in the default unit and period): set after the first summary.
  let cur = { unit: addr.unit, period: addr.period, kind: addr.kind, wall };
  let units = [];
  /** The JSON last drawn per section (a quiet refresh skips what did not change) and the summary on screen. */
  const seen = {};
  let now = null;
  let plot = null;
  let resize = null;
  let timer = null;
  let busy = false;
  let gone = false;

  const stamp = h('p', { class: 'ioc-stamp', id: 'ioc-stamp' }, t('loading'));
  const subtitle = h('p', { class: 'lead ioc-sub', id: 'ioc-sub' });
  const roleNote = h('p', { class: 'notice ioc-role-note', id: 'ioc-role-note', hidden: true });
  const fsBtn = h('button', {
    type: 'button',
    class: 'btn secondary small',
    id: 'ioc-fullscreen',
    hidden: !wall || !document.fullscreenEnabled,
    'on:click': () => {
      if (document.fullscreenElement) document.exitFullscreen?.();
      else document.documentElement.requestFullscreen?.().catch(() => {});
    },
  });
  const fsLabel = () => {
    fsBtn.textContent = document.fullscreenElement ? t('iocFullscreenExit') : t('iocFullscreen');
  };
  fsLabel();
  document.addEventListener('fullscreenchange', fsLabel);
  const exportXlsx = h(
    'a',
    { class: 'btn secondary small', id: 'ioc-export-xlsx', hidden: true },
    t('iocExportXlsx'),
  );
  const exportPdf = h(
    'a',
    { class: 'btn secondary small', id: 'ioc-export-pdf', hidden: true },
    t('iocExportPdf'),
  );
  const toolbar = h(
    'div',
    { class: 'ioc-toolbar' },
    h(
      'button',
      {
        type: 'button',
        class: 'btn secondary small',
        id: 'ioc-wall-toggle',
        'aria-pressed': String(wall),
        'on:click': () => ctx.navigate(pageHref({ ...cur, wall: !wall })),
      },
      wall ? t('iocWallExit') : t('iocWall'),
    ),
    fsBtn,
    wall ? null : exportXlsx,
    wall ? null : exportPdf,
  );
  const head = h(
    'div',
    { class: 'ioc-head' },
    h('div', {}, h('h1', { id: 'ioc-h1' }, t('iocTitle')), subtitle, stamp, roleNote),
    toolbar,
  );
  const crumbs = h('nav', { class: 'crumbs ioc-crumbs', id: 'ioc-crumbs', 'aria-label': t('iocUnitPath') });
  const filters = h('div', { id: 'ioc-filters-box' });
  const section = (id, title) =>
    h(
      'section',
      { class: 'card ioc-card', id, 'aria-labelledby': `${id}-h` },
      h('h2', { id: `${id}-h` }, title),
      h('p', { class: 'loading' }, t('loading')),
    );
  const tilesBox = h(
    'section',
    { class: 'ioc-tiles-box', id: 'ioc-tiles', 'aria-labelledby': 'ioc-tiles-h' },
    h('h2', { id: 'ioc-tiles-h', class: 'sr-only' }, t('iocTiles')),
  );
  const indexBox = section('ioc-index', t('iocIndex'));
  const drillBox = h('section', {
    class: 'card ioc-card ioc-drill',
    id: 'ioc-drill',
    'aria-labelledby': 'ioc-drill-h',
    hidden: true,
  });
  const trendBox = section('ioc-trend', t('iocTrend'));
  const childrenBox = section('ioc-children', t('iocByUnit'));
  const procBox = section('ioc-procedures', t('iocByProcedure'));
  const channelBox = section('ioc-channels', t('iocByChannel'));
  const rankBox = section('ioc-ranking', t('iocRanking'));
  const riskBox = section('ioc-at-risk', t('iocAtRisk'));
  const errorBox = h('div', { id: 'ioc-error' });
  const root = h(
    'div',
    { class: 'ioc', id: 'ioc-root' },
    head,
    errorBox,
    wall ? null : crumbs,
    wall ? null : filters,
    tilesBox,
    wall
      ? h('div', { class: 'ioc-wall-row' }, indexBox, trendBox, riskBox)
      : [
          indexBox,
          drillBox,
          h('div', { class: 'ioc-two' }, trendBox, channelBox),
          childrenBox,
          procBox,
          rankBox,
          riskBox,
        ],
  );
  if (wall) replace(ctx.main, root);
  else layout(ctx, me, 'dashboard', root);

  const watched = unitsWith(me, ...WATCH_ROLES);
  /** May the officer open this unit's dashboard? (their unit or one below it) */
  const mayView = (code) => {
    for (let u = units.find((x) => x.code === code); u; u = units.find((x) => x.code === u.parent)) {
      if (watched.includes(u.code)) return true;
    }
    return false;
  };
  const unitLabel = (code) => units.find((u) => u.code === code)?.name ?? code;

  // ---- sections ----
  function renderHead(s) {
    replace(
      subtitle,
      h('strong', {}, s.unit.name),
      ' · ',
      periodLabel(s.period),
      ` (${periodRange(s.period)})`,
    );
    // A service centre's figures are the dossiers it received for the deciding agencies.
    roleNote.hidden = s.unit.role !== 'receiving';
    roleNote.textContent = s.unit.role === 'receiving' ? t('iocReceivingUnit') : '';
    root.dataset.unit = s.unit.code;
    root.dataset.period = s.period.key;
    root.dataset.kind = s.period.kind;
    const q = viewQuery(cur);
    exportXlsx.href = `/api/indicators/export.xlsx?${q}`;
    exportPdf.href = `/api/indicators/export.pdf?${q}`;
    exportXlsx.hidden = false;
    exportPdf.hidden = false;
  }

  function renderCrumbs(s) {
    const chain = [];
    for (let u = units.find((x) => x.code === s.unit.code); u; u = units.find((x) => x.code === u.parent)) {
      chain.unshift(u);
      if (watched.includes(u.code)) break;
    }
    if (chain.length === 0) chain.push({ code: s.unit.code, name: s.unit.name });
    // The path back up, when the unit shown is below the officer's own.
    crumbs.hidden = chain.length < 2;
    replace(
      crumbs,
      h(
        'ol',
        {},
        chain.map((u, i) =>
          h(
            'li',
            {},
            i === chain.length - 1
              ? h('span', { 'aria-current': 'page', class: 'ioc-crumb-here' }, u.name)
              : h(
                  'a',
                  { href: pageHref({ ...cur, unit: u.code }), 'data-unit': u.code, id: `ioc-crumb-${i}` },
                  u.name,
                ),
          ),
        ),
      ),
    );
  }

  function renderFilters(s) {
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
    const dateBox = (iso) =>
      h('input', {
        type: 'text',
        inputmode: 'numeric',
        placeholder: 'dd/mm/yyyy',
        maxlength: '10',
        autocomplete: 'off',
        value: fmtIsoDay(iso),
      });
    const fromIn = dateBox(p.from);
    const toIn = dateBox(p.to);
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
    const fromField = field('ioc-from', t('oFrom'), fromIn, { hint: 'dd/mm/yyyy' });
    const toField = field('ioc-to', t('oTo'), toIn, { hint: 'dd/mm/yyyy' });
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
          for (const x of [fromIn, toIn]) x.removeAttribute('aria-invalid');
          const kind = kindSel.value;
          let period;
          if (kind === 'custom') {
            const f = parseDmy(fromIn.value);
            const to = parseDmy(toIn.value);
            const bad = !f ? fromIn : !to ? toIn : null;
            if (bad) {
              bad.setAttribute('aria-invalid', 'true');
              error.textContent = t('iocErrDate', { value: bad.value.trim() || '…' });
              error.hidden = false;
              bad.focus();
              return;
            }
            if (f > to) {
              toIn.setAttribute('aria-invalid', 'true');
              error.textContent = t('iocErrDateOrder');
              error.hidden = false;
              toIn.focus();
              return;
            }
            period = `${f}..${to}`;
          } else if (kind === 'year' || kind === 'report_year') period = yearSel.value;
          else period = `${yearSel.value}-${subSel.value}`;
          ctx.navigate(pageHref({ unit: unitSel.value, period, kind, wall: false }));
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
    replace(filters, form);
  }

  function renderTiles(s) {
    const c = s.counts;
    const sh = s.shares;
    const drillBtn = (key, n) =>
      !wall && n > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'link ioc-tile-drill',
              id: `ioc-drill-key-${key}`,
              'on:click': () => openDrill({ key, offset: 0 }),
            },
            t(`iocSee_${key}`, { n: fmtN(n) }),
          )
        : null;
    const tile = (id, label, value, sub, { hot = false, more = null } = {}) =>
      h(
        'li',
        { class: `ioc-tile${hot ? ' hot' : ''}`, id: `ioc-tile-${id}` },
        h('span', { class: 'ioc-tile-label' }, label),
        h('strong', { class: 'ioc-tile-value' }, value),
        sub ? h('span', { class: 'ioc-tile-sub' }, sub) : null,
        more,
      );
    const shareTile = (id, label, share, num, den, denLabel) =>
      tile(
        id,
        label,
        shareView(share),
        share === null ? t('iocNoDossiersLong') : t('iocOfN', { a: fmtN(num), b: fmtN(den), what: denLabel }),
      );
    replace(
      tilesBox,
      h('h2', { id: 'ioc-tiles-h', class: 'sr-only' }, t('iocTiles')),
      h(
        'ul',
        { class: 'ioc-tiles' },
        tile(
          'received',
          t('iocReceived'),
          fmtN(c.received),
          t('iocChannelSplit', { counter: fmtN(c.counter), online: fmtN(c.online), post: fmtN(c.post) }),
        ),
        tile(
          'resolved',
          t('iocResolved'),
          fmtN(c.resolved),
          t('iocResolvedSplit', { early: fmtN(c.early), onTime: fmtN(c.onTime), late: fmtN(c.late) }),
        ),
        tile(
          'on-time',
          t('iocOnTimeShare'),
          shareView(sh.onTime),
          sh.onTime === null
            ? t('iocNoDossiersLong')
            : t('iocOfN', { a: fmtN(c.early + c.onTime), b: fmtN(c.resolved), what: t('iocWhatResolved') }),
          { more: drillBtn('late', c.late) },
        ),
        tile(
          'in-progress',
          t('iocInProgress'),
          h(
            'span',
            { class: 'ioc-pair' },
            h('span', { class: 'ioc-ok-n' }, fmtN(c.inProgressWithinDeadline)),
            h('span', { class: 'ioc-pair-sep' }, ' / '),
            h('span', { class: c.inProgressOverdue > 0 ? 'ioc-bad-n' : null }, fmtN(c.inProgressOverdue)),
          ),
          t('iocInProgressSplit', {
            within: fmtN(c.inProgressWithinDeadline),
            overdue: fmtN(c.inProgressOverdue),
          }),
          { hot: c.inProgressOverdue > 0, more: drillBtn('inProgressOverdue', c.inProgressOverdue) },
        ),
        shareTile('online', t('iocOnlineShare'), sh.online, c.online, c.received, t('iocWhatReceived')),
        shareTile(
          'paid-online',
          t('iocPaidShare'),
          sh.paidOnline,
          c.paidOnline,
          c.feeCharging,
          t('iocWhatFee'),
        ),
        shareTile(
          'digitized',
          t('iocDigitizedShare'),
          sh.digitized,
          c.digitized,
          c.received,
          t('iocWhatReceived'),
        ),
        shareTile(
          'electronic-result',
          t('iocEResultShare'),
          sh.electronicResult,
          c.electronicResult,
          c.received,
          t('iocWhatReceived'),
        ),
        shareTile('reused', t('iocReusedShare'), sh.reused, c.reusedData, c.received, t('iocWhatReceived')),
        shareTile(
          'satisfied',
          t('iocSatisfiedShare'),
          sh.satisfied,
          c.verySatisfied + c.satisfied,
          c.rated,
          t('iocWhatRated'),
        ),
        tile(
          'work-days',
          t('iocMeanDays'),
          sh.meanWorkDays === null ? shareView(null) : fmt1(sh.meanWorkDays),
          sh.meanWorkDays === null ? t('iocNoDossiersLong') : t('iocMeanDaysSub'),
        ),
      ),
    );
  }

  function renderIndex(s) {
    const sc = s.score;
    const explain = new Map((s.explain ?? []).map((e) => [e.id, e]));
    const missing = sc.groups.filter((g) => g.officialMax > g.max);
    const note = h(
      'p',
      { class: 'hint ioc-note', id: 'ioc-index-note' },
      t('iocIndexNote', {
        known: fmtN(sc.max),
        official: fmtN(sc.officialMax),
        unknown: fmtN(sc.officialMax - sc.max),
        groups: missing.map((g) => `${groupLabel(g)}: ${fmtN(g.officialMax - g.max)}`).join('; '),
      }),
    );
    const total = h(
      'div',
      { class: 'ioc-score' },
      h(
        'p',
        { class: 'ioc-score-line ioc-score-total', id: 'ioc-index-total' },
        h('strong', {}, fmt1(sc.total)),
        h('span', {}, ` / ${fmtN(sc.officialMax)} ${t('iocPoints')}`),
      ),
      h(
        'p',
        { class: 'ioc-score-line meta' },
        t('iocKnownMax', { max: fmtN(sc.max), share: fmtPct(sc.max > 0 ? sc.total / sc.max : 0) }),
      ),
    );
    const groupsCompact = h(
      'ul',
      { class: 'ioc-groups', id: 'ioc-groups' },
      sc.groups.map((g) =>
        h(
          'li',
          { class: 'ioc-group', 'data-group': g.code },
          h('span', { class: 'ioc-group-name' }, groupLabel(g)),
          bar(g.points, g.max),
          h('span', { class: 'ioc-group-pts' }, `${fmt1(g.points)} / ${fmtN(g.max)}`),
        ),
      ),
    );
    if (wall) {
      replace(indexBox, h('h2', { id: 'ioc-index-h' }, t('iocIndexWall')), total, groupsCompact);
      return;
    }
    const table = h(
      'table',
      { class: 'grid ioc-items', id: 'ioc-items' },
      h('caption', { class: 'sr-only' }, t('iocItemsCaption')),
      thead([
        t('iocItem'),
        t('iocCalc'),
        { text: t('iocPointsCol'), num: true },
        { text: t('iocLost'), num: true },
        t('iocDossiersCol'),
      ]),
      sc.groups.map((g) =>
        h(
          'tbody',
          { 'data-group': g.code },
          h(
            'tr',
            { class: 'ioc-group-row' },
            h(
              'th',
              { scope: 'rowgroup', colspan: '2' },
              h('span', { class: 'ioc-group-name' }, `${g.code} · ${groupLabel(g)}`),
              bar(g.points, g.max, 'ioc-bar-group'),
            ),
            h(
              'td',
              { class: 'num' },
              h('strong', {}, `${fmt1(g.points)} / ${fmtN(g.max)}`),
              g.officialMax > g.max
                ? h('span', { class: 'meta block' }, t('iocOfficialMax', { n: g.officialMax }))
                : null,
            ),
            h(
              'td',
              { class: `num${g.max - g.points > 1e-9 ? ' o-bad' : ''}` },
              g.max - g.points > 1e-9 ? `−${fmt1(g.max - g.points)}` : '0',
            ),
            h('td', {}),
          ),
          g.items.map((i) => {
            const e = explain.get(i.id);
            const lost = i.lost > 1e-9;
            return h(
              'tr',
              { 'data-item': i.id },
              h(
                'th',
                { scope: 'row', class: 'ioc-item-label' },
                itemLabel(i),
                h('span', { class: 'meta block' }, `${i.id} · v${i.version}`),
              ),
              h(
                'td',
                { class: 'ioc-calc' },
                i.ratio
                  ? [
                      `${fmtN(i.numerator)} ÷ ${fmtN(i.denominator)} = `,
                      shareView(i.share),
                      i.share === null && i.points >= i.max - 1e-9
                        ? h('span', { class: 'meta block' }, t('iocEmptyFull'))
                        : null,
                      i.threshold !== null
                        ? h('span', { class: 'meta block' }, t('iocThreshold', { p: fmtPct(i.threshold) }))
                        : null,
                      lost && e?.missing
                        ? h(
                            'span',
                            { class: 'meta block' },
                            t(e.drillable ? 'iocMissing' : 'iocMissingCount', { n: fmtN(e.missing) }),
                          )
                        : null,
                    ]
                  : h('span', { class: 'meta' }, t('iocConstant')),
              ),
              h('td', { class: 'num' }, `${fmt1(i.points)} / ${fmtN(i.max)}`),
              h(
                'td',
                { class: `num${lost ? ' o-bad' : ''}` },
                lost ? [`−${fmt1(i.lost)}`, h('span', { class: 'sr-only' }, ` ${t('iocPointsLost')}`)] : '0',
              ),
              h(
                'td',
                {},
                lost && e?.drillable
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn secondary small ioc-drill-btn',
                        id: `ioc-drill-${i.id.replace('.', '-')}`,
                        'data-formula': i.id,
                        'aria-label': t('iocDrillItem', { item: itemLabel(i) }),
                        'on:click': () => openDrill({ formula: i.id, offset: 0 }),
                      },
                      t('iocDrill'),
                    )
                  : null,
              ),
            );
          }),
        ),
      ),
    );
    replace(
      indexBox,
      h('h2', { id: 'ioc-index-h' }, t('iocIndex')),
      h('div', { class: 'ioc-index-top' }, total, groupsCompact),
      note,
      tableWrap(table),
    );
  }

  // ---- drill-down: the dossiers behind a number ----
  let drillSeq = 0;
  async function openDrill(state, { quiet = false } = {}) {
    kept.drill = state;
    const my = ++drillSeq;
    const s = now;
    const item = state.formula
      ? s?.score.groups.flatMap((g) => g.items).find((i) => i.id === state.formula)
      : null;
    const title = state.formula
      ? t('iocDrillTitle', { item: item ? itemLabel(item) : state.formula })
      : t(`iocDrillKey_${state.key}`);
    drillBox.hidden = false;
    if (!quiet) {
      replace(
        drillBox,
        h('h2', { id: 'ioc-drill-h', tabindex: '-1' }, title),
        h('p', { class: 'loading' }, t('loading')),
      );
      drillBox.querySelector('h2').focus();
      drillBox.scrollIntoView?.({ block: 'start' });
    }
    let r;
    try {
      r = await api(
        `/api/indicators/dossiers?${viewQuery(cur, {
          formula: state.formula,
          key: state.key,
          limit: String(PAGE),
          offset: String(state.offset),
        })}`,
      );
    } catch (err) {
      if (my !== drillSeq || gone) return;
      replace(
        drillBox,
        h('h2', { id: 'ioc-drill-h', tabindex: '-1' }, title),
        h('p', { class: 'field-error', role: 'alert', id: 'ioc-drill-error' }, err.message),
        closeBtn(),
      );
      return;
    }
    if (my !== drillSeq || gone) return;
    const json = JSON.stringify(r);
    if (quiet && seen.drill === json) return;
    seen.drill = json;
    const focusedId = drillBox.contains(document.activeElement) ? document.activeElement.id : null;
    const pages = Math.max(1, Math.ceil(r.total / PAGE));
    const page = Math.floor(state.offset / PAGE) + 1;
    const go = (offset) => openDrill({ ...state, offset }, { quiet: false });
    replace(
      drillBox,
      h('h2', { id: 'ioc-drill-h', tabindex: '-1' }, title),
      h(
        'p',
        { id: 'ioc-drill-total' },
        h('strong', { 'data-total': String(r.total) }, t('dossierCount', { n: fmtN(r.total) })),
        r.lost
          ? [
              ' · ',
              t('iocDrillLost', { lost: fmt1(r.lost.points), max: fmtN(r.lost.max) }),
              r.lost.neededForFull ? ` · ${t('iocMissing', { n: fmtN(r.lost.neededForFull) })}` : '',
            ]
          : null,
      ),
      r.total === 0
        ? h('p', { id: 'ioc-drill-empty' }, t('oQueueEmpty'))
        : tableWrap(
            h(
              'table',
              { class: 'grid ioc-drill-table', id: 'ioc-drill-table' },
              h('caption', { class: 'sr-only' }, title),
              thead([
                t('dossierCode'),
                t('procedure'),
                t('iocUnit'),
                t('iocOutcome'),
                t('iocReceivedOn'),
                t('dueAt'),
              ]),
              h(
                'tbody',
                {},
                r.items.map((d) =>
                  h(
                    'tr',
                    { 'data-code': d.code },
                    h(
                      'td',
                      { class: 'nowrap' },
                      h('a', { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}` }, d.code),
                    ),
                    h('td', {}, d.procedureName, h('span', { class: 'meta block' }, d.procedureCode)),
                    h('td', {}, unitLabel(d.unit)),
                    h('td', {}, outcomeView(d)),
                    h('td', { class: 'nowrap' }, fmtIsoDay(d.receivedOn)),
                    h('td', { class: 'nowrap' }, d.dueAt ? fmtDateTime(d.dueAt) : '—'),
                  ),
                ),
              ),
            ),
          ),
      pages > 1
        ? h(
            'nav',
            { class: 'o-pager', 'aria-label': t('iocPaging') },
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                id: 'ioc-drill-prev',
                disabled: page <= 1,
                'on:click': () => go(state.offset - PAGE),
              },
              t('oPrev'),
            ),
            h('span', { id: 'ioc-drill-page' }, t('iocPageOf', { n: page, of: pages })),
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                id: 'ioc-drill-next',
                disabled: page >= pages,
                'on:click': () => go(state.offset + PAGE),
              },
              t('oNext'),
            ),
          )
        : null,
      closeBtn(),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
    else if (!quiet) drillBox.querySelector('h2').focus({ preventScroll: true });
  }
  function closeBtn() {
    return h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary small',
          id: 'ioc-drill-close',
          'on:click': () => {
            const from = kept.drill;
            kept.drill = null;
            seen.drill = null;
            drillSeq++;
            drillBox.hidden = true;
            replace(drillBox);
            const back = from?.formula
              ? document.getElementById(`ioc-drill-${from.formula.replace('.', '-')}`)
              : document.getElementById(`ioc-drill-key-${from?.key}`);
            (back ?? document.getElementById('ioc-index-h'))?.focus();
          },
        },
        t('iocClose'),
      ),
    );
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

  function renderChildren(s) {
    const kids = s.children ?? [];
    replace(
      childrenBox,
      h('h2', { id: 'ioc-children-h' }, t('iocByUnit')),
      kids.length === 0
        ? h('p', { class: 'meta', id: 'ioc-children-none' }, t('iocNoChildren'))
        : tableWrap(
            h(
              'table',
              { class: 'grid', id: 'ioc-children-table' },
              h('caption', { class: 'sr-only' }, t('iocByUnit')),
              thead([
                t('iocUnit'),
                { text: t('iocReceived'), num: true },
                { text: t('iocOnlineShort'), num: true },
                { text: t('iocOnTimeShort'), num: true },
                { text: t('oOverdue'), num: true },
                { text: t('iocIndexShort'), num: true },
              ]),
              h(
                'tbody',
                {},
                kids.map((k) =>
                  h(
                    'tr',
                    { 'data-unit': k.unit.code },
                    h(
                      'th',
                      { scope: 'row', class: 'ioc-name' },
                      h(
                        'a',
                        {
                          href: pageHref({ ...cur, unit: k.unit.code }),
                          id: `ioc-child-${k.unit.code}`,
                          'aria-label': t('iocOpenUnit', { name: k.unit.name }),
                        },
                        k.unit.name,
                      ),
                      k.unit.role === 'receiving'
                        ? h('span', { class: 'meta block' }, t('iocReceivingChild'))
                        : null,
                    ),
                    h('td', { class: 'num' }, fmtN(k.counts.received)),
                    h('td', { class: 'num' }, shareView(k.shares.online)),
                    h('td', { class: 'num' }, shareView(k.shares.onTime)),
                    h(
                      'td',
                      { class: `num${k.counts.inProgressOverdue > 0 ? ' o-bad' : ''}` },
                      fmtN(k.counts.inProgressOverdue),
                    ),
                    h('td', { class: 'num' }, fmt1(k.score.total)),
                  ),
                ),
              ),
            ),
          ),
      kids.length ? h('p', { class: 'hint' }, t('iocChildrenHint')) : null,
    );
  }

  function renderProcedures(s) {
    const all = s.byProcedure ?? [];
    const top = all.slice(0, TOP_PROCEDURES);
    replace(
      procBox,
      h('h2', { id: 'ioc-procedures-h' }, t('iocByProcedure')),
      all.length === 0
        ? h('p', { class: 'meta' }, t('oQueueEmpty'))
        : [
            h('p', { class: 'hint' }, t('iocTopN', { n: fmtN(top.length), of: fmtN(all.length) })),
            tableWrap(
              h(
                'table',
                { class: 'grid ioc-proc-table', id: 'ioc-procedures-table' },
                h('caption', { class: 'sr-only' }, t('iocByProcedure')),
                thead([
                  t('procedure'),
                  { text: t('iocReceived'), num: true },
                  { text: t('iocOnlineShort'), num: true },
                  { text: t('iocResolved'), num: true },
                  { text: t('oLate'), num: true },
                  { text: t('oOverdue'), num: true },
                  { text: t('iocOnTimeShort'), num: true },
                ]),
                h(
                  'tbody',
                  {},
                  top.map((p) =>
                    h(
                      'tr',
                      { 'data-procedure': p.code },
                      h(
                        'th',
                        { scope: 'row', class: 'ioc-name ioc-plain' },
                        p.name,
                        h('span', { class: 'meta block' }, p.code),
                      ),
                      h('td', { class: 'num' }, fmtN(p.received)),
                      h('td', { class: 'num' }, shareView(p.received > 0 ? p.online / p.received : null)),
                      h('td', { class: 'num' }, fmtN(p.resolved)),
                      h('td', { class: `num${p.late ? ' o-bad' : ''}` }, fmtN(p.late)),
                      h('td', { class: `num${p.overdue ? ' o-bad' : ''}` }, fmtN(p.overdue)),
                      h('td', { class: 'num' }, shareView(p.onTimeShare)),
                    ),
                  ),
                ),
              ),
            ),
          ],
    );
  }

  function renderChannels(s) {
    const c = s.counts;
    const rows = [
      ['counter', c.counter],
      ['online', c.online],
      ['post', c.post],
    ];
    replace(
      channelBox,
      h('h2', { id: 'ioc-channels-h' }, t('iocByChannel')),
      h(
        'table',
        { class: 'grid ioc-channel-table', id: 'ioc-channels-table' },
        h('caption', { class: 'sr-only' }, t('iocByChannel')),
        thead([
          t('iocChannel'),
          { text: t('iocReceived'), num: true },
          { text: t('iocShareCol'), num: true },
        ]),
        h(
          'tbody',
          {},
          rows.map(([k, n]) =>
            h(
              'tr',
              { 'data-channel': k },
              h('th', { scope: 'row' }, t(`channel_${k}`), bar(n, c.received, 'ioc-bar-channel')),
              h('td', { class: 'num' }, fmtN(n)),
              h('td', { class: 'num' }, shareView(c.received > 0 ? n / c.received : null)),
            ),
          ),
        ),
      ),
    );
  }

  // ---- ranking ----
  let rankSeq = 0;
  async function loadRanking({ quiet = false } = {}) {
    const level = kept.rankLevel;
    const my = ++rankSeq;
    if (!quiet && seen.ranking) drawRanking(null, level);
    try {
      const r = await api(
        `/api/indicators/ranking?${viewQuery({ period: cur.period, kind: cur.kind }, { level })}`,
      );
      if (my !== rankSeq || gone) return;
      const json = JSON.stringify(r);
      if (quiet && seen.ranking === json) return;
      seen.ranking = json;
      drawRanking(r, level);
    } catch (err) {
      if (my !== rankSeq || gone) return;
      seen.ranking = null;
      drawRanking(err, level);
    }
  }
  function drawRanking(r, level) {
    const focusedId = rankBox.contains(document.activeElement) ? document.activeElement.id : null;
    const tabs = ['department', 'commune'];
    const tab = (lv) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `ioc-rank-tab-${lv}`,
          'aria-selected': String(lv === level),
          'aria-controls': 'ioc-rank-panel',
          tabindex: lv === level ? '0' : '-1',
          class: 'ioc-tab',
          'on:click': () => {
            if (kept.rankLevel === lv) return;
            kept.rankLevel = lv;
            loadRanking();
          },
          'on:keydown': (e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End')
              return;
            e.preventDefault();
            const i = tabs.indexOf(lv);
            const next =
              e.key === 'Home'
                ? tabs[0]
                : e.key === 'End'
                  ? tabs[tabs.length - 1]
                  : tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
            kept.rankLevel = next;
            loadRanking().then(() => document.getElementById(`ioc-rank-tab-${next}`)?.focus());
            document.getElementById(`ioc-rank-tab-${next}`)?.focus();
          },
        },
        t(`iocRank_${lv}`),
      );
    let body;
    if (r === null) body = h('p', { class: 'loading' }, t('loading'));
    else if (r instanceof Error) body = h('p', { class: 'field-error', id: 'ioc-ranking-error' }, r.message);
    else if (r.items.length === 0) body = h('p', { class: 'meta' }, t('oNone'));
    else {
      const groups = Object.keys(r.items[0].groups);
      const gLabel = (code) =>
        groupLabel(now?.score.groups.find((g) => g.code === code) ?? { code, label: code });
      body = [
        h(
          'p',
          { class: 'hint' },
          t('iocRankHint', { now: periodLabel(r.period), before: periodLabel(r.previous) }),
        ),
        tableWrap(
          h(
            'table',
            { class: 'grid ioc-rank-table', id: 'ioc-ranking-table' },
            h('caption', { class: 'sr-only' }, t(`iocRank_${level}`)),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col', class: 'num' }, t('iocRankCol')),
                h('th', { scope: 'col' }, t('iocRankChange')),
                h('th', { scope: 'col' }, t('iocUnit')),
                h('th', { scope: 'col', class: 'num' }, t('iocTotalCol')),
                groups.map((g) =>
                  h('th', { scope: 'col', class: 'num' }, h('abbr', { title: gLabel(g) }, g)),
                ),
                h('th', { scope: 'col', class: 'num' }, t('iocTotalChange')),
              ),
            ),
            h(
              'tbody',
              {},
              r.items.map((i) => {
                // A unit that received nothing is not ranked (rank null): its full points mean nothing.
                const ranked = i.rank !== null && i.rank !== undefined;
                const was = i.previousRank !== null && i.previousRank !== undefined;
                const moved = ranked && was ? i.previousRank - i.rank : 0;
                const here = i.unit.code === cur.unit;
                const [shown, words, cls] = !ranked
                  ? ['—', t('iocUnranked'), 'same']
                  : !was
                    ? [t('iocRankNewShort'), t('iocRankNew'), 'same']
                    : moved > 0
                      ? [`▲ ${moved}`, t('iocRankUp', { n: moved }), 'up']
                      : moved < 0
                        ? [`▼ ${-moved}`, t('iocRankDown', { n: -moved }), 'down']
                        : ['=', t('iocRankSame'), 'same'];
                const dash = () => h('span', { 'aria-hidden': 'true' }, '—');
                return h(
                  'tr',
                  {
                    'data-unit': i.unit.code,
                    class: [here ? 'ioc-here' : '', ranked ? '' : 'ioc-unranked'].join(' ').trim() || null,
                  },
                  h('td', { class: 'num' }, ranked ? h('strong', {}, String(i.rank)) : dash()),
                  h(
                    'td',
                    { class: `nowrap ioc-move ${cls}` },
                    h('span', { 'aria-hidden': 'true' }, shown),
                    h('span', { class: 'sr-only' }, words),
                  ),
                  h(
                    'th',
                    { scope: 'row', class: 'ioc-name' },
                    mayView(i.unit.code)
                      ? h('a', { href: pageHref({ ...cur, unit: i.unit.code }) }, i.unit.name)
                      : i.unit.name,
                    here ? h('span', { class: 'meta block' }, t('iocThisUnit')) : null,
                    ranked ? null : h('span', { class: 'meta block' }, t('iocUnrankedWhy')),
                  ),
                  h('td', { class: 'num' }, ranked ? h('strong', {}, fmt1(i.total)) : dash()),
                  groups.map((g) => h('td', { class: 'num' }, ranked ? fmt1(i.groups[g]) : dash())),
                  ranked && was
                    ? h(
                        'td',
                        { class: `num ${i.change > 0.05 ? 'ioc-up' : i.change < -0.05 ? 'ioc-down' : ''}` },
                        `${i.change > 0.05 ? '+' : i.change < -0.05 ? '−' : ''}${fmt1(Math.abs(i.change))}`,
                      )
                    : h('td', { class: 'num' }, dash()),
                );
              }),
            ),
          ),
        ),
      ];
    }
    replace(
      rankBox,
      h('h2', { id: 'ioc-ranking-h' }, t('iocRanking')),
      h('div', { role: 'tablist', class: 'ioc-tabs', 'aria-label': t('iocRanking') }, tabs.map(tab)),
      h(
        'div',
        { role: 'tabpanel', id: 'ioc-rank-panel', 'aria-labelledby': `ioc-rank-tab-${level}`, tabindex: '0' },
        body,
      ),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  function renderRisk(r, err) {
    if (err) {
      replace(
        riskBox,
        h('h2', { id: 'ioc-at-risk-h' }, t('iocAtRisk')),
        h('p', { class: 'field-error', id: 'ioc-at-risk-error' }, err.message),
      );
      return;
    }
    const items = [...r.items].sort((a, b) => Number(b.overdue) - Number(a.overdue));
    // The totals come from the server (the list itself stops at 200).
    const overdue = r.overdue ?? items.filter((i) => i.overdue).length;
    const soon = r.dueSoon ?? items.length - overdue;
    const shown = items.slice(0, wall ? RISK_WALL : RISK_PAGE);
    replace(
      riskBox,
      h('h2', { id: 'ioc-at-risk-h' }, t('iocAtRisk')),
      h(
        'p',
        { class: 'hint', id: 'ioc-at-risk-count' },
        t('iocAtRiskCount', { overdue: fmtN(overdue), soon: fmtN(soon) }),
      ),
      items.length === 0
        ? h('p', { id: 'ioc-at-risk-none' }, t('iocAtRiskNone'))
        : h(
            'ul',
            { class: 'ioc-risk', id: 'ioc-at-risk-list' },
            shown.map((d) => {
              const due = [t('iocDue', { at: fmtDateTime(d.dueAt) }), d.paused ? ` · ${t('iocPaused')}` : ''];
              const code = h(
                'a',
                { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}`, class: 'o-code' },
                d.code,
              );
              return h(
                'li',
                { class: `ioc-risk-item ${d.overdue ? 'overdue' : 'soon'}`, 'data-code': d.code },
                lightBadge(d.overdue ? 'red' : 'amber'),
                code,
                // The wall screen has two lines per dossier: who and when, then where and what.
                wall
                  ? [
                      h('span', { class: 'ioc-risk-due' }, due),
                      h('span', { class: 'ioc-risk-proc' }, `${unitLabel(d.unit)} · ${d.procedureName}`),
                    ]
                  : [
                      h('span', { class: 'ioc-risk-proc' }, d.procedureName),
                      h('span', { class: 'meta' }, unitLabel(d.unit), ' · ', due),
                    ],
              );
            }),
          ),
      overdue + soon > shown.length
        ? h(
            'p',
            { class: 'meta', id: 'ioc-at-risk-more' },
            t('iocAtRiskMore', { n: fmtN(overdue + soon - shown.length) }),
          )
        : null,
    );
  }

  // ---- loading and refreshing: each section is drawn again only when its numbers changed ----
  const changed = (key, value) => {
    const json = JSON.stringify(value);
    if (seen[key] === json) return false;
    seen[key] = json;
    return true;
  };

  /** Half-months for a short period (a month, a reporting month, a custom range up to 62 days), months otherwise. */
  function trendBy(v) {
    if (v.kind === 'month' || v.kind.startsWith('report_') || /-H[12]$/i.test(v.period)) return 'half';
    const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v.period);
    if (m) return (Date.parse(m[2]) - Date.parse(m[1])) / 86_400_000 + 1 <= 62 ? 'half' : 'month';
    return /^\d{4}-\d{2}$/.test(v.period) && !v.kind ? 'half' : 'month';
  }

  async function load({ quiet = false } = {}) {
    if (busy || gone) return;
    busy = true;
    const y = window.scrollY;
    const focusedId = document.activeElement?.id || null;
    try {
      const [summary, trend, risk] = await Promise.allSettled([
        api(`/api/indicators?${viewQuery(addr)}`),
        api(`/api/indicators/trend?${viewQuery(addr, { by: trendBy(addr) })}`),
        api(`/api/indicators/at-risk?${viewQuery({ unit: addr.unit }, { limit: '200' })}`),
      ]);
      if (gone) return;
      if (summary.status === 'rejected') throw summary.reason;
      const s = summary.value;
      cur = { unit: s.unit.code, period: s.period.key, kind: s.period.kind, wall };
      now = s;
      errorBox.replaceChildren();
      if (changed('head', [s.unit, s.period])) {
        renderHead(s);
        if (!wall) {
          renderCrumbs(s);
          renderFilters(s);
        }
      }
      const { children, byProcedure, ...core } = s;
      if (changed('core', core)) {
        renderTiles(s);
        renderIndex(s);
        if (!wall) renderChannels(s);
      }
      if (!wall) {
        if (changed('children', children)) renderChildren(s);
        if (changed('procedures', byProcedure)) renderProcedures(s);
      }
      if (trend.status === 'rejected') {
        seen.trend = null;
        replace(
          trendBox,
          h('h2', { id: 'ioc-trend-h' }, t('iocTrend')),
          h('p', { class: 'field-error', id: 'ioc-trend-error' }, trend.reason.message),
        );
      } else if (changed('trend', trend.value)) renderTrend(trend.value, s.period);
      if (risk.status === 'rejected') {
        seen.risk = null;
        renderRisk(null, risk.reason);
      } else if (changed('risk', risk.value)) renderRisk(risk.value);
      const jobs = [];
      if (!wall) jobs.push(loadRanking({ quiet }));
      if (!wall && kept.drill) jobs.push(openDrill(kept.drill, { quiet: true }));
      await Promise.all(jobs);
      replace(stamp, t('iocUpdatedAt', { time: stampNow() }));
      stamp.classList.remove('ioc-stale');
    } catch (err) {
      if (gone) return;
      if (err?.status === 401) {
        replace(
          ctx.main,
          loginForm(() => ctx.navigate(location.pathname + location.search, { replace: true })),
        );
        return;
      }
      if (quiet && now) {
        // Keep what is on screen and say that it is getting old.
        stamp.classList.add('ioc-stale');
        replace(stamp, t('iocStale', { time: stampNow(), error: err.message }));
      } else {
        replace(
          errorBox,
          h(
            'section',
            { class: 'card', role: 'alert', id: 'ioc-load-error' },
            h('h2', {}, t('errorTitle')),
            h('p', { class: 'field-error' }, err.message),
            h('p', {}, h('a', { href: '/can-bo/dieu-hanh', id: 'ioc-back-default' }, t('iocBackDefault'))),
          ),
        );
        for (const b of [tilesBox, indexBox, trendBox, childrenBox, procBox, channelBox, rankBox, riskBox])
          b.hidden = true;
        replace(stamp, '');
      }
    } finally {
      busy = false;
    }
    if (quiet && !gone) {
      // A quiet refresh keeps the reader where they were.
      if (Math.abs(window.scrollY - y) > 1) window.scrollTo(0, y);
      if (focusedId && document.activeElement?.id !== focusedId) {
        document.getElementById(focusedId)?.focus({ preventScroll: true });
      }
    }
  }

  const stop = () => {
    gone = true;
    clearInterval(timer);
    plot?.destroy();
    resize?.disconnect();
    document.removeEventListener('fullscreenchange', fsLabel);
    document.body.classList.remove('ioc-wall');
    if (document.fullscreenElement && !readAddress(new URLSearchParams(location.search)).wall) {
      document.exitFullscreen?.().catch(() => {});
    }
  };
  const keys = shortcuts(ctx);
  units = await unitDirectory();
  if (ctx.isCurrent()) await load();
  if (!ctx.isCurrent()) {
    // Another page has taken over meanwhile: stop here without touching its frame.
    stop();
    keys();
    return null;
  }
  timer = setInterval(
    () => {
      if (!document.hidden) load({ quiet: true });
    },
    wall ? WALL_REFRESH_MS : REFRESH_MS,
  );
  return cleanupAll(keys, stop);
}
