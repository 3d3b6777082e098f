// Dossier page /ho-so/:code (the applicant): receipt after submission, status, timeline, what is asked of you,
// supplement answer, payment, withdrawal, downloads, notifications and rating. The parts of the page are in
// pages/dossier/.
import { api } from '../../api.js';
import { crumbs, h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { getMe, loginHref } from '../../main.js';
import { componentsCard } from './components.js';
import { dossierHead } from './head.js';
import { notificationsCard } from './notifications.js';
import { paymentBlock, paymentResult } from './payment.js';
import { ratingBlock } from './rating.js';
import { resultsCard } from './results.js';
import { supplementBlock } from './supplement.js';
import { timelineCard } from './timeline.js';
import { withdrawBlock } from './withdraw.js';

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
  const isNew = query.get('moi') === '1';
  const payResult = query.get('thanh-toan');
  const procName = ok(pub) ? pub.procedureName : '';
  ctx.setTitle(isNew ? t('receiptTitle') : t('dossierTitle', { code: dossier.code }));

  const payBox = ok(fees) ? paymentBlock(dossier.code, fees) : null;

  const head = dossierHead(dossier, { enc, isNew, procName });

  const payMessage = paymentResult(payResult);

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

  const timeline = timelineCard(dossier);

  const results = ok(docs) && docs.items.length ? resultsCard(docs) : null;

  const components = ok(comps) ? componentsCard(comps) : null;

  const notifications = ok(notes) ? notificationsCard(notes) : null;

  const ratingBox =
    ok(rating) && (rating.rating || rating.canRate) ? ratingBlock(dossier.code, rating) : null;
  const withdraw =
    dossier.availableActions.includes('withdraw') && me.kind === 'citizen'
      ? withdrawBlock(ctx, dossier)
      : null;
  const payCard = payBox && !asks.includes(payBox) && (fees.items.length || isNew) ? payBox : null;

  replace(
    main,
    me.kind === 'citizen' ? crumbs([t('navMyDossiers'), '/ho-so']) : null,
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
