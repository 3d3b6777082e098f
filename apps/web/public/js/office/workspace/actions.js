// The actions of the dossier workspace: the buttons of the actions allowed now, and the form of the one chosen,
// sent with expectedVersion (a version conflict reloads the dossier and says so).
import { ApiError, api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { announce } from '../../main.js';
import { statusLine } from '../common.js';
import { actionFields, buildCommand } from './commands.js';

/** The order buttons are shown in (the first is the usual next step). */
const ORDER = [
  'accept',
  'forward',
  'finish',
  'return_result',
  'provide_supplement',
  'confirm_payment',
  'request_supplement',
  'request_payment',
  'send_back',
  'assign',
  'apologize',
  'refuse',
  'stop',
  'comment',
];

/** The card with a button per action allowed on `d`, the place of its form and the `notice` carried over a reload. */
export function actionsCard(d, notice, openAction) {
  const actionBtns = ORDER.filter((a) => d.availableActions.includes(a));
  return h(
    'section',
    { class: 'card o-actions', 'aria-labelledby': 'ws-h-actions' },
    h('h2', { id: 'ws-h-actions' }, t('oActionsNow')),
    actionBtns.length === 0
      ? h('p', { class: 'meta', id: 'ws-no-actions' }, t('oNoActions'))
      : h(
          'div',
          { class: 'row-buttons', id: 'ws-action-buttons' },
          actionBtns.map((a, i) =>
            h(
              'button',
              {
                type: 'button',
                class: `btn ${i === 0 && a !== 'comment' ? '' : 'secondary'} small`,
                id: `ws-act-${a}`,
                'aria-expanded': 'false',
                'aria-controls': 'ws-action-form',
                'on:click': () => openAction(a),
              },
              t(`oAct_${a}`),
            ),
          ),
        ),
    h('div', { id: 'ws-action-form' }),
    notice ? h('p', { class: 'banner warn', role: 'alert', id: 'ws-notice' }, notice) : null,
  );
}

/**
 * Returns openAction(type), which draws the form of an action under the buttons. `page.current()` is the dossier
 * shown ({ d, comps }), `page.reload(msg)` draws it again from the server; `page.me` and `page.units` tell which
 * lists the officer may ask for.
 */
export function actionForm({ me, units, enc, current, reload }) {
  // ---- one form per action: exactly the fields its command needs ----
  async function openAction(type) {
    const host = document.getElementById('ws-action-form');
    for (const b of document.querySelectorAll('#ws-action-buttons button'))
      b.setAttribute('aria-expanded', String(b.id === `ws-act-${type}`));
    const data = current();
    const { d } = data;
    const st = statusLine('ws-act-status');
    const { fields, get } = await actionFields(type, data, { me, units });
    const submit = h(
      'button',
      { type: 'submit', class: 'btn small', id: 'ws-act-submit' },
      t(`oAct_${type}`),
    );
    const form = h(
      'form',
      {
        class: 'o-act-form',
        id: `ws-form-${type}`,
        'aria-labelledby': 'ws-form-h',
        'on:submit': async (e) => {
          e.preventDefault();
          st.clear();
          const command = buildCommand(type, get);
          if (typeof command === 'string') return st.error(command);
          submit.disabled = true;
          submit.setAttribute('aria-busy', 'true');
          try {
            await api(`/api/dossiers/${enc}/actions`, {
              method: 'POST',
              body: { expectedVersion: d.version, command },
            });
            await reload(null);
            announce(t('oActDone', { action: t(`oAct_${type}`) }));
            const follow = { apologize: 'apology', refuse: 'refusal', request_supplement: 'supplement' }[
              type
            ];
            if (follow) {
              const host2 = document.getElementById('ws-action-form');
              replace(
                host2,
                h(
                  'p',
                  { class: 'banner ok', role: 'status', id: 'ws-follow' },
                  t('oActDone', { action: t(`oAct_${type}`) }),
                  ' ',
                  h(
                    'a',
                    {
                      href: `/api/dossiers/${enc}/forms/${follow}`,
                      target: '_blank',
                      rel: 'noopener',
                      id: 'ws-follow-pdf',
                    },
                    t(`oPdf_${follow}`),
                  ),
                ),
              );
            }
            document.getElementById('ws-title')?.focus();
          } catch (err) {
            submit.disabled = false;
            submit.removeAttribute('aria-busy');
            if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
              await reload(t('oVersionConflict'));
              document.getElementById('ws-notice')?.focus();
              return;
            }
            st.error(`${err.message}${err.code ? ` (${err.code})` : ''}`);
          }
        },
      },
      h('h3', { id: 'ws-form-h' }, t(`oAct_${type}`)),
      fields,
      st.el,
      h(
        'div',
        { class: 'row-buttons' },
        submit,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            id: 'ws-act-cancel',
            'on:click': () => {
              replace(host);
              document.getElementById(`ws-act-${type}`)?.focus();
            },
          },
          t('cancel'),
        ),
      ),
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        replace(host);
        document.getElementById(`ws-act-${type}`)?.focus();
      }
    });
    replace(host, form);
    (form.querySelector('textarea, input, select') ?? submit).focus();
  }
  return openAction;
}
