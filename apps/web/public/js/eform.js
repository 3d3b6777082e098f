// E-form fields and their checks: the same rules as the server (packages/domain/src/eform.ts), with messages in the
// current language, so the citizen sees a problem while typing instead of after submitting.
import { h } from './dom.js';
import { t } from './i18n.js';

const PATTERNS = {
  personalId: /^[0-9]{12}$/,
  phone: /^(\+84|0)[0-9]{9,10}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
};
const NUMBER = /^-?\d+([.,]\d+)?$/;

function realDate(s) {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const maxLengthOf = (f) => f.maxLength ?? (f.type === 'textarea' ? 5000 : 500);

/** The value as the server wants it: numbers as numbers, trimmed strings, empty → undefined. */
export function toServerValue(f, raw) {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  if (s === '') return undefined;
  if (f.type === 'number') return NUMBER.test(s) ? Number(s.replace(',', '.')) : s;
  if (f.type === 'personalId' || f.type === 'phone') return s.replace(/[\s.]/g, '');
  return f.type === 'textarea' ? String(raw) : s;
}

/**
 * The problem with one value, or null. `whileTyping`: do not complain about an empty required field yet.
 */
export function checkField(f, raw, { whileTyping = false } = {}) {
  const v = toServerValue(f, raw);
  if (v === undefined)
    return f.required && !whileTyping ? t(f.type === 'select' ? 'errChoose' : 'errRequired') : null;
  if (f.type === 'number') return typeof v === 'number' && Number.isFinite(v) ? null : t('errNumber');
  if (String(raw).length > maxLengthOf(f)) return t('errTooLong', { n: maxLengthOf(f) });
  const p = PATTERNS[f.type];
  if (p && (!p.test(v) || (f.type === 'date' && !realDate(v)))) {
    if (whileTyping && f.type !== 'date' && f.type !== 'email' && String(v).length < 9) return null;
    return t(`err_${f.type}`);
  }
  if (f.type === 'select' && f.options && !f.options.includes(v)) return t('errOption');
  return null;
}

/** Label + control + hint + error slot, wired with aria-describedby / aria-invalid. */
export function fieldControl(f, value, onChange, hintText) {
  const id = `f-${f.name}`;
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const common = {
    id,
    name: f.name,
    required: f.required,
    'aria-required': f.required ? 'true' : null,
    'aria-describedby': [hintText ? hintId : null, errId].filter(Boolean).join(' '),
  };
  let input;
  if (f.type === 'textarea') {
    input = h('textarea', { ...common, rows: '4', maxlength: String(maxLengthOf(f)) });
    input.value = value ?? '';
  } else if (f.type === 'select') {
    input = h(
      'select',
      common,
      h('option', { value: '' }, t('choose')),
      (f.options ?? []).map((o) => h('option', { value: o }, o)),
    );
    input.value = value ?? '';
  } else {
    const typeAttrs = {
      text: { type: 'text' },
      address: { type: 'text', autocomplete: 'street-address' },
      date: { type: 'date', max: '2100-12-31' },
      number: { type: 'text', inputmode: 'decimal' },
      personalId: { type: 'text', inputmode: 'numeric', maxlength: '12', autocomplete: 'off' },
      phone: { type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
      email: { type: 'email', autocomplete: 'email' },
    }[f.type] ?? { type: 'text' };
    input = h('input', {
      ...common,
      ...typeAttrs,
      ...(f.type === 'text' || f.type === 'address' ? { maxlength: String(maxLengthOf(f)) } : {}),
    });
    input.value = value ?? '';
  }
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const show = (msg) => {
    err.hidden = !msg;
    err.textContent = msg ? msg : '';
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  let touched = false;
  input.addEventListener('input', () => {
    onChange(input.value);
    show(checkField(f, input.value, { whileTyping: !touched }));
  });
  input.addEventListener('change', () => onChange(input.value));
  input.addEventListener('blur', () => {
    touched = true;
    show(checkField(f, input.value));
  });
  const wrap = h(
    'div',
    { class: 'field', 'data-field': f.name },
    h(
      'label',
      { for: id },
      f.label,
      f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    ),
    hintText ? h('p', { id: hintId, class: 'hint' }, hintText) : null,
    input,
    err,
  );
  return {
    el: wrap,
    input,
    /** Shows the error (or clears it); returns true when valid. */
    validate() {
      touched = true;
      const msg = checkField(f, input.value);
      show(msg);
      return !msg;
    },
    showError: show,
  };
}
