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
 */
import type { Period, UnitLevel } from '@tinhso/domain';
import { DomainError } from '@tinhso/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentDisposition } from '../documents/registers-xlsx.js';
import { errors } from '../http/schemas.js';
import type { Unit } from '../services/units.js';
import { PeriodQuery, periodOf } from './indicators.js';

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

/** Levels shown to the public: the province, its departments and its communes. */
const AGENCY_LEVELS: ReadonlySet<UnitLevel> = new Set(['province', 'department', 'commune']);
const LEVEL_ORDER: Record<string, number> = { province: 0, department: 1, commune: 2 };
const CACHE = 'public, max-age=300';
const MEMO_MS = 60_000;
const MEMO_MAX = 500;

const Agency = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'department', 'commune']),
});
const PeriodView = z.object({ kind: z.string(), key: z.string(), from: z.string(), to: z.string() });
const Share = z.number().min(0).max(1).nullable();

const ProcedureFigures = z.object({
  code: z.string(),
  name: z.string(),
  /** Received in the period (reception cohort). */
  received: z.number().int(),
  online: z.number().int(),
  /** Decided (result available: early, on time or late) in the period. */
  decided: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  onTimeShare: Share,
  /** Median working days from reception to decision, over the dossiers decided in the period. */
  medianWorkDays: z.number().nullable(),
});

const AgencyFigures = z.object({
  agency: Agency,
  period: PeriodView,
  generatedAt: z.string(),
  counts: z.object({
    received: z.number().int(),
    online: z.number().int(),
    resolved: z.number().int(),
    early: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    inProgress: z.number().int(),
    cancelled: z.number().int(),
    digitized: z.number().int(),
    feeCharging: z.number().int(),
    paidOnline: z.number().int(),
    rated: z.number().int(),
    verySatisfied: z.number().int(),
    satisfied: z.number().int(),
    unsatisfied: z.number().int(),
  }),
  shares: z.object({
    /** (early + on time) ÷ resolved */
    onTime: Share,
    /** online ÷ received */
    online: Share,
    /** paid online ÷ fee-charging */
    paidOnline: Share,
    /** (very satisfied + satisfied) ÷ rated */
    satisfied: Share,
    /** digitized ÷ received */
    digitized: Share,
  }),
  /** Mean working days from reception to decision of the resolved dossiers received in the period. */
  meanWorkDays: z.number().nullable(),
  procedures: z.array(ProcedureFigures),
});
type AgencyFigures = z.infer<typeof AgencyFigures>;

/** The columns of the open data set, in order: machine name, Vietnamese and English headings. */
export const OPEN_DATA_COLUMNS = [
  ['agency_code', 'Mã cơ quan', 'Agency code'],
  ['agency_name', 'Tên cơ quan', 'Agency name'],
  ['agency_level', 'Cấp (province/department/commune)', 'Level (province/department/commune)'],
  [
    'row_type',
    'Loại dòng (procedure: một thủ tục; total: tổng của cơ quan)',
    'Row type (procedure or total)',
  ],
  ['procedure_code', 'Mã thủ tục', 'Procedure code'],
  ['procedure_name', 'Tên thủ tục', 'Procedure name'],
  ['period_from', 'Từ ngày (YYYY-MM-DD)', 'Period from (YYYY-MM-DD)'],
  ['period_to', 'Đến ngày (YYYY-MM-DD)', 'Period to (YYYY-MM-DD)'],
  ['received', 'Số hồ sơ tiếp nhận trong kỳ', 'Dossiers received in the period'],
  ['decided', 'Số hồ sơ đã giải quyết trong kỳ', 'Dossiers decided in the period'],
  ['on_time', 'Giải quyết trước hạn và đúng hạn', 'Decided early or on time'],
  ['late', 'Giải quyết quá hạn', 'Decided late'],
  ['online', 'Số hồ sơ tiếp nhận trực tuyến', 'Dossiers received online'],
  [
    'median_work_days',
    'Trung vị số ngày làm việc từ tiếp nhận đến giải quyết (dòng tổng: để trống)',
    'Median working days from reception to decision (blank on total rows)',
  ],
] as const;
type ColumnName = (typeof OPEN_DATA_COLUMNS)[number][0];
type OpenDataRow = Record<ColumnName, string | number | null>;

