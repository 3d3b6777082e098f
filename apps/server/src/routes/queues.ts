import { DomainError, vietnamDate } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer } from '../auth/principal.js';
import { errors, Paging } from '../http/schemas.js';
import { QUEUE_KEYS, QUEUE_LABELS, QueueService } from '../services/queues/index.js';

const UnitQuery = z.string().trim().min(1).max(40);

const QueueItemView = z.object({
  code: z.string(),
  version: z.number(),
  status: z.number(),
  statusLabel: z.string(),
  statusLabelEn: z.string(),
  channel: z.string(),
  applicantName: z.string(),
  applicantId: z.string().nullable(),
  procedureCode: z.string(),
  procedureName: z.string(),
  currentUnit: z.string(),
  currentStep: z.object({ name: z.string(), role: z.string() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  deadline: z.enum(['green', 'amber', 'red']).nullable(),
});

const LoadView = z.object({
  unit: z.string(),
  from: z.string(),
  to: z.string(),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      open: z.number(),
      dueSoon: z.number(),
      overdue: z.number(),
      finished: z.number(),
      onTime: z.number(),
      late: z.number(),
    }),
  ),
  officers: z.array(z.object({ id: z.string(), name: z.string(), open: z.number(), overdue: z.number() })),
});

/** Work queues of the logged-in officer, and the leaders' load view (issue 4). */
export async function queueRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, units, dossiers } = app.ctx;
  const queues = new QueueService(database, units, dossiers);

  r.get(
    '/api/queues',
    {
      schema: {
        tags: ['queues'],
        summary: 'Hàng đợi công việc của cán bộ và số hồ sơ trong từng hàng đợi / work queues with counts',
        querystring: z.object({ unit: UnitQuery.optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.enum(QUEUE_KEYS),
                label: z.string(),
                labelEn: z.string(),
                count: z.number(),
              }),
            ),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      const counts = await queues.counts(queues.scope(officer, req.query.unit));
      return {
        items: QUEUE_KEYS.map((key) => ({
          key,
          label: QUEUE_LABELS[key].vi,
          labelEn: QUEUE_LABELS[key].en,
          count: counts[key],
        })),
      };
    },
  );

  r.get(
    '/api/queues/:key',
    {
      schema: {
        tags: ['queues'],
        summary: 'Hồ sơ trong một hàng đợi, có lọc và tìm kiếm / one queue, filtered',
        params: z.object({ key: z.enum(QUEUE_KEYS) }),
        querystring: Paging.extend({
          unit: UnitQuery.optional(),
          procedure: z.string().trim().min(1).max(40).optional(),
          channel: z.enum(['counter', 'online', 'post']).optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          q: z.string().trim().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(QueueItemView), total: z.number(), totalCapped: z.boolean() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      const { unit, limit, offset, ...filters } = req.query;
      return queues.list(req.params.key, queues.scope(officer, unit), filters, { limit, offset });
    },
  );

  r.get(
    '/api/leader/load',
    {
      schema: {
        tags: ['queues'],
        summary: 'Tải công việc và tình hình trễ hạn của đơn vị (lãnh đạo) / unit load and lateness',
        querystring: z.object({
          unit: UnitQuery.optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
        }),
        response: { 200: LoadView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      const watching = officer.roles.filter((x) => x.role === 'head' || x.role === 'leader');
      const unit = req.query.unit ? units.get(req.query.unit).code : watching[0]?.unit;
      if (!unit || !watching.some((x) => units.covers(x.unit, unit))) {
        throw new DomainError(
          'FORBIDDEN',
          'Chỉ lãnh đạo của đơn vị (hoặc đơn vị cấp trên) được xem tình hình xử lý hồ sơ của đơn vị.',
          'Only a head or leader of the unit (or of a unit above it) may see its load.',
        );
      }
      // Default period: this month so far (Vietnam dates).
      const today = vietnamDate(new Date());
      const from = req.query.from ?? `${today.slice(0, 8)}01`;
      const to = req.query.to ?? today;
      if (from > to) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.',
          'The start date must not be after the end date.',
          { from, to },
        );
      }
      return { unit, from, to, ...(await queues.load(unit, { from, to })) };
    },
  );
}
