// Officer home /can-bo: sign-in, then the queue tiles with their counts (GET /api/queues) and shortcuts to the counter
// and the leader's view; a unit picker when the officer works in several units (in the side menu).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import {
  cleanupAll,
  hasRole,
  layout,
  loadQueues,
  QUEUE_KEYS,
  queueLabel,
  requireOfficer,
  shortcuts,
  unitName,
  workUnits,
} from './common.js';

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  ctx.setTitle(t('oHomeTitle'));
  const queues = await loadQueues(me, { fresh: true });
  const units = await Promise.all(workUnits(me).map(async (u) => `${await unitName(u)} (${u})`));
  const tiles = queues
    ? queues.map((q) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              class: `o-tile${q.key === 'overdue' && q.count > 0 ? ' hot' : ''}${q.key === 'due_soon' && q.count > 0 ? ' warm' : ''}`,
              href: `/can-bo/hang-doi/${q.key}`,
              id: `o-tile-${q.key}`,
            },
            h('strong', { class: 'o-tile-count' }, String(q.count)),
            h('span', {}, queueLabel(q)),
          ),
        ),
      )
    : QUEUE_KEYS.filter((k) => k === 'all').map((k) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: 'o-tile', href: `/can-bo/hang-doi/${k}`, id: `o-tile-${k}` },
            h('span', {}, t(`oq_${k}`)),
          ),
        ),
      );
  layout(
    ctx,
    me,
    'home',
    h('h1', {}, t('oHomeTitle')),
    h('p', { class: 'lead', id: 'o-home-lead' }, t('oHomeLead', { name: me.name }), ' ', units.join('; ')),
    queues ? null : h('p', { class: 'notice', id: 'o-queues-unavailable' }, t('oQueuesUnavailable')),
    h(
      'section',
      { 'aria-labelledby': 'o-h-queues' },
      h('h2', { id: 'o-h-queues' }, t('oQueues')),
      h('ul', { class: 'o-tiles', id: 'o-tiles' }, tiles),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'o-h-quick' },
      h('h2', { id: 'o-h-quick' }, t('quickLinks')),
      h(
        'ul',
        { class: 'plain' },
        hasRole(me, 'reception')
          ? h(
              'li',
              {},
              h('a', { href: '/can-bo/tiep-nhan', id: 'o-quick-intake' }, t('oIntakeTitle')),
              h('span', { class: 'meta' }, ` (${t('oKeyIntake')})`),
            )
          : null,
        hasRole(me, 'head', 'leader')
          ? h('li', {}, h('a', { href: '/can-bo/lanh-dao', id: 'o-quick-leader' }, t('oLeaderTitle')))
          : null,
        hasRole(me, 'head', 'leader', 'admin')
          ? h('li', {}, h('a', { href: '/can-bo/dieu-hanh', id: 'o-quick-dashboard' }, t('iocTitle')))
          : null,
        hasRole(me, 'admin')
          ? h('li', {}, h('a', { href: '/can-bo/quan-tri', id: 'o-quick-admin' }, t('oAdmin')))
          : null,
        h('li', {}, h('span', { class: 'meta' }, t('oKeysHelp'))),
      ),
    ),
  );
  return cleanupAll(shortcuts(ctx));
}
