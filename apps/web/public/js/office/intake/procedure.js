// Step 2 of the reception counter: the procedure, searched by name or code, the competent unit when the catalogue
// does not name exactly one (a commune procedure: ours by default), the channel and the receiving unit.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDays } from '../../format.js';
import { t } from '../../i18n.js';
import { announce } from '../../main.js';
import { field, unitDirectory } from '../common.js';

/**
 * The procedure card and its controls. Choosing a procedure sets `state.def`, `state.comps`, `state.formData` and
 * `state.unitChoices`, calls `onChosen()`, then focuses the unit to choose or the first box of `compCard`.
 */
export function procedureStep(state, { receptionUnits, compCard, onChosen }) {
  const procQ = h('input', { type: 'search', autocomplete: 'off', maxlength: '200' });
  const procResults = h('ul', { class: 'o-pick', id: 'intake-proc-results', 'aria-live': 'polite' });
  const procChosen = h('div', { id: 'intake-proc-chosen', hidden: true });
  const unitSel = h('select', {});
  const unitWrap = h(
    'div',
    { hidden: true, id: 'intake-unit-wrap' },
    field('intake-competent', t('competentUnitChoose'), unitSel, { required: true }),
  );
  const recvSel =
    receptionUnits.length > 1
      ? h(
          'select',
          {},
          receptionUnits.map((u) => h('option', { value: u }, u)),
        )
      : null;
  const channelSel = h(
    'select',
    {},
    h('option', { value: 'counter' }, t('channel_counter')),
    h('option', { value: 'post' }, t('channel_post')),
  );
  let searchTimer = null;
  let searchSeq = 0;
  async function searchProcedures() {
    const q = procQ.value.trim();
    const my = ++searchSeq;
    if (q.length < 2) {
      replace(procResults);
      return;
    }
    try {
      const r = await api(`/api/procedures?q=${encodeURIComponent(q)}&limit=8`);
      if (my !== searchSeq) return;
      replace(
        procResults,
        r.items.length === 0
          ? h('li', { class: 'meta' }, t('noResults'))
          : r.items.map((p) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'o-pick-btn',
                    'data-code': p.code,
                    'on:click': () => choose(p.code),
                  },
                  h('strong', {}, p.name),
                  h('span', { class: 'meta' }, ` · ${p.code} · ${t(`level_${p.level}`)} · ${p.field}`),
                ),
              ),
            ),
      );
    } catch (err) {
      replace(procResults, h('li', { class: 'field-error' }, err.message));
    }
  }
  procQ.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchProcedures, 200);
  });
  procQ.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(searchTimer);
      searchProcedures().then(() => procResults.querySelector('button')?.focus());
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      procResults.querySelector('button')?.focus();
    }
  });
  procResults.addEventListener('keydown', (e) => {
    const btns = [...procResults.querySelectorAll('button')];
    const i = btns.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i >= 0) {
      e.preventDefault();
      btns[Math.min(i + 1, btns.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && i >= 0) {
      e.preventDefault();
      (i === 0 ? procQ : btns[i - 1]).focus();
    }
  });

  async function choose(code) {
    let r;
    try {
      r = await api(`/api/procedures/${encodeURIComponent(code)}`);
    } catch (err) {
      replace(procResults, h('li', { class: 'field-error' }, err.message));
      return;
    }
    const d = r.definition;
    state.def = d;
    state.comps = new Map(d.components.map((c) => [c.code, { provided: false, files: [], reuse: '' }]));
    state.formData = {};
    const channelDays = d.processingDays.counter ?? d.processingDays.post ?? d.processingDays.online;
    replace(
      procChosen,
      h(
        'p',
        { class: 'o-chosen' },
        h('strong', { id: 'intake-proc-name' }, d.name),
        h('br'),
        h(
          'span',
          { class: 'meta' },
          `${t('procedureCode')} ${d.code} · ${t(`level_${d.level}`)} · ${t('processingTime')}: ${fmtDays(channelDays ?? 0)}`,
        ),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'intake-proc-change',
            'on:click': () => {
              procChosen.hidden = true;
              procSearchWrap.hidden = false;
              procQ.focus();
            },
          },
          t('oChangeProcedure'),
        ),
      ),
    );
    procChosen.hidden = false;
    procSearchWrap.hidden = true;
    replace(procResults);
    // Competent unit: a choice only when the catalogue does not name exactly one (communes: default to ours).
    state.unitChoices = [];
    if (d.competentUnits.length !== 1) {
      const all = await unitDirectory();
      const today = new Date().toISOString().slice(0, 10);
      const active = (u) => u.validFrom <= today && (!u.validTo || u.validTo >= today);
      state.unitChoices =
        d.competentUnits.length > 1
          ? all.filter((u) => d.competentUnits.includes(u.code) && active(u))
          : all.filter((u) => u.level === (d.level === 'commune' ? 'commune' : 'department') && active(u));
    }
    replace(
      unitSel,
      h('option', { value: '' }, t('choose')),
      state.unitChoices.map((u) => h('option', { value: u.code }, `${u.name} (${u.code})`)),
    );
    const mine = state.unitChoices.find((u) => receptionUnits.includes(u.code));
    unitSel.value = mine ? mine.code : state.unitChoices.length === 1 ? state.unitChoices[0].code : '';
    unitSel.closest('.field').querySelector('label').firstChild.textContent =
      d.level === 'commune' ? t('competentCommuneChoose') : t('competentUnitChoose');
    unitWrap.hidden = state.unitChoices.length === 0;
    onChosen();
    announce(t('oProcedureChosen', { name: d.name }));
    (unitWrap.hidden ? compCard.querySelector('input') : unitSel)?.focus();
  }

  const procSearchWrap = h(
    'div',
    {},
    field('intake-proc-q', t('oProcedureSearch'), procQ, { hint: t('oProcedureSearchHint') }),
    procResults,
  );
  const procCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-proc' },
    h('h2', { id: 'intake-h-proc' }, t('oStepProcedure')),
    procSearchWrap,
    procChosen,
    unitWrap,
    h(
      'div',
      { class: 'o-grid2' },
      field('intake-channel', t('channel'), channelSel),
      recvSel ? field('intake-receiving', t('receivingUnit'), recvSel) : null,
    ),
  );
  return { card: procCard, procQ, unitSel, channelSel, recvSel };
}
