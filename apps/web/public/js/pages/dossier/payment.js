// Fees and payment of a dossier: what is due and paid, the button to pay online (VNPAY sandbox), the payments
// made, and the banner shown on return from the gateway.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDateTime, fmtMoney } from '../../format.js';
import { t } from '../../i18n.js';

/** The fees block of dossier `code`; `fees` is GET /api/dossiers/:code/fees. */
export function paymentBlock(code, fees) {
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

/** The banner for the return from the gateway (`payResult`: thanh-cong, huy or another failure), or null. */
export function paymentResult(payResult) {
  return payResult
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
}
