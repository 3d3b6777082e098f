// The Decision 766 index of the operations dashboard: the total, the points per group and, off the wall screen,
// the table of items with their calculation, the points lost and the dossiers behind them.
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { fmt1, fmtN, fmtPct, groupLabel, itemLabel, shareView } from './labels.js';
import { bar, tableWrap, thead } from './table.js';

/** Draws the index into `box` for the summary `s`. */
export function renderIndex(box, s, { wall, openDrill }) {
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
    replace(box, h('h2', { id: 'ioc-index-h' }, t('iocIndexWall')), total, groupsCompact);
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
    box,
    h('h2', { id: 'ioc-index-h' }, t('iocIndex')),
    h('div', { class: 'ioc-index-top' }, total, groupsCompact),
    note,
    tableWrap(table),
  );
}
