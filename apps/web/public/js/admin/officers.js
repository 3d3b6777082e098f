// Officers and roles: list by unit, create, edit name and roles (role × unit pairs), deactivate, reset password.
// API (docs: notes/office-contract.md): GET /api/officers?unit=, POST /api/officers, PATCH /api/officers/:id.
import { h, newId, replace } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { t } from '../i18n.js';
import {
  api,
  clearFieldErrors,
  confirmDialog,
  field,
  issueList,
  issuesOf,
  loadUnits,
  placeIssues,
  ROLES,
  roleLabel,
  showBusy,
  showError,
  showOk,
  statusRegion,
  unitOptions,
} from './common.js';

export async function render({ ctx, root }) {
  const units = await loadUnits();
  const nameOf = new Map(units.map((u) => [u.code, u.name]));
  const unit = h(
    'select',
    { id: 'off-unit', name: 'unit' },
    unitOptions(units, ctx.query.get('unit') ?? '', { empty: t('adminAllMyUnits') }),
  );
  const listBox = h('div', { id: 'off-list' });
  const listStatus = statusRegion('off-status');

  const load = async () => {
    const params = new URLSearchParams();
    if (unit.value) params.set('unit', unit.value);
    if (q.value.trim()) params.set('q', q.value.trim());
    if (state.value) params.set('active', state.value);
    const qs = params.size ? `?${params}` : '';
    try {
      const { items } = await api(`/api/officers${qs}`);
      replace(listBox, table(items));
    } catch (err) {
      if (err.status === 404 && err.code === 'NOT_FOUND') {
        replace(
          listBox,
          h('p', { class: 'notice', id: 'off-unavailable', role: 'alert' }, t('adminOfficersUnavailable')),
        );
        createSection.hidden = true;
        return;
      }
      replace(listBox);
      showError(listStatus, err);
    }
  };

  const rolesText = (o) =>
    o.roles.map((r) => `${roleLabel(r.role)} — ${nameOf.get(r.unit) ?? r.unit} (${r.unit})`);

  const table = (items) =>
    items.length === 0
      ? h('p', { id: 'off-empty' }, t('adminNoOfficers'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'grid admin-table', id: 'off-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('username'), t('adminFullName'), t('adminRoles'), t('adminState'), t('adminActions')].map(
                  (x) => h('th', { scope: 'col' }, x),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              items.map((o) =>
                h(
                  'tr',
                  { 'data-id': o.id, 'data-username': o.username, class: o.active ? null : 'admin-inactive' },
                  h('td', { class: 'nowrap' }, o.username),
                  h('td', {}, o.name, o.title ? h('div', { class: 'meta' }, o.title) : null),
                  h(
                    'td',
                    {},
                    h(
                      'ul',
                      { class: 'plain admin-roles' },
                      rolesText(o).map((x) => h('li', {}, x)),
                    ),
                  ),
                  h(
                    'td',
                    {},
                    o.active ? t('adminActive') : h('strong', {}, t('adminInactive')),
                    o.lockedUntil
                      ? h('div', { class: 'meta' }, t('adminLockedUntil', { at: fmtDateTime(o.lockedUntil) }))
                      : null,
                  ),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small secondary',
                        id: `off-edit-${o.username}`,
                        'on:click': (e) => editDialog(o, e.currentTarget),
                      },
                      t('adminEdit'),
                      h('span', { class: 'sr-only' }, ` ${o.username}`),
                    ),
                  ),
                ),
              ),
            ),
          ),
        );

  /** Edit one officer in a modal: name, roles, active, new password. Only changed fields are sent. */
  const editDialog = (o, opener) => {
    const titleId = newId('dlg');
    const status = statusRegion('off-dlg-status');
    const nameIn = h('input', {
      type: 'text',
      id: 'off-dlg-name',
      'data-path': 'name',
      value: o.name,
      maxlength: '200',
    });
    const active = h('input', {
      type: 'checkbox',
      id: 'off-dlg-active',
      'data-path': 'active',
      checked: o.active,
    });
    const titleIn = h('input', {
      type: 'text',
      id: 'off-dlg-title',
      'data-path': 'title',
      value: o.title ?? '',
      maxlength: '200',
    });
    const emailIn = h('input', {
      type: 'email',
      id: 'off-dlg-email',
      'data-path': 'email',
      value: o.email ?? '',
      maxlength: '200',
      autocomplete: 'off',
    });
    const unlock = h('input', { type: 'checkbox', id: 'off-dlg-unlock', 'data-path': 'unlock' });
    const roles = rolesEditor('off-dlg-roles', o.roles, units);
    const pass = h('input', {
      type: 'password',
      id: 'off-dlg-password',
      'data-path': 'password',
      autocomplete: 'new-password',
      minlength: '10',
      maxlength: '200',
    });
    const form = h('form', { id: 'off-dlg-form', novalidate: true });
    const dlg = h(
      'dialog',
      { class: 'admin-dialog wide', id: 'off-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, t('adminEditOfficer', { username: o.username })),
      form,
    );
    const close = () => dlg.close();
    replace(
      form,
      h(
        'div',
        { class: 'admin-grid3' },
        field(t('adminFullName'), nameIn),
        field(t('adminJobTitle'), titleIn),
        field(t('adminEmail'), emailIn),
      ),
      h('fieldset', { 'data-path': 'roles' }, h('legend', {}, t('adminRoles')), roles.el),
      h('div', { class: 'check' }, active, h('label', { for: 'off-dlg-active' }, t('adminActiveLabel'))),
      o.lockedUntil && new Date(o.lockedUntil) > new Date()
        ? h(
            'div',
            { class: 'check' },
            unlock,
            h('label', { for: 'off-dlg-unlock' }, t('adminUnlock', { at: fmtDateTime(o.lockedUntil) })),
          )
        : null,
      field(t('adminResetPassword'), pass, t('adminPasswordHint')),
      h(
        'div',
        { class: 'row-buttons' },
        h('button', { type: 'submit', class: 'btn', id: 'off-dlg-save' }, t('adminSave')),
        h(
          'button',
          { type: 'button', class: 'btn secondary', id: 'off-dlg-close', 'on:click': close },
          t('adminClose'),
        ),
      ),
      status,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      const body = {};
      if (nameIn.value.trim() !== o.name) body.name = nameIn.value.trim();
      if (titleIn.value.trim() !== (o.title ?? '')) body.title = titleIn.value.trim() || null;
      if (emailIn.value.trim() !== (o.email ?? '')) body.email = emailIn.value.trim() || null;
      if (unlock.checked) body.unlock = true;
      if (active.checked !== o.active) body.active = active.checked;
      const newRoles = roles.read();
      const key = (rs) =>
        rs
          .map((r) => `${r.role}@${r.unit}`)
          .sort()
          .join(',');
      if (key(newRoles) !== key(o.roles)) body.roles = newRoles;
      if (pass.value) body.password = pass.value;
      if (Object.keys(body).length === 0) {
        showOk(status, t('adminNothingChanged'));
        return;
      }
      if (
        body.active === false &&
        !(await confirmDialog({
          id: 'off-deactivate',
          title: t('adminDeactivateTitle'),
          body: [h('p', {}, t('adminConfirmDeactivate', { username: o.username }))],
          confirmLabel: t('adminDeactivate'),
          danger: true,
        }))
      )
        return;
      showBusy(status);
      try {
        const res = await api(`/api/officers/${encodeURIComponent(o.id)}`, { method: 'PATCH', body });
        const { password: _, ...changed } = body;
        Object.assign(o, res?.id ? res : changed);
        pass.value = '';
        showOk(status, t('adminOfficerSaved', { username: o.username }));
        showOk(listStatus, t('adminOfficerSaved', { username: o.username }));
        load();
      } catch (err) {
        showError(status, err, issueList(placeIssues(form, fieldIssues(err))));
      }
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      opener?.isConnected ? opener.focus() : document.getElementById(opener?.id)?.focus();
    });
    document.body.append(dlg);
    dlg.showModal();
    nameIn.focus();
  };

  // --- create
  const cUser = h('input', {
    type: 'text',
    id: 'off-new-username',
    'data-path': 'username',
    autocomplete: 'off',
    maxlength: '100',
  });
  const cName = h('input', { type: 'text', id: 'off-new-name', 'data-path': 'name', maxlength: '200' });
  const cPass = h('input', {
    type: 'password',
    id: 'off-new-password',
    'data-path': 'password',
    autocomplete: 'new-password',
    minlength: '10',
    maxlength: '200',
  });
  const cTitle = h('input', { type: 'text', id: 'off-new-title', 'data-path': 'title', maxlength: '200' });
  const cEmail = h('input', {
    type: 'email',
    id: 'off-new-email',
    'data-path': 'email',
    maxlength: '200',
    autocomplete: 'off',
  });
  const cRoles = rolesEditor('off-new-roles', [], units);
  const cStatus = statusRegion('off-new-status');
  const cForm = h(
    'form',
    {
      id: 'off-new-form',
      novalidate: true,
      'on:submit': async (e) => {
        e.preventDefault();
        clearFieldErrors(cForm);
        const body = {
          username: cUser.value.trim(),
          name: cName.value.trim(),
          password: cPass.value,
          roles: cRoles.read(),
        };
        if (cTitle.value.trim()) body.title = cTitle.value.trim();
        if (cEmail.value.trim()) body.email = cEmail.value.trim();
        showBusy(cStatus);
        try {
          await api('/api/officers', { method: 'POST', body });
          showOk(cStatus, t('adminOfficerCreated', { username: body.username }));
          cUser.value = '';
          cName.value = '';
          cPass.value = '';
          cTitle.value = '';
          cEmail.value = '';
          cRoles.reset();
          load();
        } catch (err) {
          showError(cStatus, err, issueList(placeIssues(cForm, fieldIssues(err))));
        }
      },
    },
    h(
      'div',
      { class: 'admin-grid3' },
      field(t('username'), cUser),
      field(t('adminFullName'), cName),
      field(t('password'), cPass, t('adminNewPasswordHint')),
      field(t('adminJobTitle'), cTitle),
      field(t('adminEmail'), cEmail),
    ),
    h('fieldset', { 'data-path': 'roles' }, h('legend', {}, t('adminRoles')), cRoles.el),
    h('button', { type: 'submit', class: 'btn', id: 'off-new-submit' }, t('adminCreateOfficer')),
    cStatus,
  );

  const createSection = h(
    'section',
    { class: 'card', 'aria-labelledby': 'off-new-h', id: 'off-new' },
    h('h2', { id: 'off-new-h' }, t('adminCreateOfficer')),
    cForm,
  );

  const q = h('input', {
    type: 'search',
    id: 'off-q',
    value: ctx.query.get('q') ?? '',
    maxlength: '100',
    autocomplete: 'off',
  });
  const state = h(
    'select',
    { id: 'off-active' },
    h('option', { value: '' }, t('adminAllStates')),
    h('option', { value: 'true' }, t('adminActive')),
    h('option', { value: 'false' }, t('adminInactive')),
  );
  const filters = h(
    'form',
    {
      id: 'off-filter',
      role: 'search',
      class: 'admin-grid3',
      'on:submit': (e) => {
        e.preventDefault();
        const u = new URL(location.href);
        for (const [k, el] of [
          ['unit', unit],
          ['q', q],
        ]) {
          if (el.value.trim()) u.searchParams.set(k, el.value.trim());
          else u.searchParams.delete(k);
        }
        history.replaceState(null, '', u.pathname + u.search);
        load();
      },
    },
    field(t('adminUnit'), unit),
    field(t('adminOfficerSearch'), q),
    h(
      'div',
      { class: 'admin-filter-last' },
      field(t('adminState'), state),
      h('button', { type: 'submit', class: 'btn small', id: 'off-filter-submit' }, t('search')),
    ),
  );
  unit.addEventListener('change', () => filters.requestSubmit());
  state.addEventListener('change', () => filters.requestSubmit());

  replace(
    root,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'off-list-h' },
      h('h2', { id: 'off-list-h' }, t('adminOfficerList')),
      filters,
      listStatus,
      listBox,
    ),
    createSection,
  );
  await load();
}

