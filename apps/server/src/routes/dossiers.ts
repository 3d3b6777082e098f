import { DomainError, parseDossierCode, STATUS_LABELS, type StatusCode } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { type Principal, requireOfficer, unauthenticated } from '../auth/principal.js';
import { errors, Paging } from '../http/schemas.js';
import { ActionRequest, CreateDossier } from '../services/dossier-input.js';
import type { DossierRow } from '../services/dossiers/index.js';
import { likeEscape } from '../services/queues/index.js';
import { SubmissionService, SupplementRequest } from '../services/submission.js';

const DossierView = z.object({
  code: z.string(),
  version: z.number(),
  status: z.number(),
  statusLabel: z.string(),
  statusLabelEn: z.string(),
  availableActions: z.array(z.string()),
  deadline: z.enum(['green', 'amber', 'red']).nullable(),
  /** The current step's light against its own due date (null when paused, closed or between steps). */
  stepDeadline: z.enum(['green', 'amber', 'red']).nullable(),
  /** Mẫu 04 is due: within one working day of the due date, or past it, with no apology for that date. */
  apologyDue: z.boolean(),
  /** Before reception: the appointment date if the dossier were received now (working-day clock); else null. */
  expectedDueAt: z.string().nullable(),
  state: z.record(z.string(), z.unknown()),
  actions: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Officers only (GET one dossier): the applicant, the procedure, the form data and the requested delivery. */
  details: z.record(z.string(), z.unknown()).optional(),
});

const CodeParams = z.object({ code: z.string().max(60) });

/** An action's payload for the applicant: without the officers' ids it carries (assign; the step a hand-over starts). */
function withoutAssignees(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  const p = { ...(payload as Record<string, unknown>) };
  if ('assignee' in p) p['assignee'] = null;
  if (p['next'] && typeof p['next'] === 'object') p['next'] = { ...p['next'], assignee: null };
  return p;
}

