import { DomainError, solarToLunar, toVietnamIso, WorkingDays } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireProvinceAdmin } from '../auth/principal.js';
import { errors } from '../http/schemas.js';

const Year = z.coerce.number().int().min(1900).max(2100);

/** A real calendar date YYYY-MM-DD (rejects 2026-02-30). */
export const IsoDate = z.iso.date().refine(
  (s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  },
  { message: 'not a real date' },
);

/** ISO 8601 instant with an offset. A '+' sent unencoded in a query string arrives as a space: accept it. */
const Instant = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/ (\d{2}:?\d{2})$/, '+$1') : v),
  z.iso.datetime({ offset: true, message: 'ISO 8601 with offset, e.g. 2026-04-24T09:00:00+07:00' }),
);

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** Office hours: ordered, non-overlapping sessions within a day, e.g. [["07:30","11:30"],["13:00","17:00"]]. */
export const WorkingHoursBody = z.object({
  sessions: z
    .array(z.tuple([Clock, Clock]))
    .min(1)
    .max(4)
    .refine((xs) => xs.every(([a, b], i) => a < b && (i === 0 || xs[i - 1]![1] <= a)), {
      message: 'sessions must be ordered and must not overlap',
    }),
});

const DayItem = z.object({
  date: z.string(),
  kind: z.enum(['holiday', 'compensatory', 'swapped', 'makeup_workday']),
  name: z.string(),
});

export async function calendarRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { calendar, units } = app.ctx;

  r.get(
    '/api/calendar/holidays',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Ngày nghỉ (lễ, Tết, nghỉ bù, hoán đổi) và ngày làm bù của một năm / days off and make-up working days',
        querystring: z.object({ year: Year }),
        response: {
          200: z.object({
            year: z.number(),
            official: z.boolean(),
            source: z.string(),
            items: z.array(DayItem),
          }),
          ...errors(400),
        },
      },
    },
    async (req) => calendar.holidays(req.query.year),
  );

  r.get(
    '/api/calendar/lunar',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Đổi ngày dương sang âm lịch Việt Nam (UTC+7) / Vietnamese lunar date',
        querystring: z.object({
          date: IsoDate.refine((s) => s >= '1900-01-31' && s <= '2100-12-31', { message: 'out of range' }),
        }),
        response: {
          200: z.object({ day: z.number(), month: z.number(), year: z.number(), leapMonth: z.boolean() }),
          ...errors(400),
        },
      },
    },
    async (req) => {
      const l = solarToLunar(req.query.date);
      return { day: l.day, month: l.month, year: l.year, leapMonth: l.leapMonth };
    },
  );

  r.get(
    '/api/calendar/due',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Hạn xử lý: cộng N ngày làm việc (bội số của 0,5) kể từ thời điểm `from`, theo lịch và giờ làm việc của tỉnh',
        querystring: z.object({ from: Instant, workingDays: z.coerce.number().pipe(WorkingDays) }),
        response: { 200: z.object({ due: z.string() }), ...errors(400) },
      },
    },
    async (req) => {
      const from = new Date(req.query.from);
      const year = Number(req.query.from.slice(0, 4));
      if (year < 1901 || year > 2099) {
        throw new DomainError('DATE_INVALID', 'Năm ngoài phạm vi 1901–2099.', 'Year out of range 1901–2099.');
      }
      return { due: toVietnamIso(calendar.calendar().addWorkingDays(from, req.query.workingDays)) };
    },
  );

  r.get(
    '/api/calendar/settings',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Giờ làm việc mặc định và giờ chốt chuyển hồ sơ giấy (15:00) / office hours and paper cut-off',
        response: { 200: z.object({ paperTransferCutoff: z.string(), workingHours: WorkingHoursBody }) },
      },
    },
    async () => ({
      paperTransferCutoff: calendar.paperCutoff,
      workingHours: { sessions: calendar.defaultHours.sessions.map(([a, b]) => [a, b] as [string, string]) },
    }),
  );

  r.put(
    '/api/calendar/settings',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Đổi giờ làm việc mặc định và giờ chốt chuyển hồ sơ giấy (quản trị)',
        body: z.object({ paperTransferCutoff: Clock.optional(), workingHours: WorkingHoursBody.optional() }),
        response: { 204: z.null(), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      requireProvinceAdmin(req, units);
      if (req.body.paperTransferCutoff) {
        await calendar.saveSetting('paper_transfer_cutoff', req.body.paperTransferCutoff, auditActor(req));
      }
      if (req.body.workingHours)
        await calendar.saveSetting('default_working_hours', req.body.workingHours, auditActor(req));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/calendar/paper-transfer',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Hạn chuyển hồ sơ giấy đến cơ quan giải quyết: trong ngày, hoặc đầu ngày làm việc sau nếu nhận sau giờ chốt',
        querystring: z.object({ receivedAt: Instant }),
        response: { 200: z.object({ deadline: z.string(), cutoff: z.string() }), ...errors(400) },
      },
    },
    async (req) => ({
      deadline: toVietnamIso(calendar.clock().paperTransferDeadline!(new Date(req.query.receivedAt))),
      cutoff: calendar.paperCutoff,
    }),
  );

  r.put(
    '/api/calendar/years/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Cập nhật lịch nghỉ chính thức của một năm (quản trị) / replace a year’s official schedule',
        params: z.object({ year: Year }),
        body: z.object({
          source: z.string().trim().min(3).max(500),
          items: z.array(DayItem.extend({ date: IsoDate })).max(80),
        }),
        response: { 200: z.object({ year: z.number(), items: z.number() }), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      const { year } = req.params;
      const bad = req.body.items.find((d) => Number(d.date.slice(0, 4)) !== year);
      if (bad)
        throw new DomainError(
          'VALIDATION_FAILED',
          `Ngày ${bad.date} không thuộc năm ${year}.`,
          `${bad.date} is not in ${year}.`,
        );
      const dup = req.body.items.find((d, i) => req.body.items.findIndex((x) => x.date === d.date) !== i);
      if (dup)
        throw new DomainError('VALIDATION_FAILED', `Ngày ${dup.date} bị lặp.`, `Duplicate date ${dup.date}.`);
      await calendar.replaceYear(year, req.body.items, req.body.source, auditActor(req));
      return { year, items: req.body.items.length };
    },
  );
}
