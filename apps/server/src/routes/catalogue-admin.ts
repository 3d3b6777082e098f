import { DomainError, ProcedureDefinition } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireProvinceAdmin } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { catalogueToXlsx, xlsxToCatalogue } from '../services/catalogue-xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ImportResult = z.object({
  total: z.number(),
  created: z.number(),
  unchanged: z.number(),
  items: z.array(z.object({ code: z.string(), version: z.number(), created: z.boolean() })),
});

const ImportBody = z.object({ procedures: z.array(z.unknown()).min(1).max(5000) });

export async function catalogueAdminRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { catalogue, units, config } = app.ctx;
  app.addContentTypeParser(
    XLSX,
    { parseAs: 'buffer', bodyLimit: config.UPLOAD_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );

  r.get(
    '/api/catalogue/export',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Xuất danh mục thủ tục (JSON hoặc XLSX) / export the catalogue',
        querystring: z.object({ format: z.enum(['json', 'xlsx']).default('json') }),
      },
    },
    async (req, reply) => {
      const defs = await catalogue.exportAll();
      if (req.query.format === 'json') return { procedures: defs };
      const file = await catalogueToXlsx(defs);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', 'attachment; filename="danh-muc-thu-tuc.xlsx"')
        .send(file);
    },
  );

  r.post(
    '/api/catalogue/import',
    {
      bodyLimit: config.UPLOAD_LIMIT_BYTES,
      schema: {
        tags: ['catalogue'],
        summary:
          'Nhập danh mục (JSON {procedures:[…]} hoặc tệp XLSX theo mẫu xuất). Kiểm tra toàn bộ trước; lỗi thì không lưu gì.',
        response: { 200: ImportResult, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      const body = req.body as unknown;
      let inputs: unknown[];
      if (Buffer.isBuffer(body)) inputs = await xlsxToCatalogue(body);
      else {
        const parsed = ImportBody.safeParse(body);
        if (!parsed.success) {
          throw new DomainError(
            'VALIDATION_FAILED',
            'Dữ liệu nhập phải là JSON {"procedures": […]} với 1 đến 5.000 thủ tục.',
            'The import must be JSON {"procedures": […]} with 1 to 5,000 procedures.',
            { issues: parsed.error.issues.map((x) => ({ path: x.path.join('.'), message: x.message })) },
          );
        }
        inputs = parsed.data.procedures;
      }
      // An item may be anything (null, a number…): read its code only from an object.
      const codeOf = (p: unknown) =>
        p && typeof p === 'object' ? (p as { code?: unknown }).code : undefined;
      const problems = inputs.flatMap((p, i) => {
        const res = ProcedureDefinition.safeParse(p);
        return res.success
          ? []
          : [
              {
                index: i,
                code: codeOf(p),
                issues: res.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`),
              },
            ];
      });
      const codes = inputs.map(codeOf);
      const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
      if (problems.length > 0 || duplicate) {
        throw new DomainError(
          'IMPORT_INVALID',
          `Có ${problems.length} thủ tục không hợp lệ${duplicate ? `, mã "${duplicate}" bị trùng` : ''}; chưa lưu gì.`,
          `${problems.length} invalid procedures${duplicate ? `, duplicate code "${duplicate}"` : ''}; nothing saved.`,
          { problems: problems.slice(0, 50) },
        );
      }
      const items = [];
      for (const p of inputs) items.push(await catalogue.save(p as never, auditActor(req)));
      const created = items.filter((i) => i.created).length;
      return { total: items.length, created, unchanged: items.length - created, items };
    },
  );

  r.put(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Lưu phiên bản mới của thủ tục (hồ sơ đã nhận giữ phiên bản cũ)',
        params: z.object({ code: z.string().max(40) }),
        body: z.record(z.string(), z.unknown()),
        response: {
          200: z.object({ code: z.string(), version: z.number(), created: z.boolean() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      if (req.body['code'] !== req.params.code) {
        throw new DomainError('VALIDATION_FAILED', 'Mã thủ tục không khớp.', 'Procedure code mismatch.');
      }
      return catalogue.save(req.body as never, auditActor(req));
    },
  );
}
