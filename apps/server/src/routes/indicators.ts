import { appendAudit } from '@tinhso/db';
import {
  COUNT_KEYS,
  type CountKey,
  DomainError,
  GROUP_ORDER,
  type IndicatorFormula,
  type PeriodKind,
  parsePeriod,
  vietnamDate,
} from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireOfficer, requireProvinceAdmin } from '../auth/principal.js';
import { errors, Paging } from '../http/schemas.js';
import { roleOf } from '../services/indicators/figures.js';
import type { IndicatorService } from '../services/indicators.js';

const PERIOD_KINDS = [
  'month',
  'quarter',
  'year',
  'report_month',
  'report_quarter',
  'report_half',
  'report_year',
  'custom',
] as const;
/** `period` (2026-11, 2026-Q4, 2026, 2026-H1, from..to) and its `kind`; default: the current year so far. */
export const PeriodQuery = z.object({
  period: z.string().trim().max(30).optional(),
  kind: z.enum(PERIOD_KINDS).optional(),
});
export function periodOf(q: { period?: string | undefined; kind?: PeriodKind | undefined }) {
  return parsePeriod(q.period ?? currentKey(q.kind), q.kind === 'custom' ? undefined : q.kind);
}

/** The period of a kind that contains today (a reporting month from the 15th belongs to the next month). */
function currentKey(kind: PeriodKind | undefined): string {
  const today = vietnamDate(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const next = d >= 15 && kind?.startsWith('report_');
  const ry = next && m === 12 ? y + 1 : y;
  const rm = next ? (m % 12) + 1 : m;
  switch (kind) {
    case 'month':
    case 'report_month':
      return `${ry}-${String(rm).padStart(2, '0')}`;
    case 'quarter':
    case 'report_quarter':
      return `${ry}-Q${Math.ceil(rm / 3)}`;
    case 'report_half':
      return `${ry}-H${rm <= 6 ? 1 : 2}`;
    case 'report_year':
      return String(next && m === 12 ? y + 1 : y);
    default:
      return String(y);
  }
}

const CATALOGUE_KEYS = [
  'procedures',
  'proceduresOnline',
  'onlineServices',
  'onlineServicesWithDossier',
  'feeChargingProcedures',
  'proceduresWithOnlinePayment',
] as const;
const OperandKey = z.enum([...COUNT_KEYS, ...CATALOGUE_KEYS]);
const Operand = z.union([
  OperandKey,
  z.array(OperandKey).min(1).max(10),
  z.object({ constant: z.number().min(0).max(1e9) }),
]);

/** Responses documented by their summary; shaped by services/indicators.ts (the web reads them as they are). */
const Open = z.looseObject({});

/** A new version of a formula, as an administrator enters it. */
const FormulaInput = z.object({
  id: z.string().trim().min(3).max(60),
  group: z.enum(GROUP_ORDER as unknown as [string, ...string[]]),
  validFrom: z.iso.date(),
  label: z.string().trim().min(3).max(500),
  numerator: Operand,
  denominator: Operand,
  maxPoints: z.number().min(0).max(100),
  threshold: z.number().gt(0).max(1).optional(),
  belowThreshold: z.enum(['scaled', 'raw']).optional(),
  whenEmpty: z.enum(['full', 'zero']).optional(),
  source: z.string().trim().min(3).max(500),
});

/** Operational indicators, the Decision 766 index, rankings and drill-down (issue 6), for leaders. */
export async function indicatorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units, dossiers } = app.ctx;
  const indicators: IndicatorService = app.ctx.indicators;

  /** The unit asked for (default: the highest one the officer watches), checked against their roles. */
  function watchedUnit(req: Parameters<typeof requireOfficer>[0], unit: string | undefined): string {
    const officer = requireOfficer(req);
    const code = unit ? units.get(unit).code : indicators.defaultUnit(officer.roles);
    indicators.assertMayView(officer.roles, code ?? '');
    return code!;
  }

  r.get(
    '/api/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary:
          'Chỉ số phục vụ và Bộ chỉ số 766 của một đơn vị trong một kỳ / service indicators and the 766 index',
        querystring: PeriodQuery.extend({ unit: z.string().trim().min(1).max(40).optional() }),
        response: { 200: Open, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => indicators.summary(watchedUnit(req, req.query.unit), periodOf(req.query)),
  );

  r.get(
    '/api/indicators/trend',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Diễn biến theo nửa tháng hoặc tháng / trend per half-month or month',
        querystring: PeriodQuery.extend({
          unit: z.string().trim().min(1).max(40).optional(),
          by: z.enum(['half', 'month']).default('month'),
        }),
        response: { 200: Open, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const unit = watchedUnit(req, req.query.unit);
      const period = periodOf(req.query);
      return { unit, period, by: req.query.by, items: await indicators.trend(unit, period, req.query.by) };
    },
  );

  r.get(
    '/api/indicators/ranking',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Xếp hạng sở, ngành hoặc xã, phường theo Bộ chỉ số 766 / ranking of units by the 766 index',
        querystring: PeriodQuery.extend({ level: z.enum(['department', 'commune']).default('department') }),
        response: { 200: Open, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      if (!indicators.defaultUnit(officer.roles)) indicators.assertMayView(officer.roles, '');
      return indicators.ranking(req.query.level, periodOf(req.query));
    },
  );

  r.get(
    '/api/indicators/dossiers',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Các hồ sơ đứng sau một con số / the dossiers behind a number (drill-down)',
        querystring: PeriodQuery.extend(Paging.shape).extend({
          unit: z.string().trim().min(1).max(40).optional(),
          formula: z.string().trim().min(3).max(60).optional(),
          key: z.enum(COUNT_KEYS).optional(),
        }),
        response: { 200: Open, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const unit = watchedUnit(req, req.query.unit);
      const { formula, key, limit, offset } = req.query;
      if (!formula === !key) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'Chọn đúng một trong hai: chỉ tiêu (formula) hoặc số đếm (key).',
          'Give exactly one of formula or key.',
        );
      }
      const period = periodOf(req.query);
      const what = formula ? { formula } : { key: key as CountKey };
      return { unit, period, ...(await indicators.drill(unit, period, what, { limit, offset })) };
    },
  );

  r.get(
    '/api/indicators/at-risk',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Hồ sơ quá hạn và sắp đến hạn (trong 1 ngày làm việc) / overdue and due-soon dossiers',
        querystring: z.object({
          unit: z.string().trim().min(1).max(40).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: Open, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const unit = watchedUnit(req, req.query.unit);
      const tree = units.subtree(units.get(unit));
      const now = new Date();
      const until = dossiers.clock(unit).addWorkingDays(now, 1);
      const ids = tree.length >= units.all().length ? null : tree.map((u) => u.id);
      const role = roleOf(units.get(unit));
      return { unit, ...(await indicators.store.atRisk(ids, now, until, req.query.limit, role)) };
    },
  );

  r.get(
    '/api/indicators/formulas',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Công thức các chỉ tiêu (mọi phiên bản) / indicator formulas, every version',
        response: { 200: Open, ...errors(401, 403) },
      },
    },
    async (req) => {
      requireOfficer(req);
      const set = await indicators.formulaSet();
      return { items: [...set].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version) };
    },
  );

  r.post(
    '/api/indicators/formulas',
    {
      schema: {
        tags: ['indicators'],
        summary:
          'Thêm phiên bản mới của một chỉ tiêu (quản trị tỉnh) / add a formula version (province admin)',
        body: FormulaInput,
        response: { 201: Open, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      requireProvinceAdmin(req, units);
      const saved = await indicators.saveFormula(
        req.body as Omit<IndicatorFormula, 'version'>,
        auditActor(req),
      );
      return reply.code(201).send({ ...saved });
    },
  );

  r.post(
    '/api/indicators/rebuild',
    {
      schema: {
        tags: ['indicators'],
        summary:
          'Tính lại toàn bộ số liệu tổng hợp (quản trị tỉnh) / rebuild every aggregate (province admin)',
        response: { 200: Open, ...errors(401, 403) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      const started = Date.now();
      const facts = await indicators.store.rebuild();
      indicators.invalidate();
      const ms = Date.now() - started;
      await app.ctx.database.db.transaction().execute((tx) =>
        appendAudit(tx, {
          ...auditActor(req),
          action: 'indicator.rebuild',
          entityType: 'indicators',
          entityId: null,
          details: { facts, ms },
        }),
      );
      return { facts, ms };
    },
  );
}