export async function dossierRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { dossiers, database, units } = app.ctx;

  const view = (d: DossierRow, req: { principal: Principal | null }) => {
    const extra = dossiers.view(d, req.principal);
    const label = STATUS_LABELS[d.state.status as StatusCode];
    return {
      code: d.code,
      version: d.version,
      status: d.state.status,
      statusLabel: label.vi,
      statusLabelEn: label.en,
      ...extra,
      state: d.state as unknown as Record<string, unknown>,
    };
  };

  const submission = new SubmissionService(database, app.ctx.config, dossiers, app.ctx.catalogue);

  r.post(
    '/api/dossiers',
    {
      config: {
        rateLimit: {
          max: app.ctx.config.RATE_LIMIT_SUBMIT_PER_MIN,
          timeWindow: '1 minute',
          // Per account: the officers of one service centre share one public address.
          keyGenerator: (req) => req.principal?.id ?? req.ip,
        },
      },
      schema: {
        tags: ['dossiers'],
        summary: 'Nộp/đăng ký hồ sơ (trực tuyến: công dân; trực tiếp, bưu chính: cán bộ tiếp nhận)',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).passthrough(),
        body: CreateDossier,
        response: { 200: DossierView, 201: DossierView, ...errors(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      // Files, delivery and the draft's deletion are written in the dossier's transaction.
      const prepared = submission.prepare(req.body, req.principal, req.ip);
      const { dossier, replayed } = await dossiers.create(prepared.input, req.principal, {
        idempotencyKey: req.headers['idempotency-key'],
        ip: req.ip,
        within: prepared.within,
      });
      return reply.status(replayed ? 200 : 201).send(view(dossier, req));
    },
  );

  r.get(
    '/api/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Danh sách hồ sơ trong phạm vi đơn vị (cán bộ) hoặc của tôi (công dân)',
        querystring: Paging.extend({
          status: z.coerce.number().int().min(1).max(10).optional(),
          unit: z.string().max(40).optional(),
          q: z.string().trim().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(z.record(z.string(), z.unknown())), total: z.number() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const p = req.principal;
      if (!p) throw unauthenticated();
      let q = database.db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .innerJoin('units as u', 'u.id', 'd.current_unit_id');
      if (p.kind === 'citizen') {
        q = q.where('d.applicant_citizen_id', '=', p.id);
      } else {
        const officer = requireOfficer(req);
        // Administrators manage configuration; the admin role alone lists no dossier.
        const roles = officer.roles.filter((x) => x.role !== 'admin');
        const scope = req.query.unit ? [units.get(req.query.unit)] : roles.map((x) => units.get(x.unit));
        if (req.query.unit && !roles.some((x) => units.covers(x.unit, scope[0]!.code))) {
          throw new DomainError(
            'FORBIDDEN',
            'Bạn không có quyền xem hồ sơ của đơn vị này.',
            'You may not list this unit’s dossiers.',
          );
        }
        const ids = [...new Set(scope.flatMap((u) => units.subtree(u).map((x) => x.id)))];
        if (ids.length === 0) return { items: [], total: 0 }; // e.g. an administrator: no dossier work
        q = q.where((eb) =>
          eb.or([
            eb('d.current_unit_id', 'in', ids),
            eb('d.receiving_unit_id', 'in', ids),
            eb('d.competent_unit_id', 'in', ids),
          ]),
        );
      }
      if (req.query.status) q = q.where('d.status', '=', req.query.status);
      if (req.query.q) {
        const text = req.query.q;
        q = q.where((eb) =>
          eb.or([
            eb('d.code', '=', text.toUpperCase()),
            eb('d.applicant_id', '=', text),
            eb('d.applicant_folded', 'like', sql<string>`'%' || ts_fold(${likeEscape(text)}) || '%'`),
          ]),
        );
      }
      const [rows, count] = await Promise.all([
        q
          .select([
            'd.code',
            'd.status',
            'd.channel',
            'd.applicant_name',
            'd.submitted_at',
            'd.received_at',
            'd.due_at',
            'd.version',
            'p.code as procedure_code',
            'p.name as procedure_name',
            'u.code as current_unit',
          ])
          .orderBy('d.submitted_at', 'desc')
          .limit(req.query.limit)
          .offset(req.query.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((x) => ({
          code: x.code,
          status: x.status,
          statusLabel: STATUS_LABELS[x.status as StatusCode].vi,
          channel: x.channel,
          applicantName: x.applicant_name,
          procedureCode: x.procedure_code,
          procedureName: x.procedure_name,
          currentUnit: x.current_unit,
          submittedAt: x.submitted_at.toISOString(),
          receivedAt: x.received_at?.toISOString() ?? null,
          dueAt: x.due_at?.toISOString() ?? null,
          version: x.version,
        })),
        total: Number(count.n),
      };
    },
  );

  r.get(
    '/api/dossiers/:code',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Chi tiết hồ sơ, nhật ký xử lý (Mẫu 05) và thao tác được phép',
        params: CodeParams,
        response: { 200: DossierView, ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const d = await dossiers.load(req.params.code, req.principal);
      const actions = await database.db
        .selectFrom('dossier_actions as a')
        .leftJoin('units as u', 'u.id', 'a.unit_id')
        .select([
          'a.seq',
          'a.type',
          'a.at',
          'a.actor_type',
          'a.actor_name',
          'u.code as unit',
          'a.status_after',
          'a.step',
          'a.step_due_at',
          'a.reason',
          'a.payload',
        ])
        .where('a.dossier_id', '=', d.id)
        // Internal opinions between officers are not shown to the applicant.
        .$if(req.principal.kind === 'citizen', (qb) => qb.where('a.type', '!=', 'comment'))
        .orderBy('a.seq')
        .execute();
      const citizen = req.principal.kind === 'citizen';
      const shown = view(d, req);
      if (citizen) {
        // The applicant sees the timeline, not officers' identities or their notes on hand-overs.
        const st = d.state;
        shown.state = { ...st, steps: st.steps.map((x) => ({ ...x, assignee: null })) } as unknown as Record<
          string,
          unknown
        >;
      }
      // The back office shows who applied, for what, with which form data (the applicant knows it already).
      const details = citizen
        ? undefined
        : await database.db
            .selectFrom('dossiers as d')
            .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
            .select([
              'd.applicant_kind',
              'd.applicant_name',
              'd.applicant_id',
              'd.applicant_contact',
              'd.form_data',
              'd.delivery',
              'd.channel',
              'p.code as procedure_code',
              'p.name as procedure_name',
              'd.procedure_version',
            ])
            .where('d.id', '=', d.id)
            .executeTakeFirstOrThrow()
            .then((x) => ({
              applicant: {
                kind: x.applicant_kind,
                name: x.applicant_name,
                idNumber: x.applicant_id,
                ...x.applicant_contact,
              },
              procedure: { code: x.procedure_code, name: x.procedure_name, version: x.procedure_version },
              formData: x.form_data,
              delivery: x.delivery,
            }));
      return {
        ...shown,
        ...(details ? { details } : {}),
        actions: actions.map((a) => ({
          ...a,
          ...(citizen && (a.type === 'forward' || a.type === 'send_back') ? { reason: null } : {}),
          ...(citizen ? { payload: withoutAssignees(a.payload) } : {}),
          at: a.at.toISOString(),
          step_due_at: a.step_due_at?.toISOString() ?? null,
        })),
      };
    },
  );

  r.post(
    '/api/dossiers/:code/actions',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Thực hiện một thao tác trên hồ sơ (tiếp nhận, chuyển bước, bổ sung, trả kết quả…)',
        params: CodeParams,
        body: ActionRequest,
        response: { 200: DossierView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const d = await dossiers.act(
        req.params.code,
        req.body.command,
        req.body.expectedVersion,
        req.principal,
        {
          ip: req.ip,
        },
      );
      return view(d, req);
    },
  );

  r.post(
    '/api/dossiers/:code/supplement',
    {
      schema: {
        tags: ['dossiers'],
        summary:
          'Người nộp bổ sung hồ sơ: nộp tệp cho các thành phần còn thiếu, thời hạn giải quyết tiếp tục',
        params: CodeParams,
        body: SupplementRequest,
        response: { 200: DossierView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      return view(await submission.supplement(req.params.code, req.body, req.principal, req.ip), req);
    },
  );
}
