// Table pieces shared by the sections of the operations dashboard: a scrollable region, a header row, a bar.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';

export const tableWrap = (table) =>
  h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') }, table);
export const thead = (cols) =>
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
export const bar = (value, max, cls = '') =>
  h(
    'span',
    { class: `ioc-bar ${cls}`, 'aria-hidden': 'true' },
    h('span', {
      class: 'ioc-bar-fill',
      style: `width:${max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)).toFixed(1) : 0}%`,
    }),
  );
