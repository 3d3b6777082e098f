// The dossiers at risk on the operations dashboard: overdue or due soon, the most urgent first.
import { h, replace } from '../../dom.js';
import { fmtDateTime } from '../../format.js';
import { t } from '../../i18n.js';
import { lightBadge } from '../common.js';
import { fmtN } from './labels.js';

/** At-risk dossiers listed: all the wall screen has room for, a long page otherwise (the count covers all). */
const RISK_WALL = 4;
const RISK_PAGE = 30;

/** Draws the list into `riskBox` (two lines per dossier on the wall screen), or the error `err`. */
export function renderRisk(riskBox, { wall, unitLabel }, r, err) {
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
