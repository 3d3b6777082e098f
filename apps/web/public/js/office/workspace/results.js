// The result documents of a dossier in the workspace: the list with its sign and issue buttons (draft → sign →
// issue) and, for a specialist or head while the dossier is being processed, the drafting form.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { announce } from '../../main.js';
import { dt, hasRole, statusLine } from '../common.js';
import { draftBody } from './draft.js';

/**
 * Returns resultsCard(d, docs), the card of the documents `docs` of dossier `d`. The status line of the buttons
 * and the drafting data stay across the redraws of one page; `page.reload(msg)` draws the page again.
 */
export function resultsCard(page) {
  const { me, enc, reload } = page;
  const docStatus = statusLine('ws-doc-status');
  function docButton(doc, op, label) {
    return h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        id: `ws-doc-${op}-${doc.id}`,
        'on:click': async (e) => {
          e.target.disabled = true;
          try {
            await api(`/api/documents/${doc.id}/${op}`, { method: 'POST' });
            await reload(null);
            announce(t(`oDocDone_${op}`));
          } catch (err) {
            e.target.disabled = false;
            docStatus.error(err.message);
          }
        },
      },
      label,
    );
  }

  // ---- result drafting: one form per result template of packages/pdf, fields as POST …/documents expects ----
  let resultMeta = null; // the procedure's results and legal bases, the competent unit's signers (loaded once)
  async function loadResultMeta(d) {
    if (!resultMeta) {
      const p = d.details?.procedure;
      const [proc, signers] = await Promise.all([
        p
          ? api(`/api/procedures/${encodeURIComponent(p.code)}?version=${p.version}`).catch(() => null)
          : null,
        api(`/api/dossiers/${enc}/signers`).catch(() => ({ items: [] })),
      ]);
      resultMeta = {
        results: proc?.definition?.results ?? [],
        legalBases: proc?.definition?.legalBases ?? [],
        signers: signers.items,
      };
    }
    return resultMeta;
  }

  function draftForm(d) {
    const host = h('div', { id: 'ws-draft-host' }, h('p', { class: 'loading' }, t('loading')));
    let built = false;
    return h(
      'details',
      {
        class: 'o-draft',
        id: 'ws-draft',
        'on:toggle': async (e) => {
          if (!e.currentTarget.open || built) return;
          built = true;
          replace(host, draftBody(d, await loadResultMeta(d), page));
          host.querySelector('select, input, textarea')?.focus();
        },
      },
      h('summary', {}, t('oDraftResult')),
      host,
    );
  }

  return (d, docs) => {
    const canDraft = hasRole(me, 'specialist', 'head');
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'ws-h-results' },
      h('h2', { id: 'ws-h-results' }, t('resultsDocs')),
      docs.length === 0
        ? h('p', { class: 'meta', id: 'ws-no-docs' }, t('oNoDocs'))
        : h(
            'ul',
            { class: 'plain', id: 'ws-docs' },
            docs.map((doc) =>
              h(
                'li',
                { 'data-doc': doc.id },
                h('strong', {}, doc.title),
                ' ',
                h('span', { class: 'badge', 'data-doc-status': doc.status }, t(`oDoc_${doc.status}`)),
                doc.numberSymbol
                  ? h('span', { class: 'meta' }, ` · ${t('numberSymbol')} ${doc.numberSymbol}`)
                  : null,
                h('span', { class: 'meta' }, ` · ${dt(doc.issuedAt ?? doc.signedAt ?? doc.createdAt)}`),
                ' ',
                h('a', { href: `/api/documents/${doc.id}/file`, download: '' }, t('downloadPdf')),
                doc.status === 'draft' && hasRole(me, 'signer')
                  ? [' ', docButton(doc, 'sign', t('oDocSign'))]
                  : null,
                doc.status === 'signed' && hasRole(me, 'clerk')
                  ? [' ', docButton(doc, 'issue', t('oDocIssue'))]
                  : null,
                doc.verifyUrl
                  ? [' ', h('a', { href: doc.verifyUrl, target: '_blank', rel: 'noopener' }, t('verifyDoc'))]
                  : null,
              ),
            ),
          ),
      docStatus.el,
      canDraft && [2, 4].includes(d.status) ? draftForm(d) : null,
    );
  };
}