const OpenDataRowSchema = z.object(
  Object.fromEntries(
    OPEN_DATA_COLUMNS.map(([name]) => [name, z.union([z.string(), z.number(), z.null()])]),
  ) as Record<ColumnName, z.ZodUnion<[z.ZodString, z.ZodNumber, z.ZodNull]>>,
);

const OpenData = z.object({
  title: z.string(),
  publisher: z.string(),
  period: PeriodView,
  generatedAt: z.string(),
  notes: z.array(z.string()),
  columns: z.array(z.object({ name: z.string(), vi: z.string(), en: z.string() })),
  rows: z.array(OpenDataRowSchema),
});

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** One field of RFC 4180 CSV: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  // A text cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV in UTF-8 with a byte-order mark (Excel reads Vietnamese correctly), CRLF line ends, a header row. */
export function toCsv(rows: readonly OpenDataRow[]): Buffer {
  const lines = [
    OPEN_DATA_COLUMNS.map(([name]) => name).join(','),
    ...rows.map((r) => OPEN_DATA_COLUMNS.map(([name]) => csvField(r[name])).join(',')),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function transparencyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units, indicators, database, config } = app.ctx;
  const rateLimit = { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' };

  const agencyView = (u: Unit) => ({
    code: u.code,
    name: u.name,
    level: u.level as 'province' | 'department' | 'commune',
  });

  /** Agencies open today, province first, then departments and communes by code. */
  function agencies(): Unit[] {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    return units
      .all()
      .filter((u) => AGENCY_LEVELS.has(u.level) && units.isActive(u, today))
      .sort(
        (a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) || a.code.localeCompare(b.code),
      );
  }

  /** A province, department or commune by code (either QCVN 102 form); anything else is not found. */
  function agency(code: string): Unit {
    const u = units.find(code);
    if (!u || !AGENCY_LEVELS.has(u.level)) {
      throw new DomainError(
        'UNIT_NOT_FOUND',
        `Không có cơ quan "${code}" trong danh sách công khai.`,
        `No agency "${code}" in the public list.`,
        { code },
      );
    }
    return u;
  }

  const procedureNames = async (ids: string[]) => {
    if (ids.length === 0) return new Map<string, { code: string; name: string }>();
    const rows = await database.db
      .selectFrom('procedures')
      .select(['id', 'code', 'name'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((p) => [p.id, { code: p.code, name: p.name }]));
  };

  /**
   * Anonymous requests are cheap to repeat and the open data set sums every agency: each agency's figures for a
   * period are computed at most once a minute per process (the responses say "public, max-age=300" anyway).
   */
  const memo = new Map<string, { at: number; value: Promise<AgencyFigures> }>();
  function figures(u: Unit, period: Period): Promise<AgencyFigures> {
    const key = `${u.code}|${period.kind}|${period.from}|${period.to}`;
    const now = Date.now();
    const hit = memo.get(key);
    if (hit && now - hit.at < MEMO_MS) return hit.value;
    if (memo.size >= MEMO_MAX) {
      for (const [k, v] of memo) if (now - v.at >= MEMO_MS) memo.delete(k);
      if (memo.size >= MEMO_MAX) memo.clear();
    }
    const value = compute(u, period);
    memo.set(key, { at: now, value });
    value.catch(() => memo.delete(key));
    return value;
  }

  /** The public figures of one agency for a period. */
  async function compute(u: Unit, period: Period): Promise<AgencyFigures> {
    const tree = units.subtree(u);
    const ids = tree.length >= units.all().length ? null : tree.map((x) => x.id);
    const [s, days] = await Promise.all([
      indicators.summary(u.code, period),
      indicators.store.processingDays(ids, period.from, period.to),
    ]);
    const names = await procedureNames(days.map((d) => d.procedureId));
    const byCode = new Map<string, z.infer<typeof ProcedureFigures>>();
    for (const p of s.byProcedure) {
      if (p.received === 0) continue;
      byCode.set(p.code, {
        code: p.code,
        name: p.name,
        received: p.received,
        online: p.online,
        decided: 0,
        onTime: 0,
        late: 0,
        onTimeShare: null,
        medianWorkDays: null,
      });
    }
    for (const d of days) {
      const p = names.get(d.procedureId);
      if (!p || d.decided === 0) continue;
      const row = byCode.get(p.code) ?? {
        code: p.code,
        name: p.name,
        received: 0,
        online: 0,
        decided: 0,
        onTime: 0,
        late: 0,
        onTimeShare: null,
        medianWorkDays: null,
      };
      row.decided = d.decided;
      row.onTime = d.onTime;
      row.late = d.decided - d.onTime;
      row.onTimeShare = ratio(d.onTime, d.decided);
      row.medianWorkDays = d.medianWorkDays;
      byCode.set(p.code, row);
    }
    const c = s.counts;
    return {
      agency: agencyView(u),
      period: { kind: period.kind, key: period.key, from: period.from, to: period.to },
      generatedAt: new Date().toISOString(),
      counts: {
        received: c.received,
        online: c.online,
        resolved: c.resolved,
        early: c.early,
        onTime: c.onTime,
        late: c.late,
        inProgress: c.inProgressWithinDeadline + c.inProgressOverdue,
        cancelled: c.cancelled,
        digitized: c.digitized,
        feeCharging: c.feeCharging,
        paidOnline: c.paidOnline,
        rated: c.rated,
        verySatisfied: c.verySatisfied,
        satisfied: c.satisfied,
        unsatisfied: c.unsatisfied,
      },
      shares: {
        onTime: s.shares.onTime,
        online: s.shares.online,
        paidOnline: s.shares.paidOnline,
        satisfied: s.shares.satisfied,
        digitized: s.shares.digitized,
      },
      meanWorkDays: s.shares.meanWorkDays,
      procedures: [...byCode.values()].sort(
        (a, b) => b.decided - a.decided || b.received - a.received || a.code.localeCompare(b.code),
      ),
    };
  }

  /** One row per agency × procedure, then the agency's total row. */
  async function openData(period: Period, only: Unit | null) {
    const list = only ? [only] : agencies();
    const rows: OpenDataRow[] = [];
    for (const u of list) {
      const f = await figures(u, period);
      const base = {
        agency_code: u.code,
        agency_name: u.name,
        agency_level: u.level,
        period_from: period.from,
        period_to: period.to,
      };
      for (const p of [...f.procedures].sort((a, b) => a.code.localeCompare(b.code))) {
        rows.push({
          ...base,
          row_type: 'procedure',
          procedure_code: p.code,
          procedure_name: p.name,
          received: p.received,
          decided: p.decided,
          on_time: p.onTime,
          late: p.late,
          online: p.online,
          median_work_days: p.medianWorkDays,
        });
      }
      const sum = (k: 'decided' | 'onTime' | 'late') => f.procedures.reduce((a, p) => a + p[k], 0);
      rows.push({
        ...base,
        row_type: 'total',
        procedure_code: '',
        procedure_name: 'Tổng cộng',
        received: f.counts.received,
        decided: sum('decided'),
        on_time: sum('onTime'),
        late: sum('late'),
        online: f.counts.online,
        median_work_days: null,
      });
    }
    return rows;
  }

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

  const openDataNotes = [
    'received, online: hồ sơ tiếp nhận trong kỳ / dossiers received in the period.',
    'decided, on_time, late, median_work_days: hồ sơ có kết quả giải quyết trong kỳ / dossiers decided in the period.',
    'Dòng total của một cơ quan gồm mọi đơn vị trực thuộc; dòng của tỉnh gồm toàn tỉnh / ' +
      'a total row covers the agency and every unit below it; the province covers the whole province.',
    'Chỉ số liệu tổng hợp, không có dữ liệu cá nhân / aggregates only, no personal data.',
  ];

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
        notes: openDataNotes,
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
