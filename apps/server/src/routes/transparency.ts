/**
 * Public transparency of results per agency (issue 6 item 5): how many dossiers an agency received and decided, how
 * many on time, online, paid online, digitized, how satisfied people were, and per procedure the median working
 * days from reception to decision — as aggregates only. No dossier code, applicant name or ID number ever leaves
 * these routes: every body is built from IndicatorService.summary (sums) and IndicatorStore.processingDays
 * (per-procedure counts and medians), and the response schemas strip anything else.
 *
 * Two cohorts, both stated in the responses:
 *   - received, online, resolved (of those received), shares: dossiers RECEIVED in the period (= GET /api/indicators);
 *   - per procedure decided / on time / late / median: dossiers DECIDED in the period (Circular 01/2018 reporting).
 *
 * The figures are computed in transparency/figures.ts, the open data set (JSON, CSV) is built in
 * transparency/open-data.ts, the response schemas are in transparency/schemas.ts.
 */
import type { Period } from '@tinhso/domain';
import { DomainError } from '@tinhso/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentDisposition } from '../documents/registers-xlsx.js';
import { errors } from '../http/schemas.js';
import type { Unit } from '../services/units.js';
import { PeriodQuery, periodOf } from './indicators.js';
import { publicFigures } from './transparency/figures.js';
import {
  OPEN_DATA_COLUMNS,
  OPEN_DATA_NOTES,
  OpenData,
  openDataRows,
  toCsv,
} from './transparency/open-data.js';
import { Agency, AgencyFigures } from './transparency/schemas.js';

/**
 * The periods published: months, quarters, years and the reporting periods, never a range of the caller's choosing:
 * a one-day range for one commune could single out one person's dossier (a group of one).
 */
function publicPeriod(q: Parameters<typeof periodOf>[0]): Period {
  const period = periodOf(q);
  if (period.kind === 'custom') {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Số liệu công khai theo tháng, quý, năm hoặc kỳ báo cáo; không theo khoảng ngày tùy chọn.',
      'Public figures are by month, quarter, year or reporting period, not by a custom date range.',
      { issues: [{ path: 'period', message: 'custom ranges are not published' }] },
    );
  }
  return period;
}

const CACHE = 'public, max-age=300';

export async function transparencyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units, indicators, database, config } = app.ctx;
  const rateLimit = { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' };
  const { agencyView, agencies, agency, figures } = publicFigures({ units, indicators, database });
  const openData = (period: Period, only: Unit | null) =>
    openDataRows(only ? [only] : agencies(), period, figures);

  const OpenDataQuery = PeriodQuery.extend({ agency: z.string().trim().min(1).max(40).optional() });
  const fileName = (period: Period, only: Unit | null, ext: string) =>
    `minh-bach-ket-qua-giai-quyet-${only ? only.code : 'tat-ca-co-quan'}-${period.key}.${ext}`;
  const cached = (reply: FastifyReply) => reply.header('cache-control', CACHE);

  r.get(
    '/api/public/transparency',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary:
          'Danh sách cơ quan công khai kết quả giải quyết (tỉnh, sở, ngành, xã, phường) / agencies with public results',
        response: { 200: z.object({ items: z.array(Agency) }), ...errors(429) },
      },
    },
    async (_req, reply) => {
      cached(reply);
      return { items: agencies().map(agencyView) };
    },
  );

  r.get(
    '/api/public/transparency/:code',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary:
          'Kết quả giải quyết thủ tục hành chính của một cơ quan trong một kỳ, chỉ số liệu tổng hợp / ' +
          "an agency's results for a period, aggregates only",
        description:
          'received, online, resolved and the shares count the dossiers RECEIVED in the period (as GET /api/indicators); ' +
          'per procedure, decided / onTime / late / medianWorkDays count the dossiers DECIDED in the period.',
        params: z.object({ code: z.string().trim().min(1).max(40) }),
        querystring: PeriodQuery,
        response: { 200: AgencyFigures, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const u = agency(req.params.code);
      const period = publicPeriod(req.query);
      const body = await figures(u, period);
      cached(reply);
      return body;
    },
  );

  r.get(
    '/api/open-data/transparency.json',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary:
          'Dữ liệu mở: kết quả giải quyết theo cơ quan × thủ tục (JSON) / open data: results per agency × procedure',
        description: `Columns: ${OPEN_DATA_COLUMNS.map(([n, vi]) => `${n} (${vi})`).join('; ')}.`,
        querystring: OpenDataQuery,
        response: { 200: OpenData, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const only = req.query.agency ? agency(req.query.agency) : null;
      const period = publicPeriod(req.query);
      const rows = await openData(period, only);
      reply
        .header('cache-control', CACHE)
        .header(
          'content-disposition',
          attachmentDisposition(fileName(period, only, 'json')).replace(/^attachment/, 'inline'),
        )
        .type('application/json; charset=utf-8');
      return {
        title: 'Kết quả giải quyết thủ tục hành chính theo cơ quan và thủ tục',
        publisher: units.root()?.name ?? '',
        period: { kind: period.kind, key: period.key, from: period.from, to: period.to },
        generatedAt: new Date().toISOString(),
        notes: OPEN_DATA_NOTES,
        columns: OPEN_DATA_COLUMNS.map(([name, vi, en]) => ({ name, vi, en })),
        rows,
      };
    },
  );

  r.get(
    '/api/open-data/transparency.csv',
    {
      config: { rateLimit },
      schema: {
        tags: ['public'],
        summary:
          'Dữ liệu mở: kết quả giải quyết theo cơ quan × thủ tục (CSV, UTF-8 có BOM) / open data as CSV (UTF-8 BOM)',
        description:
          'RFC 4180, comma separated, CRLF, header row in English snake_case. Vietnamese headings: ' +
          `${OPEN_DATA_COLUMNS.map(([n, vi]) => `${n} = ${vi}`).join('; ')}.`,
        querystring: OpenDataQuery,
        produces: ['text/csv'],
        response: { 200: z.any(), ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const only = req.query.agency ? agency(req.query.agency) : null;
      const period = publicPeriod(req.query);
      const csv = toCsv(await openData(period, only));
      return reply
        .header('content-type', 'text/csv; charset=utf-8; header=present')
        .header('content-disposition', attachmentDisposition(fileName(period, only, 'csv')))
        .header('cache-control', CACHE)
        .send(csv);
    },
  );
}
