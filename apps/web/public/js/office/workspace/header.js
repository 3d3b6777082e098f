// The head of the dossier workspace: code, procedure, status and the deadline lights; the apology banner when the
// deadline is missed (Mẫu 04) and the link to the apology last issued.
import { h } from '../../dom.js';
import { lang, t } from '../../i18n.js';
import { statusBadge } from '../../labels.js';
import { dt, lightBadge } from '../common.js';
import { currentStep } from './sheet.js';

/** The header, the apology banner and the apology link of dossier `d` (null when there is none). */
export function dossierHead(d, { enc, openAction }) {
  const s = d.state;
  const det = d.details ?? {};
  const cur = currentStep(s);
  const sl = d.stepDeadline;
  const head = h(
    'header',
    { class: 'o-ws-head' },
    h('h1', { id: 'ws-title' }, t('dossierTitle', { code: d.code })),
    h(
      'p',
      { class: 'lead', id: 'ws-procedure' },
      det.procedure ? `${det.procedure.name} (${det.procedure.code})` : '',
    ),
    h(
      'div',
      { class: 'o-ws-facts' },
      h(
        'span',
        { id: 'ws-status' },
        statusBadge(d.status, lang() === 'en' ? d.statusLabelEn : d.statusLabel),
      ),
      h(
        'span',
        {},
        h('span', { class: 'meta' }, `${t('oDossierDeadline')}: `),
        lightBadge(d.deadline, { id: 'ws-light' }),
        ` ${dt(s.dueAt)}`,
      ),
      cur
        ? h(
            'span',
            {},
            h('span', { class: 'meta' }, `${t('oStepDeadline')}: `),
            lightBadge(sl, { id: 'ws-step-light' }),
            ` ${dt(cur.dueAt)}`,
          )
        : null,
      s.pause ? h('span', { class: 'badge status-warn', id: 'ws-paused' }, t('oClockPaused')) : null,
    ),
  );

  const apology = d.apologyDue
    ? h(
        'div',
        { class: 'banner warn o-apology', id: 'ws-apology-due', role: 'alert' },
        h('strong', {}, t('oApologyDue')),
        ' ',
        t('oApologyDueText', { due: dt(s.dueAt) }),
        d.availableActions.includes('apologize')
          ? [
              ' ',
              h(
                'button',
                { type: 'button', class: 'btn small', 'on:click': () => openAction('apologize') },
                t('oAct_apologize'),
              ),
            ]
          : null,
      )
    : null;
  const lastApology = s.apologies?.at(-1);
  const apologyLink = lastApology
    ? h(
        'p',
        { class: 'notice', id: 'ws-apology-issued' },
        t('oApologyIssued', { date: dt(lastApology.at), due: dt(lastApology.newDueAt) }),
        ' ',
        h(
          'a',
          {
            href: `/api/dossiers/${enc}/forms/apology`,
            target: '_blank',
            rel: 'noopener',
            id: 'ws-apology-pdf',
          },
          t('oPdf_apology'),
        ),
      )
    : null;
  return [head, apology, apologyLink];
}
