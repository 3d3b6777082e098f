// The head of the dossier page: the code (or the receipt just after submitting), procedure, status, the dates and
// the due date, the QR code of the public status page and the receipt PDF.
import { h } from '../../dom.js';
import { fmtDateTime } from '../../format.js';
import { lang, t } from '../../i18n.js';
import { channelLabel, statusBadge } from '../../labels.js';

/**
 * The head card of `dossier`; `isNew` just after submitting (the receipt), `procName` the procedure's name or ''.
 */
export function dossierHead(dossier, { enc, isNew, procName }) {
  const s = dossier.state;
  const statusLabel = lang() === 'en' ? dossier.statusLabelEn : dossier.statusLabel;
  const due = s.dueAt ?? dossier.expectedDueAt ?? null;
  const dueLabel = s.dueAt ? t('dueAt') : t('expectedDueAt');
  const qr = h('img', {
    src: `/api/lookup/${enc}/qr.svg`,
    alt: t('qrAlt', { code: dossier.code }),
    width: '160',
    height: '160',
    class: 'qr',
    id: 'lookup-qr',
  });
  qr.addEventListener('error', () => qr.replaceWith(h('p', { class: 'meta' }, t('qrUnavailable'))));

  return h(
    'section',
    { class: `card dossier-head${isNew ? ' receipt' : ''}`, 'aria-labelledby': 'dossier-h1' },
    isNew ? h('p', { class: 'success-mark' }, t('submittedOk')) : null,
    isNew
      ? h('h1', { id: 'dossier-h1' }, t('receiptTitle'))
      : h(
          'h1',
          { id: 'dossier-h1' },
          h('span', { class: 'code-label block' }, t('dossierCode')),
          h('span', { class: 'big-code block', id: 'dossier-code' }, dossier.code),
        ),
    procName ? h('p', { class: 'proc-name' }, procName) : null,
    h(
      'div',
      { class: 'receipt-grid' },
      h(
        'div',
        {},
        isNew ? h('p', { class: 'code-label' }, t('dossierCode')) : null,
        isNew ? h('p', { class: 'big-code', id: 'dossier-code' }, dossier.code) : null,
        h(
          'p',
          {},
          h('span', { class: 'sr-only' }, `${t('status')}: `),
          statusBadge(dossier.status, statusLabel),
        ),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, t('submittedAt')),
          h('dd', {}, fmtDateTime(s.submittedAt)),
          s.receivedAt ? [h('dt', {}, t('receivedAt')), h('dd', {}, fmtDateTime(s.receivedAt))] : null,
          due ? [h('dt', {}, dueLabel), h('dd', { id: 'due-at' }, h('strong', {}, fmtDateTime(due)))] : null,
          s.returnedAt ? [h('dt', {}, t('returnedAt')), h('dd', {}, fmtDateTime(s.returnedAt))] : null,
          h('dt', {}, t('channel')),
          h('dd', {}, channelLabel(s.channel)),
        ),
        due ? h('p', { class: 'hint' }, t('workingDayNote')) : null,
        !s.dueAt && due ? h('p', { class: 'hint' }, t('expectedDueNote')) : null,
      ),
      h('figure', { class: 'qr-box' }, qr, h('figcaption', {}, t('qrCaption'))),
    ),
    h(
      'p',
      { class: 'row-buttons' },
      h(
        'a',
        {
          class: 'btn secondary',
          href: `/api/dossiers/${enc}/forms/receipt`,
          id: 'receipt-pdf',
          target: '_blank',
          rel: 'noopener',
        },
        t('receiptPdf'),
      ),
      isNew ? h('a', { class: 'btn secondary', href: `/ho-so/${enc}` }, t('followDossier')) : null,
    ),
  );
}
