// Catalogue administration: search the procedures, import/export (all or nothing), and edit one procedure as a new
// version (structured form for the common fields, JSON for the rest, server issues shown next to the fields), with
// the form templates of its components.
import { h, newId, replace } from '../dom.js';
import { fmtDate, fmtSize } from '../format.js';
import { t } from '../i18n.js';
import { onlineBadge } from '../labels.js';
import { announce } from '../main.js';
import {
  api,
  clearFieldErrors,
  dateInput,
  dmyToIso,
  field,
  issueList,
  issuesOf,
  placeIssues,
  send,
  showBusy,
  showError,
  showOk,
  statusRegion,
} from './common.js';

const BASE = '/can-bo/quan-tri/thu-tuc';
const CHANNELS = ['counter', 'online', 'post'];
const ONLINE = ['TOAN_TRINH', 'MOT_PHAN', 'KHONG'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Fields edited by the structured form; everything else is in the JSON editor. */
const STRUCTURED = [
  'code',
  'name',
  'field',
  'level',
  'onlineLevel',
  'channels',
  'processingDays',
  'processingNote',
  'fees',
  'components',
  'legalBases',
  'effectiveFrom',
  'effectiveTo',
];

export async function render({ ctx, root, params }) {
  if (params[0]) return editor(ctx, root, params[0]);
  return list(ctx, root);
}

// ---------------------------------------------------------------------------------------------------------- list

async function list(ctx, root) {
  const q0 = ctx.query.get('q') ?? '';
  const pageSize = 50;
  let offset = 0;
  const q = h('input', {
    type: 'search',
    id: 'cat-q',
    name: 'q',
    value: q0,
    autocomplete: 'off',
    maxlength: '200',
  });
  const results = h('div', { id: 'cat-results', 'aria-live': 'polite' });
  const load = async () => {
    const qs = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
    if (q.value.trim()) qs.set('q', q.value.trim());
    try {
      const { items, total } = await api(`/api/procedures?${qs}`);
      replace(
        results,
        h('p', { class: 'meta', id: 'cat-count' }, t('resultCount', { n: total })),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'grid admin-table', id: 'cat-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('procedureCode'), t('adminProcName'), t('field'), t('onlineLevel'), t('adminVersion')].map(
                  (x) => h('th', { scope: 'col' }, x),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              items.map((p) =>
                h(
                  'tr',
                  { 'data-code': p.code },
                  h(
                    'td',
                    { class: 'nowrap' },
                    h(
                      'a',
                      { href: `${BASE}/${encodeURIComponent(p.code)}`, id: `cat-edit-${p.code}` },
                      p.code,
                    ),
                  ),
                  h('td', {}, p.name),
                  h('td', {}, p.field),
                  h('td', {}, onlineBadge(p.onlineLevel)),
                  h('td', { class: 'num' }, String(p.version)),
                ),
              ),
            ),
          ),
        ),
        total > pageSize
          ? h(
              'div',
              { class: 'row-buttons' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn small secondary',
                  id: 'cat-prev',
                  disabled: offset === 0,
                  'on:click': () => {
                    offset = Math.max(0, offset - pageSize);
                    load();
                  },
                },
                t('adminPrev'),
              ),
              h(
                'span',
                { class: 'meta' },
                t('adminRange', { from: offset + 1, to: Math.min(total, offset + pageSize), total }),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn small secondary',
                  id: 'cat-next',
                  disabled: offset + pageSize >= total,
                  'on:click': () => {
                    offset += pageSize;
                    load();
                  },
                },
                t('adminNext'),
              ),
            )
          : null,
      );
    } catch (err) {
      showError(results, err);
    }
  };

  // Import / export
  const fileInput = h('input', {
    type: 'file',
    id: 'cat-import-file',
    accept: `.xlsx,.json,application/json,${XLSX}`,
  });
  const importStatus = statusRegion('cat-import-status');
  const importBtn = h('button', { type: 'submit', class: 'btn', id: 'cat-import-submit' }, t('adminImport'));
  const doImport = async (e) => {
    e.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) {
      showError(importStatus, new Error(t('adminChooseFile')));
      fileInput.focus();
      return;
    }
    importBtn.disabled = true;
    showBusy(importStatus, t('adminImporting'));
    try {
      const isJson = /\.json$/i.test(file.name) || file.type === 'application/json';
      const res = await send('/api/catalogue/import', {
        method: 'POST',
        body: isJson ? await file.text() : await file.arrayBuffer(),
        contentType: isJson ? 'application/json' : XLSX,
      });
      showOk(
        importStatus,
        t('adminImportOk', { total: res.total, created: res.created, unchanged: res.unchanged }),
      );
      announce(t('adminImportOk', { total: res.total, created: res.created, unchanged: res.unchanged }));
      load();
    } catch (err) {
      const problems = err?.details?.problems;
      showError(importStatus, err, [
        h('p', {}, h('strong', {}, t('adminImportNothingSaved'))),
        Array.isArray(problems) && problems.length
          ? h(
              'ul',
              { class: 'admin-issues', id: 'cat-import-problems' },
              problems.map((p) =>
                h(
                  'li',
                  {},
                  h('strong', {}, t('adminImportRow', { n: p.index + 1, code: p.code ?? '?' })),
                  h(
                    'ul',
                    {},
                    (p.issues ?? []).map((x) => h('li', {}, x)),
                  ),
                ),
              ),
            )
          : null,
      ]);
    } finally {
      importBtn.disabled = false;
    }
  };

  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'cat-search-h' },
      h('h2', { id: 'cat-search-h' }, t('adminCatalogueList')),
      h(
        'form',
        {
          role: 'search',
          id: 'cat-search',
          class: 'admin-inline-form',
          'on:submit': (e) => {
            e.preventDefault();
            offset = 0;
            const u = new URL(location.href);
            if (q.value.trim()) u.searchParams.set('q', q.value.trim());
            else u.searchParams.delete('q');
            history.replaceState(null, '', u.pathname + u.search);
            load();
          },
        },
        h('label', { for: 'cat-q' }, t('searchLabel')),
        h(
          'div',
          { class: 'row' },
          q,
          h('button', { type: 'submit', class: 'btn', id: 'cat-search-submit' }, t('search')),
        ),
      ),
      results,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'cat-io-h' },
      h('h2', { id: 'cat-io-h' }, t('adminImportExport')),
      h(
        'p',
        { class: 'row-buttons' },
        h(
          'a',
          {
            class: 'btn secondary',
            href: '/api/catalogue/export?format=xlsx',
            download: '',
            id: 'cat-export-xlsx',
          },
          t('adminExportXlsx'),
        ),
        h(
          'a',
          {
            class: 'btn secondary',
            href: '/api/catalogue/export?format=json',
            download: 'danh-muc-thu-tuc.json',
            id: 'cat-export-json',
          },
          t('adminExportJson'),
        ),
      ),
      h(
        'form',
        { id: 'cat-import', 'on:submit': doImport },
        field(t('adminImportFile'), fileInput, t('adminImportHint')),
        importBtn,
        importStatus,
      ),
    ),
  );
  await load();
}

