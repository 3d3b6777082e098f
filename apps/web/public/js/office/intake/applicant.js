// Step 1 of the reception counter: the applicant, found by ID number (the citizen record fills in the name and
// contact; the person's stored files and earlier dossiers are listed), or typed in.
import { ApiError, api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDate, fmtSize } from '../../format.js';
import { t } from '../../i18n.js';
import { statusBadge } from '../../labels.js';
import { dt, field, statusLine } from '../common.js';

/**
 * The applicant card and its controls. A lookup keeps the person in `state.citizen` and their uploaded files in
 * `state.storedFiles` (offered for reuse), then calls `onLookup()`.
 */
export function applicantStep(state, { onLookup }) {
  const pid = h('input', {
    type: 'text',
    inputmode: 'numeric',
    maxlength: '14',
    autocomplete: 'off',
    'data-search': '',
  });
  const findBtn = h('button', { type: 'button', class: 'btn secondary', id: 'intake-find' }, t('oFind'));
  const findStatus = statusLine('intake-find-status');
  const aName = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const aKind = h(
    'select',
    {},
    [1, 2, 3, 4].map((k) => h('option', { value: String(k) }, t(`oApplicantKind_${k}`))),
  );
  const aPhone = h('input', { type: 'tel', maxlength: '15', autocomplete: 'off' });
  const aEmail = h('input', { type: 'email', maxlength: '200', autocomplete: 'off' });
  const aAddress = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
  const known = h('div', { id: 'intake-known', class: 'o-known', hidden: true });

  async function find() {
    const id = pid.value.replace(/[\s.]/g, '');
    pid.value = id;
    if (!/^[0-9]{12}$/.test(id)) {
      findStatus.error(t('err_personalId'));
      pid.setAttribute('aria-invalid', 'true');
      pid.focus();
      return;
    }
    pid.removeAttribute('aria-invalid');
    findBtn.setAttribute('aria-busy', 'true');
    try {
      const r = await api(`/api/citizens/${encodeURIComponent(id)}`);
      state.citizen = r.citizen;
      // Results live in the person's store as documents; only uploaded files can be attached here.
      state.storedFiles = (r.files ?? []).filter((f) => f.id && f.source !== 'result');
      if (r.citizen) {
        aName.value = r.citizen.fullName ?? '';
        aPhone.value = r.citizen.phone ?? '';
        aEmail.value = r.citizen.email ?? '';
        aAddress.value = r.citizen.address ?? '';
        findStatus.ok(t('oCitizenFound', { name: r.citizen.fullName }));
      } else {
        findStatus.ok(t('oCitizenUnknown'));
      }
      showKnown(r);
      onLookup();
      (r.citizen ? aPhone : aName).focus();
    } catch (err) {
      state.citizen = null;
      state.storedFiles = [];
      known.hidden = true;
      findStatus.error(
        err instanceof ApiError && (err.status === 404 || err.status === 0)
          ? t('oCitizenLookupUnavailable')
          : err.message,
      );
      aName.focus();
    } finally {
      findBtn.removeAttribute('aria-busy');
    }
  }
  findBtn.addEventListener('click', find);
  pid.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      find();
    }
  });

  function showKnown(r) {
    const files = r.files ?? [];
    const dossiers = r.dossiers ?? [];
    known.hidden = files.length === 0 && dossiers.length === 0;
    replace(
      known,
      files.length
        ? [
            h('h3', {}, t('oStoredFiles', { n: files.length })),
            h(
              'ul',
              { class: 'plain', id: 'intake-stored-files' },
              files.map((f) =>
                h(
                  'li',
                  {},
                  f.name,
                  h('span', { class: 'meta' }, ` · ${fmtSize(f.size ?? 0)} · ${fmtDate(f.createdAt)}`),
                ),
              ),
            ),
            h('p', { class: 'hint' }, t('oStoredFilesHint')),
          ]
        : null,
      dossiers.length
        ? [
            h('h3', {}, t('oEarlierDossiers', { n: dossiers.length })),
            h(
              'ul',
              { class: 'plain', id: 'intake-earlier' },
              dossiers
                .slice(0, 8)
                .map((d) =>
                  h(
                    'li',
                    {},
                    h('a', { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}` }, d.code),
                    ` — ${d.procedureName} · `,
                    statusBadge(d.status, t(`status_${d.status}`)),
                    h('span', { class: 'meta' }, ` · ${dt(d.submittedAt)}`),
                  ),
                ),
            ),
          ]
        : null,
    );
  }

  const applicantCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-applicant' },
    h('h2', { id: 'intake-h-applicant' }, t('oStepApplicant')),
    h(
      'div',
      { class: 'o-row' },
      field('intake-pid', t('personalId'), pid, { hint: t('oPidHint') }),
      h('div', { class: 'o-row-btn' }, findBtn),
    ),
    findStatus.el,
    known,
    h(
      'div',
      { class: 'o-grid2' },
      field('intake-name', t('oApplicantName'), aName, { required: true }),
      field('intake-kind', t('oApplicantKind'), aKind),
      field('intake-phone', t('oPhone'), aPhone),
      field('intake-email', t('oEmail'), aEmail),
    ),
    field('intake-address', t('oAddress'), aAddress),
  );
  return { card: applicantCard, pid, aName, aKind, aPhone, aEmail, aAddress };
}
