// The ranking of the operations dashboard: departments or communes by their Decision 766 index for the period,
// with the move since the previous one, in two tabs.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { fmt1, groupLabel, periodLabel } from './labels.js';
import { tableWrap } from './table.js';
import { pageHref, viewQuery } from './view.js';

/**
 * The ranking drawn into `rankBox`: returns loadRanking({ quiet }). `kept.rankLevel` is the tab open, `seen.ranking`
 * the JSON drawn; `live()` gives the view shown ({ cur, now, gone }); `mayView(code)` whether a unit links.
 */
export function ranking({ rankBox, kept, seen, live, mayView }) {
  // ---- ranking ----
  let rankSeq = 0;
  async function loadRanking({ quiet = false } = {}) {
    const level = kept.rankLevel;
    const { cur } = live();
    const my = ++rankSeq;
    if (!quiet && seen.ranking) drawRanking(null, level);
    try {
      const r = await api(
        `/api/indicators/ranking?${viewQuery({ period: cur.period, kind: cur.kind }, { level })}`,
      );
      if (my !== rankSeq || live().gone) return;
      const json = JSON.stringify(r);
      if (quiet && seen.ranking === json) return;
      seen.ranking = json;
      drawRanking(r, level);
    } catch (err) {
      if (my !== rankSeq || live().gone) return;
      seen.ranking = null;
      drawRanking(err, level);
    }
  }
  function drawRanking(r, level) {
    const { cur, now } = live();
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
  return loadRanking;
}
