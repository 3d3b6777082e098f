// The breakdowns of the operations dashboard: by unit below the one shown, by procedure (the busiest), by channel.
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { fmt1, fmtN, shareView } from './labels.js';
import { bar, tableWrap, thead } from './table.js';
import { pageHref } from './view.js';

const TOP_PROCEDURES = 20;

/** The units below the one shown, each a link to its own dashboard in the view `cur`. */
export function renderChildren(childrenBox, s, cur) {
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

export function renderProcedures(procBox, s) {
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

export function renderChannels(channelBox, s) {
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
      thead([t('iocChannel'), { text: t('iocReceived'), num: true }, { text: t('iocShareCol'), num: true }]),
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
