// Public status page /tra-cuu and /?ma=CODE (the QR on receipts): no login, no personal data.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { fmtDateTime } from '../format.js';
import { lang, t } from '../i18n.js';
import { channelLabel, statusBadge } from '../labels.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('lookupTitle'));
  const input = h('input', {
    id: 'lookup-code',
    name: 'ma',
    required: true,
    maxlength: '60',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    placeholder: 'H41.50-261124-0001',
    'aria-describedby': 'lookup-hint',
    value: query.get('ma') ?? '',
  });
  const out = h('div', { id: 'lookup-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      id: 'lookup-form',
      class: 'search',
      'on:submit': (e) => {
        e.preventDefault();
        const code = input.value.trim().toUpperCase();
        if (!code) return;
        history.replaceState(null, '', `${location.pathname}?ma=${encodeURIComponent(code)}`);
        show(code);
      },
    },
    h('label', { for: 'lookup-code' }, t('lookupLabel')),
    h('p', { id: 'lookup-hint', class: 'hint' }, t('lookupHint')),
    h(
      'div',
      { class: 'row' },
      input,
      h('button', { type: 'submit', class: 'btn', id: 'lookup-button' }, t('lookup')),
    ),
  );
  replace(
    main,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'lookup-h1' },
      h('h1', { id: 'lookup-h1' }, t('lookupTitle')),
      form,
    ),
    out,
  );

  async function show(code) {
    replace(out, h('p', { class: 'loading' }, t('loading')));
    try {
      const d = await api(`/api/lookup/${encodeURIComponent(code)}`);
      ctx.setTitle(`${t('lookupTitle')} ${d.code}`);
      replace(
        out,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'status-title', id: 'public-status' },
          h('h2', { id: 'status-title' }, t('statusOf', { code: d.code })),
          h(
            'p',
            { class: 'big-status' },
            statusBadge(d.status, lang() === 'en' ? d.statusLabelEn : d.statusLabel),
          ),
          h(
            'dl',
            { class: 'kv' },
            h('dt', {}, t('procedure')),
            h('dd', {}, d.procedureName),
            h('dt', {}, t('applicant')),
            h('dd', {}, d.applicant),
            h('dt', {}, t('receivingUnit')),
            h('dd', {}, d.receivingUnit),
            h('dt', {}, t('channel')),
            h('dd', {}, channelLabel(d.channel)),
            h('dt', {}, t('submittedAt')),
            h('dd', {}, fmtDateTime(d.submittedAt)),
            d.receivedAt ? [h('dt', {}, t('receivedAt')), h('dd', {}, fmtDateTime(d.receivedAt))] : null,
            d.dueAt
              ? [
                  h('dt', {}, t('dueAt')),
                  h('dd', { id: 'public-due' }, h('strong', {}, fmtDateTime(d.dueAt))),
                ]
              : null,
            d.finishedAt ? [h('dt', {}, t('finishedAt')), h('dd', {}, fmtDateTime(d.finishedAt))] : null,
            d.returnedAt ? [h('dt', {}, t('returnedAt')), h('dd', {}, fmtDateTime(d.returnedAt))] : null,
          ),
          d.waitingFor
            ? h(
                'p',
                { class: 'banner warn', id: 'waiting-for' },
                h('strong', {}, `${t('nextStep')}: `),
                waiting(d.status, d.waitingFor),
              )
            : null,
          d.dueAt ? h('p', { class: 'hint' }, t('workingDayNote')) : null,
          h('p', { class: 'meta' }, t('lookupPrivacy')),
        ),
      );
    } catch (err) {
      replace(
        out,
        h(
          'p',
          { class: 'banner warn', role: 'alert', id: 'lookup-error' },
          err.status === 404 || err.code === 'DOSSIER_NOT_FOUND'
            ? t('lookupNotFound', { code })
            : err.status === 400
              ? t('lookupBadCode')
              : err.message,
        ),
      );
    }
  }
  const initial = query.get('ma');
  if (initial) await show(initial.trim().toUpperCase());
}

function waiting(status, fallback) {
  if (status === 5) return t('wait_supplement');
  if (status === 6) return t('wait_payment');
  if (status === 9) return t('wait_collect');
  return fallback;
}
