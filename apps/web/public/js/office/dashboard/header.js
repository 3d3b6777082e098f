// The head of the operations dashboard: the unit and period shown, the export links, the path back up the units.
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { periodLabel, periodRange } from './labels.js';
import { pageHref, viewQuery } from './view.js';

/** The subtitle, the receiving-unit note, the data-* of the root and the export links, for the summary `s`. */
export function renderHead(s, cur, { subtitle, roleNote, root, exportXlsx, exportPdf }) {
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

/** The units from the officer's own down to the one shown, `units` being the directory. */
export function renderCrumbs(crumbs, s, { cur, units, watched }) {
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
