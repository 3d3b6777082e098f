// Step 5 of the reception counter: the outcome — accept (Mẫu 01), request a supplement listing every missing item
// once (Mẫu 02) or refuse (Mẫu 03) — and the submit button.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { field, statusLine } from '../common.js';

/**
 * The outcome card and its controls: outcome() is the one chosen, sync() shows its fields, updateMissing() the
 * required components not received.
 */
export function outcomeStep(state) {
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
  return {
    card: outcomeCard,
    outcome,
    sync: syncOutcome,
    updateMissing,
    submitBtn,
    submitStatus,
    supReason,
    supItems,
    refReason,
  };
}
