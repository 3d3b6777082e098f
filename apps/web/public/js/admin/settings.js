// Settings of the province. With the settings API (GET/PUT /api/settings: items {key, label, labelEn, value,
// updatedAt}; PUT {values}) every known key is edited here: the paper-transfer cut-off and the default office hours
// with their own controls, any other key as JSON. Without it, the calendar settings (GET/PUT /api/calendar/settings).
import { h, replace } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { lang, t } from '../i18n.js';
import {
  api,
  clearFieldErrors,
  field,
  issueList,
  issuesOf,
  placeIssues,
  sessionsEditor,
  showBusy,
  showError,
  showOk,
  statusRegion,
  TIME,
} from './common.js';

export async function render({ root }) {
  let settings = null;
  try {
    settings = await api('/api/settings');
  } catch (err) {
    if (!(err.status === 404 && err.code === 'NOT_FOUND')) {
      const status = statusRegion('set-status');
      replace(root, h('section', { class: 'card' }, status));
      showError(status, err);
      return;
    }
  }
  return settings ? settingsTable(root, settings) : calendarOnly(root);
}

/** One control per setting: {el, read()}. */
function editorFor(item) {
  const id = `set-${item.key.replaceAll('_', '-')}`;
  if (item.key === 'paper_transfer_cutoff') {
    const input = h('input', { ...TIME, id: 'set-cutoff', 'data-path': item.key, value: item.value ?? '' });
    return { el: field(t('adminCutoff'), input, t('adminCutoffHint')), read: () => input.value.trim() };
  }
  if (item.key === 'default_working_hours') {
    const ed = sessionsEditor('set-hours', item.value?.sessions);
    return {
      el: h(
        'fieldset',
        { 'data-path': item.key },
        h('legend', {}, t('adminOfficeHours')),
        h('p', { class: 'meta' }, t('adminOfficeHoursHint')),
        ed.el,
      ),
      read: ed.read,
    };
  }
  const ta = h('textarea', {
    id,
    'data-path': item.key,
    rows: '4',
    spellcheck: 'false',
    class: 'admin-code',
  });
  ta.value = JSON.stringify(item.value, null, 2);
  return {
    el: field(lang() === 'en' ? item.labelEn : item.label, ta, t('adminSettingsJsonHint')),
    read: () => {
      try {
        return JSON.parse(ta.value);
      } catch (e) {
        throw Object.assign(new Error(t('adminJsonInvalid', { error: e.message })), { path: item.key });
      }
    },
  };
}

function settingsTable(root, data) {
  const status = statusRegion('set-status');
  const editors = new Map();
  const metaOf = new Map();
  const form = h('form', { id: 'set-form', novalidate: true, 'data-primary': '' });
  const drawMeta = (items) => {
    for (const it of items) {
      const m = metaOf.get(it.key);
      if (m)
        m.textContent = it.updatedAt
          ? t('adminSettingUpdated', { at: fmtDateTime(it.updatedAt) })
          : t('adminSettingDefault');
    }
  };
  const blocks = data.items.map((it) => {
    const ed = editorFor(it);
    editors.set(it.key, ed);
    const meta = h('p', { class: 'meta', id: `set-meta-${it.key}` });
    metaOf.set(it.key, meta);
    return h('div', { class: 'admin-setting', 'data-key': it.key }, ed.el, meta);
  });
  drawMeta(data.items);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const values = {};
    try {
      for (const [k, ed] of editors) values[k] = ed.read();
    } catch (err) {
      placeIssues(form, [{ path: err.path, message: err.message }]);
      showError(status, new Error(t('adminFixErrors')));
      return;
    }
    showBusy(status);
    try {
      const res = await api('/api/settings', { method: 'PUT', body: { values } });
      drawMeta(res.items);
      showOk(status, t('adminSettingsSaved'));
    } catch (err) {
      // Issues are relative to the setting named in details.key.
      const key = err.details?.key;
      const issues = issuesOf(err).map((i) => ({
        ...i,
        path: key ? [key, i.path].filter(Boolean).join('.') : i.path,
      }));
      if (!issues.length && key) issues.push({ path: key, message: err.message });
      showError(status, err, issueList(placeIssues(form, issues)));
    }
  });
  replace(
    form,
    blocks,
    h(
      'div',
      { class: 'admin-savebar' },
      h('span', { class: 'meta admin-kbd-hint' }, t('adminSaveShortcut')),
      h('button', { type: 'submit', class: 'btn', id: 'set-save' }, t('adminSave')),
      status,
    ),
  );
  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'set-h' },
      h('h2', { id: 'set-h' }, t('adminProvinceSettings')),
      h('p', { class: 'meta' }, t('adminSettingsLead')),
      form,
    ),
  );
}

/** Before the settings API: the calendar settings only. */
async function calendarOnly(root) {
  const cal = await api('/api/calendar/settings');
  const cutoff = h('input', {
    ...TIME,
    id: 'set-cutoff',
    'data-path': 'paperTransferCutoff',
    value: cal.paperTransferCutoff,
  });
  const hours = sessionsEditor('set-hours', cal.workingHours.sessions);
  const status = statusRegion('set-status');
  const form = h(
    'form',
    {
      id: 'set-form',
      novalidate: true,
      'data-primary': '',
      'on:submit': async (e) => {
        e.preventDefault();
        clearFieldErrors(form);
        showBusy(status);
        try {
          await api('/api/calendar/settings', {
            method: 'PUT',
            body: { paperTransferCutoff: cutoff.value.trim(), workingHours: hours.read() },
          });
          showOk(status, t('adminSettingsSaved'));
        } catch (err) {
          showError(status, err, issueList(placeIssues(form, issuesOf(err))));
        }
      },
    },
    field(t('adminCutoff'), cutoff, t('adminCutoffHint')),
    h(
      'fieldset',
      { 'data-path': 'workingHours' },
      h('legend', {}, t('adminOfficeHours')),
      h('p', { class: 'meta' }, t('adminOfficeHoursHint')),
      hours.el,
    ),
    h(
      'div',
      { class: 'admin-savebar' },
      h('span', { class: 'meta admin-kbd-hint' }, t('adminSaveShortcut')),
      h('button', { type: 'submit', class: 'btn', id: 'set-save' }, t('adminSave')),
      status,
    ),
  );
  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'set-cal-h' },
      h('h2', { id: 'set-cal-h' }, t('adminCalendarSettings')),
      form,
    ),
  );
}
