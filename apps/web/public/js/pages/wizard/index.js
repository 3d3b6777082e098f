// Online submission /nop/:code: a four-step wizard generated from the procedure's e-form schema. Drafts are saved
// to the server (debounced) and mirrored in localStorage; one idempotency key per draft. The steps and the other
// parts of the page are in pages/wizard/.
import { api } from '../../api.js';
import { $, crumbs, h, replace } from '../../dom.js';
import { fmtDateTime, fmtTime } from '../../format.js';
import { t } from '../../i18n.js';
import { getMe, loginHref } from '../../main.js';
import { componentsStep } from './components.js';
import { deliveryStep, unitChoicesFor } from './delivery.js';
import { draftSaver, dropLocal, freshDraft, storedDraft } from './draft.js';
import { formStep } from './form.js';
import { reviewStep } from './review.js';
import { submitter } from './submit.js';
import { errorSummary, fieldProblems } from './summary.js';

const STEPS = ['stepForm', 'stepComponents', 'stepDelivery', 'stepReview'];

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
  const unitChoices = d.competentUnits.length !== 1 ? await unitChoicesFor(d) : [];

  // The draft: the newer of the server's and this device's copy.
  const stored = storedDraft(me, code, serverDraft);
  const resumed = Boolean(stored);
  const freshState = () => freshDraft(fields, prof, unitChoices);

  // What the parts of the wizard share: the procedure, the draft (`state`, replaced when starting over), the
  // controls of the e-form, the saving of the draft and the layout below.
  const w = {
    ctx,
    me,
    code,
    here,
    d,
    prof,
    fields,
    unitChoices,
    state: stored ?? freshState(),
    controls: {},
  };

  // ---- saving ----
  const saver = draftSaver(w);
  w.saver = saver;

  // ---- layout ----
  const stepper = h('ol', { class: 'stepper', id: 'stepper' });
  const body = h('div', { id: 'step-body' });
  const summary = errorSummary();
  const back = h('button', { type: 'button', class: 'btn secondary', id: 'step-back' }, t('back'));
  const next = h('button', { type: 'button', class: 'btn', id: 'step-next' }, t('next'));
  const resumeNote = resumed
    ? h(
        'div',
        { class: 'notice', id: 'resume-note' },
        h('p', {}, t('draftResumed', { time: fmtDateTime(w.state.savedAt) })),
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
              dropLocal(me, code);
              w.state = freshState();
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
    crumbs([d.code, `/thu-tuc/${encodeURIComponent(code)}`]),
    h(
      'div',
      { class: 'wizard-head' },
      h('h1', {}, t('submitTitle')),
      h('p', { class: 'proc-name' }, d.name),
      saver.status,
    ),
    resumeNote,
    h('nav', { 'aria-label': t('wizardSteps') }, stepper),
    summary.el,
    h('section', { class: 'card step', 'aria-labelledby': 'step-title' }, body),
    h('div', { class: 'wizard-nav' }, back, next),
  );

  function sessionExpired() {
    saver.writeLocal();
    summary.show(t('sessionExpired'), [{ text: t('sessionExpiredDraftKept') }]);
    setTimeout(() => location.assign(loginHref(here)), 2500);
  }
  Object.assign(w, { body, next, show, go, showSummary: summary.show, sessionExpired });
  const form = formStep(w);
  const delivery = deliveryStep(w);
  const steps = [form, componentsStep(w), delivery, reviewStep(w)];
  const sender = submitter(w, form);

  function renderStepper() {
    replace(
      stepper,
      STEPS.map((key, i) =>
        h(
          'li',
          {
            class: i === w.state.step ? 'current' : i < w.state.step ? 'done' : '',
            'aria-current': i === w.state.step ? 'step' : null,
          },
          i < w.state.step
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
    w.state.step = step;
    summary.el.hidden = true;
    renderStepper();
    back.hidden = step === 0;
    next.textContent = step === 3 ? t('submitDossier') : t('next');
    next.id = step === 3 ? 'submit-dossier' : 'step-next';
    next.disabled = false;
    steps[step].render();
    if (focus) {
      const title = $('#step-title', body);
      title?.setAttribute('tabindex', '-1');
      title?.focus();
      title?.scrollIntoView({ block: 'nearest' });
    }
  }
  function go(step) {
    show(step);
    w.state.savedAt = new Date().toISOString();
    saver.saveNow();
  }

  back.addEventListener('click', () => go(Math.max(0, w.state.step - 1)));
  next.addEventListener('click', () => {
    if (w.state.step === 0) {
      const bad = form.validate();
      if (bad.length) {
        summary.show(t('fixErrors'), fieldProblems(bad, w.state.formData));
        return;
      }
    }
    if (w.state.step === 2 && !delivery.validate()) return;
    if (w.state.step === 3) return sender.submit();
    go(w.state.step + 1);
  });

  show(Math.min(Math.max(0, Number(w.state.step) || 0), 3), false);
  if (resumed) saver.status.textContent = t('draftSaved', { time: fmtTime(w.state.savedAt) });

  return async () => {
    saver.stop();
    if (!sender.submitted() && saver.pending()) await saver.saveNow();
  };
}
