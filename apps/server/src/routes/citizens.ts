import { appendAudit } from '@tinhso/db';
import { type DossierState, STATUS_LABELS, type StatusCode } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireRole } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { FileService } from '../services/files/index.js';

/** How many dossiers of the person the counter sees (newest first). */
const MAX_DOSSIERS = 50;
/** Candidates read before the visibility filter (the person may have dossiers the officer may not see). */
const CANDIDATES = 500;

const DEFAULT_PURPOSE = 'Tiếp nhận hồ sơ tại Bộ phận Một cửa';

const CitizenLookup = z.object({
  citizen: z
    .object({
      personalId: z.string(),
      fullName: z.string(),
      dateOfBirth: z.string().nullable(),
      address: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    })
    .nullable(),
  files: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      mime: z.string(),
      size: z.number(),
      createdAt: z.string(),
      source: z.enum(['upload', 'result']),
      dossierCode: z.string().nullable(),
    }),
  ),
  dossiers: z.array(
    z.object({
      code: z.string(),
      procedureCode: z.string(),
      procedureName: z.string(),
      status: z.number(),
      statusLabel: z.string(),
      channel: z.string(),
      submittedAt: z.string(),
    }),
  ),
});

/**
 * The reception counter (issue 4 §1): find a person by personal ID number and reuse what the platform holds about
 * them — the identity record, their stored files (own uploads, issued results), and the dossiers of theirs this
 * officer may see. Reception officers only; every lookup is audited (`citizen.lookup`: officer, ID, purpose, found).
 */
export async function citizenRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, units, dossiers, config } = app.ctx;
  const files = new FileService(database, config, dossiers);

  r.get(
    '/api/citizens/:personalId',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['dossiers'],
        summary:
          'Tra cứu công dân theo số định danh cá nhân tại quầy tiếp nhận: thông tin, kho tệp, hồ sơ (có ghi nhật ký)',
        params: z.object({ personalId: z.string().regex(/^[0-9]{12}$/, '12 digits') }),
        querystring: z.object({ purpose: z.string().trim().min(3).max(300).optional() }),
        response: { 200: CitizenLookup, ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const officer = requireRole(req, units, ['reception']);
      const { personalId } = req.params;
      const purpose = req.query.purpose ?? DEFAULT_PURPOSE;
      const { db } = database;
      const citizen = await db
        .selectFrom('citizens')
        .select(['id', 'personal_id', 'full_name', 'date_of_birth', 'address', 'phone', 'email'])
        .where('personal_id', '=', personalId)
        .executeTakeFirst();
      // The person's dossiers: linked to the account, or registered at a counter under the same ID number.
      const candidates = await db
        .selectFrom('dossiers as d')
        .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
        .select([
          'd.id',
          'd.code',
          'd.version',
          'd.state',
          'd.status',
          'd.channel',
          'd.submitted_at',
          'd.applicant_citizen_id',
          'p.code as procedure_code',
          'p.name as procedure_name',
        ])
        .where((eb) =>
          citizen
            ? eb.or([eb('d.applicant_citizen_id', '=', citizen.id), eb('d.applicant_id', '=', personalId)])
            : eb('d.applicant_id', '=', personalId),
        )
        .orderBy('d.submitted_at', 'desc')
        .limit(CANDIDATES)
        .execute();
      // Only dossiers this officer may see: the counter never reveals another unit's dossiers.
      const seen = candidates.filter((d) =>
        dossiers.canSee(
          {
            id: d.id,
            code: d.code,
            version: d.version,
            state: d.state as DossierState,
            applicantCitizenId: d.applicant_citizen_id,
          },
          officer,
        ),
      );
      const visible = seen.slice(0, MAX_DOSSIERS);
      // A stored file names the dossier it came with only when this officer may see that dossier.
      const seenCodes = new Set(seen.map((d) => d.code));
      const store = citizen ? await files.store(citizen.id) : [];
      await db.transaction().execute((tx) =>
        appendAudit(tx, {
          ...auditActor(req),
          action: 'citizen.lookup',
          entityType: 'citizen',
          entityId: personalId,
          details: {
            purpose,
            found: !!citizen,
            files: store.length,
            dossiers: visible.map((d) => d.code),
          },
        }),
      );
      return {
        citizen: citizen
          ? {
              personalId: citizen.personal_id,
              fullName: citizen.full_name,
              dateOfBirth: citizen.date_of_birth,
              address: citizen.address,
              phone: citizen.phone,
              email: citizen.email,
            }
          : null,
        files: store.map((f) => ({
          id: f.id,
          name: f.name,
          mime: f.mime,
          size: f.size,
          createdAt: f.createdAt,
          source: f.source,
          dossierCode: f.dossierCode !== null && seenCodes.has(f.dossierCode) ? f.dossierCode : null,
        })),
        dossiers: visible.map((d) => ({
          code: d.code,
          procedureCode: d.procedure_code,
          procedureName: d.procedure_name,
          status: d.status,
          statusLabel: STATUS_LABELS[d.status as StatusCode].vi,
          channel: d.channel,
          submittedAt: d.submitted_at.toISOString(),
        })),
      };
    },
  );
}