// -------------------------------------------------------------------------------------------------------- editor

async function editor(ctx, root, code) {
  const versionParam = ctx.query.get('version');
  const url = `/api/procedures/${encodeURIComponent(code)}${versionParam ? `?version=${encodeURIComponent(versionParam)}` : ''}`;
  let data;
  try {
    data = await api(url);
  } catch (err) {
    replace(
      root,
      h('p', {}, h('a', { href: BASE }, `← ${t('adminCatalogueList')}`)),
      statusRegion('proc-load-status'),
    );
    showError(root.querySelector('#proc-load-status'), err);
    return;
  }
  const def = data.definition;
  const latest = Math.max(...data.versions.map((v) => v.version));
  const isLatest = data.version === latest;
  ctx.setTitle(`${def.code} — ${t('adminCatalogue')}`);

  const versionsBox = h('div', { id: 'proc-versions' });
  const drawVersions = (versions, shown) =>
    replace(
      versionsBox,
      h(
        'table',
        { class: 'grid admin-table', id: 'proc-versions-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('adminVersion'), t('adminEffectiveFrom'), t('adminEffectiveTo')].map((x) =>
              h('th', { scope: 'col' }, x),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          [...versions].reverse().map((v) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                v.version === shown
                  ? h('strong', { 'aria-current': 'true' }, t('adminVersionShown', { n: v.version }))
                  : h(
                      'a',
                      {
                        href: `${BASE}/${encodeURIComponent(def.code)}?version=${v.version}`,
                        id: `proc-v-${v.version}`,
                      },
                      `${t('adminVersion')} ${v.version}`,
                    ),
              ),
              h('td', {}, fmtDate(v.effectiveFrom)),
              h('td', {}, v.effectiveTo ? fmtDate(v.effectiveTo) : '—'),
            ),
          ),
        ),
      ),
    );
  drawVersions(data.versions, data.version);

  // --- structured fields
  const text = (id, path, value, attrs = {}) =>
    h('input', { type: 'text', id, 'data-path': path, value: value ?? '', ...attrs });
  const name = h('textarea', { id: 'proc-name', 'data-path': 'name', rows: '2', maxlength: '1000' });
  name.value = def.name;
  const fieldIn = text('proc-field', 'field', def.field, { maxlength: '300' });
  const level = h(
    'select',
    { id: 'proc-level', 'data-path': 'level' },
    ['province', 'commune'].map((l) => h('option', { value: l, selected: def.level === l }, t(`level_${l}`))),
  );
  const online = h(
    'select',
    { id: 'proc-online', 'data-path': 'onlineLevel' },
    ONLINE.map((l) => h('option', { value: l, selected: def.onlineLevel === l }, t(`online_${l}`))),
  );
  const chBoxes = {};
  const dayInputs = {};
  const channelRows = CHANNELS.map((c) => {
    chBoxes[c] = h('input', { type: 'checkbox', id: `proc-ch-${c}`, checked: def.channels.includes(c) });
    dayInputs[c] = h('input', {
      type: 'number',
      id: `proc-days-${c}`,
      'data-path': `processingDays.${c}`,
      min: '0',
      step: '0.5',
      value: def.processingDays[c] ?? '',
      'aria-label': `${t(`channel_${c}`)} — ${t('adminDaysCol')}`,
    });
    return h(
      'tr',
      {},
      h(
        'td',
        {},
        h('div', { class: 'check' }, chBoxes[c], h('label', { for: `proc-ch-${c}` }, t(`channel_${c}`))),
      ),
      h('td', { class: 'admin-cell' }, dayInputs[c]),
    );
  });
  const note = h('textarea', {
    id: 'proc-note',
    'data-path': 'processingNote',
    rows: '2',
    maxlength: '2000',
  });
  note.value = def.processingNote ?? '';
  const legal = h('textarea', { id: 'proc-legal', 'data-path': 'legalBases', rows: '4' });
  legal.value = (def.legalBases ?? []).join('\n');
  const from = dateInput({ id: 'proc-from', 'data-path': 'effectiveFrom' }, def.effectiveFrom);
  const to = dateInput({ id: 'proc-to', 'data-path': 'effectiveTo' }, def.effectiveTo);

  // --- fees
  const fees = rowsEditor({
    id: 'proc-fees',
    path: 'fees',
    items: def.fees ?? [],
    addLabel: t('adminAddFee'),
    blank: { name: '', amountVnd: null, payableOnline: false, channels: ['counter'], kind: 'fee' },
    columns: [
      t('adminFeeName'),
      t('adminFeeAmount'),
      t('adminFeeKind'),
      t('adminFeeChannels'),
      t('adminPayOnline'),
    ],
    row: (f, rid) => {
      const nameIn = h('input', {
        type: 'text',
        id: `${rid}-name`,
        value: f.name,
        'aria-label': t('adminFeeName'),
        class: 'admin-fee-name',
      });
      const amount = h('input', {
        type: 'number',
        id: `${rid}-amount`,
        min: '0',
        step: '1000',
        value: f.amountVnd ?? '',
        'aria-label': t('adminFeeAmount'),
        placeholder: t('feeByRegulation'),
      });
      const kind = h(
        'select',
        { id: `${rid}-kind`, 'aria-label': t('adminFeeKind') },
        ['fee', 'charge'].map((k) =>
          h('option', { value: k, selected: (f.kind ?? 'fee') === k }, t(`feeKind_${k}`)),
        ),
      );
      const chs = CHANNELS.map((c) =>
        h('input', { type: 'checkbox', id: `${rid}-ch-${c}`, checked: (f.channels ?? []).includes(c) }),
      );
      const chWrap = h(
        'div',
        { class: 'admin-checks', role: 'group', 'aria-label': t('adminFeeChannels') },
        CHANNELS.map((c, i) =>
          h('span', { class: 'check' }, chs[i], h('label', { for: `${rid}-ch-${c}` }, t(`adminCh_${c}`))),
        ),
      );
      const pay = h('input', {
        type: 'checkbox',
        id: `${rid}-pay`,
        checked: f.payableOnline,
        'aria-label': t('adminPayOnline'),
      });
      return {
        cells: [nameIn, amount, kind, chWrap, h('span', { class: 'check' }, pay)],
        paths: { name: nameIn, amountVnd: amount, kind, channels: chWrap, payableOnline: pay },
        read: () => ({
          name: nameIn.value.trim(),
          amountVnd: amount.value === '' ? null : Number(amount.value),
          kind: kind.value,
          channels: CHANNELS.filter((_, i) => chs[i].checked),
          payableOnline: pay.checked,
        }),
      };
    },
  });

  // --- components (+ form templates for the saved version)
  const templates = new Map((data.templates ?? []).map((x) => [x.component, x]));
  const savedComponents = new Set(isLatest ? def.components.map((c) => c.code) : []);
  const comps = rowsEditor({
    id: 'proc-comps',
    path: 'components',
    items: def.components ?? [],
    addLabel: t('adminAddComponent'),
    blank: {
      code: '',
      name: '',
      required: true,
      originals: 0,
      copies: 1,
      formTemplate: null,
      reusable: false,
    },
    columns: [
      t('adminCompCode'),
      t('adminCompName'),
      t('adminCompRequired'),
      t('adminCompOriginals'),
      t('adminCompCopies'),
      t('adminCompReusable'),
      t('adminTemplate'),
    ],
    row: (c, rid) => {
      const codeIn = h('input', {
        type: 'text',
        id: `${rid}-code`,
        value: c.code,
        maxlength: '40',
        'aria-label': t('adminCompCode'),
        class: 'admin-short',
      });
      const nameIn = h('textarea', { id: `${rid}-name`, rows: '2', 'aria-label': t('adminCompName') });
      nameIn.value = c.name;
      const req = h('input', {
        type: 'checkbox',
        id: `${rid}-req`,
        checked: c.required,
        'aria-label': t('adminCompRequired'),
      });
      const orig = h('input', {
        type: 'number',
        id: `${rid}-orig`,
        min: '0',
        max: '20',
        value: c.originals ?? 0,
        'aria-label': t('adminCompOriginals'),
        class: 'admin-tiny',
      });
      const copies = h('input', {
        type: 'number',
        id: `${rid}-copies`,
        min: '0',
        max: '20',
        value: c.copies ?? 1,
        'aria-label': t('adminCompCopies'),
        class: 'admin-tiny',
      });
      const reuse = h('input', {
        type: 'checkbox',
        id: `${rid}-reuse`,
        checked: c.reusable,
        'aria-label': t('adminCompReusable'),
      });
      return {
        cells: [
          codeIn,
          nameIn,
          h('span', { class: 'check' }, req),
          orig,
          copies,
          h('span', { class: 'check' }, reuse),
          savedComponents.has(c.code)
            ? templateCell(def.code, c.code, templates.get(c.code))
            : h('span', { class: 'meta' }, t('adminTemplateAfterSave')),
        ],
        paths: { code: codeIn, name: nameIn, required: req, originals: orig, copies, reusable: reuse },
        read: () => ({
          code: codeIn.value.trim(),
          name: nameIn.value.trim(),
          required: req.checked,
          originals: orig.value === '' ? 0 : Number(orig.value),
          copies: copies.value === '' ? 0 : Number(copies.value),
          formTemplate: c.formTemplate ?? null,
          reusable: reuse.checked,
        }),
      };
    },
  });

  // --- the rest as JSON
  const rest = Object.fromEntries(Object.entries(def).filter(([k]) => !STRUCTURED.includes(k)));
  const json = h('textarea', {
    id: 'proc-json',
    'data-path': '',
    rows: '16',
    spellcheck: 'false',
    class: 'admin-code',
  });
  json.value = JSON.stringify(rest, null, 2);
  const jsonBox = h(
    'details',
    { class: 'admin-json', id: 'proc-json-box' },
    h('summary', {}, t('adminJsonEditor')),
    h('p', { class: 'meta', id: 'proc-json-hint' }, t('adminJsonHint')),
    h(
      'div',
      { class: 'field', 'data-json-field': '' },
      h('label', { for: 'proc-json' }, t('adminJsonLabel')),
      json,
    ),
  );
  json.setAttribute('aria-describedby', 'proc-json-hint');

  const status = statusRegion('proc-status');
  const saveBtn = h('button', { type: 'submit', class: 'btn', id: 'proc-save' }, t('adminSaveVersion'));
  const form = h('form', { id: 'proc-form', novalidate: true, 'data-primary': '' });

  const collect = () => {
    const problems = [];
    let restObj = {};
    try {
      restObj = JSON.parse(json.value || '{}');
      if (!restObj || typeof restObj !== 'object' || Array.isArray(restObj)) throw new Error('object');
    } catch (e) {
      problems.push({ path: 'json', message: t('adminJsonInvalid', { error: e.message }) });
    }
    const channels = CHANNELS.filter((c) => chBoxes[c].checked);
    const processingDays = {};
    for (const c of CHANNELS) {
      const v = dayInputs[c].value;
      if (channels.includes(c) && v !== '') processingDays[c] = Number(v);
    }
    const effectiveFrom = dmyToIso(from.value);
    if (!effectiveFrom) problems.push({ path: 'effectiveFrom', message: t('adminBadDate') });
    const effectiveTo = to.value.trim() ? dmyToIso(to.value) : null;
    if (to.value.trim() && !effectiveTo) problems.push({ path: 'effectiveTo', message: t('adminBadDate') });
    for (const k of STRUCTURED) delete restObj[k];
    const body = {
      ...restObj,
      code: def.code,
      name: name.value.trim(),
      field: fieldIn.value.trim(),
      level: level.value,
      onlineLevel: online.value,
      channels,
      processingDays,
      processingNote: note.value.trim() || null,
      fees: fees.read(),
      components: comps.read(),
      legalBases: legal.value
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      effectiveFrom: effectiveFrom ?? from.value,
      effectiveTo: effectiveTo ?? (to.value.trim() || null),
    };
    return { body, problems };
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const { body, problems } = collect();
    if (problems.length) {
      const jsonProblem = problems.find((p) => p.path === 'json');
      placeIssues(
        form,
        problems.filter((p) => p !== jsonProblem),
      );
      if (jsonProblem) {
        jsonBox.open = true;
        markJson(jsonProblem.message);
        json.focus();
      }
      showError(status, new Error(t('adminFixErrors')));
      return;
    }
    saveBtn.disabled = true;
    showBusy(status);
    try {
      const res = await api(`/api/procedures/${encodeURIComponent(def.code)}`, { method: 'PUT', body });
      const msg = res.created
        ? t('adminSavedVersion', { n: res.version })
        : t('adminNoChange', { n: res.version });
      showOk(status, msg);
      const fresh = await api(`/api/procedures/${encodeURIComponent(def.code)}`).catch(() => null);
      if (fresh) drawVersions(fresh.versions, res.version);
      if (res.created) history.replaceState(null, '', `${BASE}/${encodeURIComponent(def.code)}`);
    } catch (err) {
      // Paths the structured form does not show (results, workflow, eform…) belong to the JSON editor.
      const rest = placeIssues(form, issuesOf(err));
      if (rest.length) {
        jsonBox.open = true;
        markJson(rest.map((i) => `${i.path}: ${i.message}`).join('; '));
      }
      const placed = issuesOf(err).length - rest.length;
      const extra = [
        placed > 0 ? h('p', {}, t('adminIssuesMarked', { n: placed })) : null,
        ...issueList(rest),
      ];
      showError(status, err, extra);
    } finally {
      saveBtn.disabled = false;
    }
  });
  function markJson(message) {
    const id = newId('ferr');
    json.setAttribute('aria-invalid', 'true');
    json.setAttribute('aria-describedby', `proc-json-hint ${id}`);
    json.parentElement.append(h('p', { class: 'field-error admin-field-error', id }, message));
  }

  replace(
    form,
    h(
      'fieldset',
      {},
      h('legend', {}, t('adminGeneral')),
      field(t('adminProcName'), name),
      h(
        'div',
        { class: 'admin-grid3' },
        field(t('field'), fieldIn),
        field(t('agencyLevel'), level),
        field(t('onlineLevel'), online),
      ),
    ),
    h(
      'fieldset',
      { 'data-path': 'channels', id: 'proc-channels' },
      h('legend', {}, t('adminChannelsDays')),
      h(
        'table',
        { class: 'grid admin-table admin-narrow-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, t('channels')), h('th', { scope: 'col' }, t('adminDaysCol'))),
        ),
        h('tbody', {}, channelRows),
      ),
      field(t('adminProcessingNote'), note),
    ),
    h('fieldset', { id: 'proc-fees-box' }, h('legend', {}, t('fees')), fees.el),
    h('fieldset', { id: 'proc-comps-box' }, h('legend', {}, t('components')), comps.el),
    h(
      'fieldset',
      {},
      h('legend', {}, t('adminLegalAndDates')),
      field(t('adminLegalBases'), legal, t('adminOnePerLine')),
      h(
        'div',
        { class: 'admin-grid3' },
        field(t('adminEffectiveFrom'), from, 'dd/mm/yyyy'),
        field(t('adminEffectiveTo'), to, t('adminEffectiveToHint')),
      ),
    ),
    jsonBox,
    h(
      'div',
      { class: 'admin-savebar' },
      h('span', { class: 'meta admin-kbd-hint' }, t('adminSaveShortcut')),
      saveBtn,
      status,
    ),
  );

  replace(
    root,
    h('p', {}, h('a', { href: BASE, id: 'proc-back' }, `← ${t('adminCatalogueList')}`)),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'proc-h2' },
      h('h2', { id: 'proc-h2' }, `${def.code} — ${def.name}`),
      h(
        'p',
        { class: 'meta' },
        h('a', { href: `/thu-tuc/${encodeURIComponent(def.code)}` }, t('adminPublicPage')),
      ),
      !isLatest
        ? h(
            'p',
            { class: 'notice', id: 'proc-old-version' },
            t('adminOldVersion', { n: data.version, latest }),
          )
        : null,
      h('p', { class: 'meta' }, t('adminVersionNote')),
      h('h3', {}, t('adminVersions')),
      versionsBox,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'proc-edit-h' },
      h('h2', { id: 'proc-edit-h' }, t('adminEditAsNew')),
      form,
    ),
  );
}