/** Server issues, plus the domain errors that belong to one field (no issue path of their own). */
function fieldIssues(err) {
  const issues = issuesOf(err);
  if (issues.length) return issues;
  const path = {
    ALREADY_EXISTS: 'username',
    PASSWORD_TOO_WEAK: 'password',
    UNIT_INACTIVE: 'roles',
    UNIT_NOT_FOUND: 'roles',
    LAST_ADMIN: 'roles',
    FORBIDDEN: 'roles',
  }[err.code];
  return path ? [{ path, message: err.message }] : [];
}

/** Rows of (role, unit) with add/remove. read() → [{role, unit}]. Controls carry data-path roles.N.role/unit. */
function rolesEditor(id, initial, units) {
  const list = h('ol', { class: 'admin-role-rows', id });
  const add = (r, focus) => {
    const rid = newId(id);
    const role = h(
      'select',
      { id: `${rid}-role`, 'aria-label': t('adminRole') },
      ROLES.map((x) => h('option', { value: x, selected: r.role === x }, roleLabel(x))),
    );
    const unit = h(
      'select',
      { id: `${rid}-unit`, 'aria-label': t('adminUnit') },
      unitOptions(units, r.unit, { all: true }),
    );
    const li = h(
      'li',
      { class: 'admin-role-row' },
      h('span', { class: 'admin-cell' }, role),
      h('span', { class: 'admin-cell' }, unit),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small secondary',
          'on:click': () => {
            li.remove();
            addBtn.focus();
          },
        },
        t('adminRemove'),
      ),
    );
    list.append(li);
    if (focus) role.focus();
  };
  for (const r of initial) add(r, false);
  const addBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn small secondary',
      id: `${id}-add`,
      'on:click': () => add({ role: 'specialist', unit: '' }, true),
    },
    t('adminAddRole'),
  );
  return {
    el: h('div', {}, list, addBtn),
    read: () =>
      [...list.children].map((li, i) => {
        const [role, unit] = li.querySelectorAll('select');
        role.setAttribute('data-path', `roles.${i}.role`);
        unit.setAttribute('data-path', `roles.${i}.unit`);
        return { role: role.value, unit: unit.value };
      }),
    reset: () => list.replaceChildren(),
  };
}
