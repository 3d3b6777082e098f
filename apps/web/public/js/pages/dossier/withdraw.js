// Withdrawing a dossier (the applicant): a reason and a confirmation, sent as the withdraw command.
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';

/** The withdrawal card of `dossier`, its form folded away. */
export function withdrawBlock(ctx, dossier) {
  const reason = h('textarea', {
    id: 'withdraw-reason',
    rows: '3',
    maxlength: '2000',
    required: true,
    'aria-describedby': 'withdraw-err',
  });
  const err = h('p', { id: 'withdraw-err', class: 'field-error', role: 'alert', hidden: true });
  const confirm = h(
    'div',
    { class: 'check' },
    h('input', { type: 'checkbox', id: 'withdraw-confirm' }),
    h('label', { for: 'withdraw-confirm' }, t('withdrawConfirm')),
  );
  const btn = h('button', { type: 'submit', class: 'btn danger', id: 'withdraw-submit' }, t('withdraw'));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'withdraw-title' },
    h('h2', { id: 'withdraw-title' }, t('withdrawTitle')),
    h(
      'details',
      {},
      h('summary', {}, t('withdrawOpen')),
      h(
        'form',
        {
          id: 'withdraw-form',
          'on:submit': async (e) => {
            e.preventDefault();
            if (reason.value.trim().length < 3) {
              err.hidden = false;
              err.textContent = t('withdrawReasonNeeded');
              reason.setAttribute('aria-invalid', 'true');
              reason.focus();
              return;
            }
            if (!confirm.querySelector('input').checked) {
              err.hidden = false;
              err.textContent = t('withdrawConfirmNeeded');
              confirm.querySelector('input').focus();
              return;
            }
            btn.disabled = true;
            try {
              await api(`/api/dossiers/${encodeURIComponent(dossier.code)}/actions`, {
                method: 'POST',
                body: {
                  expectedVersion: dossier.version,
                  command: { type: 'withdraw', reason: reason.value.trim() },
                },
              });
              ctx.announce(t('withdrawn'));
              await ctx.navigate(`/ho-so/${encodeURIComponent(dossier.code)}`, { replace: true });
            } catch (ex) {
              btn.disabled = false;
              err.hidden = false;
              err.textContent = ex.code === 'VERSION_CONFLICT' ? t('versionConflict') : ex.message;
            }
          },
        },
        h('p', {}, t('withdrawExplain')),
        h('div', { class: 'field' }, h('label', { for: 'withdraw-reason' }, t('withdrawReason')), reason),
        confirm,
        err,
        btn,
      ),
    ),
  );
}