/**
 * A table of editable rows (fees, components) with add/remove. `row(item, rowId)` → {cells, paths, read}.
 * `paths` maps a sub-field to its control: `data-path` is renumbered on every read so server issues find them.
 */
function rowsEditor({ id, path, items, row, columns, addLabel, blank }) {
  const tbody = h('tbody', {});
  const rows = [];
  const add = (item, focus) => {
    const rid = newId(id);
    const r = row(item, rid);
    const tr = h(
      'tr',
      { id: rid },
      r.cells.map((c) => h('td', { class: 'admin-cell' }, c)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'btn small secondary',
            id: `${rid}-remove`,
            'on:click': () => {
              const i = rows.indexOf(entry);
              rows.splice(i, 1);
              tr.remove();
              (rows[i] ?? rows[i - 1])?.tr.querySelector('input, textarea, select')?.focus() ??
                addBtn.focus();
            },
          },
          t('adminRemove'),
        ),
      ),
    );
    const entry = { tr, ...r };
    rows.push(entry);
    tbody.append(tr);
    if (focus) tr.querySelector('input, textarea, select')?.focus();
  };
  for (const it of items) add(it, false);
  const addBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn small secondary',
      id: `${id}-add`,
      'on:click': () => add(structuredClone(blank), true),
    },
    addLabel,
  );
  const el = h(
    'div',
    { id, 'data-path': path },
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid admin-table admin-edit-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) => h('th', { scope: 'col' }, c)),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('adminActions'))),
          ),
        ),
        tbody,
      ),
    ),
    addBtn,
  );
  return {
    el,
    read: () =>
      rows.map((r, i) => {
        r.tr.setAttribute('data-path', `${path}.${i}`);
        for (const [k, ctl] of Object.entries(r.paths)) ctl.setAttribute('data-path', `${path}.${i}.${k}`);
        return r.read();
      }),
  };
}

