// The applicant and the form data of a dossier in the workspace.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { channelLabel } from '../../labels.js';
import { dt } from '../common.js';

/** The card with the applicant, the dates and units of dossier `d`, and its form data; `uname` names a unit. */
export function applicantCard(d, uname) {
  const s = d.state;
  const det = d.details ?? {};
  const a = det.applicant ?? {};
  const fd = det.formData ?? {};
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ws-h-applicant' },
    h('h2', { id: 'ws-h-applicant' }, t('oApplicantAndForm')),
    h(
      'dl',
      { class: 'kv o-kv', id: 'ws-applicant' },
      h('dt', {}, t('oApplicantName')),
      h('dd', {}, a.name ?? '—'),
      h('dt', {}, t('oIdNumber')),
      h('dd', {}, a.idNumber ?? '—'),
      a.phone ? [h('dt', {}, t('oPhone')), h('dd', {}, a.phone)] : null,
      a.email ? [h('dt', {}, t('oEmail')), h('dd', {}, a.email)] : null,
      a.address ? [h('dt', {}, t('oAddress')), h('dd', {}, a.address)] : null,
      h('dt', {}, t('channel')),
      h('dd', {}, channelLabel(s.channel)),
      h('dt', {}, t('submittedAt')),
      h('dd', {}, dt(s.submittedAt)),
      h('dt', {}, t('receivedAt')),
      h('dd', {}, dt(s.receivedAt)),
      h('dt', {}, t('dueAt')),
      h('dd', { id: 'ws-due' }, dt(s.dueAt)),
      s.legalDueAt && s.legalDueAt !== s.dueAt
        ? [h('dt', {}, t('oLegalDue')), h('dd', {}, dt(s.legalDueAt))]
        : null,
      h('dt', {}, t('receivingUnit')),
      h('dd', {}, uname(s.receivingUnit)),
      h('dt', {}, t('competentUnit')),
      h('dd', {}, uname(s.competentUnit)),
      det.delivery
        ? [
            h('dt', {}, t('deliveryMethod')),
            h(
              'dd',
              {},
              t(`delivery_${det.delivery.method}`),
              det.delivery.address ? ` — ${det.delivery.address}` : '',
            ),
          ]
        : null,
      s.trackingNumber ? [h('dt', {}, t('oTracking')), h('dd', {}, s.trackingNumber)] : null,
    ),
    Object.keys(fd).length
      ? [
          h('h3', {}, t('oFormData')),
          h(
            'dl',
            { class: 'kv o-kv', id: 'ws-formdata' },
            Object.entries(fd).map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v ?? '—'))]),
          ),
        ]
      : null,
  );
}
