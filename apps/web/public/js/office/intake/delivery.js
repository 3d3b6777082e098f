// Step 4 of the reception counter: how the result is delivered (at the counter, by post to an address, online) and
// the e-form of the procedure, optional at the counter (the paper form is the original).
import { h, replace } from '../../dom.js';
import { fieldControl } from '../../eform.js';
import { t } from '../../i18n.js';
import { field } from '../common.js';

/** The delivery card and its controls; renderEform() draws the e-form of `state.def` into `state.formData`. */
export function deliveryStep(state) {
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
  return { card: extraCard, renderEform, deliverySel, postAddr };
}
