// Dossier page /ho-so/:code (the applicant): receipt after submission, status, timeline, what is asked of you,
// supplement answer, payment, withdrawal, downloads, notifications and rating.
import { api, uploadFile } from '../api.js';
import { h, replace } from '../dom.js';
import { ACCEPT, checkFile, uploadErrorMessage } from '../files.js';
import { fmtDate, fmtDateTime, fmtMoney, fmtSize } from '../format.js';
import { lang, t } from '../i18n.js';
import { channelLabel, statusBadge } from '../labels.js';
import { getMe, loginHref } from '../main.js';

const optional = (p) => p.catch((err) => ({ __error: err }));
const ok = (x) => x && !x.__error;

export async function render(ctx) {
  const { main, query } = ctx;
  const code = ctx.params[0];
  const me = getMe();
  const here = location.pathname + location.search;
  if (me?.kind !== 'citizen' && me?.kind !== 'officer') {
    ctx.setTitle(t('dossierTitle', { code }));
    replace(
      main,
      h(
        'section',
        { class: 'card narrow' },
        h('h1', {}, t('dossierTitle', { code })),
        h('p', {}, t('loginToSeeDossier')),
        h('p', {}, h('a', { class: 'btn big', href: loginHref(here), 'data-reload': '' }, t('loginVneid'))),
        h('p', {}, h('a', { href: `/?ma=${encodeURIComponent(code)}` }, t('publicStatusInstead'))),
      ),
    );
    return;
  }
  const enc = encodeURIComponent(code);
  const [dossier, pub, fees, comps, notes, docs, rating] = await Promise.all([
    api(`/api/dossiers/${enc}`),
    optional(api(`/api/lookup/${enc}`)),
    optional(api(`/api/dossiers/${enc}/fees`)),
    optional(api(`/api/dossiers/${enc}/components`)),
    optional(api(`/api/dossiers/${enc}/notifications`)),
    optional(api(`/api/dossiers/${enc}/documents`)),
    optional(api(`/api/dossiers/${enc}/rating`)),
  ]);
  const s = dossier.state;
  const isNew = query.get('moi') === '1';
  const payResult = query.get('thanh-toan');
  const statusLabel = lang() === 'en' ? dossier.statusLabelEn : dossier.statusLabel;
  const procName = ok(pub) ? pub.procedureName : '';
  ctx.setTitle(isNew ? t('receiptTitle') : t('dossierTitle', { code: dossier.code }));

  const due = s.dueAt ?? dossier.expectedDueAt ?? null;
  const dueLabel = s.dueAt ? t('dueAt') : t('expectedDueAt');
  const qr = h('img', {
    src: `/api/lookup/${enc}/qr.svg`,
    alt: t('qrAlt', { code: dossier.code }),
    width: '160',
    height: '160',
    class: 'qr',
    id: 'lookup-qr',
  });
  qr.addEventListener('error', () => qr.replaceWith(h('p', { class: 'meta' }, t('qrUnavailable'))));

  const payBox = ok(fees) ? paymentBlock(dossier.code, fees) : null;

  const head = h(
    'section',
    { class: `card dossier-head${isNew ? ' receipt' : ''}`, 'aria-labelledby': 'dossier-h1' },
    isNew ? h('p', { class: 'success-mark' }, t('submittedOk')) : null,
    isNew
      ? h('h1', { id: 'dossier-h1' }, t('receiptTitle'))
      : h(
          'h1',
          { id: 'dossier-h1' },
          h('span', { class: 'code-label block' }, t('dossierCode')),
          h('span', { class: 'big-code block', id: 'dossier-code' }, dossier.code),
        ),
    procName ? h('p', { class: 'proc-name' }, procName) : null,
    h(
      'div',
      { class: 'receipt-grid' },
      h(
        'div',
        {},
        isNew ? h('p', { class: 'code-label' }, t('dossierCode')) : null,
        isNew ? h('p', { class: 'big-code', id: 'dossier-code' }, dossier.code) : null,
        h(
          'p',
          {},
          h('span', { class: 'sr-only' }, `${t('status')}: `),
          statusBadge(dossier.status, statusLabel),
        ),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, t('submittedAt')),
          h('dd', {}, fmtDateTime(s.submittedAt)),
          s.receivedAt ? [h('dt', {}, t('receivedAt')), h('dd', {}, fmtDateTime(s.receivedAt))] : null,
          due ? [h('dt', {}, dueLabel), h('dd', { id: 'due-at' }, h('strong', {}, fmtDateTime(due)))] : null,
          s.returnedAt ? [h('dt', {}, t('returnedAt')), h('dd', {}, fmtDateTime(s.returnedAt))] : null,
          h('dt', {}, t('channel')),
          h('dd', {}, channelLabel(s.channel)),
        ),
        due ? h('p', { class: 'hint' }, t('workingDayNote')) : null,
        !s.dueAt && due ? h('p', { class: 'hint' }, t('expectedDueNote')) : null,
      ),
      h('figure', { class: 'qr-box' }, qr, h('figcaption', {}, t('qrCaption'))),
    ),
    h(
      'p',
      { class: 'row-buttons' },
      h(
        'a',
        {
          class: 'btn secondary',
          href: `/api/dossiers/${enc}/forms/receipt`,
          id: 'receipt-pdf',
          target: '_blank',
          rel: 'noopener',
        },
        t('receiptPdf'),
      ),
      isNew ? h('a', { class: 'btn secondary', href: `/ho-so/${enc}` }, t('followDossier')) : null,
    ),
  );

  const payMessage = payResult
    ? h(
        'div',
        {
          class: `banner ${payResult === 'thanh-cong' ? 'ok' : 'warn'}`,
          role: payResult === 'thanh-cong' ? 'status' : 'alert',
          id: 'payment-result',
        },
        h(
          'p',
          {},
          h(
            'strong',
            {},
            t(`pay_${payResult === 'thanh-cong' ? 'ok' : payResult === 'huy' ? 'cancelled' : 'failed'}`),
          ),
        ),
        h(
          'p',
          {},
          t(`pay_${payResult === 'thanh-cong' ? 'ok' : payResult === 'huy' ? 'cancelled' : 'failed'}_more`),
        ),
      )
    : null;

  // What is asked of the applicant now.
  const asks = [];
  const lastSupp = [...(dossier.actions ?? [])].reverse().find((a) => a.type === 'request_supplement');
  if (dossier.status === 5 && lastSupp)
    asks.push(supplementBlock(ctx, dossier, lastSupp, ok(comps) ? comps.items : null));
  if (payBox && (dossier.status === 6 || fees.dueVnd > 0)) asks.push(payBox);
  if (dossier.status === 9) asks.push(h('p', {}, t('askCollect')));
  const askSection = asks.length
    ? h(
        'section',
        { class: 'card asks', 'aria-labelledby': 'asks-title', id: 'asks' },
        h('h2', { id: 'asks-title' }, t('askedOfYou')),
        asks,
      )
    : null;

  const timeline = h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, t('timeline')),
    h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      (dossier.actions ?? [])
        .filter((a) => a.type !== 'comment' && a.type !== 'assign')
        .map((a) =>
          h(
            'li',
            {},
            h('time', { datetime: a.at }, fmtDateTime(a.at)),
            h('p', {}, actionSentence(a)),
            a.reason &&
              [
                'refuse',
                'request_supplement',
                'request_payment',
                'withdraw',
                'stop',
                'apologize',
                'finish',
              ].includes(a.type)
              ? h('p', { class: 'meta' }, `${t('reason')}: ${a.reason}`)
              : null,
            a.type === 'request_supplement' && Array.isArray(a.payload?.items)
              ? h(
                  'ul',
                  { class: 'meta' },
                  a.payload.items.map((x) => h('li', {}, x)),
                )
              : null,
          ),
        ),
    ),
  );

  const results =
    ok(docs) && docs.items.length
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'results-title' },
          h('h2', { id: 'results-title' }, t('resultsDocs')),
          h(
            'ul',
            { class: 'plain docs', id: 'result-documents' },
            docs.items.map((doc) =>
              h(
                'li',
                {},
                h('strong', {}, doc.title),
                doc.numberSymbol ? ` — ${t('numberSymbol')} ${doc.numberSymbol}` : '',
                doc.issuedAt
                  ? h('span', { class: 'meta' }, ` (${t('issuedOn', { date: fmtDate(doc.issuedAt) })})`)
                  : null,
                doc.status === 'revoked'
                  ? h('span', { class: 'badge status status-closed' }, t('revoked'))
                  : null,
                h(
                  'span',
                  { class: 'row-buttons' },
                  h(
                    'a',
                    {
                      class: 'btn secondary small',
                      href: `/api/documents/${encodeURIComponent(doc.id)}/file`,
                      download: '',
                    },
                    t('downloadPdf'),
                  ),
                  doc.verifyUrl
                    ? h(
                        'a',
                        {
                          class: 'btn secondary small',
                          href: new URL(doc.verifyUrl, location.href).pathname,
                        },
                        t('verifyDoc'),
                      )
                    : null,
                ),
              ),
            ),
          ),
        )
      : null;

  const components = ok(comps)
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'comps-title' },
        h('h2', { id: 'comps-title' }, t('componentsAndFiles')),
        h(
          'ul',
          { class: 'plain comps', id: 'dossier-components' },
          comps.items.map((c) =>
            h(
              'li',
              {},
              h('p', {}, c.name.length > 220 ? `${c.name.slice(0, 220)}…` : c.name),
              h(
                'p',
                { class: 'meta' },
                c.provided
                  ? t('provided')
                  : c.required
                    ? h('span', { class: 'error' }, t('missingRequired'))
                    : t('notProvided'),
                c.digitized ? ` · ${t('digitized')}` : '',
                c.reused ? ` · ${t('reused')}` : '',
              ),
              c.files?.length
                ? h(
                    'ul',
                    { class: 'files' },
                    c.files.map((f) =>
                      h(
                        'li',
                        {},
                        h(
                          'a',
                          {
                            href: `/api/files/${encodeURIComponent(f.id)}`,
                            target: '_blank',
                            rel: 'noopener',
                          },
                          f.name,
                        ),
                        h(
                          'span',
                          { class: 'meta' },
                          ` ${fmtSize(f.size)}${f.phase === 'supplement' ? ` · ${t('phaseSupplement')}` : ''}`,
                        ),
                      ),
                    ),
                  )
                : null,
            ),
          ),
        ),
      )
    : null;

  const notifications = ok(notes)
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'notes-title' },
        h('h2', { id: 'notes-title' }, t('notifications')),
        notes.items.length
          ? h(
              'ul',
              { class: 'plain', id: 'notifications' },
              notes.items.map((n) =>
                h(
                  'li',
                  {},
                  h('strong', {}, `${n.channel === 'sms' ? 'SMS' : 'Email'} → ${n.to}`),
                  h(
                    'span',
                    { class: 'meta' },
                    ` · ${fmtDateTime(n.sentAt ?? n.createdAt)} · ${t(`note_${n.status}`)}`,
                  ),
                  n.subject ? h('span', { class: 'block' }, n.subject) : null,
                ),
              ),
            )
          : h('p', {}, t('noNotifications')),
      )
    : null;

  const ratingBox =
    ok(rating) && (rating.rating || rating.canRate) ? ratingBlock(dossier.code, rating) : null;
  const withdraw =
    dossier.availableActions.includes('withdraw') && me.kind === 'citizen'
      ? withdrawBlock(ctx, dossier)
      : null;
  const payCard = payBox && !asks.includes(payBox) && (fees.items.length || isNew) ? payBox : null;

  replace(
    main,
    me.kind === 'citizen'
      ? h(
          'nav',
          { 'aria-label': t('breadcrumb'), class: 'crumbs' },
          h(
            'ol',
            {},
            h('li', {}, h('a', { href: '/' }, t('home'))),
            h('li', {}, h('a', { href: '/ho-so' }, t('navMyDossiers'))),
          ),
        )
      : null,
    payMessage,
    head,
    askSection,
    payCard
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'fees-title' },
          h('h2', { id: 'fees-title' }, t('fees')),
          payCard,
        )
      : null,
    ratingBox,
    results,
    timeline,
    components,
    notifications,
    withdraw,
  );
  if (payMessage || isNew) ctx.announce(isNew ? t('submittedOk') : payMessage.textContent);
}

