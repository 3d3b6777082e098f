// Reception counter /can-bo/tiep-nhan: register a paper or postal dossier — find the person by ID number, pick the
// procedure and the competent commune, tick and scan the components, choose the outcome (accept → Mẫu 01, request a
// supplement → Mẫu 02 listing every missing item once, refuse → Mẫu 03), submit once (idempotency key).
import { ApiError, api, uploadFile } from '../api.js';
import { h, longText, replace } from '../dom.js';
import { fieldControl, toServerValue } from '../eform.js';
import { fmtDate, fmtDays, fmtSize } from '../format.js';
import { t } from '../i18n.js';
import { statusBadge } from '../labels.js';
import { announce } from '../main.js';
import {
  cleanupAll,
  dt,
  field,
  invalidateQueues,
  layout,
  requireOfficer,
  shortcuts,
  statusLine,
  unitDirectory,
  unitsWith,
  uuid,
} from './common.js';

const ID_RE = /^[0-9]{9,13}$|^[0-9]{10}(-[0-9]{3})?$/;
const FILE_MAX = 10 * 1024 * 1024;

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  ctx.setTitle(t('oIntakeTitle'));
  const receptionUnits = unitsWith(me, 'reception');
  if (receptionUnits.length === 0) {
    layout(
      ctx,
      me,
      'intake',
      h('h1', {}, t('oIntakeTitle')),
      h('p', { class: 'notice', id: 'intake-no-role' }, t('oIntakeNoRole')),
    );
    return cleanupAll();
  }

  const state = {
    key: uuid(),
    citizen: null,
    storedFiles: [],
    def: null,
    unitChoices: [],
    comps: new Map(), // code → {provided, files: [{id,name,size}], reuse: fileId|''}
    formData: {},
  };
  const uploads = new Set();

  // ---------- 1. Applicant ----------
  const pid = h('input', {
    type: 'text',
    inputmode: 'numeric',
    maxlength: '14',
    autocomplete: 'off',
    'data-search': '',
  });
  const findBtn = h('button', { type: 'button', class: 'btn secondary', id: 'intake-find' }, t('oFind'));
  const findStatus = statusLine('intake-find-status');
  const aName = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const aKind = h(
    'select',
    {},
    [1, 2, 3, 4].map((k) => h('option', { value: String(k) }, t(`oApplicantKind_${k}`))),
  );
  const aPhone = h('input', { type: 'tel', maxlength: '15', autocomplete: 'off' });
  const aEmail = h('input', { type: 'email', maxlength: '200', autocomplete: 'off' });
  const aAddress = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
  const known = h('div', { id: 'intake-known', class: 'o-known', hidden: true });

  async function find() {
    const id = pid.value.replace(/[\s.]/g, '');
    pid.value = id;
    if (!/^[0-9]{12}$/.test(id)) {
      findStatus.error(t('err_personalId'));
      pid.setAttribute('aria-invalid', 'true');
      pid.focus();
      return;
    }
    pid.removeAttribute('aria-invalid');
    findBtn.setAttribute('aria-busy', 'true');
    try {
      const r = await api(`/api/citizens/${encodeURIComponent(id)}`);
      state.citizen = r.citizen;
      // Results live in the person's store as documents; only uploaded files can be attached here.
      state.storedFiles = (r.files ?? []).filter((f) => f.id && f.source !== 'result');
      if (r.citizen) {
        aName.value = r.citizen.fullName ?? '';
        aPhone.value = r.citizen.phone ?? '';
        aEmail.value = r.citizen.email ?? '';
        aAddress.value = r.citizen.address ?? '';
        findStatus.ok(t('oCitizenFound', { name: r.citizen.fullName }));
      } else {
        findStatus.ok(t('oCitizenUnknown'));
      }
      showKnown(r);
      renderComponents();
      (r.citizen ? aPhone : aName).focus();
    } catch (err) {
      state.citizen = null;
      state.storedFiles = [];
      known.hidden = true;
      findStatus.error(
        err instanceof ApiError && (err.status === 404 || err.status === 0)
          ? t('oCitizenLookupUnavailable')
          : err.message,
      );
      aName.focus();
    } finally {
      findBtn.removeAttribute('aria-busy');
    }
  }
  findBtn.addEventListener('click', find);
  pid.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      find();
    }
  });

  function showKnown(r) {
    const files = r.files ?? [];
    const dossiers = r.dossiers ?? [];
    known.hidden = files.length === 0 && dossiers.length === 0;
    replace(
      known,
      files.length
        ? [
            h('h3', {}, t('oStoredFiles', { n: files.length })),
            h(
              'ul',
              { class: 'plain', id: 'intake-stored-files' },
              files.map((f) =>
                h(
                  'li',
                  {},
                  f.name,
                  h('span', { class: 'meta' }, ` · ${fmtSize(f.size ?? 0)} · ${fmtDate(f.createdAt)}`),
                ),
              ),
            ),
            h('p', { class: 'hint' }, t('oStoredFilesHint')),
          ]
        : null,
      dossiers.length
        ? [
            h('h3', {}, t('oEarlierDossiers', { n: dossiers.length })),
            h(
              'ul',
              { class: 'plain', id: 'intake-earlier' },
              dossiers
                .slice(0, 8)
                .map((d) =>
                  h(
                    'li',
                    {},
                    h('a', { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}` }, d.code),
                    ` — ${d.procedureName} · `,
                    statusBadge(d.status, t(`status_${d.status}`)),
                    h('span', { class: 'meta' }, ` · ${dt(d.submittedAt)}`),
                  ),
                ),
            ),
          ]
        : null,
    );
  }

  const applicantCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-applicant' },
    h('h2', { id: 'intake-h-applicant' }, t('oStepApplicant')),
    h(
      'div',
      { class: 'o-row' },
      field('intake-pid', t('personalId'), pid, { hint: t('oPidHint') }),
      h('div', { class: 'o-row-btn' }, findBtn),
    ),
    findStatus.el,
    known,
    h(
      'div',
      { class: 'o-grid2' },
      field('intake-name', t('oApplicantName'), aName, { required: true }),
      field('intake-kind', t('oApplicantKind'), aKind),
      field('intake-phone', t('oPhone'), aPhone),
      field('intake-email', t('oEmail'), aEmail),
    ),
    field('intake-address', t('oAddress'), aAddress),
  );

  // ---------- 2. Procedure ----------
  const procQ = h('input', { type: 'search', autocomplete: 'off', maxlength: '200' });
  const procResults = h('ul', { class: 'o-pick', id: 'intake-proc-results', 'aria-live': 'polite' });
  const procChosen = h('div', { id: 'intake-proc-chosen', hidden: true });
  const unitSel = h('select', {});
  const unitWrap = h(
    'div',
    { hidden: true, id: 'intake-unit-wrap' },
    field('intake-competent', t('competentUnitChoose'), unitSel, { required: true }),
  );
  const recvSel =
    receptionUnits.length > 1
      ? h(
          'select',
          {},
          receptionUnits.map((u) => h('option', { value: u }, u)),
        )
      : null;
  const channelSel = h(
    'select',
    {},
    h('option', { value: 'counter' }, t('channel_counter')),
    h('option', { value: 'post' }, t('channel_post')),
  );
  let searchTimer = null;
  let searchSeq = 0;
  async function searchProcedures() {
    const q = procQ.value.trim();
    const my = ++searchSeq;
    if (q.length < 2) {
      replace(procResults);
      return;
    }
    try {
      const r = await api(`/api/procedures?q=${encodeURIComponent(q)}&limit=8`);
      if (my !== searchSeq) return;
      replace(
        procResults,
        r.items.length === 0
          ? h('li', { class: 'meta' }, t('noResults'))
          : r.items.map((p) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'o-pick-btn',
                    'data-code': p.code,
                    'on:click': () => choose(p.code),
                  },
                  h('strong', {}, p.name),
                  h('span', { class: 'meta' }, ` · ${p.code} · ${t(`level_${p.level}`)} · ${p.field}`),
                ),
              ),
            ),
      );
    } catch (err) {
      replace(procResults, h('li', { class: 'field-error' }, err.message));
    }
  }
  procQ.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchProcedures, 200);
  });
  procQ.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(searchTimer);
      searchProcedures().then(() => procResults.querySelector('button')?.focus());
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      procResults.querySelector('button')?.focus();
    }
  });
  procResults.addEventListener('keydown', (e) => {
    const btns = [...procResults.querySelectorAll('button')];
    const i = btns.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i >= 0) {
      e.preventDefault();
      btns[Math.min(i + 1, btns.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && i >= 0) {
      e.preventDefault();
      (i === 0 ? procQ : btns[i - 1]).focus();
    }
  });

  async function choose(code) {
    let r;
    try {
      r = await api(`/api/procedures/${encodeURIComponent(code)}`);
    } catch (err) {
      replace(procResults, h('li', { class: 'field-error' }, err.message));
      return;
    }
    const d = r.definition;
    state.def = d;
    state.comps = new Map(d.components.map((c) => [c.code, { provided: false, files: [], reuse: '' }]));
    state.formData = {};
    const channelDays = d.processingDays.counter ?? d.processingDays.post ?? d.processingDays.online;
    replace(
      procChosen,
      h(
        'p',
        { class: 'o-chosen' },
        h('strong', { id: 'intake-proc-name' }, d.name),
        h('br'),
        h(
          'span',
          { class: 'meta' },
          `${t('procedureCode')} ${d.code} · ${t(`level_${d.level}`)} · ${t('processingTime')}: ${fmtDays(channelDays ?? 0)}`,
        ),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'intake-proc-change',
            'on:click': () => {
              procChosen.hidden = true;
              procSearchWrap.hidden = false;
              procQ.focus();
            },
          },
          t('oChangeProcedure'),
        ),
      ),
    );
    procChosen.hidden = false;
    procSearchWrap.hidden = true;
    replace(procResults);
    // Competent unit: a choice only when the catalogue does not name exactly one (communes: default to ours).
    state.unitChoices = [];
    if (d.competentUnits.length !== 1) {
      const all = await unitDirectory();
      const today = new Date().toISOString().slice(0, 10);
      const active = (u) => u.validFrom <= today && (!u.validTo || u.validTo >= today);
      state.unitChoices =
        d.competentUnits.length > 1
          ? all.filter((u) => d.competentUnits.includes(u.code) && active(u))
          : all.filter((u) => u.level === (d.level === 'commune' ? 'commune' : 'department') && active(u));
    }
    replace(
      unitSel,
      h('option', { value: '' }, t('choose')),
      state.unitChoices.map((u) => h('option', { value: u.code }, `${u.name} (${u.code})`)),
    );
    const mine = state.unitChoices.find((u) => receptionUnits.includes(u.code));
    unitSel.value = mine ? mine.code : state.unitChoices.length === 1 ? state.unitChoices[0].code : '';
    unitSel.closest('.field').querySelector('label').firstChild.textContent =
      d.level === 'commune' ? t('competentCommuneChoose') : t('competentUnitChoose');
    unitWrap.hidden = state.unitChoices.length === 0;
    renderComponents();
    renderEform();
    updateMissing();
    announce(t('oProcedureChosen', { name: d.name }));
    (unitWrap.hidden ? compCard.querySelector('input') : unitSel)?.focus();
  }

  const procSearchWrap = h(
    'div',
    {},
    field('intake-proc-q', t('oProcedureSearch'), procQ, { hint: t('oProcedureSearchHint') }),
    procResults,
  );
  const procCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-proc' },
    h('h2', { id: 'intake-h-proc' }, t('oStepProcedure')),
    procSearchWrap,
    procChosen,
    unitWrap,
    h(
      'div',
      { class: 'o-grid2' },
      field('intake-channel', t('channel'), channelSel),
      recvSel ? field('intake-receiving', t('receivingUnit'), recvSel) : null,
    ),
  );

  // ---------- 3. Components ----------
  const compList = h('ol', { class: 'o-comps', id: 'intake-components' });
  const compCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-comps' },
    h('h2', { id: 'intake-h-comps' }, t('oStepComponents')),
    h('p', { class: 'hint' }, t('oComponentsHint')),
    compList,
  );

  function renderComponents() {
    if (!state.def) {
      replace(compList, h('li', { class: 'meta' }, t('oChooseProcedureFirst')));
      return;
    }
    if (state.def.components.length === 0) {
      replace(compList, h('li', { class: 'meta' }, t('noComponents')));
      return;
    }
    replace(
      compList,
      state.def.components.map((c, i) => {
        const st = state.comps.get(c.code);
        const cid = `comp-${i}`;
        const box = h('input', {
          type: 'checkbox',
          id: `${cid}-provided`,
          'data-component': c.code,
          checked: st.provided,
          'on:change': (e) => {
            st.provided = e.target.checked;
            updateMissing();
          },
        });
        const filesUl = h('ul', { class: 'files', id: `${cid}-files` });
        const drawFiles = () =>
          replace(
            filesUl,
            st.files.map((f) =>
              h(
                'li',
                { class: `file${f.uploading ? ' uploading' : ''}` },
                h('span', { class: 'file-name' }, f.name),
                h('span', { class: 'meta' }, f.uploading ? t('uploading', { name: '' }) : fmtSize(f.size)),
                f.uploading
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'link',
                        'aria-label': t('removeFile', { name: f.name }),
                        'on:click': () => {
                          st.files = st.files.filter((x) => x !== f);
                          api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                          drawFiles();
                          announce(t('fileRemoved', { name: f.name }));
                          updateMissing();
                        },
                      },
                      t('remove'),
                    ),
              ),
            ),
          );
        drawFiles();
        const fileInput = h('input', {
          type: 'file',
          id: `${cid}-file`,
          class: 'file-input',
          accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png',
          multiple: true,
          'aria-describedby': `${cid}-name`,
          'on:change': async (e) => {
            const chosen = [...e.target.files];
            e.target.value = '';
            for (const file of chosen) {
              if (file.size > FILE_MAX) {
                compErr.error(t('errFileTooLarge', { name: file.name, size: fmtSize(file.size) }));
                continue;
              }
              const entry = { id: null, name: file.name, size: file.size, uploading: true };
              st.files.push(entry);
              drawFiles();
              const up = uploadFile(file);
              uploads.add(up);
              try {
                const saved = await up.promise;
                Object.assign(entry, { id: saved.id, size: saved.size, uploading: false });
                st.provided = true;
                box.checked = true;
                compErr.clear();
                announce(t('fileUploaded', { name: file.name }));
              } catch (err) {
                st.files = st.files.filter((x) => x !== entry);
                if (err.name !== 'AbortError') compErr.error(`${file.name}: ${err.message}`);
              } finally {
                uploads.delete(up);
                drawFiles();
                updateMissing();
              }
            }
          },
        });
        const compErr = statusLine(`${cid}-err`);
        const reuse =
          c.reusable && state.storedFiles.length
            ? h(
                'div',
                { class: 'field o-reuse' },
                h('label', { for: `${cid}-reuse` }, t('oReuseStored')),
                h(
                  'select',
                  {
                    id: `${cid}-reuse`,
                    'on:change': (e) => {
                      st.reuse = e.target.value;
                      if (st.reuse) {
                        st.provided = true;
                        box.checked = true;
                      }
                      updateMissing();
                    },
                  },
                  h('option', { value: '' }, t('oReuseNone')),
                  state.storedFiles.map((f) =>
                    h('option', { value: f.id, selected: st.reuse === f.id }, f.name),
                  ),
                ),
              )
            : null;
        return h(
          'li',
          { class: 'o-comp', 'data-code': c.code },
          h(
            'div',
            { class: 'check' },
            box,
            h(
              'label',
              { for: `${cid}-provided`, id: `${cid}-name` },
              h('span', { class: 'o-code' }, `${c.code} `),
              c.required
                ? h('span', { class: 'tag required' }, t('required'))
                : h('span', { class: 'tag' }, t('optional')),
              ' ',
              t('oReceivedPaper'),
            ),
          ),
          h('p', { class: 'comp-name' }, longText(c.name, 220, t('showFullText'))),
          h('p', { class: 'meta' }, t('originalsCopies', { o: c.originals, c: c.copies })),
          h(
            'div',
            { class: 'upload-actions' },
            h('label', { for: `${cid}-file`, class: 'btn secondary small file-label' }, t('oScanUpload')),
            fileInput,
          ),
          filesUl,
          compErr.el,
          reuse,
        );
      }),
    );
  }

  // E-form data (optional at the counter: the paper form is the original).
  const eformWrap = h('div', { id: 'intake-eform' });
  function renderEform() {
    const sections = state.def?.eform?.sections ?? [];
    if (sections.length === 0) {
      replace(eformWrap);
      return;
    }
    replace(
      eformWrap,
      h(
        'details',
        { class: 'o-eform' },
        h('summary', {}, t('oEformOptional')),
        sections.map((s) =>
          h(
            'fieldset',
            {},
            h('legend', {}, s.title),
            s.fields.map((f) => {
              const fc = fieldControl({ ...f, required: false }, state.formData[f.name] ?? '', (v) => {
                state.formData[f.name] = v;
              });
              return fc.el;
            }),
          ),
        ),
      ),
    );
  }
  const deliverySel = h(
    'select',
    {
      'on:change': () => {
        postWrap.hidden = deliverySel.value !== 'post';
      },
    },
    ['counter', 'post', 'online'].map((m) => h('option', { value: m }, t(`delivery_${m}`))),
  );
  const postAddr = h('input', { type: 'text', maxlength: '500' });
  const postWrap = h('div', { hidden: true }, field('intake-post-address', t('postAddress'), postAddr));
  const extraCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-extra' },
    h('h2', { id: 'intake-h-extra' }, t('oStepDelivery')),
    field('intake-delivery', t('deliveryMethod'), deliverySel),
    postWrap,
    eformWrap,
  );

  // ---------- 4. Outcome ----------
  const outcomeName = 'intake-outcome';
  const radio = (value, label, hint) =>
    h(
      'div',
      { class: 'check' },
      h('input', {
        type: 'radio',
        name: outcomeName,
        id: `intake-outcome-${value}`,
        value,
        checked: value === 'accept',
        'on:change': syncOutcome,
      }),
      h('label', { for: `intake-outcome-${value}` }, label, h('span', { class: 'hint block' }, hint)),
    );
  const missingNote = h('p', { id: 'intake-missing', class: 'warning', hidden: true });
  const supReason = h('textarea', { rows: '2', maxlength: '2000' });
  supReason.value = t('oSupplementReasonDefault');
  const supItems = h('textarea', { rows: '5', maxlength: '20000' });
  const supWrap = h(
    'div',
    { hidden: true, id: 'intake-supplement-wrap' },
    field('intake-sup-reason', t('reason'), supReason, { required: true }),
    field('intake-sup-items', t('oSupplementItems'), supItems, {
      required: true,
      hint: t('oSupplementItemsHint'),
    }),
  );
  const refReason = h('textarea', { rows: '3', maxlength: '2000' });
  const refWrap = h(
    'div',
    { hidden: true, id: 'intake-refuse-wrap' },
    field('intake-refuse-reason', t('oRefuseReasons'), refReason, { required: true }),
  );
  function outcome() {
    return document.querySelector(`input[name="${outcomeName}"]:checked`)?.value ?? 'accept';
  }
  function syncOutcome() {
    const o = outcome();
    supWrap.hidden = o !== 'request_supplement';
    refWrap.hidden = o !== 'refuse';
    submitBtn.textContent = t(`oSubmit_${o}`);
    if (o === 'request_supplement') fillMissingItems(false);
  }
  /** The required components not received, each once. */
  function missingRequired() {
    if (!state.def) return [];
    return state.def.components.filter((c) => c.required && !state.comps.get(c.code)?.provided);
  }
  function fillMissingItems(force) {
    const lines = missingRequired().map((c) => `${c.code}: ${c.name}`);
    if (force || supItems.value.trim() === '') supItems.value = lines.join('\n');
  }
  function updateMissing() {
    const miss = missingRequired();
    missingNote.hidden = miss.length === 0;
    missingNote.textContent = t('oMissingRequired', { list: miss.map((c) => c.code).join(', ') });
  }

  const submitStatus = statusLine('intake-submit-status');
  const submitBtn = h(
    'button',
    { type: 'submit', class: 'btn big', id: 'intake-submit' },
    t('oSubmit_accept'),
  );
  const result = h('section', { class: 'card', id: 'intake-result', hidden: true, 'aria-live': 'polite' });
  const outcomeCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-outcome' },
    h('h2', { id: 'intake-h-outcome' }, t('oStepOutcome')),
    missingNote,
    h(
      'fieldset',
      {},
      h('legend', {}, t('oOutcome')),
      radio('accept', t('oOutcome_accept'), t('oOutcome_accept_hint')),
      radio('request_supplement', t('oOutcome_request_supplement'), t('oOutcome_request_supplement_hint')),
      radio('refuse', t('oOutcome_refuse'), t('oOutcome_refuse_hint')),
    ),
    supWrap,
    refWrap,
    submitStatus.el,
    h('div', { class: 'row-buttons' }, submitBtn),
  );

  const formEl = h(
    'form',
    { id: 'intake-form', novalidate: true, 'on:submit': submit },
    applicantCard,
    procCard,
    compCard,
    extraCard,
    outcomeCard,
  );

  function fail(msg, el) {
    submitStatus.error(msg);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      el.focus();
    }
    return false;
  }

  async function submit(e) {
    e.preventDefault();
    submitStatus.clear();
    for (const el of formEl.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const idNumber = pid.value.replace(/[\s.]/g, '');
    if (!ID_RE.test(idNumber)) return fail(t('oErrIdNumber'), pid);
    if (aName.value.trim().length < 2) return fail(t('oErrName'), aName);
    const phone = aPhone.value.trim();
    if (phone && !/^\+?[0-9 .-]{8,15}$/.test(phone)) return fail(t('err_phone'), aPhone);
    const email = aEmail.value.trim();
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return fail(t('err_email'), aEmail);
    if (!state.def) return fail(t('oErrProcedure'), procQ);
    if (state.unitChoices.length > 0 && !unitSel.value) return fail(t('errChooseUnit'), unitSel);
    if (uploads.size > 0) return fail(t('oErrUploading'));
    if (deliverySel.value === 'post' && postAddr.value.trim().length < 5)
      return fail(t('errPostAddress'), postAddr);
    const o = outcome();
    let out = { type: 'accept' };
    if (o === 'request_supplement') {
      const items = [
        ...new Set(
          supItems.value
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (supReason.value.trim().length < 3) return fail(t('oErrReason'), supReason);
      if (items.length === 0) return fail(t('oErrItems'), supItems);
      out = { type: 'request_supplement', reason: supReason.value.trim(), items };
    } else if (o === 'refuse') {
      if (refReason.value.trim().length < 3) return fail(t('oErrReason'), refReason);
      out = { type: 'refuse', reason: refReason.value.trim() };
    }
    const formData = {};
    for (const f of (state.def.eform?.sections ?? []).flatMap((s) => s.fields)) {
      const v = toServerValue(f, state.formData[f.name]);
      if (v !== undefined) formData[f.name] = v;
    }
    const body = {
      procedureCode: state.def.code,
      channel: channelSel.value,
      applicant: {
        name: aName.value.trim(),
        idNumber,
        kind: Number(aKind.value),
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(aAddress.value.trim() ? { address: aAddress.value.trim() } : {}),
      },
      ...(recvSel ? { receivingUnit: recvSel.value } : {}),
      ...(state.unitChoices.length > 0 ? { competentUnit: unitSel.value } : {}),
      formData,
      components: state.def.components.map((c) => {
        const st = state.comps.get(c.code);
        // The person's stored document is attached as it is (the server marks it reused and digitized).
        const fileIds = [...st.files.filter((f) => f.id).map((f) => f.id), ...(st.reuse ? [st.reuse] : [])];
        return {
          code: c.code,
          provided: st.provided || fileIds.length > 0,
          digitized: fileIds.length > 0,
          fileIds,
        };
      }),
      delivery:
        deliverySel.value === 'post'
          ? { method: 'post', address: postAddr.value.trim() }
          : { method: deliverySel.value },
      outcome: out,
    };
    submitBtn.disabled = true;
    submitBtn.setAttribute('aria-busy', 'true');
    try {
      const d = await api('/api/dossiers', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': state.key },
      });
      invalidateQueues();
      showResult(d, o);
    } catch (err) {
      submitStatus.error(`${t('serverRejected')} ${err.message}${err.code ? ` (${err.code})` : ''}`);
      submitBtn.disabled = false;
    } finally {
      submitBtn.removeAttribute('aria-busy');
    }
  }

  function showResult(d, o) {
    const form = { accept: 'receipt', request_supplement: 'supplement', refuse: 'refusal' }[o];
    const pdf = `/api/dossiers/${encodeURIComponent(d.code)}/forms/${form}`;
    formEl.hidden = true;
    result.hidden = false;
    replace(
      result,
      h('h2', { id: 'intake-result-h', tabindex: '-1' }, t(`oResult_${o}`)),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, t('dossierCode')),
        h('dd', { class: 'big-code', id: 'intake-code' }, d.code),
        h('dt', {}, t('status')),
        h('dd', {}, statusBadge(d.status, t(`status_${d.status}`))),
        d.state?.dueAt ? [h('dt', {}, t('dueAt')), h('dd', { id: 'intake-due' }, dt(d.state.dueAt))] : null,
      ),
      h(
        'p',
        { class: 'row-buttons' },
        h(
          'a',
          { class: 'btn', href: pdf, target: '_blank', rel: 'noopener', id: 'intake-pdf' },
          t(`oPdf_${form}`),
        ),
        h(
          'a',
          { class: 'btn secondary', href: `/can-bo/ho-so/${encodeURIComponent(d.code)}`, id: 'intake-open' },
          t('oOpenDossier'),
        ),
        h(
          'a',
          { class: 'btn secondary', href: '/can-bo/tiep-nhan', id: 'intake-new', 'data-reload': '' },
          t('oNewIntake'),
        ),
      ),
    );
    announce(t(`oResult_${o}`));
    result.querySelector('h2').focus();
  }

  layout(
    ctx,
    me,
    'intake',
    h('h1', {}, t('oIntakeTitle')),
    h('p', { class: 'lead' }, t('oIntakeLead')),
    formEl,
    result,
  );
  renderComponents();
  syncOutcome();
  pid.focus();
  const off = shortcuts(ctx);
  return cleanupAll(off, () => {
    for (const u of uploads) u.abort();
  });
}
