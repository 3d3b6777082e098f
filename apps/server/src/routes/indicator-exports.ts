/**
 * Exports of the indicator dashboard (issue 6 item 4): the same figures as GET /api/indicators for a unit and a
 * period, as an XLSX workbook (sheets "Chỉ số", "Bộ chỉ số 766", "Đơn vị", "Thủ tục") and as an A4 landscape PDF
 * (the KPI table, the 766 table and the child units). Same access rule as the dashboard: heads, leaders and
 * administrators of the unit or above it.
 * The workbook is built in indicator-exports/xlsx.ts, the PDF in indicator-exports/pdf.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer } from '../auth/principal.js';
import { attachmentDisposition, XLSX_MIME } from '../documents/registers-xlsx.js';
import { errors } from '../http/schemas.js';
import type { IndicatorService } from '../services/indicators.js';
import { indicatorsToPdf } from './indicator-exports/pdf.js';
import type { Summary } from './indicator-exports/report.js';
import { indicatorsToXlsx } from './indicator-exports/xlsx.js';
import { PeriodQuery, periodOf } from './indicators.js';

export async function indicatorExportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units } = app.ctx;
  const indicators: IndicatorService = app.ctx.indicators;

  /** As GET /api/indicators: the unit asked for (default: the highest one watched), checked against the roles. */
  function watchedUnit(req: Parameters<typeof requireOfficer>[0], unit: string | undefined): string {
    const officer = requireOfficer(req);
    const code = unit ? units.get(unit).code : indicators.defaultUnit(officer.roles);
    indicators.assertMayView(officer.roles, code ?? '');
    return code!;
  }

  const Query = PeriodQuery.extend({ unit: z.string().trim().min(1).max(40).optional() });
  const send = (reply: FastifyReply, type: string, name: string, file: Buffer) =>
    reply
      .header('content-type', type)
      .header('content-disposition', attachmentDisposition(name))
      .header('cache-control', 'private, no-store')
      .send(file);
  const fileName = (s: Summary, ext: string) => `chi-so-phuc-vu-${s.unit.code}-${s.period.key}.${ext}`;

  r.get(
    '/api/indicators/export.xlsx',
    {
      schema: {
        tags: ['indicators'],
        summary:
          'Chỉ số phục vụ và Bộ chỉ số 766 của một đơn vị, bảng tính XLSX / the dashboard as an XLSX workbook',
        querystring: Query,
        produces: [XLSX_MIME],
        response: { 200: z.any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const s = await indicators.summary(watchedUnit(req, req.query.unit), periodOf(req.query));
      return send(reply, XLSX_MIME, fileName(s, 'xlsx'), await indicatorsToXlsx(s, new Date()));
    },
  );

  r.get(
    '/api/indicators/export.pdf',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Báo cáo chỉ số phục vụ của một đơn vị, PDF A4 ngang / the dashboard as an A4 landscape PDF',
        querystring: Query,
        produces: ['application/pdf'],
        response: { 200: z.any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const s = await indicators.summary(watchedUnit(req, req.query.unit), periodOf(req.query));
      return send(reply, 'application/pdf', fileName(s, 'pdf'), await indicatorsToPdf(s, new Date()));
    },
  );
}
