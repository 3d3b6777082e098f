// Units: the organisation tree (level, both QCVN 102 code forms, validity, successor, working hours), create a unit,
// merge units with succession, per-unit working hours.
import { h, newId, replace } from '../dom.js';
import { fmtIsoDay } from '../format.js';
import { t } from '../i18n.js';
import {
  api,
  clearFieldErrors,
  confirmDialog,
  dateInput,
  dmyToIso,
  field,
  fmtSessions,
  isActiveUnit,
  issueList,
  issuesOf,
  LEVELS,
  loadUnits,
  placeIssues,
  sessionsEditor,
  showBusy,
  showError,
  showOk,
  statusRegion,
  today,
  unitLevelLabel,
  unitOptions,
} from './common.js';

/** Depth-first order of the tree, children by code; units whose parent is unknown come last at depth 0. */
function treeOrder(units) {
  const kids = new Map();
  for (const u of units) {
    const k = u.parent ?? '';
    if (!kids.has(k)) kids.set(k, []);
    kids.get(k).push(u);
  }
  for (const xs of kids.values()) xs.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  const out = [];
  const seen = new Set();
  const walk = (code, depth) => {
    for (const u of kids.get(code) ?? []) {
      if (seen.has(u.code)) continue;
      seen.add(u.code);
      out.push({ u, depth });
      walk(u.code, depth + 1);
    }
  };
  walk('', 0);
  for (const u of units) if (!seen.has(u.code)) out.push({ u, depth: 0 });
  return out;
}

