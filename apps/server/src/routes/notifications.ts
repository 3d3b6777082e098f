import { parseDossierCode } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unauthenticated } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { dossierRef, EMAIL_TOPIC, SMS_TOPIC } from '../notifications/listener.js';

const NotificationItem = z.object({
  channel: z.enum(['email', 'sms']),
  /** The address or number it went to (the applicant's own: shown in full to them and to officers). */
  to: z.string(),
  subject: z.string(),
  /** pending: queued or being retried; failed: given up after the last attempt. */
  status: z.enum(['pending', 'sent', 'failed']),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const STATUS = { pending: 'pending', sent: 'sent', dead: 'failed' } as const;

export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { dossiers, database } = app.ctx;

  r.get(
    '/api/dossiers/:code/notifications',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Thư điện tử và tin nhắn đã gửi (hoặc đang chờ gửi) cho người nộp về hồ sơ này',
        params: z.object({ code: z.string().max(60) }),
        response: { 200: z.object({ items: z.array(NotificationItem) }), ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const d = await dossiers.load(req.params.code, req.principal);
      const rows = await database.db
        .selectFrom('outbox')
        .select(['topic', 'payload', 'status', 'created_at', 'sent_at'])
        .where('ref', '=', dossierRef(d.id))
        .where('topic', 'in', [EMAIL_TOPIC, SMS_TOPIC])
        .orderBy('id')
        .execute();
      return {
        items: rows.map((row) => {
          const p = row.payload as { to?: unknown; subject?: unknown };
          return {
            channel: row.topic === EMAIL_TOPIC ? ('email' as const) : ('sms' as const),
            to: String(p.to ?? ''),
            subject: String(p.subject ?? ''),
            status: STATUS[row.status],
            createdAt: new Date(row.created_at).toISOString(),
            sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
          };
        }),
      };
    },
  );
}
