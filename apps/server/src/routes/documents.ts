import { DomainError, parseDossierCode } from '@tinhso/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer, unauthenticated } from '../auth/principal.js';
import { loadDossierData } from '../documents/dossier-data.js';
import {
  controlSheetInput,
  FORMS,
  renderDossierForm,
  renderUnitRegister,
  unitRegisterInput,
} from '../documents/forms.js';
import {
  attachmentDisposition,
  controlSheetToXlsx,
  registerToXlsx,
  XLSX_MIME,
} from '../documents/registers-xlsx.js';
import { DraftResult } from '../documents/result-input.js';
import { ResultDocuments } from '../documents/results.js';
import { verifyDocument } from '../documents/verify.js';
import { errors } from '../http/schemas.js';
import { IsoDate } from './calendar.js';

const DocumentRef = z.object({ id: z.string(), status: z.string(), version: z.number() });
const pdf = (reply: FastifyReply, file: Buffer, name: string, download = false) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .send(file);

const xlsx = (reply: FastifyReply, file: Buffer, name: string) =>
  reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', attachmentDisposition(name))
    .header('cache-control', 'private, no-store')
    .send(file);

export async function documentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const { dossiers, keys, config, units } = ctx;
  const results = new ResultDocuments(ctx, keys);
  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: config.UPLOAD_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );

  r.get(
    '/api/dossiers/:code/forms/:form',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Biểu mẫu của hồ sơ: receipt (Mẫu 01), supplement (02), refusal (03), apology (04), control-sheet (05)',
        params: z.object({ code: z.string().max(60), form: z.enum(FORMS) }),
        querystring: z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf') }),
        response: { ...errors(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      if (req.query.format === 'xlsx' && req.params.form !== 'control-sheet') {
        throw new DomainError(
          'VALIDATION_FAILED',
          'Chỉ Phiếu kiểm soát (Mẫu 05) có bản XLSX.',
          'Only the control sheet (Mẫu 05) is available as XLSX.',
        );
      }
      const d = await dossiers.load(req.params.code, req.principal);
      if (req.query.format === 'xlsx') {
        const input = controlSheetInput(ctx, await loadDossierData(ctx.database, d.id));
        return xlsx(reply, await controlSheetToXlsx(input), `phieu-kiem-soat-${d.code}.xlsx`);
      }
      const file = await renderDossierForm(ctx, keys, d.id, req.params.form);
      return pdf(reply, file, `${req.params.form}-${d.code}.pdf`);
    },
  );

  r.get(
    '/api/registers/dossiers',
    {
      schema: {
        tags: ['documents'],
        summary: 'Sổ theo dõi hồ sơ (Mẫu 06) của một đơn vị trong một khoảng thời gian, PDF hoặc XLSX',
        querystring: z.object({
          unit: z.string().max(40),
          from: IsoDate,
          to: IsoDate,
          format: z.enum(['pdf', 'xlsx']).default('pdf'),
        }),
        response: { ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const officer = requireOfficer(req);
      const unit = units.get(req.query.unit);
      if (!officer.roles.some((x) => x.role !== 'admin' && units.covers(x.unit, unit.code))) {
        throw new DomainError('FORBIDDEN', 'Bạn không có quyền xem sổ của đơn vị này.', 'Not your unit.');
      }
      if (req.query.from > req.query.to) {
        throw new DomainError('VALIDATION_FAILED', 'Khoảng thời gian không hợp lệ.', '`from` is after `to`.');
      }
      if (req.query.format === 'xlsx') {
        const input = await unitRegisterInput(ctx, unit.code, req.query.from, req.query.to);
        return xlsx(
          reply,
          await registerToXlsx(input),
          `so-theo-doi-ho-so-${unit.code}-${req.query.from}-${req.query.to}.xlsx`,
        );
      }
      const file = await renderUnitRegister(ctx, unit.code, req.query.from, req.query.to);
      return pdf(reply, file, `so-theo-doi-${unit.code}-${req.query.from}-${req.query.to}.pdf`);
    },
  );

  r.get(
    '/api/dossiers/:code/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Văn bản kết quả của hồ sơ (người nộp chỉ thấy văn bản đã ban hành)',
        params: z.object({ code: z.string().max(60) }),
        response: {
          200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const d = await dossiers.load(req.params.code, req.principal);
      return { items: await results.list(d.id, req.principal.kind === 'citizen') };
    },
  );

  r.post(
    '/api/dossiers/:code/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Dự thảo văn bản kết quả từ mẫu (quyết định, giấy chứng nhận, giấy phép…)',
        params: z.object({ code: z.string().max(60) }),
        body: DraftResult,
        response: { 201: DocumentRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const officer = requireOfficer(req);
      parseDossierCode(req.params.code);
      return reply.status(201).send(await results.draft(req.params.code, req.body, officer));
    },
  );

  r.get(
    '/api/dossiers/:code/signers',
    {
      schema: {
        tags: ['documents'],
        summary: 'Người ký văn bản kết quả của hồ sơ (người ký của đơn vị giải quyết), để chọn khi dự thảo',
        params: z.object({ code: z.string().max(60) }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), title: z.string().nullable() })),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      parseDossierCode(req.params.code);
      return { items: await results.signers(req.params.code, officer) };
    },
  );

  const Id = z.object({ id: z.uuid() });
  r.post(
    '/api/documents/:id/sign',
    {
      schema: {
        tags: ['documents'],
        summary: 'Người ký ký số văn bản (chữ ký hiển thị theo Phụ lục I Nghị định 30/2020)',
        params: Id,
        response: { 200: DocumentRef, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => results.sign(req.params.id, requireOfficer(req)),
  );
  r.post(
    '/api/documents/:id/issue',
    {
      schema: {
        tags: ['documents'],
        summary: 'Văn thư cấp số và ký số của cơ quan (đóng dấu), ban hành và đăng ký văn bản',
        params: Id,
        response: { 200: DocumentRef, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => results.issue(req.params.id, requireOfficer(req)),
  );
  r.post(
    '/api/documents/:id/revoke',
    {
      schema: {
        tags: ['documents'],
        summary: 'Thu hồi văn bản đã ban hành (nêu lý do)',
        params: Id,
        body: z.object({ reason: z.string().trim().min(3).max(1000) }),
        response: { 200: DocumentRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => results.revoke(req.params.id, req.body.reason, requireOfficer(req)),
  );

  r.get(
    '/api/documents/:id/file',
    {
      schema: {
        tags: ['documents'],
        summary: 'Tải tệp PDF của văn bản (cán bộ liên quan; người nộp: văn bản đã ban hành)',
        params: Id,
        response: { ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      const doc = await results.file(req.params.id, req.principal);
      return pdf(reply, doc.file, `ket-qua-${doc.dossierCode ?? req.params.id}.pdf`, true);
    },
  );

  r.get(
    '/api/trust-anchors',
    {
      schema: {
        tags: ['public'],
        summary:
          'Chứng thư các tổ chức chứng thực được tin cậy (PEM), để cài vào trình đọc PDF / trusted CA certificates',
      },
    },
    async (_req, reply) => {
      const anchors = await keys.trustAnchors();
      const pem = anchors
        .map((der) => {
          const b64 = Buffer.from(der)
            .toString('base64')
            .replace(/(.{64})/g, '$1\n')
            .replace(/\n$/, '');
          return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
        })
        .join('');
      return reply
        .header('content-type', 'application/x-pem-file')
        .header('content-disposition', 'attachment; filename="tinhso-trust-anchors.pem"')
        .send(pem);
    },
  );

  const Verification = z.object({
    valid: z.boolean(),
    reason: z.string().nullable(),
    registryMatch: z.boolean().nullable(),
    document: z
      .object({
        title: z.string(),
        numberSymbol: z.string().nullable(),
        issuingUnit: z.string(),
        issuedAt: z.string().nullable(),
        status: z.string(),
        revokedReason: z.string().nullable(),
        dossierCode: z.string().nullable(),
        sha256: z.string().nullable(),
      })
      .nullable(),
    signatures: z.array(
      z.object({
        signer: z.string().nullable(),
        organization: z.string().nullable(),
        signingTime: z.string().nullable(),
        integrity: z.boolean(),
        signatureValid: z.boolean(),
        chainTrusted: z.boolean(),
        coversWholeDocument: z.boolean(),
      }),
    ),
  });
  r.get(
    '/api/verify/:token',
    {
      config: { rateLimit: { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Xác thực văn bản theo mã QR in trên văn bản (công khai)',
        params: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) }),
        response: { 200: Verification, ...errors(400, 404, 429) },
      },
    },
    async (req) => {
      const v = await verifyDocument(ctx, keys, { token: req.params.token });
      if (!v)
        throw new DomainError(
          'DOCUMENT_NOT_FOUND',
          'Không tìm thấy văn bản với mã này.',
          'No document with this code.',
        );
      return v;
    },
  );
  r.post(
    '/api/verify',
    {
      bodyLimit: config.UPLOAD_LIMIT_BYTES,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Xác thực một tệp PDF tải lên (Content-Type: application/pdf): chữ ký số và sổ đăng ký',
        response: { 200: Verification, ...errors(400, 413, 415, 429) },
      },
    },
    async (req) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Tệp không phải là PDF.', 'The file is not a PDF.');
      }
      return (await verifyDocument(ctx, keys, { pdf: body }))!;
    },
  );
}
