// Online submission /nop/:code: a four-step wizard generated from the procedure's e-form schema.
// Drafts are saved to the server (debounced) and mirrored in localStorage; one idempotency key per draft.
import { api, uploadFile } from '../api.js';
import { $, h, longText, replace } from '../dom.js';
import { checkField, fieldControl, toServerValue } from '../eform.js';
import { ACCEPT, checkFile, uploadErrorMessage } from '../files.js';
import { fmtDateTime, fmtDays, fmtMoney, fmtSize, fmtTime } from '../format.js';
import { t } from '../i18n.js';
import { channelLabel } from '../labels.js';
import { getMe, loginHref } from '../main.js';

const STEPS = ['stepForm', 'stepComponents', 'stepDelivery', 'stepReview'];

const localKey = (me, code) => `tinhso:draft:${me.id}:${code}`;
const uuid = () =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );

export async function render(ctx) {
  const { main } = ctx;
  const code = ctx.params[0];
  const me = getMe();
  const here = `/nop/${encodeURIComponent(code)}`;
  if (me?.kind !== 'citizen') {
    ctx.setTitle(t('submitTitle'));
    replace(
      main,
      h(
        'section',
        { class: 'card narrow' },
        h('h1', {}, t('submitTitle')),
        h('p', {}, t('loginToSubmit')),
        h(
          'p',
          {},
          h(
            'a',
            { class: 'btn big', href: loginHref(here), id: 'login-to-submit', 'data-reload': '' },
            t('loginVneid'),
          ),
        ),
        h('p', {}, h('a', { href: `/thu-tuc/${encodeURIComponent(code)}` }, t('backToProcedure'))),
      ),
    );
    return;
  }

  const [{ definition: d }, profile, serverDraft] = await Promise.all([
    api(`/api/procedures/${encodeURIComponent(code)}`),
    api('/api/me/profile').catch(() => null),
    api(`/api/me/drafts/${encodeURIComponent(code)}`).catch(() => null),
  ]);
  ctx.setTitle(`${t('submitTitle')} — ${d.code}`);
  if (!d.channels.includes('online')) {
    replace(
      main,
      h(
        'section',
        { class: 'card narrow' },
        h('h1', {}, t('submitTitle')),
        h('p', {}, t('notOnline')),
        h('p', {}, h('a', { href: `/thu-tuc/${encodeURIComponent(code)}` }, t('backToProcedure'))),
      ),
    );
    return;
  }
  const prof = {
    fullName: profile?.fullName ?? me.name,
    personalId: profile?.personalId ?? me.personalId,
    dateOfBirth: profile?.dateOfBirth ?? null,
    address: profile?.address ?? null,
    phone: profile?.phone ?? null,
    email: profile?.email ?? null,
  };
  const fields = (d.eform?.sections ?? []).flatMap((s) => s.fields);

  // Competent unit: a choice only when the catalogue does not name exactly one.
  let unitChoices = [];
  if (d.competentUnits.length !== 1) {
    const all = await api('/api/units')
      .then((r) => r.items)
      .catch(() => []);
    const today = new Date().toISOString().slice(0, 10);
    const activeUnit = (u) => u.validFrom <= today && (!u.validTo || u.validTo >= today);
    unitChoices =
      d.competentUnits.length > 1
        ? all.filter((u) => d.competentUnits.includes(u.code) && activeUnit(u))
        : all.filter((u) => u.level === (d.level === 'commune' ? 'commune' : 'department') && activeUnit(u));
  }

  // The draft: the newer of the server's and this device's copy.
  let local = null;
  try {
    local = JSON.parse(localStorage.getItem(localKey(me, code)) ?? 'null');
  } catch {}
  const server = serverDraft?.data && typeof serverDraft.data === 'object' ? serverDraft.data : null;
  let state =
    [server, local]
      .filter((x) => x && x.v === 1)
      .sort((a, b) => String(b.savedAt ?? '').localeCompare(String(a.savedAt ?? '')))[0] ?? null;
  const resumed = Boolean(state);
  if (!state) state = freshState();
  function freshState() {
    const formData = {};
    for (const f of fields) {
      const v = f.prefill ? prof[f.prefill] : null;
      if (v) formData[f.name] = String(v);
    }
    return {
      v: 1,
      step: 0,
      formData,
      components: {},
      delivery: { method: 'online', address: prof.address ?? '' },
      competentUnit: unitChoices.length === 1 ? unitChoices[0].code : '',
      idempotencyKey: uuid(),
      savedAt: null,
      confirmMissing: false,
    };
  }

  // ---- saving ----
  const draftStatus = h('p', {
    id: 'draft-status',
    class: 'draft-status',
    role: 'status',
    'aria-live': 'polite',
  });
  let timer = null;
  let saving = Promise.resolve();
  let serverDrafts = true;
  function writeLocal() {
    try {
      localStorage.setItem(localKey(me, code), JSON.stringify(state));
    } catch {}
  }
  function changed() {
    state.savedAt = new Date().toISOString();
    writeLocal();
    clearTimeout(timer);
    timer = setTimeout(saveNow, 1000);
  }
  function saveNow() {
    clearTimeout(timer);
    timer = null;
    state.savedAt ??= new Date().toISOString();
    writeLocal();
    const data = JSON.parse(JSON.stringify(state));
    saving = saving.then(async () => {
      if (!serverDrafts) {
        draftStatus.textContent = t('draftSavedLocal', { time: fmtTime(state.savedAt) });
        return;
      }
      try {
        const r = await api(`/api/me/drafts/${encodeURIComponent(code)}`, { method: 'PUT', body: { data } });
        draftStatus.textContent = t('draftSaved', {
          time: fmtTime(r?.updatedAt ?? new Date().toISOString()),
        });
      } catch (err) {
        if (err.status === 401) {
          draftStatus.replaceChildren(
            t('draftSessionExpired'),
            ' ',
            h('a', { href: loginHref(here), 'data-reload': '' }, t('loginAgain')),
          );
        } else if (err.code === 'NOT_FOUND') {
          serverDrafts = false; // this server has no draft store yet: this device keeps it
          draftStatus.textContent = t('draftSavedLocal', { time: fmtTime(state.savedAt) });
        } else {
          draftStatus.textContent = t('draftSaveFailed', { time: fmtTime(state.savedAt) });
        }
      }
    });
    return saving;
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden' && timer) saveNow();
  };
  document.addEventListener('visibilitychange', onHide);

  // ---- layout ----
  const stepper = h('ol', { class: 'stepper', id: 'stepper' });
  const body = h('div', { id: 'step-body' });
  const summary = h('div', {
    id: 'error-summary',
    class: 'error-summary',
    role: 'alert',
    tabindex: '-1',
    hidden: true,
  });
  const back = h('button', { type: 'button', class: 'btn secondary', id: 'step-back' }, t('back'));
  const next = h('button', { type: 'button', class: 'btn', id: 'step-next' }, t('next'));
  const resumeNote = resumed
    ? h(
        'div',
        { class: 'notice', id: 'resume-note' },
        h('p', {}, t('draftResumed', { time: fmtDateTime(state.savedAt) })),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            id: 'restart-draft',
            'on:click': async () => {
              try {
                await api(`/api/me/drafts/${encodeURIComponent(code)}`, { method: 'DELETE' });
              } catch {}
              localStorage.removeItem(localKey(me, code));
              state = freshState();
              resumeNote.remove();
              show(0);
            },
          },
          t('startOver'),
        ),
      )
    : null;

  replace(
    main,
    h(
      'nav',
      { 'aria-label': t('breadcrumb'), class: 'crumbs' },
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: '/' }, t('home'))),
        h('li', {}, h('a', { href: `/thu-tuc/${encodeURIComponent(code)}` }, d.code)),
      ),
    ),
    h(
      'div',
      { class: 'wizard-head' },
      h('h1', {}, t('submitTitle')),
      h('p', { class: 'proc-name' }, d.name),
      draftStatus,
    ),
    resumeNote,
    h('nav', { 'aria-label': t('wizardSteps') }, stepper),
    summary,
    h('section', { class: 'card step', 'aria-labelledby': 'step-title' }, body),
    h('div', { class: 'wizard-nav' }, back, next),
  );

  let controls = {};
  const componentErrors = {};

  function renderStepper() {
    replace(
      stepper,
      STEPS.map((key, i) =>
        h(
          'li',
          {
            class: i === state.step ? 'current' : i < state.step ? 'done' : '',
            'aria-current': i === state.step ? 'step' : null,
          },
          i < state.step
            ? h(
                'button',
                { type: 'button', class: 'link', 'on:click': () => go(i) },
                h('span', { class: 'num' }, String(i + 1)),
                h('span', { class: 'lbl' }, t(key)),
              )
            : h('span', {}, h('span', { class: 'num' }, String(i + 1)), h('span', { class: 'lbl' }, t(key))),
        ),
      ),
    );
  }

  function show(step, focus = true) {
    state.step = step;
    summary.hidden = true;
    renderStepper();
    back.hidden = step === 0;
    next.textContent = step === 3 ? t('submitDossier') : t('next');
    next.id = step === 3 ? 'submit-dossier' : 'step-next';
    next.disabled = false;
    [renderForm, renderComponents, renderDelivery, renderReview][step]();
    if (focus) {
      const title = $('#step-title', body);
      title?.setAttribute('tabindex', '-1');
      title?.focus();
      title?.scrollIntoView({ block: 'nearest' });
    }
  }
  function go(step) {
    show(step);
    state.savedAt = new Date().toISOString();
    saveNow();
  }

  // ---- step 1: the e-form ----
  function renderForm() {
    controls = {};
    const title = h('h2', { id: 'step-title' }, `1. ${t('stepForm')}`);
    if (fields.length === 0) {
      replace(
        body,
        title,
        h('p', {}, t('noEform')),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, t('applicant')),
          h('dd', {}, prof.fullName),
          h('dt', {}, t('personalId')),
          h('dd', {}, prof.personalId ?? '—'),
        ),
      );
      return;
    }
    replace(
      body,
      title,
      h('p', { class: 'hint' }, t('formHint')),
      d.eform.sections.map((s) =>
        h(
          'fieldset',
          {},
          h('legend', {}, s.title),
          s.fields.map((f) => {
            const c = fieldControl(
              f,
              state.formData[f.name] ?? '',
              (v) => {
                state.formData[f.name] = v;
                changed();
              },
              f.prefill && prof[f.prefill] ? t('prefilledHint') : null,
            );
            controls[f.name] = c;
            return c.el;
          }),
        ),
      ),
    );
  }
  function validateForm() {
    const bad = [];
    for (const f of fields) {
      const c = controls[f.name];
      const ok = c ? c.validate() : !checkField(f, state.formData[f.name]);
      if (!ok) bad.push(f);
    }
    return bad;
  }

  // ---- step 2: components ----
  function renderComponents() {
    const title = h('h2', { id: 'step-title' }, `2. ${t('stepComponents')}`);
    if (d.components.length === 0) {
      replace(body, title, h('p', {}, t('noComponents')));
      return;
    }
    replace(
      body,
      title,
      h('p', { class: 'hint' }, t('componentsUploadHint')),
      h(
        'ol',
        { class: 'upload-list' },
        d.components.map((c, i) => h('li', {}, componentBlock(c, i))),
      ),
    );
  }
  function componentBlock(c, i) {
    const list = h('ul', { class: 'files', 'aria-label': t('filesOf', { n: i + 1 }) });
    const error = h('p', { class: 'field-error', id: `comp-${c.code}-err`, role: 'alert', hidden: true });
    componentErrors[c.code] = error;
    const files = () => (state.components[c.code] ??= []);
    const drawFiles = () => {
      replace(
        list,
        files().map((f) =>
          h(
            'li',
            { class: 'file' },
            h('span', { class: 'file-name' }, f.name),
            h('span', { class: 'meta' }, ` ${fmtSize(f.size)}${f.fromStore ? ` · ${t('fromStore')}` : ''}`),
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                'aria-label': t('removeFile', { name: f.name }),
                'on:click': async () => {
                  state.components[c.code] = files().filter((x) => x.id !== f.id);
                  changed();
                  drawFiles();
                  if (!f.fromStore) api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                  ctx.announce(t('fileRemoved', { name: f.name }));
                  pick.focus();
                },
              },
              t('remove'),
            ),
          ),
        ),
      );
    };
    const showError = (msgs) => {
      error.hidden = msgs.length === 0;
      replace(
        error,
        msgs.map((m, j) => [j ? h('br') : null, m]),
      );
    };
    async function handle(fileList) {
      const msgs = [];
      const chosen = [...fileList];
      const ok = [];
      for (const file of chosen) {
        const m = checkFile(file);
        if (m) msgs.push(m);
        else ok.push(file);
      }
      showError(msgs);
      for (const file of ok) {
        const progress = h('progress', {
          max: '100',
          value: '0',
          'aria-label': t('uploading', { name: file.name }),
        });
        const row = h(
          'li',
          { class: 'file uploading' },
          h('span', { class: 'file-name' }, file.name),
          progress,
          h('span', { class: 'meta' }, ` ${fmtSize(file.size)}`),
        );
        list.append(row);
        try {
          const up = uploadFile(file, (p) => {
            progress.value = Math.round(p * 100);
          });
          const r = await up.promise;
          files().push({
            id: r.id,
            name: r.name ?? file.name,
            size: r.size ?? file.size,
            mime: r.mime ?? file.type,
          });
          changed();
          ctx.announce(t('fileUploaded', { name: file.name }));
        } catch (err) {
          msgs.push(uploadErrorMessage(err, file.name));
          showError(msgs);
          if (err.status === 401) sessionExpired();
        } finally {
          row.remove();
          drawFiles();
        }
      }
    }
    const inputId = `upload-${c.code}`;
    const pick = h('input', {
      type: 'file',
      id: inputId,
      accept: ACCEPT,
      multiple: true,
      class: 'file-input',
      'aria-describedby': `comp-${c.code}-name comp-${c.code}-err`,
      'on:change': (e) => {
        handle(e.target.files).finally(() => {
          e.target.value = '';
        });
      },
    });
    const camera = matchMedia('(pointer: coarse)').matches
      ? h('input', {
          type: 'file',
          id: `camera-${c.code}`,
          accept: 'image/jpeg,image/png',
          capture: 'environment',
          class: 'file-input',
          'on:change': (e) => handle(e.target.files).finally(() => (e.target.value = '')),
        })
      : null;
    drawFiles();
    return h(
      'div',
      { class: 'component', 'data-component': c.code },
      h(
        'div',
        { class: 'comp-name', id: `comp-${c.code}-name` },
        h('span', { class: c.required ? 'tag required' : 'tag' }, c.required ? t('required') : t('optional')),
        ' ',
        longText(c.name, 220, t('showFullText')),
      ),
      list,
      error,
      h(
        'div',
        { class: 'upload-actions' },
        h('label', { for: inputId, class: 'btn secondary file-label' }, t('uploadFile')),
        pick,
        camera
          ? [
              h('label', { for: `camera-${c.code}`, class: 'btn secondary file-label' }, t('takePhoto')),
              camera,
            ]
          : null,
        h(
          'button',
          { type: 'button', class: 'btn secondary', 'on:click': () => chooseFromStore(c, files, drawFiles) },
          t('chooseFromStore'),
        ),
      ),
      h('p', { class: 'hint' }, t('fileRules')),
    );
  }

  async function chooseFromStore(c, files, drawFiles) {
    const dialogTitle = h('h2', { id: 'store-title' }, t('myStore'));
    const content = h('div', {}, h('p', {}, t('loading')));
    const dialog = h(
      'dialog',
      { class: 'store', 'aria-labelledby': 'store-title' },
      dialogTitle,
      h('p', { class: 'meta' }, c.name.length > 160 ? `${c.name.slice(0, 160)}…` : c.name),
      content,
    );
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.showModal();
    const close = h(
      'button',
      { type: 'button', class: 'btn secondary', 'on:click': () => dialog.close() },
      t('cancel'),
    );
    try {
      const { items } = await api('/api/me/files');
      const taken = new Set(files().map((f) => f.id));
      const avail = items.filter((f) => !taken.has(f.id));
      if (avail.length === 0) {
        replace(content, h('p', {}, t('storeEmpty')), close);
        return;
      }
      const boxes = avail.map((f) =>
        h(
          'li',
          {},
          h('input', { type: 'checkbox', id: `store-${f.id}`, value: f.id }),
          h(
            'label',
            { for: `store-${f.id}` },
            f.name,
            h(
              'span',
              { class: 'meta' },
              ` — ${fmtSize(f.size)}, ${fmtDateTime(f.createdAt)}${f.source === 'result' ? `, ${t('storeResult', { code: f.dossierCode ?? '' })}` : ''}`,
            ),
          ),
        ),
      );
      const add = h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'on:click': () => {
            for (const li of boxes) {
              const box = li.querySelector('input');
              if (!box.checked) continue;
              const f = avail.find((x) => x.id === box.value);
              files().push({ id: f.id, name: f.name, size: f.size, mime: f.mime, fromStore: true });
            }
            changed();
            drawFiles();
            dialog.close();
          },
        },
        t('addSelected'),
      );
      replace(
        content,
        h('ul', { class: 'store-list' }, boxes),
        h('div', { class: 'row-buttons' }, add, close),
      );
      boxes[0]?.querySelector('input')?.focus();
    } catch (err) {
      replace(
        content,
        h('p', { class: 'error' }, err.code === 'NOT_FOUND' ? t('storeUnavailable') : err.message),
        close,
      );
      close.focus();
    }
  }

  const missingRequired = () =>
    d.components.filter((c) => c.required && !(state.components[c.code]?.length > 0));

  // ---- step 3: how to receive the result, and which commune/ward decides ----
  function renderDelivery() {
    const title = h('h2', { id: 'step-title' }, `3. ${t('stepDelivery')}`);
    const methods = ['online', 'counter', 'post'];
    const addrErr = h('p', { id: 'delivery-address-err', class: 'field-error', hidden: true });
    const addr = h('textarea', {
      id: 'delivery-address',
      rows: '3',
      maxlength: '500',
      autocomplete: 'street-address',
      'aria-describedby': 'delivery-address-err',
      'on:input': (e) => {
        state.delivery.address = e.target.value;
        changed();
        if (e.target.value.trim()) {
          addrErr.hidden = true;
          e.target.removeAttribute('aria-invalid');
        }
      },
    });
    addr.value = state.delivery.address ?? '';
    const addrBox = h(
      'div',
      { class: 'field', hidden: state.delivery.method !== 'post' },
      h(
        'label',
        { for: 'delivery-address' },
        t('postAddress'),
        h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'),
      ),
      addr,
      addrErr,
    );
    const radios = methods.map((m) =>
      h(
        'div',
        { class: 'radio' },
        h('input', {
          type: 'radio',
          name: 'delivery',
          id: `delivery-${m}`,
          value: m,
          checked: state.delivery.method === m,
          'on:change': () => {
            state.delivery.method = m;
            addrBox.hidden = m !== 'post';
            changed();
          },
        }),
        h(
          'label',
          { for: `delivery-${m}` },
          h('strong', {}, t(`delivery_${m}`)),
          h('span', { class: 'meta block' }, t(`delivery_${m}_hint`)),
        ),
      ),
    );
    let unitBox = null;
    if (unitChoices.length > 0) {
      const sel = h(
        'select',
        {
          id: 'competent-unit',
          required: true,
          'aria-describedby': 'competent-unit-err',
          'on:change': (e) => {
            state.competentUnit = e.target.value;
            changed();
            if (e.target.value) {
              $('#competent-unit-err').hidden = true;
              e.target.removeAttribute('aria-invalid');
            }
          },
        },
        h('option', { value: '' }, t('choose')),
        unitChoices.map((u) => h('option', { value: u.code }, u.name)),
      );
      sel.value = state.competentUnit ?? '';
      unitBox = h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: 'competent-unit' },
          d.level === 'commune' ? t('competentCommuneChoose') : t('competentUnitChoose'),
          h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'),
        ),
        sel,
        h('p', { id: 'competent-unit-err', class: 'field-error', hidden: true }),
      );
    }
    replace(body, title, unitBox, h('fieldset', {}, h('legend', {}, t('deliveryMethod')), radios, addrBox));
  }
  function validateDelivery() {
    let ok = true;
    const first = [];
    if (unitChoices.length > 0 && !state.competentUnit) {
      const e = $('#competent-unit-err');
      if (e) {
        e.hidden = false;
        e.textContent = t('errChooseUnit');
        $('#competent-unit').setAttribute('aria-invalid', 'true');
        first.push($('#competent-unit'));
      }
      ok = false;
    }
    if (state.delivery.method === 'post' && !(state.delivery.address ?? '').trim()) {
      const e = $('#delivery-address-err');
      if (e) {
        e.hidden = false;
        e.textContent = t('errPostAddress');
        $('#delivery-address').setAttribute('aria-invalid', 'true');
        first.push($('#delivery-address'));
      }
      ok = false;
    }
    first[0]?.focus();
    return ok;
  }

  // ---- step 4: review and submit ----
  function renderReview() {
    const title = h('h2', { id: 'step-title' }, `4. ${t('stepReview')}`);
    const missing = missingRequired();
    const fees = d.fees.filter((f) => f.channels.includes('online'));
    const edit = (step, label) =>
      h('button', { type: 'button', class: 'link edit', 'on:click': () => go(step) }, label);
    const confirmBox = missing.length
      ? h(
          'div',
          { class: 'warning', id: 'missing-warning' },
          h('p', {}, h('strong', {}, t('missingTitle'))),
          h(
            'ul',
            {},
            missing.map((c) => h('li', {}, c.name.length > 200 ? `${c.name.slice(0, 200)}…` : c.name)),
          ),
          h('p', {}, t('missingExplain')),
          h(
            'div',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              id: 'confirm-missing',
              checked: state.confirmMissing,
              'on:change': (e) => {
                state.confirmMissing = e.target.checked;
                changed();
              },
            }),
            h('label', { for: 'confirm-missing' }, t('confirmMissing')),
          ),
        )
      : null;
    const unit = unitChoices.find((u) => u.code === state.competentUnit);
    replace(
      body,
      title,
      h('p', { class: 'hint' }, t('reviewHint')),
      h('h3', {}, t('stepForm'), ' ', edit(0, t('edit'))),
      fields.length
        ? h(
            'dl',
            { class: 'kv review' },
            fields.map((f) => [h('dt', {}, f.label), h('dd', {}, displayValue(f, state.formData[f.name]))]),
          )
        : h('p', {}, prof.fullName),
      h('h3', {}, t('stepComponents'), ' ', edit(1, t('edit'))),
      h(
        'ul',
        { class: 'review-components' },
        d.components.map((c) => {
          const fs = state.components[c.code] ?? [];
          return h(
            'li',
            {},
            h('span', {}, c.name.length > 160 ? `${c.name.slice(0, 160)}…` : c.name),
            h('br'),
            fs.length
              ? h('span', { class: 'ok' }, fs.map((f) => f.name).join(', '))
              : h(
                  'span',
                  { class: c.required ? 'error' : 'meta' },
                  c.required ? t('missingRequired') : t('notProvided'),
                ),
          );
        }),
      ),
      h('h3', {}, t('stepDelivery'), ' ', edit(2, t('edit'))),
      h(
        'dl',
        { class: 'kv review' },
        unit ? [h('dt', {}, t('competentUnit')), h('dd', {}, unit.name)] : null,
        h('dt', {}, t('deliveryMethod')),
        h(
          'dd',
          {},
          t(`delivery_${state.delivery.method}`),
          state.delivery.method === 'post' ? ` — ${state.delivery.address}` : '',
        ),
        h('dt', {}, t('processingTime')),
        h('dd', {}, fmtDays(d.processingDays.online ?? 0), ` (${channelLabel('online')})`),
        h('dt', {}, t('fees')),
        h(
          'dd',
          {},
          fees.length
            ? fees.map((f) => h('span', { class: 'block' }, `${fmtMoney(f.amountVnd)} — ${f.name}`))
            : t('noFee'),
        ),
      ),
      confirmBox,
    );
  }

  function displayValue(f, v) {
    if (v === undefined || v === null || String(v).trim() === '') return '—';
    if (f.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v.split('-').reverse().join('/');
    return String(v);
  }

  function showSummary(title, items) {
    summary.hidden = false;
    replace(
      summary,
      h('h2', {}, title),
      items.length
        ? h(
            'ul',
            {},
            items.map((it) =>
              h(
                'li',
                {},
                it.target
                  ? h(
                      'a',
                      {
                        href: `#${it.target}`,
                        'on:click': (e) => {
                          e.preventDefault();
                          document.getElementById(it.target)?.focus();
                        },
                      },
                      it.text,
                    )
                  : it.text,
              ),
            ),
          )
        : null,
    );
    summary.focus();
  }

  function sessionExpired() {
    writeLocal();
    showSummary(t('sessionExpired'), [{ text: t('sessionExpiredDraftKept') }]);
    setTimeout(() => location.assign(loginHref(here)), 2500);
  }

  let sending = false;
  async function submit() {
    if (sending) return;
    const missing = missingRequired();
    if (missing.length && !state.confirmMissing) {
      showSummary(t('missingTitle'), [{ text: t('confirmMissingFirst'), target: 'confirm-missing' }]);
      return;
    }
    const bad = fields.filter((f) => checkField(f, state.formData[f.name]));
    if (bad.length) {
      show(0, false);
      validateForm();
      showSummary(
        t('fixErrors'),
        bad.map((f) => ({
          text: `${f.label}: ${checkField(f, state.formData[f.name])}`,
          target: `f-${f.name}`,
        })),
      );
      return;
    }
    sending = true;
    next.disabled = true;
    next.setAttribute('aria-busy', 'true');
    next.textContent = t('sending');
    const formData = {};
    for (const f of fields) {
      const v = toServerValue(f, state.formData[f.name]);
      if (v !== undefined) formData[f.name] = v;
    }
    const byPrefill = (k) => {
      const f = fields.find((x) => x.prefill === k);
      return (f ? toServerValue(f, state.formData[f.name]) : undefined) ?? prof[k] ?? undefined;
    };
    const applicant = { name: byPrefill('fullName'), idNumber: byPrefill('personalId'), kind: 1 };
    for (const k of ['phone', 'email', 'address']) {
      const v = byPrefill(k);
      if (v) applicant[k] = String(v);
    }
    const body = {
      procedureCode: d.code,
      channel: 'online',
      applicant,
      formData,
      components: d.components
        .filter((c) => state.components[c.code]?.length)
        .map((c) => ({ code: c.code, fileIds: state.components[c.code].map((f) => f.id) })),
      delivery:
        state.delivery.method === 'post'
          ? { method: 'post', address: state.delivery.address.trim() }
          : { method: state.delivery.method },
      ...(state.competentUnit ? { competentUnit: state.competentUnit } : {}),
    };
    try {
      const dossier = await api('/api/dossiers', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': state.idempotencyKey },
      });
      clearTimeout(timer);
      timer = null;
      localStorage.removeItem(localKey(me, code));
      api(`/api/me/drafts/${encodeURIComponent(code)}`, { method: 'DELETE' }).catch(() => {});
      submitted = true;
      ctx.navigate(`/ho-so/${encodeURIComponent(dossier.code)}?moi=1`);
    } catch (err) {
      sending = false;
      next.disabled = false;
      next.removeAttribute('aria-busy');
      next.textContent = t('submitDossier');
      if (err.status === 401) return sessionExpired();
      const issues = err.details?.issues;
      if (
        err.code === 'VALIDATION_FAILED' &&
        Array.isArray(issues) &&
        issues.some((i) => i.field && controlsFor(i.field))
      ) {
        show(0, false);
        const items = [];
        for (const i of issues) {
          const c = controls[i.field];
          if (c) {
            c.showError(i.message?.replace(/^[^:]*:\s*/, '') || t('errInvalid'));
            items.push({ text: i.message, target: `f-${i.field}` });
          } else items.push({ text: i.message ?? String(i.field) });
        }
        showSummary(t('serverRejected'), items);
        return;
      }
      if (
        err.code === 'UNIT_NOT_COMPETENT' ||
        (err.code === 'VALIDATION_FAILED' && /competent|xã, phường/i.test(`${err.message}`))
      ) {
        show(2, false);
        showSummary(t('serverRejected'), [{ text: err.message, target: 'competent-unit' }]);
        return;
      }
      showSummary(t('submitFailed'), [{ text: err.message }, { text: t('retrySafe') }]);
    }
  }
  const controlsFor = (name) => fields.some((f) => f.name === name);
  let submitted = false;

  back.addEventListener('click', () => go(Math.max(0, state.step - 1)));
  next.addEventListener('click', () => {
    if (state.step === 0) {
      const bad = validateForm();
      if (bad.length) {
        showSummary(
          t('fixErrors'),
          bad.map((f) => ({
            text: `${f.label}: ${checkField(f, state.formData[f.name])}`,
            target: `f-${f.name}`,
          })),
        );
        return;
      }
    }
    if (state.step === 2 && !validateDelivery()) return;
    if (state.step === 3) return submit();
    go(state.step + 1);
  });

  show(Math.min(Math.max(0, Number(state.step) || 0), 3), false);
  if (resumed) draftStatus.textContent = t('draftSaved', { time: fmtTime(state.savedAt) });

  return async () => {
    document.removeEventListener('visibilitychange', onHide);
    if (!submitted && timer) await saveNow();
  };
}