export async function render({ root }) {
  const treeBox = h('div', { id: 'unit-tree' });
  const treeStatus = statusRegion('unit-status');
  let units = await loadUnits(true);
  const selected = new Set();

  const drawTree = () => {
    const nameOf = new Map(units.map((u) => [u.code, u.name]));
    replace(
      treeBox,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'grid admin-table', id: 'unit-table' },
          h('caption', { class: 'sr-only' }, t('adminUnitTree')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('adminMergeSelect'))),
              [
                t('adminUnitName'),
                t('adminLevel'),
                t('adminCodes'),
                t('adminValidity'),
                t('adminSuccessor'),
                t('adminWorkingHours'),
                t('adminActions'),
              ].map((x) => h('th', { scope: 'col' }, x)),
            ),
          ),
          h(
            'tbody',
            {},
            treeOrder(units).map(({ u, depth }) => {
              const active = isActiveUnit(u);
              const box = h('input', {
                type: 'checkbox',
                id: `unit-sel-${u.code}`,
                checked: selected.has(u.code),
                disabled: !active || !u.parent,
                'aria-label': t('adminMergeSelectUnit', { name: u.name }),
                'on:change': (e) => {
                  if (e.currentTarget.checked) selected.add(u.code);
                  else selected.delete(u.code);
                  drawSources();
                },
              });
              return h(
                'tr',
                { 'data-code': u.code, class: active ? null : 'admin-inactive' },
                h('td', {}, h('span', { class: 'check' }, box)),
                h(
                  'th',
                  { scope: 'row', class: 'admin-tree-name', style: `padding-left: ${8 + depth * 22}px` },
                  depth ? h('span', { 'aria-hidden': 'true', class: 'admin-tree-mark' }, '└ ') : null,
                  u.name,
                ),
                h('td', {}, unitLevelLabel(u.level)),
                h(
                  'td',
                  { class: 'nowrap' },
                  h('code', {}, u.code),
                  h('br'),
                  h('code', { class: 'meta' }, u.classicCode ?? '—'),
                ),
                h(
                  'td',
                  { class: 'nowrap' },
                  `${fmtIsoDay(u.validFrom)} – ${u.validTo ? fmtIsoDay(u.validTo) : t('adminNow')}`,
                  active ? null : h('div', { class: 'meta' }, t('adminClosed')),
                ),
                h('td', {}, u.successor ? `${nameOf.get(u.successor) ?? ''} (${u.successor})` : '—'),
                h(
                  'td',
                  {},
                  u.workingHours
                    ? fmtSessions(u.workingHours)
                    : h('span', { class: 'meta' }, t('adminProvinceHours')),
                ),
                h(
                  'td',
                  {},
                  active
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn small secondary',
                          id: `unit-hours-${u.code}`,
                          'on:click': (e) => hoursDialog(u, e.currentTarget),
                        },
                        t('adminEditHours'),
                        h('span', { class: 'sr-only' }, ` ${u.name}`),
                      )
                    : null,
                ),
              );
            }),
          ),
        ),
      ),
    );
  };

  const refresh = async () => {
    units = await loadUnits(true);
    for (const c of [...selected])
      if (!units.some((u) => u.code === c && isActiveUnit(u))) selected.delete(c);
    drawTree();
    drawSources();
    replace(cParent, unitOptions(units, cParent.value));
    replace(mSucc, unitOptions(units, mSucc.value, { empty: t('adminChoose') }));
  };

  // --- working hours of one unit
  const hoursDialog = (u, opener) => {
    const titleId = newId('dlg');
    const own = h('input', { type: 'checkbox', id: 'unit-dlg-own', checked: Boolean(u.workingHours) });
    const editor = sessionsEditor(
      'unit-dlg',
      u.workingHours?.sessions ?? [
        ['07:30', '11:30'],
        ['13:00', '17:00'],
      ],
    );
    const box = h(
      'fieldset',
      { 'data-path': 'workingHours', hidden: !u.workingHours },
      h('legend', {}, t('adminSessions')),
      editor.el,
    );
    own.addEventListener('change', () => {
      box.hidden = !own.checked;
    });
    const status = statusRegion('unit-dlg-status');
    const form = h(
      'form',
      { id: 'unit-dlg-form', novalidate: true },
      h('div', { class: 'check' }, own, h('label', { for: 'unit-dlg-own' }, t('adminOwnHours'))),
      box,
      h(
        'div',
        { class: 'row-buttons' },
        h('button', { type: 'submit', class: 'btn', id: 'unit-dlg-save' }, t('adminSave')),
        h(
          'button',
          { type: 'button', class: 'btn secondary', id: 'unit-dlg-close', 'on:click': () => dlg.close() },
          t('adminClose'),
        ),
      ),
      status,
    );
    const dlg = h(
      'dialog',
      { class: 'admin-dialog', id: 'unit-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, t('adminHoursOf', { name: u.name })),
      form,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      showBusy(status);
      try {
        await api(`/api/units/${encodeURIComponent(u.code)}/working-hours`, {
          method: 'PUT',
          body: { workingHours: own.checked ? editor.read() : null },
        });
        showOk(status, t('adminHoursSaved', { name: u.name }));
        showOk(treeStatus, t('adminHoursSaved', { name: u.name }));
        await refresh();
      } catch (err) {
        showError(status, err, issueList(placeIssues(form, issuesOf(err))));
      }
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      (document.getElementById(opener.id) ?? opener).focus();
    });
    document.body.append(dlg);
    dlg.showModal();
    own.focus();
  };

  // --- create
  const cCode = h('input', {
    type: 'text',
    id: 'unit-new-code',
    'data-path': 'code',
    maxlength: '40',
    autocomplete: 'off',
  });
  const cName = h('input', { type: 'text', id: 'unit-new-name', 'data-path': 'name', maxlength: '300' });
  const cShort = h('input', {
    type: 'text',
    id: 'unit-new-short',
    'data-path': 'shortName',
    maxlength: '100',
  });
  const cLevel = h(
    'select',
    { id: 'unit-new-level', 'data-path': 'level' },
    LEVELS.map((l) => h('option', { value: l, selected: l === 'department' }, unitLevelLabel(l))),
  );
  const cParent = h(
    'select',
    { id: 'unit-new-parent', 'data-path': 'parentCode' },
    unitOptions(units, units.find((u) => !u.parent)?.code),
  );
  const cFrom = dateInput({ id: 'unit-new-from', 'data-path': 'validFrom' }, today());
  const cStatus = statusRegion('unit-new-status');
  const cForm = h(
    'form',
    {
      id: 'unit-new-form',
      novalidate: true,
      'on:submit': async (e) => {
        e.preventDefault();
        clearFieldErrors(cForm);
        const validFrom = dmyToIso(cFrom.value);
        if (!validFrom) {
          placeIssues(cForm, [{ path: 'validFrom', message: t('adminBadDate') }]);
          showError(cStatus, new Error(t('adminFixErrors')));
          return;
        }
        const body = {
          code: cCode.value.trim(),
          name: cName.value.trim(),
          level: cLevel.value,
          parentCode: cParent.value || undefined,
          validFrom,
        };
        if (cShort.value.trim()) body.shortName = cShort.value.trim();
        showBusy(cStatus);
        try {
          const u = await api('/api/units', { method: 'POST', body });
          showOk(
            cStatus,
            t('adminUnitCreated', { name: u.name, code: u.code, classic: u.classicCode ?? '' }),
          );
          cCode.value = '';
          cName.value = '';
          cShort.value = '';
          await refresh();
        } catch (err) {
          const issues = issuesOf(err);
          // Domain errors without issue paths still belong to one field.
          if (!issues.length && ['AGENCY_CODE_INVALID', 'ALREADY_EXISTS'].includes(err.code))
            issues.push({ path: 'code', message: err.message });
          if (!issues.length && err.code === 'NOT_FOUND')
            issues.push({ path: 'parentCode', message: err.message });
          showError(cStatus, err, issueList(placeIssues(cForm, issues)));
        }
      },
    },
    h(
      'div',
      { class: 'admin-grid3' },
      field(t('adminUnitCode'), cCode, t('adminUnitCodeHint')),
      h('div', { class: 'admin-span2' }, field(t('adminUnitName'), cName)),
      field(t('adminShortName'), cShort),
      field(t('adminLevel'), cLevel),
      field(t('adminParent'), cParent),
      field(t('adminValidFrom'), cFrom, 'dd/mm/yyyy'),
    ),
    h('button', { type: 'submit', class: 'btn', id: 'unit-new-submit' }, t('adminCreateUnit')),
    cStatus,
  );

  // --- merge
  const sourcesBox = h('div', { id: 'unit-merge-sources', 'data-path': 'sources', tabindex: '-1' });
  const drawSources = () => {
    const nameOf = new Map(units.map((u) => [u.code, u.name]));
    replace(
      sourcesBox,
      selected.size
        ? h(
            'ul',
            { class: 'plain' },
            [...selected].map((c) => h('li', {}, `${nameOf.get(c)} (${c})`)),
          )
        : h('p', { class: 'meta' }, t('adminMergeNoSources')),
    );
  };
  const mSucc = h(
    'select',
    { id: 'unit-merge-successor', 'data-path': 'successor' },
    unitOptions(units, '', { empty: t('adminChoose') }),
  );
  const mDate = dateInput({ id: 'unit-merge-date', 'data-path': 'effectiveDate' }, today());
  const mStatus = statusRegion('unit-merge-status');
  const mForm = h(
    'form',
    {
      id: 'unit-merge-form',
      novalidate: true,
      'on:submit': async (e) => {
        e.preventDefault();
        clearFieldErrors(mForm);
        const effectiveDate = dmyToIso(mDate.value);
        const problems = [];
        if (!selected.size) problems.push({ path: 'sources', message: t('adminMergeNoSources') });
        if (!mSucc.value) problems.push({ path: 'successor', message: t('adminMergeNoSuccessor') });
        if (selected.has(mSucc.value)) problems.push({ path: 'successor', message: t('adminMergeSelf') });
        if (!effectiveDate) problems.push({ path: 'effectiveDate', message: t('adminBadDate') });
        if (problems.length) {
          placeIssues(mForm, problems);
          showError(mStatus, new Error(t('adminFixErrors')));
          return;
        }
        const nameOf = new Map(units.map((u) => [u.code, u.name]));
        const ok = await confirmDialog({
          id: 'unit-merge-confirm',
          title: t('adminMergeConfirmTitle'),
          body: [
            h(
              'p',
              {},
              t('adminMergeConfirm1', {
                successor: `${nameOf.get(mSucc.value)} (${mSucc.value})`,
                date: mDate.value,
              }),
            ),
            h(
              'ul',
              {},
              [...selected].map((c) => h('li', {}, `${nameOf.get(c)} (${c})`)),
            ),
            h('p', {}, h('strong', {}, t('adminMergeConfirm2'))),
            h('p', {}, t('adminMergeConfirm3')),
          ],
          confirmLabel: t('adminMergeDo'),
          danger: true,
        });
        if (!ok) {
          document.getElementById('unit-merge-submit')?.focus();
          return;
        }
        showBusy(mStatus);
        try {
          const res = await api('/api/units/merge', {
            method: 'POST',
            body: { sources: [...selected], successor: mSucc.value, effectiveDate },
          });
          showOk(mStatus, t('adminMerged', { n: res.movedDossiers, successor: mSucc.value }));
          selected.clear();
          await refresh();
        } catch (err) {
          const issues = issuesOf(err);
          if (!issues.length && err.code === 'VALIDATION_FAILED')
            issues.push({ path: 'effectiveDate', message: t('adminMergeDateHint') });
          if (!issues.length && err.code === 'UNIT_INACTIVE')
            issues.push({ path: 'successor', message: err.message });
          showError(mStatus, err, issueList(placeIssues(mForm, issues)));
        }
        document.getElementById('unit-merge-submit')?.focus();
      },
    },
    h('p', { class: 'meta' }, t('adminMergeLead')),
    h('fieldset', {}, h('legend', {}, t('adminMergeSources')), sourcesBox),
    h(
      'div',
      { class: 'admin-grid3' },
      h('div', { class: 'admin-span2' }, field(t('adminSuccessor'), mSucc)),
      field(t('adminMergeDate'), mDate, 'dd/mm/yyyy'),
    ),
    h('button', { type: 'submit', class: 'btn danger', id: 'unit-merge-submit' }, t('adminMergeDo')),
    mStatus,
  );

  drawTree();
  drawSources();
  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'unit-tree-h' },
      h('h2', { id: 'unit-tree-h' }, t('adminUnitTree')),
      h('p', { class: 'meta' }, t('adminUnitTreeLead')),
      treeStatus,
      treeBox,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'unit-merge-h' },
      h('h2', { id: 'unit-merge-h' }, t('adminMergeTitle')),
      mForm,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'unit-new-h' },
      h('h2', { id: 'unit-new-h' }, t('adminCreateUnit')),
      cForm,
    ),
  );
}
