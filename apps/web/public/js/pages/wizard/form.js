// Step 1 of the wizard: the e-form of the procedure, prefilled from the profile, each field checked as it is
// typed.
import { h, replace } from '../../dom.js';
import { checkField, fieldControl } from '../../eform.js';
import { t } from '../../i18n.js';

/**
 * The form step of wizard `w`: render() draws it into `w.body` (its controls in `w.controls`), validate() returns
 * the fields in error.
 */
export function formStep(w) {
  const { d, prof, fields } = w;
  const { changed } = w.saver;
  function render() {
    w.controls = {};
    const title = h('h2', { id: 'step-title' }, `1. ${t('stepForm')}`);
    if (fields.length === 0) {
      replace(
        w.body,
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
      w.body,
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
              w.state.formData[f.name] ?? '',
              (v) => {
                w.state.formData[f.name] = v;
                changed();
              },
              f.prefill && prof[f.prefill] ? t('prefilledHint') : null,
            );
            w.controls[f.name] = c;
            return c.el;
          }),
        ),
      ),
    );
  }
  function validate() {
    const bad = [];
    for (const f of fields) {
      const c = w.controls[f.name];
      const ok = c ? c.validate() : !checkField(f, w.state.formData[f.name]);
      if (!ok) bad.push(f);
    }
    return bad;
  }
  return { render, validate };
}
