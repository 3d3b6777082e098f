// Step 3 of the wizard: how the result is received (online, at the counter, by post to an address) and, when the
// catalogue does not name exactly one competent unit, which unit (the commune or ward) decides.
import { api } from '../../api.js';
import { $, h, replace } from '../../dom.js';
import { t } from '../../i18n.js';

/** The units procedure `d` may be submitted to when the catalogue does not name exactly one (active today). */
export async function unitChoicesFor(d) {
  const all = await api('/api/units')
    .then((r) => r.items)
    .catch(() => []);
  const today = new Date().toISOString().slice(0, 10);
  const activeUnit = (u) => u.validFrom <= today && (!u.validTo || u.validTo >= today);
  return d.competentUnits.length > 1
    ? all.filter((u) => d.competentUnits.includes(u.code) && activeUnit(u))
    : all.filter((u) => u.level === (d.level === 'commune' ? 'commune' : 'department') && activeUnit(u));
}

/**
 * The delivery step of wizard `w`: render() draws it into `w.body`, validate() marks what is missing and says
 * whether all is there.
 */
export function deliveryStep(w) {
  const { d, unitChoices } = w;
  const { changed } = w.saver;
  function render() {
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
        w.state.delivery.address = e.target.value;
        changed();
        if (e.target.value.trim()) {
          addrErr.hidden = true;
          e.target.removeAttribute('aria-invalid');
        }
      },
    });
    addr.value = w.state.delivery.address ?? '';
    const addrBox = h(
      'div',
      { class: 'field', hidden: w.state.delivery.method !== 'post' },
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
          checked: w.state.delivery.method === m,
          'on:change': () => {
            w.state.delivery.method = m;
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
            w.state.competentUnit = e.target.value;
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
      sel.value = w.state.competentUnit ?? '';
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
    replace(w.body, title, unitBox, h('fieldset', {}, h('legend', {}, t('deliveryMethod')), radios, addrBox));
  }
  function validate() {
    let ok = true;
    const first = [];
    if (unitChoices.length > 0 && !w.state.competentUnit) {
      const e = $('#competent-unit-err');
      if (e) {
        e.hidden = false;
        e.textContent = t('errChooseUnit');
        $('#competent-unit').setAttribute('aria-invalid', 'true');
        first.push($('#competent-unit'));
      }
      ok = false;
    }
    if (w.state.delivery.method === 'post' && !(w.state.delivery.address ?? '').trim()) {
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
  return { render, validate };
}
