// The tiles of the operations dashboard: dossiers received and resolved, shares on time, online, paid online,
// digitized, with an electronic result, reusing data, satisfied, and the mean working days.
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { fmt1, fmtN, shareView } from './labels.js';

/** Draws the tiles into `box` for the summary `s`; off the wall screen, a count links to its dossiers. */
export function renderTiles(box, s, { wall, openDrill }) {
  const c = s.counts;
  const sh = s.shares;
  const drillBtn = (key, n) =>
    !wall && n > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'link ioc-tile-drill',
            id: `ioc-drill-key-${key}`,
            'on:click': () => openDrill({ key, offset: 0 }),
          },
          t(`iocSee_${key}`, { n: fmtN(n) }),
        )
      : null;
  const tile = (id, label, value, sub, { hot = false, more = null } = {}) =>
    h(
      'li',
      { class: `ioc-tile${hot ? ' hot' : ''}`, id: `ioc-tile-${id}` },
      h('span', { class: 'ioc-tile-label' }, label),
      h('strong', { class: 'ioc-tile-value' }, value),
      sub ? h('span', { class: 'ioc-tile-sub' }, sub) : null,
      more,
    );
  const shareTile = (id, label, share, num, den, denLabel) =>
    tile(
      id,
      label,
      shareView(share),
      share === null ? t('iocNoDossiersLong') : t('iocOfN', { a: fmtN(num), b: fmtN(den), what: denLabel }),
    );
  replace(
    box,
    h('h2', { id: 'ioc-tiles-h', class: 'sr-only' }, t('iocTiles')),
    h(
      'ul',
      { class: 'ioc-tiles' },
      tile(
        'received',
        t('iocReceived'),
        fmtN(c.received),
        t('iocChannelSplit', { counter: fmtN(c.counter), online: fmtN(c.online), post: fmtN(c.post) }),
      ),
      tile(
        'resolved',
        t('iocResolved'),
        fmtN(c.resolved),
        t('iocResolvedSplit', { early: fmtN(c.early), onTime: fmtN(c.onTime), late: fmtN(c.late) }),
      ),
      tile(
        'on-time',
        t('iocOnTimeShare'),
        shareView(sh.onTime),
        sh.onTime === null
          ? t('iocNoDossiersLong')
          : t('iocOfN', { a: fmtN(c.early + c.onTime), b: fmtN(c.resolved), what: t('iocWhatResolved') }),
        { more: drillBtn('late', c.late) },
      ),
      tile(
        'in-progress',
        t('iocInProgress'),
        h(
          'span',
          { class: 'ioc-pair' },
          h('span', { class: 'ioc-ok-n' }, fmtN(c.inProgressWithinDeadline)),
          h('span', { class: 'ioc-pair-sep' }, ' / '),
          h('span', { class: c.inProgressOverdue > 0 ? 'ioc-bad-n' : null }, fmtN(c.inProgressOverdue)),
        ),
        t('iocInProgressSplit', {
          within: fmtN(c.inProgressWithinDeadline),
          overdue: fmtN(c.inProgressOverdue),
        }),
        { hot: c.inProgressOverdue > 0, more: drillBtn('inProgressOverdue', c.inProgressOverdue) },
      ),
      shareTile('online', t('iocOnlineShare'), sh.online, c.online, c.received, t('iocWhatReceived')),
      shareTile(
        'paid-online',
        t('iocPaidShare'),
        sh.paidOnline,
        c.paidOnline,
        c.feeCharging,
        t('iocWhatFee'),
      ),
      shareTile(
        'digitized',
        t('iocDigitizedShare'),
        sh.digitized,
        c.digitized,
        c.received,
        t('iocWhatReceived'),
      ),
      shareTile(
        'electronic-result',
        t('iocEResultShare'),
        sh.electronicResult,
        c.electronicResult,
        c.received,
        t('iocWhatReceived'),
      ),
      shareTile('reused', t('iocReusedShare'), sh.reused, c.reusedData, c.received, t('iocWhatReceived')),
      shareTile(
        'satisfied',
        t('iocSatisfiedShare'),
        sh.satisfied,
        c.verySatisfied + c.satisfied,
        c.rated,
        t('iocWhatRated'),
      ),
      tile(
        'work-days',
        t('iocMeanDays'),
        sh.meanWorkDays === null ? shareView(null) : fmt1(sh.meanWorkDays),
        sh.meanWorkDays === null ? t('iocNoDossiersLong') : t('iocMeanDaysSub'),
      ),
    ),
  );
}