/** A plain-Vietnamese sentence for one step of the timeline. */
export function actionSentence(a) {
  const p = a.payload ?? {};
  switch (a.type) {
    case 'submit':
      return t('act_submit', { channel: channelLabel(p.channel ?? 'online') });
    case 'accept':
      return t('act_accept', { due: fmtDateTime(p.dueAt) });
    case 'return_result':
      return t(`act_return_result_${p.method ?? 'counter'}`);
    case 'finish':
      return t(p.outcome === 'rejected' ? 'act_finish_rejected' : 'act_finish');
    case 'apologize':
      return t('act_apologize', { due: fmtDateTime(p.newDueAt ?? p.dueAt) });
    case 'request_payment':
      return t('act_request_payment', { amount: fmtMoney(p.amountVnd) });
    case 'provide_supplement':
      return p.dueAt
        ? t('act_provide_supplement_due', { due: fmtDateTime(p.dueAt) })
        : t('act_provide_supplement');
    case 'confirm_payment':
      return p.dueAt ? t('act_confirm_payment_due', { due: fmtDateTime(p.dueAt) }) : t('act_confirm_payment');
    case 'refuse':
    case 'request_supplement':
    case 'forward':
    case 'send_back':
    case 'withdraw':
    case 'stop':
    case 'succession':
      return t(`act_${a.type}`);
    default:
      return t('act_other');
  }
}

