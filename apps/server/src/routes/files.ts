import multipart from '@fastify/multipart';
import { parseDossierCode } from '@tinhso/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unauthenticated } from '../auth/principal.js';
import { readSingleFile } from '../http/multipart.js';
import { errors } from '../http/schemas.js';
import { encodeRfc5987, FileService } from '../services/files/index.js';

export const FileView = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  createdAt: z.string(),
});

const ComponentsView = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      required: z.boolean(),
      provided: z.boolean(),
      digitized: z.boolean(),
      reused: z.boolean(),
      files: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          mime: z.string(),
          size: z.number(),
          phase: z.enum(['submission', 'supplement']),
          createdAt: z.string(),
        }),
      ),
    }),
  ),
});

/** Uploads (citizens' dossier components, officers' counter scans), download, deletion, a dossier's components. */
export async function fileRoutes(app: FastifyInstance) {
  const { config, database, dossiers } = app.ctx;
  const files = new FileService(database, config, dossiers);
  // Registered here only: no other route accepts multipart bodies.
  await app.register(multipart, {
    limits: { files: 1, fileSize: config.UPLOAD_FILE_MAX_BYTES, parts: 5, fields: 10, fieldSize: 1024 },
    throwFileSizeLimit: true,
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/files',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['files'],
        summary:
          'Tải lên một tệp thành phần hồ sơ (multipart/form-data, trường "file": PDF, JPEG, PNG; kiểm tra theo nội dung)',
        consumes: ['multipart/form-data'],
        response: { 201: FileView, ...errors(400, 401, 403, 409, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      const file = await readSingleFile(req, config.UPLOAD_FILE_MAX_BYTES);
      return reply.status(201).send(await files.upload(req.principal, file, req.ip));
    },
  );

  const Id = z.object({ id: z.uuid() });
  r.get(
    '/api/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: 'Nội dung tệp (chủ sở hữu, hoặc người được xem hồ sơ có tệp này)',
        params: Id,
        response: { ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      const f = await files.read(req.params.id, req.principal);
      return (reply as FastifyReply)
        .header('content-type', f.mime)
        .header('content-length', f.size)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeRfc5987(f.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, no-store')
        .header('etag', `"${f.sha256}"`)
        .send(f.content);
    },
  );

  r.delete(
    '/api/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: 'Xoá tệp của mình (khi chưa nộp kèm hồ sơ nào)',
        params: Id,
        response: { 204: z.null(), ...errors(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      await files.remove(req.params.id, req.principal, req.ip);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/dossiers/:code/components',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Thành phần hồ sơ: đã nộp, đã số hoá, tái sử dụng, và các tệp đính kèm',
        params: z.object({ code: z.string().max(60) }),
        response: { 200: ComponentsView, ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const d = await dossiers.load(req.params.code, req.principal);
      return { items: await files.components(d) };
    },
  );
}
