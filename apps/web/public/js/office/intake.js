// Reception counter /can-bo/tiep-nhan: register a paper or postal dossier — find the person by ID number, pick the
// procedure and the competent commune, tick and scan the components, choose the outcome (accept → Mẫu 01, request a
// supplement → Mẫu 02 listing every missing item once, refuse → Mẫu 03), submit once (idempotency key). The steps
// are in office/intake/.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import {
  cleanupAll,
  invalidateQueues,
  layout,
  requireOfficer,
  shortcuts,
  unitsWith,
  uuid,
} from './common.js';
import { applicantStep } from './intake/applicant.js';
import { componentsStep } from './intake/components.js';
import { deliveryStep } from './intake/delivery.js';
import { outcomeStep } from './intake/outcome.js';
import { procedureStep } from './intake/procedure.js';
import { intakeBody, showResult } from './intake/submit.js';

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

  // The steps call each other back only after the page is drawn.
  const applicant = applicantStep(state, { onLookup: () => components.render() });
  const components = componentsStep(state, { uploads, onChange: () => outcome.updateMissing() });
  const procedure = procedureStep(state, {
    receptionUnits,
    compCard: components.card,
    onChosen: () => {
      components.render();
      delivery.renderEform();
      outcome.updateMissing();
    },
  });
  const delivery = deliveryStep(state);
  const outcome = outcomeStep(state);
  const { submitBtn, submitStatus } = outcome;

  const result = h('section', { class: 'card', id: 'intake-result', hidden: true, 'aria-live': 'polite' });
  const formEl = h(
    'form',
    { id: 'intake-form', novalidate: true, 'on:submit': submit },
    applicant.card,
    procedure.card,
    components.card,
    delivery.card,
    outcome.card,
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
    const read = intakeBody(state, uploads, { applicant, procedure, delivery, outcome });
    if (read.error) return fail(read.error, read.el);
    const { body, o } = read;
    submitBtn.disabled = true;
    submitBtn.setAttribute('aria-busy', 'true');
    try {
      const d = await api('/api/dossiers', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': state.key },
      });
      invalidateQueues();
      formEl.hidden = true;
      showResult(result, d, o);
    } catch (err) {
      submitStatus.error(`${t('serverRejected')} ${err.message}${err.code ? ` (${err.code})` : ''}`);
      submitBtn.disabled = false;
    } finally {
      submitBtn.removeAttribute('aria-busy');
    }
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
  components.render();
  outcome.sync();
  applicant.pid.focus();
  const off = shortcuts(ctx);
  return cleanupAll(off, () => {
    for (const u of uploads) u.abort();
  });
}
