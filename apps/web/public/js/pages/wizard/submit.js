// Submitting the wizard: the body of POST /api/dossiers read from the draft (the form checked once more first),
// sent with the draft's idempotency key; a refusal is shown on the step it concerns.
import { api } from '../../api.js';
import { checkField, toServerValue } from '../../eform.js';
import { t } from '../../i18n.js';
import { missingRequired } from './components.js';
import { dropLocal } from './draft.js';
import { fieldProblems } from './summary.js';

/**
 * The submission of wizard `w`, whose form step is `form`: submit() sends it (once at a time) and opens the new
 * dossier; submitted() tells whether it was sent.
 */
export function submitter(w, form) {
  const { d, me, code, prof, fields } = w;
  let sending = false;
  async function submit() {
    if (sending) return;
    const missing = missingRequired(d, w.state);
    if (missing.length && !w.state.confirmMissing) {
      w.showSummary(t('missingTitle'), [{ text: t('confirmMissingFirst'), target: 'confirm-missing' }]);
      return;
    }
    const bad = fields.filter((f) => checkField(f, w.state.formData[f.name]));
    if (bad.length) {
      w.show(0, false);
      form.validate();
      w.showSummary(t('fixErrors'), fieldProblems(bad, w.state.formData));
      return;
    }
    sending = true;
    w.next.disabled = true;
    w.next.setAttribute('aria-busy', 'true');
    w.next.textContent = t('sending');
    const formData = {};
    for (const f of fields) {
      const v = toServerValue(f, w.state.formData[f.name]);
      if (v !== undefined) formData[f.name] = v;
    }
    const byPrefill = (k) => {
      const f = fields.find((x) => x.prefill === k);
      return (f ? toServerValue(f, w.state.formData[f.name]) : undefined) ?? prof[k] ?? undefined;
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
        .filter((c) => w.state.components[c.code]?.length)
        .map((c) => ({ code: c.code, fileIds: w.state.components[c.code].map((f) => f.id) })),
      delivery:
        w.state.delivery.method === 'post'
          ? { method: 'post', address: w.state.delivery.address.trim() }
          : { method: w.state.delivery.method },
      ...(w.state.competentUnit ? { competentUnit: w.state.competentUnit } : {}),
    };
    try {
      const dossier = await api('/api/dossiers', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': w.state.idempotencyKey },
      });
      w.saver.cancel();
      dropLocal(me, code);
      api(`/api/me/drafts/${encodeURIComponent(code)}`, { method: 'DELETE' }).catch(() => {});
      submitted = true;
      w.ctx.navigate(`/ho-so/${encodeURIComponent(dossier.code)}?moi=1`);
    } catch (err) {
      sending = false;
      w.next.disabled = false;
      w.next.removeAttribute('aria-busy');
      w.next.textContent = t('submitDossier');
      if (err.status === 401) return w.sessionExpired();
      const issues = err.details?.issues;
      if (
        err.code === 'VALIDATION_FAILED' &&
        Array.isArray(issues) &&
        issues.some((i) => i.field && controlsFor(i.field))
      ) {
        w.show(0, false);
        const items = [];
        for (const i of issues) {
          const c = w.controls[i.field];
          if (c) {
            c.showError(i.message?.replace(/^[^:]*:\s*/, '') || t('errInvalid'));
            items.push({ text: i.message, target: `f-${i.field}` });
          } else items.push({ text: i.message ?? String(i.field) });
        }
        w.showSummary(t('serverRejected'), items);
        return;
      }
      if (
        err.code === 'UNIT_NOT_COMPETENT' ||
        (err.code === 'VALIDATION_FAILED' && /competent|xã, phường/i.test(`${err.message}`))
      ) {
        w.show(2, false);
        w.showSummary(t('serverRejected'), [{ text: err.message, target: 'competent-unit' }]);
        return;
      }
      w.showSummary(t('submitFailed'), [{ text: err.message }, { text: t('retrySafe') }]);
    }
  }
  const controlsFor = (name) => fields.some((f) => f.name === name);
  let submitted = false;
  return { submit, submitted: () => submitted };
}
