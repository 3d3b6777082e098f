// The drill-down of the operations dashboard: the dossiers behind a number (a tile's count, an item's lost points),
// a page at a time, kept open across a quiet refresh.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDateTime, fmtIsoDay } from '../../format.js';
import { t } from '../../i18n.js';
import { fmt1, fmtN, itemLabel, outcomeView } from './labels.js';
import { tableWrap, thead } from './table.js';
import { viewQuery } from './view.js';

const PAGE = 20;

/**
 * The drill-down drawn into `drillBox`: returns openDrill(state, { quiet }), state being { formula | key, offset }.
 * `kept.drill` is the state open, `seen.drill` the JSON drawn; `live()` gives the view shown ({ cur, now, gone }).
 */
export function drillDown({ drillBox, kept, seen, live, unitLabel }) {
  // ---- drill-down: the dossiers behind a number ----
  let drillSeq = 0;
  async function openDrill(state, { quiet = false } = {}) {
    kept.drill = state;
    const my = ++drillSeq;
    const { cur, now: s } = live();
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
      if (my !== drillSeq || live().gone) return;
      replace(
        drillBox,
        h('h2', { id: 'ioc-drill-h', tabindex: '-1' }, title),
        h('p', { class: 'field-error', role: 'alert', id: 'ioc-drill-error' }, err.message),
        closeBtn(),
      );
      return;
    }
    if (my !== drillSeq || live().gone) return;
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
  return openDrill;
}
