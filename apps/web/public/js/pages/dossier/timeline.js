// The timeline of a dossier: each step (comments and assignments left out) as a plain sentence, with its reason
// and the items of a supplement request.
import { h } from '../../dom.js';
import { fmtDateTime, fmtMoney } from '../../format.js';
import { t } from '../../i18n.js';
import { channelLabel } from '../../labels.js';

/** The timeline card of `dossier`. */
export function timelineCard(dossier) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, t('timeline')),
    h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      (dossier.actions ?? [])
        .filter((a) => a.type !== 'comment' && a.type !== 'assign')
        .map((a) =>
          h(
            'li',
            {},
            h('time', { datetime: a.at }, fmtDateTime(a.at)),
            h('p', {}, actionSentence(a)),
            a.reason &&
              [
                'refuse',
                'request_supplement',
                'request_payment',
                'withdraw',
                'stop',
                'apologize',
                'finish',
              ].includes(a.type)
              ? h('p', { class: 'meta' }, `${t('reason')}: ${a.reason}`)
              : null,
            a.type === 'request_supplement' && Array.isArray(a.payload?.items)
              ? h(
                  'ul',
                  { class: 'meta' },
                  a.payload.items.map((x) => h('li', {}, x)),
                )
              : null,
          ),
        ),
    ),
  );
}

/** A plain-Vietnamese sentence for one step of the timeline. */
export function actionSentence(a) {
  const p = a.payload ?? {};
  switch (a.type) {
    case 'submit':
      return t('act_submit', { channel: channelLabel(p.channel ?? 'online') });
    case 'accept':
      return t('act_accept', { due: fmtDateTime(p.dueAt) });
    case 'return_result':
      return t(`act_return_result_${p.method ?? 'counter'}`);
    case 'finish':
      return t(p.outcome === 'rejected' ? 'act_finish_rejected' : 'act_finish');
    case 'apologize':
      return t('act_apologize', { due: fmtDateTime(p.newDueAt ?? p.dueAt) });
    case 'request_payment':
      return t('act_request_payment', { amount: fmtMoney(p.amountVnd) });
    case 'provide_supplement':
      return p.dueAt
        ? t('act_provide_supplement_due', { due: fmtDateTime(p.dueAt) })
        : t('act_provide_supplement');
    case 'confirm_payment':
      return p.dueAt ? t('act_confirm_payment_due', { due: fmtDateTime(p.dueAt) }) : t('act_confirm_payment');
    case 'refuse':
    case 'request_supplement':
    case 'forward':
    case 'send_back':
    case 'withdraw':
    case 'stop':
    case 'succession':
      return t(`act_${a.type}`);
    default:
      return t('act_other');
  }
}
