// Dossier workspace /can-bo/ho-so/:code: applicant and form data, components with their files viewed in the page,
// the Mẫu 05 control sheet, deadline lights, the actions allowed now (each a small form with exactly the fields its
// command needs, sent with expectedVersion), and the result documents (draft → sign → issue).
import { ApiError, api } from '../api.js';
import { h, longText, replace } from '../dom.js';
import { fmtMoney, fmtSize } from '../format.js';
import { lang, t } from '../i18n.js';
import { channelLabel, statusBadge } from '../labels.js';
import { announce } from '../main.js';
import {
  cleanupAll,
  dt,
  field,
  fieldError,
  hasRole,
  invalidateQueues,
  layout,
  lightBadge,
  requireOfficer,
  roleLabel,
  shortcuts,
  statusLine,
  timingBadge,
  unitDirectory,
} from './common.js';

/** The order buttons are shown in (the first is the usual next step). */
const ORDER = [
  'accept',
  'forward',
  'finish',
  'return_result',
  'provide_supplement',
  'confirm_payment',
  'request_supplement',
  'request_payment',
  'send_back',
  'assign',
  'apologize',
  'refuse',
  'stop',
  'comment',
];

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  const code = ctx.params[0];
  const enc = encodeURIComponent(code);
  ctx.setTitle(t('dossierTitle', { code }));
  let notice = null; // a message carried over a reload (e.g. a version conflict)

  async function load() {
    const opt = (p) => p.catch(() => null);
    const [d, comps, docs] = await Promise.all([
      api(`/api/dossiers/${enc}`),
      opt(api(`/api/dossiers/${enc}/components`)),
      opt(api(`/api/dossiers/${enc}/documents`)),
    ]);
    return { d, comps: comps?.items ?? [], docs: docs?.items ?? [] };
  }

  let data;
  try {
    data = await load();
  } catch (err) {
    layout(
      ctx,
      me,
      'dossier',
      h('h1', {}, t('dossierTitle', { code })),
      h('p', { class: 'field-error', role: 'alert', id: 'ws-error' }, err.message),
      h('p', {}, h('a', { href: '/can-bo' }, t('oBackHome'))),
    );
    return cleanupAll();
  }
  const units = await unitDirectory();
  const uname = (c) => units.find((u) => u.code === c)?.name ?? c;

  function draw() {
    const { d, comps, docs } = data;
    const s = d.state;
    const det = d.details ?? {};
    const cur = s.step !== null ? s.steps[s.steps.length - 1] : null;
    const sl = d.stepDeadline;

    // ---- header ----
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

    // ---- actions ----
    const actionBtns = ORDER.filter((a) => d.availableActions.includes(a));
    const actions = h(
      'section',
      { class: 'card o-actions', 'aria-labelledby': 'ws-h-actions' },
      h('h2', { id: 'ws-h-actions' }, t('oActionsNow')),
      actionBtns.length === 0
        ? h('p', { class: 'meta', id: 'ws-no-actions' }, t('oNoActions'))
        : h(
            'div',
            { class: 'row-buttons', id: 'ws-action-buttons' },
            actionBtns.map((a, i) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `btn ${i === 0 && a !== 'comment' ? '' : 'secondary'} small`,
                  id: `ws-act-${a}`,
                  'aria-expanded': 'false',
                  'aria-controls': 'ws-action-form',
                  'on:click': () => openAction(a),
                },
                t(`oAct_${a}`),
              ),
            ),
          ),
      h('div', { id: 'ws-action-form' }),
      notice ? h('p', { class: 'banner warn', role: 'alert', id: 'ws-notice' }, notice) : null,
    );

    // ---- applicant & form data ----
    const a = det.applicant ?? {};
    const fd = det.formData ?? {};
    const applicant = h(
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

    // ---- components with files ----
    const viewer = h('div', { class: 'o-viewer', id: 'ws-viewer', hidden: true });
    const showFile = (f) => {
      const url = `/api/files/${f.id}`;
      viewer.hidden = false;
      replace(
        viewer,
        h(
          'div',
          { class: 'o-viewer-bar' },
          h('strong', {}, f.name),
          h('a', { href: url, target: '_blank', rel: 'noopener', id: 'ws-viewer-tab' }, t('oOpenNewTab')),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              id: 'ws-viewer-close',
              'on:click': () => {
                viewer.hidden = true;
                replace(viewer);
              },
            },
            t('oCloseViewer'),
          ),
        ),
        f.mime.startsWith('image/')
          ? h('img', { src: url, alt: f.name, class: 'o-img' })
          : h('iframe', { src: url, title: f.name, class: 'o-pdf' }),
      );
      viewer.scrollIntoView({ block: 'nearest' });
    };
    const components = h(
      'section',
      { class: 'card', 'aria-labelledby': 'ws-h-comps' },
      h('h2', { id: 'ws-h-comps' }, t('componentsAndFiles')),
      comps.length === 0
        ? h('p', { class: 'meta' }, t('noComponents'))
        : h(
            'ol',
            { class: 'o-comps', id: 'ws-components' },
            comps.map((c) =>
              h(
                'li',
                { 'data-code': c.code },
                h(
                  'p',
                  {},
                  h('span', { class: 'o-code' }, `${c.code} `),
                  c.required ? h('span', { class: 'tag required' }, t('required')) : null,
                  ' ',
                  c.provided
                    ? h('span', { class: 'badge status-ok' }, t('provided'))
                    : h('span', { class: 'badge status-warn' }, t('oNotProvided')),
                  c.digitized ? [' ', h('span', { class: 'badge' }, t('digitized'))] : null,
                  c.reused ? [' ', h('span', { class: 'badge' }, t('reused'))] : null,
                ),
                h('p', { class: 'comp-name' }, longText(c.name, 200, t('showFullText'))),
                c.files.length
                  ? h(
                      'ul',
                      { class: 'files' },
                      c.files.map((f) =>
                        h(
                          'li',
                          { class: 'file' },
                          h('span', { class: 'file-name' }, f.name),
                          h(
                            'span',
                            { class: 'meta' },
                            `${fmtSize(f.size)}${f.phase === 'supplement' ? ` · ${t('phaseSupplement')}` : ''}`,
                          ),
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'btn secondary small',
                              'data-file': f.id,
                              'aria-label': t('oViewFile', { name: f.name }),
                              'on:click': () => showFile(f),
                            },
                            t('oView'),
                          ),
                        ),
                      ),
                    )
                  : null,
              ),
            ),
          ),
      viewer,
    );

    // ---- control sheet (Mẫu 05) ----
    const acts = d.actions ?? [];
    const sheet = h(
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

    // ---- results ----
    const canDraft = hasRole(me, 'specialist', 'head');
    const results = h(
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

    layout(
      ctx,
      me,
      'dossier',
      h('p', { class: 'crumbs-line' }, h('a', { href: '/can-bo', id: 'ws-back' }, `← ${t('oBackHome')}`)),
      head,
      apology,
      apologyLink,
      h('div', { class: 'o-ws-grid' }, h('div', {}, actions, applicant), h('div', {}, components, results)),
      sheet,
    );
  }

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
          replace(host, draftBody(d, await loadResultMeta(d)));
          host.querySelector('select, input, textarea')?.focus();
        },
      },
      h('summary', {}, t('oDraftResult')),
      host,
    );
  }

  /** "công chức Tư pháp - Hộ tịch" → "Theo đề nghị của công chức Tư pháp - Hộ tịch." (printed as given). */
  const proposalLine = (v) => {
    const x = v.trim().replace(/^theo đề nghị của\s*/i, '');
    return `Theo đề nghị của ${x}${/[.;]$/.test(x) ? '' : '.'}`;
  };

  function draftBody(d, meta) {
    const st = statusLine('ws-draft-status');
    const ctl = {}; // field name → control, for the errors of the form and of the server
    const fld = (name, label, control, opts = {}) => {
      ctl[name] = control;
      return field(`ws-draft-${name.replace('.', '-')}`, label, control, opts);
    };
    const textarea = (rows, max, value = '') => {
      const el = h('textarea', { rows: String(rows), maxlength: String(max) });
      el.value = value;
      return el;
    };
    const input = (max, value = '') => h('input', { type: 'text', maxlength: String(max), value });
    /** Non-blank lines with their line number (1-based) in the box. */
    const linesOf = (el) =>
      el.value
        .split('\n')
        .map((x, i) => ({ text: x.trim(), line: i + 1 }))
        .filter((x) => x.text);

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

    // The content fields of the chosen template (the document itself is always in Vietnamese).
    const content = h('div', { id: 'ws-draft-fields' });
    let collect = () => ({});
    const unit = units.find((u) => u.code === d.state.competentUnit);
    const showTemplate = () => {
      for (const k of Object.keys(ctl)) if (!['kind', 'signerId', 'signerTitle'].includes(k)) delete ctl[k];
      const c = choice();
      const resultName = c.result?.name ?? '';
      if (c.kind === 'decision') {
        const subject = input(500, resultName.replace(/^quyết định\s+(về việc\s+)?/i, ''));
        const authority = input(
          300,
          unit ? `${unit.level === 'department' ? 'Giám đốc' : 'Chủ tịch'} ${unit.name}` : '',
        );
        const bases = textarea(
          6,
          20_000,
          meta.legalBases
            .slice(0, 20)
            .map((b) => `Căn cứ ${b.replace(/[.;]\s*$/, '')};`)
            .join('\n'),
        );
        const proposal = input(500);
        const articles = [];
        const artBox = h('div', { id: 'ws-draft-articles' });
        const addArticle = (value = '') => {
          const n = articles.length + 1;
          const el = textarea(n === 1 ? 4 : 2, 33_000, value);
          articles.push(el);
          artBox.append(
            fld(`articles.${n - 1}`, t('oDraftArticle', { n }), el, {
              required: n === 1,
              hint: n === 1 ? t('oDraftArticleHint') : undefined,
            }),
          );
          return el;
        };
        addArticle();
        addArticle('Quyết định này có hiệu lực kể từ ngày ký.');
        addArticle();
        const more = h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            id: 'ws-draft-add-article',
            'on:click': () => {
              addArticle().focus();
              if (articles.length >= 20) more.hidden = true;
            },
          },
          t('oDraftAddArticle'),
        );
        replace(
          content,
          fld('subject', t('oDraftSubject'), subject, { required: true, hint: t('oDraftSubjectHint') }),
          fld('authority', t('oDraftAuthority'), authority, {
            required: true,
            hint: t('oDraftAuthorityHint'),
          }),
          fld('bases', t('oDraftBases'), bases, { required: true, hint: t('oDraftBasesHint') }),
          fld('proposal', t('oDraftProposal'), proposal, { hint: t('oDraftProposalHint') }),
          artBox,
          h('p', {}, more),
          fld('recipients', t('oDraftRecipients'), recipients, { hint: t('oDraftRecipientsHint') }),
        );
        collect = () => {
          const issues = [];
          const filled = articles.map((el) => linesOf(el));
          while (filled.length > 1 && filled.at(-1).length === 0) filled.pop();
          filled.forEach((ls, i) => {
            if (ls.length === 0)
              issues.push({
                path: `/articles/${i}`,
                message: t(i === 0 ? 'oErrFieldRequired' : 'oErrArticleGap'),
              });
          });
          if (!subject.value.trim()) issues.push({ path: '/subject', message: t('oErrFieldRequired') });
          if (!authority.value.trim()) issues.push({ path: '/authority', message: t('oErrFieldRequired') });
          if (linesOf(bases).length === 0) issues.push({ path: '/bases', message: t('oErrFieldRequired') });
          return {
            issues,
            body: {
              kind: 'decision',
              subject: subject.value.trim(),
              authority: authority.value.trim(),
              bases: linesOf(bases).map((x) => x.text),
              ...(proposal.value.trim() ? { proposal: proposalLine(proposal.value) } : {}),
              articles: filled.map(([first, ...items]) =>
                items.length ? { text: first.text, items: items.map((x) => x.text) } : first?.text,
              ),
            },
          };
        };
      } else {
        const title = input(
          300,
          resultName ||
            (c.kind === 'document'
              ? `Kết quả giải quyết ${d.details?.procedure?.name ?? ''}`.trim()
              : { certificate: 'Giấy chứng nhận', licence: 'Giấy phép', confirmation: 'Văn bản xác nhận' }[
                  c.kind
                ]),
        );
        title.value = title.value.slice(0, 300);
        const subtitle = input(300);
        const info = textarea(4, 20_000);
        info.placeholder = 'Họ và tên: Nguyễn Văn A';
        const paragraphs = textarea(4, 60_000);
        replace(
          content,
          fld('title', t('oDraftTitle'), title, { required: true }),
          fld('subtitle', t('oDraftSubtitle'), subtitle, { hint: t('oDraftSubtitleHint') }),
          fld('info', t('oDraftInfo'), info, { hint: t('oDraftInfoHint') }),
          fld('paragraphs', t('oDraftParagraphs'), paragraphs, { hint: t('oDraftBodyHint') }),
          c.kind === 'document'
            ? fld('recipients', t('oDraftRecipients'), recipients, { hint: t('oDraftRecipientsHint') })
            : null,
        );
        collect = () => {
          const issues = [];
          const kv = linesOf(info).map(({ text, line }) => {
            const at = text.indexOf(':');
            const label = at > 0 ? text.slice(0, at).trim() : '';
            const value = at > 0 ? text.slice(at + 1).trim() : '';
            if (!label || !value)
              issues.push({ path: '/info', message: `${t('oLineN', { n: line })}: ${t('oErrInfoLine')}` });
            return { label, value };
          });
          const paras = linesOf(paragraphs).map((x) => x.text);
          if (!title.value.trim()) issues.push({ path: '/title', message: t('oErrFieldRequired') });
          if (kv.length + paras.length === 0)
            issues.push({ path: '/paragraphs', message: t('oErrBodyEmpty') });
          return {
            issues,
            infoCount: kv.length,
            body: {
              kind: c.kind,
              title: title.value.trim(),
              ...(subtitle.value.trim() ? { subtitle: subtitle.value.trim() } : {}),
              body: [...kv, ...paras],
            },
          };
        };
      }
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

  async function reload(msg) {
    notice = msg;
    data = await load();
    invalidateQueues();
    draw();
  }

  // ---- one form per action: exactly the fields its command needs ----
  async function openAction(type) {
    const host = document.getElementById('ws-action-form');
    for (const b of document.querySelectorAll('#ws-action-buttons button'))
      b.setAttribute('aria-expanded', String(b.id === `ws-act-${type}`));
    const { d } = data;
    const st = statusLine('ws-act-status');
    const fields = [];
    const get = {};
    const textarea = (name, label, opts = {}) => {
      const el = h('textarea', { rows: opts.rows ?? '3', maxlength: opts.max ?? '2000' });
      if (opts.value) el.value = opts.value;
      fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
      get[name] = () => el.value.trim();
      return el;
    };
    const input = (name, label, attrs = {}, opts = {}) => {
      const el = h('input', { type: 'text', ...attrs });
      fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
      get[name] = () => el.value.trim();
      return el;
    };
    const select = (name, label, options, opts = {}) => {
      const el = h(
        'select',
        {},
        options.map(([v, l]) => h('option', { value: v }, l)),
      );
      fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
      get[name] = () => el.value;
      return el;
    };
    const officersOf = async (unit) => {
      try {
        const r = await api(`/api/officers?unit=${encodeURIComponent(unit)}`);
        return r.items.filter((o) => o.active !== false);
      } catch {
        return null;
      }
    };
    const cur = d.state.steps.at(-1);
    switch (type) {
      case 'refuse':
      case 'send_back':
      case 'stop':
        textarea('reason', type === 'refuse' ? t('oRefuseReasons') : t('reason'));
        break;
      case 'request_supplement': {
        textarea('reason', t('reason'), { value: t('oSupplementReasonDefault') });
        const missing = data.comps
          .filter((c) => c.required && !c.provided)
          .map((c) => `${c.code}: ${c.name}`);
        textarea('items', t('oSupplementItems'), {
          rows: '5',
          max: '20000',
          value: missing.join('\n'),
          hint: t('oSupplementItemsHint'),
        });
        break;
      }
      case 'forward': {
        const next = d.state.workflow[(d.state.step ?? -1) + 1];
        fields.push(
          h(
            'p',
            { class: 'hint', id: 'ws-forward-next' },
            next ? t('oForwardNext', { name: next.name, role: roleLabel(next.role) }) : t('oForwardLast'),
          ),
        );
        textarea('note', t('oNote'), { optional: true });
        const all = await unitDirectory();
        const today = new Date().toISOString().slice(0, 10);
        select(
          'toUnit',
          t('oToUnit'),
          [
            ['', t('oToUnitWorkflow')],
            ...all
              .filter(
                (u) => u.level === 'department' && u.validFrom <= today && (!u.validTo || u.validTo >= today),
              )
              .map((u) => [u.code, `${u.name} (${u.code})`]),
          ],
          { optional: true, hint: t('oToUnitHint') },
        );
        const people = cur ? await officersOf(cur.unit) : null;
        if (people?.length)
          select(
            'assignee',
            t('oAssigneeOptional'),
            [['', t('oNobody')], ...people.map((o) => [o.id, o.name])],
            { optional: true },
          );
        break;
      }
      case 'assign': {
        const people = cur ? await officersOf(cur.unit) : null;
        if (people?.length)
          select('assignee', t('oAssignee'), [
            ['', t('choose')],
            ...people.map((o) => [o.id, `${o.name} (${o.username})`]),
          ]);
        else
          input(
            'assignee',
            t('oAssigneeId'),
            { maxlength: '36', autocomplete: 'off' },
            { hint: t('oAssigneeIdHint') },
          );
        break;
      }
      case 'request_payment':
        textarea('reason', t('reason'));
        input('amount', t('oAmountVnd'), { inputmode: 'numeric', maxlength: '13' });
        break;
      case 'apologize': {
        textarea('reason', t('oApologyReason'));
        const due = d.state.dueAt ? new Date(d.state.dueAt) : new Date();
        due.setDate(due.getDate() + 3);
        input('newDue', t('oNewDueAt'), { type: 'datetime-local' }, { hint: t('oNewDueHint') });
        fields.at(-1).querySelector('input').value = toLocalInput(due);
        break;
      }
      case 'finish':
        select('outcome', t('oFinishOutcome'), [
          ['approved', t('oFinish_approved')],
          ['rejected', t('oFinish_rejected')],
        ]);
        textarea('reason', t('oFinishReason'), { optional: true, hint: t('oFinishReasonHint') });
        break;
      case 'return_result': {
        const m = d.details?.delivery?.method ?? 'counter';
        const sel = select('method', t('oReturnMethod'), [
          ['counter', t('delivery_counter')],
          ['post', t('delivery_post')],
          ['online', t('delivery_online')],
        ]);
        sel.value = m;
        const tn = input(
          'tracking',
          t('oTracking'),
          { maxlength: '40', autocomplete: 'off' },
          { optional: true, hint: t('oTrackingHint') },
        );
        const sync = () => {
          tn.closest('.field').hidden = sel.value !== 'post';
        };
        sel.addEventListener('change', sync);
        sync();
        break;
      }
      case 'provide_supplement':
        // A paper dossier: the applicant brought the documents to the counter (scan them under the components).
        textarea('note', t('oNote'), { optional: true, hint: t('oProvideSupplementHint') });
        break;
      case 'confirm_payment':
        input(
          'reference',
          t('oPaymentReference'),
          { maxlength: '200', autocomplete: 'off' },
          { hint: t('oPaymentReferenceHint') },
        );
        break;
      case 'comment':
        textarea('text', t('oCommentText'), { max: '4000', hint: t('oCommentHint') });
        break;
      default:
        fields.push(h('p', { class: 'hint' }, t(`oConfirm_${type}`)));
    }
    const submit = h(
      'button',
      { type: 'submit', class: 'btn small', id: 'ws-act-submit' },
      t(`oAct_${type}`),
    );
    const form = h(
      'form',
      {
        class: 'o-act-form',
        id: `ws-form-${type}`,
        'aria-labelledby': 'ws-form-h',
        'on:submit': async (e) => {
          e.preventDefault();
          st.clear();
          const command = buildCommand(type, get);
          if (typeof command === 'string') return st.error(command);
          submit.disabled = true;
          submit.setAttribute('aria-busy', 'true');
          try {
            await api(`/api/dossiers/${enc}/actions`, {
              method: 'POST',
              body: { expectedVersion: d.version, command },
            });
            await reload(null);
            announce(t('oActDone', { action: t(`oAct_${type}`) }));
            const follow = { apologize: 'apology', refuse: 'refusal', request_supplement: 'supplement' }[
              type
            ];
            if (follow) {
              const host2 = document.getElementById('ws-action-form');
              replace(
                host2,
                h(
                  'p',
                  { class: 'banner ok', role: 'status', id: 'ws-follow' },
                  t('oActDone', { action: t(`oAct_${type}`) }),
                  ' ',
                  h(
                    'a',
                    {
                      href: `/api/dossiers/${enc}/forms/${follow}`,
                      target: '_blank',
                      rel: 'noopener',
                      id: 'ws-follow-pdf',
                    },
                    t(`oPdf_${follow}`),
                  ),
                ),
              );
            }
            document.getElementById('ws-title')?.focus();
          } catch (err) {
            submit.disabled = false;
            submit.removeAttribute('aria-busy');
            if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
              await reload(t('oVersionConflict'));
              document.getElementById('ws-notice')?.focus();
              return;
            }
            st.error(`${err.message}${err.code ? ` (${err.code})` : ''}`);
          }
        },
      },
      h('h3', { id: 'ws-form-h' }, t(`oAct_${type}`)),
      fields,
      st.el,
      h(
        'div',
        { class: 'row-buttons' },
        submit,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            id: 'ws-act-cancel',
            'on:click': () => {
              replace(host);
              document.getElementById(`ws-act-${type}`)?.focus();
            },
          },
          t('cancel'),
        ),
      ),
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        replace(host);
        document.getElementById(`ws-act-${type}`)?.focus();
      }
    });
    replace(host, form);
    (form.querySelector('textarea, input, select') ?? submit).focus();
  }

  draw();
  const off = shortcuts(ctx);
  return cleanupAll(off);
}