function paymentBlock(code, fees) {
  const wrap = h('div', { class: 'payment', id: 'payment' });
  const msg = h('p', { class: 'field-error', role: 'alert', hidden: true, id: 'payment-error' });
  const payBtn =
    fees.dueVnd > 0 && fees.payableOnline
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn big',
            id: 'pay-online',
            'on:click': async (e) => {
              const b = e.currentTarget;
              b.disabled = true;
              b.textContent = t('redirectingToPay');
              try {
                const r = await api(`/api/dossiers/${encodeURIComponent(code)}/payments`, {
                  method: 'POST',
                  body: {},
                });
                window.location = r.redirectUrl;
              } catch (err) {
                b.disabled = false;
                b.textContent = t('payOnline');
                msg.hidden = false;
                msg.textContent = err.code === 'NOTHING_TO_PAY' ? t('nothingToPay') : err.message;
              }
            },
          },
          t('payOnline'),
        )
      : null;
  return replace(
    wrap,
    h('h3', {}, t('feesToPay')),
    fees.items.length
      ? h(
          'table',
          { class: 'grid' },
          h('caption', { class: 'sr-only' }, t('fees')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, t('feeName')),
              h('th', { scope: 'col', class: 'num' }, t('amount')),
            ),
          ),
          h(
            'tbody',
            {},
            fees.items.map((f) =>
              h('tr', {}, h('td', {}, f.name), h('td', { class: 'num' }, fmtMoney(f.amountVnd))),
            ),
          ),
        )
      : h('p', {}, t('noFee')),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, t('feeTotal')),
      h('dd', {}, fmtMoney(fees.totalVnd)),
      h('dt', {}, t('feePaid')),
      h('dd', {}, fmtMoney(fees.paidVnd)),
      h('dt', {}, t('feeDue')),
      h('dd', { id: 'fee-due' }, h('strong', {}, fmtMoney(fees.dueVnd))),
    ),
    payBtn,
    fees.dueVnd > 0 && !fees.payableOnline ? h('p', { class: 'hint' }, t('payAtCounter')) : null,
    msg,
    fees.payments?.length
      ? h(
          'ul',
          { class: 'plain meta' },
          fees.payments.map((p) =>
            h(
              'li',
              {},
              `${fmtDateTime(p.paidAt ?? p.createdAt)} — ${fmtMoney(p.amountVnd)} — ${t(`payStatus_${p.status}`)}${p.refundNeeded ? ` — ${t('payRefundNeeded')}` : ''}${p.reference ? ` (${p.reference})` : ''}`,
            ),
          ),
        )
      : null,
  );
}

