// Shared pieces of the administration screens: status regions, server errors next to fields, dd/mm/yyyy dates,
// raw uploads (XLSX, multipart), confirmation dialogs, unit and role labels.
import { ApiError, api, csrfToken } from '../api.js';
import { h, newId, replace } from '../dom.js';
import { t } from '../i18n.js';

export { api };

/** A polite live region for the result of one form (success or the server's error). */
export function statusRegion(id) {
  return h('div', { id, class: 'admin-status', role: 'status', 'aria-live': 'polite' });
}

export function showOk(region, msg) {
  replace(region, h('p', { class: 'banner ok', 'data-result': 'ok' }, `✓ ${msg}`));
}

export function showBusy(region, msg) {
  replace(region, h('p', { class: 'admin-busy' }, msg ?? t('adminSaving')));
}

/** ISO dates inside a server message ("Ngày 2027-05-03 bị lặp") written as people read them: 03/05/2027. */
export const dmyDates = (s) => s.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');

/** Normalises an issue path: "/body/fees/0/name" or "fees.0.name" → "fees.0.name". */
export const issuePath = (p) =>
  String(p ?? '')
    .replace(/^\/?body\/?/, '')
    .replace(/^\//, '')
    .replaceAll('/', '.');

/** The issues of a VALIDATION_FAILED error: [{path, message}]. */
export function issuesOf(err) {
  const xs = err?.details?.issues;
  return Array.isArray(xs) ? xs.map((x) => ({ path: issuePath(x.path), message: String(x.message) })) : [];
}

/**
 * Shows an API error: the message in the current language, its code, and (for 403) what it means. `extra` are
 * more nodes (e.g. the issues that matched no field).
 */
export function showError(region, err, extra = []) {
  // Dates in the server's messages ("Ngày 2027-05-03 bị lặp") are shown as people write them: 03/05/2027.
  const msg = dmyDates(String(err?.message ?? err));
  replace(
    region,
    h(
      'div',
      { class: 'error-summary', 'data-result': 'error', 'data-code': err?.code ?? '' },
      h('p', { class: 'admin-error-msg' }, h('strong', {}, msg)),
      err?.status === 403 ? h('p', {}, t('adminForbiddenHint')) : null,
      err?.code ? h('p', { class: 'meta' }, t('adminErrorCode', { code: err.code })) : null,
      extra,
    ),
  );
}

/** Clears field errors under `root`. */
export function clearFieldErrors(root) {
  for (const el of root.querySelectorAll('.admin-field-error')) el.remove();
  for (const el of root.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((x) => x && !x.startsWith('ferr-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

/** Puts a message under the control whose data-path is `path` (or the closest parent path). Returns success. */
export function markField(root, path, message) {
  let p = path;
  let el = null;
  while (p) {
    el = root.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) break;
    p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
  }
  if (!el) return false;
  const id = newId('ferr');
  const text = dmyDates(String(message));
  const msg = h('p', { class: 'field-error admin-field-error', id }, p === path ? text : `${path}: ${text}`);
  el.setAttribute('aria-invalid', 'true');
  el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  (el.closest('.admin-cell, .field, fieldset') ?? el.parentElement).append(msg);
  return true;
}

/** Shows every issue next to its field; returns the issues that matched no field. */
export function placeIssues(root, issues) {
  clearFieldErrors(root);
  const rest = issues.filter((i) => !markField(root, i.path, i.message));
  root.querySelector('[aria-invalid="true"]')?.focus();
  return rest;
}

/** The issues that matched no field, as a list for showError. */
export const issueList = (issues) =>
  issues.length
    ? [
        h(
          'ul',
          { class: 'admin-issues' },
          issues.map((i) => h('li', {}, i.path ? `${i.path}: ${i.message}` : i.message)),
        ),
      ]
    : [];

/** 'YYYY-MM-DD' → 'dd/mm/yyyy' ('' for null). */
export function isoToDmy(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** 'd/m/yyyy' (also '-' or '.') → 'YYYY-MM-DD' or null when not a real date. */
export function dmyToIso(s) {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s ?? '');
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** A text input for a date written dd/mm/yyyy. */
export function dateInput(attrs, iso) {
  return h('input', {
    type: 'text',
    inputmode: 'numeric',
    placeholder: 'dd/mm/yyyy',
    maxlength: '10',
    autocomplete: 'off',
    ...attrs,
    value: isoToDmy(iso),
  });
}

/** Label + control (+ hint) in a .field. */
export function field(label, control, hint) {
  const hintId = hint ? newId('hint') : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint meta', id: hintId }, hint) : null,
    control,
  );
}

/** A request with a raw body (XLSX bytes, FormData): same errors as api(). */
export async function send(path, { method = 'POST', body, contentType } = {}) {
  const headers = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, {
      error: { code: 'NETWORK', message: t('networkError'), messageEn: t('networkError') },
    });
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * A modal confirmation (native <dialog>: focus trapped, Esc cancels). Resolves true when confirmed.
 * `body` is an array of nodes.
 */
export function confirmDialog({ id, title, body, confirmLabel, danger = false }) {
  return new Promise((resolve) => {
    const titleId = newId('dlg');
    let result = false;
    const dlg = h(
      'dialog',
      { class: 'admin-dialog', id, 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      body,
      h(
        'div',
        { class: 'row-buttons' },
        h(
          'button',
          {
            type: 'button',
            class: `btn${danger ? ' danger' : ''}`,
            id: `${id}-confirm`,
            'on:click': () => {
              result = true;
              dlg.close();
            },
          },
          confirmLabel,
        ),
        h(
          'button',
          { type: 'button', class: 'btn secondary', id: `${id}-cancel`, 'on:click': () => dlg.close() },
          t('adminCancel'),
        ),
      ),
    );
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector(`#${id}-cancel`).focus();
  });
}

export const ROLES = ['reception', 'specialist', 'head', 'signer', 'clerk', 'admin', 'leader'];
export const LEVELS = [
  'province',
  'department',
  'division',
  'service_center',
  'service_branch',
  'commune',
  'district_legacy',
];
export const roleLabel = (r) => t(`role_${r}`);
export const unitLevelLabel = (l) => t(`unitLevel_${l}`);

let unitsCache = null;
/** GET /api/units, cached for the session of the admin pages (call with fresh=true after a change). */
export async function loadUnits(fresh = false) {
  if (!unitsCache || fresh) unitsCache = (await api('/api/units')).items;
  return unitsCache;
}

const todayIso = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).slice(0, 10);
export const today = todayIso;
export const isActiveUnit = (u) => u.validFrom <= todayIso() && (!u.validTo || u.validTo >= todayIso());

/** <option>s for units: "Name (H41.50)", active ones only unless `all`. */
export function unitOptions(units, selected, { all = false, empty } = {}) {
  const opts = units
    .filter((u) => all || isActiveUnit(u))
    .map((u) => h('option', { value: u.code, selected: u.code === selected }, `${u.name} (${u.code})`));
  return empty !== undefined ? [h('option', { value: '' }, empty), ...opts] : opts;
}

/** A 24-hour clock time typed as HH:MM (type=time would show AM/PM in an English browser). */
export const TIME = {
  type: 'text',
  inputmode: 'numeric',
  placeholder: 'HH:MM',
  maxlength: '5',
  autocomplete: 'off',
  class: 'admin-time',
};

/** Office-hours sessions editor: rows of start–end (HH:MM). Returns {el, read()}. */
export function sessionsEditor(idPrefix, sessions) {
  const list = h('ol', { class: 'admin-sessions', id: `${idPrefix}-sessions` });
  const addRow = (a = '', b = '') => {
    const n = list.children.length;
    if (n >= 4) return;
    const from = h('input', {
      ...TIME,
      id: newId(`${idPrefix}-from`),
      value: a,
      required: true,
      'aria-label': t('adminSessionFrom', { n: n + 1 }),
    });
    const to = h('input', {
      ...TIME,
      id: newId(`${idPrefix}-to`),
      value: b,
      required: true,
      'aria-label': t('adminSessionTo', { n: n + 1 }),
    });
    const li = h(
      'li',
      { class: 'admin-session' },
      from,
      h('span', { 'aria-hidden': 'true' }, '–'),
      to,
      h(
        'button',
        {
          type: 'button',
          class: 'btn small secondary',
          'on:click': () => {
            if (list.children.length > 1) li.remove();
          },
        },
        t('adminRemove'),
        h('span', { class: 'sr-only' }, ` ${t('adminSessionN', { n: n + 1 })}`),
      ),
    );
    list.append(li);
  };
  for (const [a, b] of sessions ?? []) addRow(a, b);
  if (!list.children.length) addRow('07:30', '11:30');
  const el = h(
    'div',
    { class: 'admin-sessions-wrap' },
    list,
    h(
      'button',
      {
        type: 'button',
        class: 'btn small secondary',
        id: `${idPrefix}-add-session`,
        'on:click': () => addRow(),
      },
      t('adminAddSession'),
    ),
  );
  const read = () => ({
    sessions: [...list.children].map((li) => {
      const [a, b] = li.querySelectorAll('input');
      return [a.value.trim(), b.value.trim()];
    }),
  });
  return { el, read };
}

export const fmtSessions = (wh) => (wh?.sessions ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
