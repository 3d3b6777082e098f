// The control sheet (Mẫu 05) of a dossier in the workspace: the links to it (PDF, spreadsheet, receipt), the steps
// with their timing, and the hand-overs between officers and units.
import { h } from '../../dom.js';
import { fmtMoney } from '../../format.js';
import { t } from '../../i18n.js';
import { dt, lightBadge, roleLabel, timingBadge } from '../common.js';

/** The step under way in state `s` (the last one), or null before the first. */
export const currentStep = (s) => (s.step !== null ? s.steps[s.steps.length - 1] : null);

/** The control sheet card of dossier `d`; `uname` names a unit. */
export function controlSheet(d, enc, uname) {
  const s = d.state;
  const cur = currentStep(s);
  const acts = d.actions ?? [];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ws-h-sheet' },
    h('h2', { id: 'ws-h-sheet' }, t('oControlSheet')),
    h(
      'p',
      { class: 'row-buttons' },
      h(
        'a',
        {
          href: `/api/dossiers/${enc}/forms/control-sheet`,
          target: '_blank',
          rel: 'noopener',
          id: 'ws-sheet-pdf',
        },
        t('oSheetPdf'),
      ),
      ' · ',
      h(
        'a',
        { href: `/api/dossiers/${enc}/forms/control-sheet?format=xlsx`, id: 'ws-sheet-xlsx', download: '' },
        t('oSheetXlsx'),
      ),
      s.receivedAt
        ? [
            ' · ',
            h(
              'a',
              { href: `/api/dossiers/${enc}/forms/receipt`, target: '_blank', rel: 'noopener' },
              t('oPdf_receipt'),
            ),
          ]
        : null,
    ),
    h('h3', {}, t('oSteps')),
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
      h(
        'table',
        { class: 'grid', id: 'ws-steps' },
        h('caption', { class: 'sr-only' }, t('oSteps')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('oColStep'),
              t('oColUnit'),
              t('oColAssignee'),
              t('oColStarted'),
              t('oColStepDue'),
              t('oColDone'),
              t('oColTiming'),
            ].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h(
          'tbody',
          {},
          s.steps.map((st) =>
            h(
              'tr',
              { class: st.completedAt ? null : 'o-current' },
              h(
                'td',
                {},
                st.name,
                st.interAgency ? h('span', { class: 'tag' }, ` ${t('oInterAgency')}`) : null,
                h('br'),
                h('span', { class: 'meta' }, roleLabel(st.role)),
              ),
              h('td', {}, uname(st.unit)),
              h('td', {}, st.assignee ?? '—'),
              h('td', { class: 'nowrap' }, dt(st.startedAt)),
              h('td', { class: 'nowrap' }, dt(st.dueAt)),
              h('td', { class: 'nowrap' }, st.completedAt ? dt(st.completedAt) : t('oInProgress')),
              h(
                'td',
                {},
                st.completedAt ? timingBadge(st.timing) : lightBadge(st === cur ? d.stepDeadline : null),
              ),
            ),
          ),
        ),
      ),
    ),
    h('h3', {}, t('oHandOvers')),
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
      h(
        'table',
        { class: 'grid', id: 'ws-actions' },
        h('caption', { class: 'sr-only' }, t('oHandOvers')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('oColTime'),
              t('oColAction'),
              t('oColSender'),
              t('oColReceiver'),
              t('oColStepDue'),
              t('oColNote'),
            ].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h(
          'tbody',
          {},
          acts.map((x, i) => {
            const next = acts[i + 1];
            const p = x.payload ?? {};
            const receiver =
              p.toUnit ?? p.unit ?? p.nextUnit ?? (next?.unit && next.unit !== x.unit ? next.unit : x.unit);
            return h(
              'tr',
              { class: x.type === 'comment' ? 'o-comment' : null },
              h('td', { class: 'nowrap' }, dt(x.at)),
              h(
                'td',
                {},
                t(`oAct_${x.type}`),
                x.step !== null && x.step !== undefined
                  ? h('span', { class: 'meta' }, ` · ${t('oStepN', { n: Number(x.step) + 1 })}`)
                  : null,
              ),
              h(
                'td',
                {},
                x.actor_name ?? '—',
                x.unit ? h('span', { class: 'meta block' }, uname(x.unit)) : null,
              ),
              h('td', {}, receiver ? uname(receiver) : '—'),
              h('td', { class: 'nowrap' }, dt(x.step_due_at)),
              h('td', {}, x.reason ?? p.text ?? p.note ?? (p.amountVnd ? fmtMoney(p.amountVnd) : '') ?? ''),
            );
          }),
        ),
      ),
    ),
  );
}