function supplementBlock(ctx, dossier, action, components) {
  const code = dossier.code;
  const items = Array.isArray(action.payload?.items) ? action.payload.items : [];
  const chosen = {};
  const comps = components ?? [];
  const err = h('div', { class: 'field-error', role: 'alert', hidden: true, id: 'supplement-error' });
  const note = h('textarea', { id: 'supplement-note', rows: '3', maxlength: '2000' });
  const send = h('button', { type: 'submit', class: 'btn', id: 'send-supplement' }, t('sendSupplement'));
  const rows = comps.map((c) => {
    const list = h('ul', { class: 'files' });
    const cerr = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const id = `supp-${c.code}`;
    chosen[c.code] = [];
    const draw = () =>
      replace(
        list,
        chosen[c.code].map((f) =>
          h(
            'li',
            { class: 'file' },
            h('span', { class: 'file-name' }, f.name),
            h('span', { class: 'meta' }, ` ${fmtSize(f.size)}`),
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                'aria-label': t('removeFile', { name: f.name }),
                'on:click': () => {
                  chosen[c.code] = chosen[c.code].filter((x) => x.id !== f.id);
                  api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                  draw();
                },
              },
              t('remove'),
            ),
          ),
        ),
      );
    const input = h('input', {
      type: 'file',
      id,
      accept: ACCEPT,
      multiple: true,
      class: 'file-input',
      'on:change': async (e) => {
        const msgs = [];
        for (const file of [...e.target.files]) {
          const m = checkFile(file);
          if (m) {
            msgs.push(m);
            continue;
          }
          const progress = h('progress', {
            max: '100',
            value: '0',
            'aria-label': t('uploading', { name: file.name }),
          });
          list.append(h('li', {}, file.name, ' ', progress));
          try {
            const r = await uploadFile(file, (p) => (progress.value = Math.round(p * 100))).promise;
            chosen[c.code].push({ id: r.id, name: r.name ?? file.name, size: r.size ?? file.size });
            ctx.announce(t('fileUploaded', { name: file.name }));
          } catch (ex) {
            msgs.push(uploadErrorMessage(ex, file.name));
          }
          draw();
        }
        cerr.hidden = msgs.length === 0;
        cerr.textContent = msgs.join(' ');
        e.target.value = '';
      },
    });
    return h(
      'li',
      { class: 'component' },
      h('p', { class: 'comp-name' }, c.name.length > 220 ? `${c.name.slice(0, 220)}…` : c.name),
      list,
      cerr,
      h(
        'div',
        { class: 'upload-actions' },
        h('label', { for: id, class: 'btn secondary file-label' }, t('uploadFile')),
        input,
      ),
    );
  });
  const form = h(
    'form',
    {
      id: 'supplement-form',
      'on:submit': async (e) => {
        e.preventDefault();
        const components = Object.entries(chosen)
          .filter(([, fs]) => fs.length)
          .map(([c, fs]) => ({ code: c, fileIds: fs.map((f) => f.id) }));
        // The answer to a supplement request is the documents asked for (the note only accompanies them).
        if (components.length === 0) {
          err.hidden = false;
          err.textContent = t('supplementEmpty');
          return;
        }
        send.disabled = true;
        send.textContent = t('sending');
        try {
          await api(`/api/dossiers/${encodeURIComponent(code)}/supplement`, {
            method: 'POST',
            body: { expectedVersion: dossier.version, note: note.value.trim() || undefined, components },
          });
          ctx.announce(t('supplementSent'));
          await ctx.navigate(`/ho-so/${encodeURIComponent(code)}`, { replace: true });
        } catch (ex) {
          send.disabled = false;
          send.textContent = t('sendSupplement');
          err.hidden = false;
          err.textContent = ex.code === 'VERSION_CONFLICT' ? t('versionConflict') : ex.message;
        }
      },
    },
    rows.length ? h('ol', { class: 'upload-list' }, rows) : null,
    h('div', { class: 'field' }, h('label', { for: 'supplement-note' }, t('supplementNote')), note),
    err,
    send,
  );
  return h(
    'div',
    { class: 'supplement', id: 'supplement' },
    h('h3', {}, t('supplementAsked')),
    action.reason ? h('p', {}, action.reason) : null,
    items.length
      ? h(
          'ul',
          { id: 'supplement-items' },
          items.map((x) => h('li', {}, h('strong', {}, x))),
        )
      : null,
    h('p', { class: 'hint' }, t('supplementClock')),
    form,
  );
}

