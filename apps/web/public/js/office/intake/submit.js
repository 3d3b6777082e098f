// Submitting at the reception counter: the body of POST /api/dossiers read from the steps (checked first, in the
// order of the form), and the result shown afterwards with the form to print.
import { h, replace } from '../../dom.js';
import { toServerValue } from '../../eform.js';
import { t } from '../../i18n.js';
import { statusBadge } from '../../labels.js';
import { announce } from '../../main.js';
import { dt } from '../common.js';

const ID_RE = /^[0-9]{9,13}$|^[0-9]{10}(-[0-9]{3})?$/;

/**
 * The body to send and the outcome `o` chosen, or { error, el }: the first thing to correct and the control to
 * mark (none while files are still uploading).
 */
export function intakeBody(state, uploads, { applicant, procedure, delivery, outcome }) {
  const { pid, aName, aKind, aPhone, aEmail, aAddress } = applicant;
  const { procQ, unitSel, channelSel, recvSel } = procedure;
  const { deliverySel, postAddr } = delivery;
  const { supReason, supItems, refReason } = outcome;
  const idNumber = pid.value.replace(/[\s.]/g, '');
  if (!ID_RE.test(idNumber)) return { error: t('oErrIdNumber'), el: pid };
  if (aName.value.trim().length < 2) return { error: t('oErrName'), el: aName };
  const phone = aPhone.value.trim();
  if (phone && !/^\+?[0-9 .-]{8,15}$/.test(phone)) return { error: t('err_phone'), el: aPhone };
  const email = aEmail.value.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: t('err_email'), el: aEmail };
  if (!state.def) return { error: t('oErrProcedure'), el: procQ };
  if (state.unitChoices.length > 0 && !unitSel.value) return { error: t('errChooseUnit'), el: unitSel };
  if (uploads.size > 0) return { error: t('oErrUploading') };
  if (deliverySel.value === 'post' && postAddr.value.trim().length < 5)
    return { error: t('errPostAddress'), el: postAddr };
  const o = outcome.outcome();
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
    if (supReason.value.trim().length < 3) return { error: t('oErrReason'), el: supReason };
    if (items.length === 0) return { error: t('oErrItems'), el: supItems };
    out = { type: 'request_supplement', reason: supReason.value.trim(), items };
  } else if (o === 'refuse') {
    if (refReason.value.trim().length < 3) return { error: t('oErrReason'), el: refReason };
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
  return { body, o };
}

/** Shows in `result` the dossier `d` just registered with outcome `o`: its code, due date and the form to print. */
export function showResult(result, d, o) {
  const form = { accept: 'receipt', request_supplement: 'supplement', refuse: 'refusal' }[o];
  const pdf = `/api/dossiers/${encodeURIComponent(d.code)}/forms/${form}`;
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
