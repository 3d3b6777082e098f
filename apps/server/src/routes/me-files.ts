import { PROCEDURE_CODE } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCitizen } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { DRAFT_MAX_PER_CITIZEN, DRAFT_PUT_PER_MINUTE, DraftService } from '../services/drafts.js';
import { FileService } from '../services/files/index.js';
import { FileView } from './files.js';

const StoreView = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      mime: z.string(),
      size: z.number(),
      createdAt: z.string(),
      source: z.enum(['upload', 'result']),
      dossierCode: z.string().nullable(),
      documentId: z.string().nullable(),
    }),
  ),
});

/** A national procedure code (1.013225) or its local variant (1.000656.000.00.00.H29), nothing else. */
const ProcedureParam = z.object({
  procedureCode: z
    .string()
    .max(40)
    .regex(PROCEDURE_CODE, 'Mã thủ tục không đúng định dạng (ví dụ: 1.013225).'),
});

/** The citizen's store of documents (uploads, issued results) and server-side drafts of e-forms. */
export async function meFileRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, config, dossiers, catalogue } = app.ctx;
  const files = new FileService(database, config, dossiers);
  const drafts = new DraftService(database, catalogue);

  r.get(
    '/api/me/files',
    {
      schema: {
        tags: ['me'],
        summary:
          'Kho giấy tờ của tôi: tệp đã tải lên và kết quả đã ban hành của hồ sơ của tôi (dùng lại khi nộp hồ sơ)',
        response: { 200: StoreView, ...errors(401, 403) },
      },
    },
    async (req) => ({ items: await files.store(requireCitizen(req).id) }),
  );

  r.post(
    '/api/me/files/from-result',
    {
      schema: {
        tags: ['me'],
        summary: 'Đưa một kết quả đã ban hành của hồ sơ của tôi vào kho để dùng lại như một tệp',
        body: z.object({ documentId: z.uuid() }),
        response: { 200: FileView, 201: FileView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const citizen = requireCitizen(req);
      const { file, created } = await files.fromResult(req.body.documentId, citizen, req.ip);
      return reply.status(created ? 201 : 200).send(file);
    },
  );

  r.get(
    '/api/me/drafts',
    {
      schema: {
        tags: ['me'],
        summary: 'Các bản nháp tờ khai đang lưu',
        response: {
          200: z.object({
            items: z.array(
              z.object({ procedureCode: z.string(), procedureName: z.string(), updatedAt: z.string() }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (req) => ({ items: await drafts.list(requireCitizen(req).id) }),
  );

  r.get(
    '/api/me/drafts/:procedureCode',
    {
      schema: {
        tags: ['me'],
        summary: 'Bản nháp tờ khai của một thủ tục',
        params: ProcedureParam,
        response: {
          200: z.object({
            procedureCode: z.string(),
            data: z.record(z.string(), z.unknown()),
            updatedAt: z.string(),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => drafts.get(requireCitizen(req).id, req.params.procedureCode),
  );

  r.put(
    '/api/me/drafts/:procedureCode',
    {
      // Per signed-in user (citizens behind one NAT share an IP); anonymous requests per IP.
      config: {
        rateLimit: {
          max: DRAFT_PUT_PER_MINUTE,
          timeWindow: '1 minute',
          keyGenerator: (req) => (req.principal ? `${req.principal.kind}:${req.principal.id}` : req.ip),
        },
      },
      schema: {
        tags: ['me'],
        summary: `Lưu bản nháp tờ khai (tối đa 256 KB, ${DRAFT_MAX_PER_CITIZEN} bản nháp, ${DRAFT_PUT_PER_MINUTE} lần/phút)`,
        params: ProcedureParam,
        body: z.object({ data: z.record(z.string(), z.unknown()) }),
        response: {
          200: z.object({ updatedAt: z.string() }),
          ...errors(400, 401, 403, 404, 409, 413, 429),
        },
      },
    },
    async (req) => drafts.save(requireCitizen(req).id, req.params.procedureCode, req.body.data),
  );

  r.delete(
    '/api/me/drafts/:procedureCode',
    {
      schema: {
        tags: ['me'],
        summary: 'Xoá bản nháp tờ khai',
        params: ProcedureParam,
        response: { 204: z.null(), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      await drafts.remove(requireCitizen(req).id, req.params.procedureCode, req.ip);
      return reply.status(204).send(null);
    },
  );
}