/** The form template of one component: download link, upload (replace) and delete, with its own status. */
function templateCell(code, component, current) {
  const base = `/api/procedures/${encodeURIComponent(code)}/templates/${encodeURIComponent(component)}`;
  const safe = component.replace(/[^A-Za-z0-9_-]/g, '_');
  const status = statusRegion(`tpl-status-${safe}`);
  const info = h('div', { class: 'admin-tpl-info' });
  const input = h('input', {
    type: 'file',
    id: `tpl-file-${safe}`,
    class: 'admin-file',
    accept: '.pdf,.docx,.doc,.odt,.xlsx',
  });
  const del = h(
    'button',
    { type: 'button', class: 'btn small secondary', id: `tpl-delete-${safe}` },
    t('adminDelete'),
  );
  const draw = (tpl) => {
    replace(
      info,
      tpl
        ? h(
            'a',
            { href: tpl.url ?? base, download: '', id: `tpl-link-${safe}` },
            `${tpl.name} (${fmtSize(tpl.size)})`,
          )
        : h('span', { class: 'meta' }, t('adminNoTemplate')),
    );
    del.hidden = !tpl;
  };
  draw(current);
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const fd = new FormData();
    fd.append('file', file, file.name);
    showBusy(status, t('adminUploading'));
    try {
      const saved = await send(base, { method: 'PUT', body: fd });
      draw(saved);
      showOk(status, saved.replaced ? t('adminTemplateReplaced') : t('adminTemplateUploaded'));
    } catch (err) {
      showError(status, err);
    } finally {
      input.value = '';
    }
  });
  del.addEventListener('click', async () => {
    showBusy(status);
    try {
      await send(base, { method: 'DELETE' });
      draw(null);
      showOk(status, t('adminTemplateDeleted'));
      input.focus();
    } catch (err) {
      showError(status, err);
    }
  });
  return h(
    'div',
    { class: 'admin-tpl' },
    info,
    h('label', { for: input.id, class: 'admin-file-label' }, t('adminUploadTemplate', { code: component })),
    input,
    del,
    status,
  );
}
