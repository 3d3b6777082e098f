// The result documents of a dossier: each with its number, issue date, PDF download and verification link.
import { h } from '../../dom.js';
import { fmtDate } from '../../format.js';
import { t } from '../../i18n.js';

/** The card of the result documents `docs` (GET /api/dossiers/:code/documents). */
export function resultsCard(docs) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'results-title' },
    h('h2', { id: 'results-title' }, t('resultsDocs')),
    h(
      'ul',
      { class: 'plain docs', id: 'result-documents' },
      docs.items.map((doc) =>
        h(
          'li',
          {},
          h('strong', {}, doc.title),
          doc.numberSymbol ? ` — ${t('numberSymbol')} ${doc.numberSymbol}` : '',
          doc.issuedAt
            ? h('span', { class: 'meta' }, ` (${t('issuedOn', { date: fmtDate(doc.issuedAt) })})`)
            : null,
          doc.status === 'revoked' ? h('span', { class: 'badge status status-closed' }, t('revoked')) : null,
          h(
            'span',
            { class: 'row-buttons' },
            h(
              'a',
              {
                class: 'btn secondary small',
                href: `/api/documents/${encodeURIComponent(doc.id)}/file`,
                download: '',
              },
              t('downloadPdf'),
            ),
            doc.verifyUrl
              ? h(
                  'a',
                  {
                    class: 'btn secondary small',
                    href: new URL(doc.verifyUrl, location.href).pathname,
                  },
                  t('verifyDoc'),
                )
              : null,
          ),
        ),
      ),
    ),
  );
}
