// Drafting a result document in the dossier workspace: the template (the procedure's results first), its content
// fields, the signer and the title printed above the signature; errors of the form and of the server are put under
// the field they concern.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { announce } from '../../main.js';
import { field, fieldError, statusLine } from '../common.js';
import { decisionFields, documentFields, input, linesOf, textarea } from './templates.js';

/**
 * The drafting form of dossier `d`; `meta` holds the procedure's results and legal bases and the signers. The
 * draft is posted to POST /api/dossiers/:code/documents, then `page.reload` draws the page again.
 */
export function draftBody(d, meta, { enc, units, reload }) {
  const st = statusLine('ws-draft-status');
  const ctl = {}; // field name → control, for the errors of the form and of the server
  const fld = (name, label, control, opts = {}) => {
    ctl[name] = control;
    return field(`ws-draft-${name.replace('.', '-')}`, label, control, opts);
  };

  // Which template: the procedure's results first (the first is the default), then every template.
  const KINDS = ['decision', 'certificate', 'licence', 'confirmation', 'document'];
  const choices = [
    ...meta.results.map((r) => ({ value: `r:${r.code}`, kind: r.kind, result: r })),
    ...KINDS.map((k) => ({ value: `k:${k}`, kind: k })),
  ];
  const option = (c) =>
    h(
      'option',
      { value: c.value },
      c.result ? `${c.result.name} — ${t(`oKind_${c.kind}`)}` : t(`oKind_${c.kind}`),
    );
  const kindSel = h(
    'select',
    {},
    meta.results.length
      ? h('optgroup', { label: t('oDraftProcResults') }, choices.filter((c) => c.result).map(option))
      : null,
    h('optgroup', { label: t('oDraftAllTemplates') }, choices.filter((c) => !c.result).map(option)),
  );
  kindSel.value = meta.results.length ? choices[0].value : 'k:document';
  const choice = () => choices.find((c) => c.value === kindSel.value) ?? choices.at(-1);

  // The signer (closed-loop signing: the one named here signs) and the title printed above the signature.
  const signerSel = meta.signers.length
    ? h(
        'select',
        {},
        meta.signers.map((o) => h('option', { value: o.id }, o.title ? `${o.name} — ${o.title}` : o.name)),
      )
    : null;
  const titleOf = () => meta.signers.find((o) => o.id === signerSel?.value)?.title ?? '';
  const signerTitle = input(200, titleOf());
  let shownTitle = signerTitle.value;
  signerSel?.addEventListener('change', () => {
    if (signerTitle.value.trim() === shownTitle) signerTitle.value = titleOf(); // not edited by hand
    shownTitle = signerTitle.value;
  });
  const recipients = textarea(3, 4000);

  // The content fields of the chosen template.
  const content = h('div', { id: 'ws-draft-fields' });
  let collect = () => ({});
  const unit = units.find((u) => u.code === d.state.competentUnit);
  const showTemplate = () => {
    for (const k of Object.keys(ctl)) if (!['kind', 'signerId', 'signerTitle'].includes(k)) delete ctl[k];
    const c = choice();
    const made =
      c.kind === 'decision'
        ? decisionFields(c, { meta, unit, fld, recipients })
        : documentFields(c, { d, fld, recipients });
    replace(content, made.fields);
    collect = made.collect;
  };
  kindSel.addEventListener('change', () => {
    st.clear();
    showTemplate();
  });
  showTemplate();

  /** Puts each issue ({path: '/bases/2', message}) under its field; returns those that match no field. */
  const place = (issues, infoCount, boxes) => {
    for (const el of Object.values(ctl)) fieldError(el, null);
    const msgs = new Map();
    const rest = [];
    for (const { path, message } of issues) {
      const [head, a, b, c] = path.replace(/^\//, '').split('/');
      let name = head;
      let line = null;
      if (head === 'articles') {
        name = `articles.${a ?? 0}`;
        if (b === 'items') line = Number(c) + 2;
      } else if (head === 'body' && a !== undefined) {
        name = Number(a) < infoCount ? 'info' : 'paragraphs';
        const i = Number(a) < infoCount ? Number(a) : Number(a) - infoCount;
        line = boxes[name]?.[i]?.line ?? null;
      } else if (head === 'body') name = 'paragraphs';
      else if ((head === 'bases' || head === 'recipients') && a !== undefined) {
        line = boxes[head]?.[Number(a)]?.line ?? null;
      }
      const el = ctl[name];
      if (!el) {
        rest.push(message);
        continue;
      }
      const text = line ? `${t('oLineN', { n: line })}: ${message}` : message;
      msgs.set(el, [...(msgs.get(el) ?? []), text]);
    }
    for (const [el, m] of msgs) fieldError(el, m.join(' '));
    [...msgs.keys()][0]?.focus();
    return rest;
  };
  /** A server issue in words (zod's messages are English): too long, too many, missing. */
  const say = (m, err) => {
    let x = /Too big: expected string to have <=(\d+)/.exec(m);
    if (x) return t('oErrTooLong', { n: x[1] });
    x = /Too big: expected array to have <=(\d+)/.exec(m);
    if (x) return t('oErrTooMany', { n: x[1] });
    if (/^Too small/.test(m)) return t('oErrFieldRequired');
    return err.message && !/^Invalid|^Too /.test(m) ? err.message : m;
  };

  const submit = h(
    'button',
    { type: 'submit', class: 'btn small', id: 'ws-draft-submit' },
    t('oDraftSubmit'),
  );
  return h(
    'form',
    {
      id: 'ws-draft-form',
      novalidate: true,
      'on:submit': async (e) => {
        e.preventDefault();
        st.clear();
        const { issues, body, infoCount = 0 } = collect();
        const c = choice();
        const r = linesOf(recipients);
        if (recipients.isConnected && r.length) body.recipients = r.map((x) => x.text);
        if (c.result) body.resultCode = c.result.code;
        if (signerSel) body.signerId = signerSel.value;
        if (signerTitle.value.trim()) body.signerTitle = signerTitle.value.trim();
        const boxes = {
          bases: ctl.bases ? linesOf(ctl.bases) : [],
          recipients: r,
          info: ctl.info ? linesOf(ctl.info) : [],
          paragraphs: ctl.paragraphs ? linesOf(ctl.paragraphs) : [],
        };
        if (issues.length) {
          place(issues, infoCount, boxes);
          return st.error(t('oDraftFix'));
        }
        place([], infoCount, boxes);
        submit.disabled = true;
        try {
          await api(`/api/dossiers/${enc}/documents`, { method: 'POST', body });
          await reload(null);
          announce(t('oDraftDone'));
          document.querySelector('#ws-docs li:last-child')?.scrollIntoView({ block: 'nearest' });
        } catch (err) {
          submit.disabled = false;
          const server = (err.details?.issues ?? []).map((i) => ({
            path: i.path,
            message: say(i.message, err),
          }));
          const rest = place(server, infoCount, boxes);
          st.error([err.message, ...rest].join(' — '));
        }
      },
    },
    fld('kind', t('oDraftTemplate'), kindSel, { hint: t('oDraftTemplateHint') }),
    content,
    signerSel
      ? fld('signerId', t('oDraftSigner'), signerSel, { required: true })
      : h('p', { class: 'banner warn', id: 'ws-draft-no-signer' }, t('oDraftNoSigner')),
    fld('signerTitle', t('oDraftSignerTitle'), signerTitle, { hint: t('oDraftSignerTitleHint') }),
    st.el,
    submit,
  );
}