const pad = (n) => String(n).padStart(2, '0');
/** A Date as the value of <input type=datetime-local> in Vietnam time (UTC+7). */
function toLocalInput(d) {
  const v = new Date(d.getTime() + 7 * 3600_000);
  return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
}
/** datetime-local (Vietnam time) → ISO instant. */
const fromLocalInput = (s) => (s ? new Date(`${s}:00+07:00`).toISOString() : null);

/** The command for an action from its form, or an error message. */
function buildCommand(type, get) {
  const reasonOk = (r) => r && r.length >= 3;
  switch (type) {
    case 'refuse':
    case 'send_back':
    case 'stop':
      return reasonOk(get.reason()) ? { type, reason: get.reason() } : t('oErrReason');
    case 'request_supplement': {
      const items = [
        ...new Set(
          get
            .items()
            .split('\n')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (items.length === 0) return t('oErrItems');
      return { type, reason: get.reason(), items };
    }
    case 'forward': {
      const c = { type };
      if (get.note()) c.note = get.note();
      if (get.toUnit()) c.toUnit = get.toUnit();
      if (get.assignee?.()) c.assignee = get.assignee();
      return c;
    }
    case 'assign':
      return /^[0-9a-f-]{36}$/i.test(get.assignee()) ? { type, assignee: get.assignee() } : t('oErrAssignee');
    case 'request_payment': {
      const n = Number(get.amount().replace(/[.\s,₫]/g, ''));
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (!Number.isInteger(n) || n < 1) return t('oErrAmount');
      return { type, reason: get.reason(), amountVnd: n };
    }
    case 'apologize': {
      const due = fromLocalInput(get.newDue());
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (!due) return t('oErrNewDue');
      return { type, reason: get.reason(), newDueAt: due };
    }
    case 'finish':
      return { type, outcome: get.outcome(), ...(get.reason() ? { reason: get.reason() } : {}) };
    case 'return_result': {
      const m = get.method();
      if (m === 'post' && get.tracking().length < 4) return t('oErrTracking');
      return { type, method: m, ...(m === 'post' ? { trackingNumber: get.tracking() } : {}) };
    }
    case 'provide_supplement':
      return get.note() ? { type, note: get.note() } : { type };
    case 'confirm_payment':
      return get.reference() ? { type, reference: get.reference() } : t('oErrReference');
    case 'comment':
      return get.text() ? { type, text: get.text() } : t('oErrComment');
    default:
      return { type };
  }
}
