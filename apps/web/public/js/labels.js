// Small shared labels: online level badges, levels, channels, statuses.
import { h } from './dom.js';
import { t } from './i18n.js';

export const levelLabel = (level) => t(`level_${level}`);
export const channelLabel = (c) => t(`channel_${c}`);
export const onlineBadge = (level) =>
  h('span', { class: `badge online-${String(level).toLowerCase()}` }, t(`online_${level}`));

/** Status badge with a colour per family: waiting for you (5, 6), done (9, 10), closed (3, 7, 8), in progress. */
export function statusBadge(status, label) {
  const kind = [5, 6].includes(status)
    ? 'warn'
    : [9, 10].includes(status)
      ? 'ok'
      : [3, 7, 8].includes(status)
        ? 'closed'
        : 'info';
  return h('span', { class: `badge status status-${kind}`, 'data-status': String(status) }, label);
}