function withdrawBlock(ctx, dossier) {
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

const CRITERIA = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
const LEVELS = ['very_satisfied', 'satisfied', 'unsatisfied'];

function ratingBlock(code, data) {
  const box = h(
    'section',
    { class: 'card', 'aria-labelledby': 'rating-title', id: 'rating' },
    h('h2', { id: 'rating-title' }, t('ratingTitle')),
  );
  if (data.rating) {
    box.append(
      h(
        'p',
        { id: 'rating-done' },
        t('ratingDone', { level: t(`rate_${data.rating.level}`), date: fmtDate(data.rating.createdAt) }),
      ),
      data.rating.criteria
        ? h(
            'p',
            { class: 'meta' },
            t('ratingScore', { n: CRITERIA.reduce((sum, c) => sum + (data.rating.criteria[c] ?? 0), 0) }),
          )
        : null,
    );
    return box;
  }
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true, id: 'rating-error' });
  const levels = h(
    'fieldset',
    { class: 'rating-levels' },
    h('legend', {}, t('ratingQuestion')),
    LEVELS.map((l) =>
      h(
        'div',
        { class: 'radio' },
        h('input', { type: 'radio', name: 'level', id: `rate-${l}`, value: l }),
        h('label', { for: `rate-${l}` }, t(`rate_${l}`)),
      ),
    ),
  );
  const criteria = h(
    'details',
    {},
    h('summary', {}, t('ratingCriteria')),
    h('p', { class: 'hint' }, t('ratingCriteriaHint')),
    CRITERIA.map((c, i) =>
      h(
        'fieldset',
        { class: 'criterion' },
        h('legend', {}, `${i + 1}. ${t(`crit_${c}`)}`),
        [2, 1, 0].map((v) =>
          h(
            'span',
            { class: 'radio inline' },
            h('input', { type: 'radio', name: c, id: `${c}-${v}`, value: String(v) }),
            h('label', { for: `${c}-${v}` }, t(`critScore_${v}`)),
          ),
        ),
      ),
    ),
  );
  const comment = h('textarea', { id: 'rating-comment', rows: '3', maxlength: '2000' });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'rating-submit' }, t('sendRating'));
  const form = h(
    'form',
    {
      id: 'rating-form',
      'on:submit': async (e) => {
        e.preventDefault();
        const fd = new FormData(form);
        const level = fd.get('level');
        if (!level) {
          err.hidden = false;
          err.textContent = t('ratingChoose');
          form.querySelector('input[name=level]').focus();
          return;
        }
        const crit = {};
        let any = false;
        for (const c of CRITERIA) {
          const v = fd.get(c);
          if (v !== null) {
            crit[c] = Number(v);
            any = true;
          }
        }
        if (any && Object.keys(crit).length < CRITERIA.length) {
          err.hidden = false;
          err.textContent = t('ratingAllCriteria');
          return;
        }
        btn.disabled = true;
        try {
          const r = await api(`/api/dossiers/${encodeURIComponent(code)}/rating`, {
            method: 'POST',
            body: {
              level,
              ...(any ? { criteria: crit } : {}),
              ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
            },
          });
          replace(
            box,
            h('h2', { id: 'rating-title' }, t('ratingTitle')),
            h(
              'p',
              { id: 'rating-done', role: 'status' },
              t('ratingThanks', { level: t(`rate_${r.rating?.level ?? level}`) }),
            ),
          );
        } catch (ex) {
          btn.disabled = false;
          err.hidden = false;
          err.textContent = ex.code === 'ALREADY_RATED' ? t('alreadyRated') : ex.message;
        }
      },
    },
    levels,
    criteria,
    h('div', { class: 'field' }, h('label', { for: 'rating-comment' }, t('ratingComment')), comment),
    err,
    btn,
  );
  box.append(h('p', {}, t('ratingIntro')), form);
  return box;
}
