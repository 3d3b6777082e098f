// Step 4 of the wizard: everything entered, read back with a link to the step to edit, the processing time and the
// fees; a confirmation when required components are missing.
import { h, replace } from '../../dom.js';
import { fmtDays, fmtMoney } from '../../format.js';
import { t } from '../../i18n.js';
import { channelLabel } from '../../labels.js';
import { missingRequired } from './components.js';

/** The value of field `f` as the review shows it: '—' when empty, a date as dd/mm/yyyy. */
function displayValue(f, v) {
  if (v === undefined || v === null || String(v).trim() === '') return '—';
  if (f.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v.split('-').reverse().join('/');
  return String(v);
}

/** The review step of wizard `w`: render() draws it into `w.body`. */
export function reviewStep(w) {
  const { d, prof, fields, unitChoices } = w;
  const { changed } = w.saver;
  function render() {
    const title = h('h2', { id: 'step-title' }, `4. ${t('stepReview')}`);
    const missing = missingRequired(d, w.state);
    const fees = d.fees.filter((f) => f.channels.includes('online'));
    const edit = (step, label) =>
      h('button', { type: 'button', class: 'link edit', 'on:click': () => w.go(step) }, label);
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
              checked: w.state.confirmMissing,
              'on:change': (e) => {
                w.state.confirmMissing = e.target.checked;
                changed();
              },
            }),
            h('label', { for: 'confirm-missing' }, t('confirmMissing')),
          ),
        )
      : null;
    const unit = unitChoices.find((u) => u.code === w.state.competentUnit);
    replace(
      w.body,
      title,
      h('p', { class: 'hint' }, t('reviewHint')),
      h('h3', {}, t('stepForm'), ' ', edit(0, t('edit'))),
      fields.length
        ? h(
            'dl',
            { class: 'kv review' },
            fields.map((f) => [h('dt', {}, f.label), h('dd', {}, displayValue(f, w.state.formData[f.name]))]),
          )
        : h('p', {}, prof.fullName),
      h('h3', {}, t('stepComponents'), ' ', edit(1, t('edit'))),
      h(
        'ul',
        { class: 'review-components' },
        d.components.map((c) => {
          const fs = w.state.components[c.code] ?? [];
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
          t(`delivery_${w.state.delivery.method}`),
          w.state.delivery.method === 'post' ? ` — ${w.state.delivery.address}` : '',
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
  return { render };
}
