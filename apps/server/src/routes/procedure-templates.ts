import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireProvinceAdmin } from '../auth/principal.js';
import { readSingleFile } from '../http/multipart.js';
import { errors } from '../http/schemas.js';
import { encodeRfc5987 } from '../services/files/index.js';
import { ProcedureTemplateService, TEMPLATE_MAX_BYTES } from '../services/procedure-templates.js';

export const TemplateView = z.object({
  component: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
  url: z.string(),
});

const Params = z.object({
  code: z.string().max(40),
  component: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
});

/** An ASCII-only file name for old clients (`filename=`); the real one goes in `filename*` (RFC 6266). */
export function asciiFileName(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^\x20-\x7e]|["\\%;]/g, '_')
      .trim() || 'mau-don'
  );
}

/** Form templates (mẫu đơn, tờ khai) of dossier components: the province administrator uploads, anyone downloads. */
export async function procedureTemplateRoutes(app: FastifyInstance) {
  const { config, database, units } = app.ctx;
  const templates = new ProcedureTemplateService(database);
  // Multipart is registered per plugin (encapsulated): only this plugin's routes and /api/files accept it.
  await app.register(multipart, {
    limits: { files: 1, fileSize: TEMPLATE_MAX_BYTES, parts: 5, fields: 10, fieldSize: 1024 },
    throwFileSizeLimit: true,
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/api/procedures/:code/templates/:component',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['catalogue'],
        summary:
          'Tải lên (thay) mẫu đơn, tờ khai của một thành phần hồ sơ (quản trị tỉnh; multipart, trường "file": PDF, DOCX, DOC, ODT, XLSX; tối đa 5 MB)',
        consumes: ['multipart/form-data'],
        params: Params,
        response: {
          200: TemplateView.extend({ replaced: z.boolean() }),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (req, reply) => {
      requireProvinceAdmin(req, units);
      const { code, component } = req.params;
      // Refuse an unknown procedure or component before reading up to 5 MB.
      await templates.requireComponent(code, component);
      const file = await readSingleFile(req, TEMPLATE_MAX_BYTES);
      const saved = await templates.put(code, component, file, auditActor(req));
      return reply.status(200).send(saved);
    },
  );

  r.delete(
    '/api/procedures/:code/templates/:component',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Xoá mẫu đơn, tờ khai của một thành phần hồ sơ (quản trị tỉnh)',
        params: Params,
        response: { 204: z.null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      requireProvinceAdmin(req, units);
      await templates.remove(req.params.code, req.params.component, auditActor(req));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/procedures/:code/templates/:component',
    {
      config: { rateLimit: { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Tải mẫu đơn, tờ khai của một thành phần hồ sơ (công khai, không cần đăng nhập)',
        params: Params,
        response: { ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const f = await templates.read(req.params.code, req.params.component);
      const etag = `"${f.sha256}"`;
      const res = (reply as FastifyReply)
        .header('etag', etag)
        // Replaced in place: caches must revalidate (cheap, by ETag).
        .header('cache-control', 'public, no-cache')
        .header('x-content-type-options', 'nosniff');
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return res.status(304).send();
      }
      return res
        .header('content-type', f.mime)
        .header('content-length', f.size)
        .header(
          'content-disposition',
          `attachment; filename="${asciiFileName(f.name)}"; filename*=UTF-8''${encodeRfc5987(f.name)}`,
        )
        .header('content-security-policy', 'sandbox')
        .send(f.content);
    },
  );
}
