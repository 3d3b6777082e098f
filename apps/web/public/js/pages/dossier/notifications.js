// The notifications sent to the applicant about a dossier (SMS and e-mail) and whether they went out.
import { h } from '../../dom.js';
import { fmtDateTime } from '../../format.js';
import { t } from '../../i18n.js';

/** The card of the notifications `notes` (GET /api/dossiers/:code/notifications). */
export function notificationsCard(notes) {
  return h(
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
  );
}
