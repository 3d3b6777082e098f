// Operations dashboard (IOC) /can-bo/dieu-hanh for heads, leaders and administrators: service indicators and the
// Decision 766 index of a unit and period (GET /api/indicators), the dossiers behind a number, the monthly trend
// (uPlot), breakdowns by unit, procedure and channel, the ranking of departments and communes, the dossiers at
// risk. The view lives in the address (?unit=&period=&kind=&wall=1) so a link reproduces it; it refreshes itself
// quietly (60 s, or 30 s in the wall-screen mode) without losing the open drill-down, the focus or the scroll.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import {
  cleanupAll,
  hasRole,
  layout,
  loginForm,
  requireOfficer,
  shortcuts,
  unitDirectory,
  unitsWith,
} from './common.js';
import { renderChannels, renderChildren, renderProcedures } from './dashboard/breakdowns.js';
import { drillDown } from './dashboard/drill.js';
import { renderFilters } from './dashboard/filters.js';
import { renderCrumbs, renderHead } from './dashboard/header.js';
import { stampNow } from './dashboard/labels.js';
import { ranking } from './dashboard/ranking.js';
import { renderRisk } from './dashboard/risk.js';
import { renderIndex } from './dashboard/score.js';
import { renderTiles } from './dashboard/tiles.js';
import { trendBy, trendChart, uplotCss } from './dashboard/trend.js';
import { pageHref, readAddress, viewQuery } from './dashboard/view.js';

const WATCH_ROLES = ['head', 'leader', 'admin'];
const REFRESH_MS = 60_000;
const WALL_REFRESH_MS = 30_000;

/** What survives a re-render of the same view (language switch, wall toggle): the open drill-down, the tab. */
const kept = { view: '', drill: null, rankLevel: 'department' };

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
  if (kept.view !== viewKey) {
    kept.view = viewKey;
    kept.drill = null;
  }

  // The resolved view (the server fills in the default unit and period): set after the first summary.
  let cur = { unit: addr.unit, period: addr.period, kind: addr.kind, wall };
  let units = [];
  /** The JSON last drawn per section (a quiet refresh skips what did not change) and the summary on screen. */
  const seen = {};
  let now = null;
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
  const live = () => ({ cur, now, gone });
  const openDrill = drillDown({ drillBox, kept, seen, live, unitLabel });
  const loadRanking = ranking({ rankBox, kept, seen, live, mayView });
  const trendView = trendChart(trendBox, wall);

  // ---- loading and refreshing: each section is drawn again only when its numbers changed ----
  const changed = (key, value) => {
    const json = JSON.stringify(value);
    if (seen[key] === json) return false;
    seen[key] = json;
    return true;
  };

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
        renderHead(s, cur, { subtitle, roleNote, root, exportXlsx, exportPdf });
        if (!wall) {
          renderCrumbs(crumbs, s, { cur, units, watched });
          renderFilters(filters, s, { watched, unitLabel, navigate: (href) => ctx.navigate(href) });
        }
      }
      const { children, byProcedure, ...core } = s;
      if (changed('core', core)) {
        renderTiles(tilesBox, s, { wall, openDrill });
        renderIndex(indexBox, s, { wall, openDrill });
        if (!wall) renderChannels(channelBox, s);
      }
      if (!wall) {
        if (changed('children', children)) renderChildren(childrenBox, s, cur);
        if (changed('procedures', byProcedure)) renderProcedures(procBox, s);
      }
      if (trend.status === 'rejected') {
        seen.trend = null;
        replace(
          trendBox,
          h('h2', { id: 'ioc-trend-h' }, t('iocTrend')),
          h('p', { class: 'field-error', id: 'ioc-trend-error' }, trend.reason.message),
        );
      } else if (changed('trend', trend.value)) trendView.render(trend.value, s.period);
      if (risk.status === 'rejected') {
        seen.risk = null;
        renderRisk(riskBox, { wall, unitLabel }, null, risk.reason);
      } else if (changed('risk', risk.value)) renderRisk(riskBox, { wall, unitLabel }, risk.value);
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
    trendView.destroy();
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
