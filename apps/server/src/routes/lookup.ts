import { prepared } from '@tinhso/db';
import { parseDossierCode, STATUS_LABELS, type StatusCode, toVietnamIso } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { publicStatusUrl } from '../http/public-urls.js';
import { errors } from '../http/schemas.js';
import { dossierNotFound } from '../services/dossier-store.js';

/** Masks a name for public display: "Nguyễn Văn An" → "N*** V** An". */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/);
  return words
    .map((w, i) =>
      i === words.length - 1 ? w : `${[...w][0] ?? ''}${'*'.repeat(Math.max(1, [...w].length - 1))}`,
    )
    .join(' ');
}

const LookupResponse = z.object({
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  status: z.number(),
  statusLabel: z.string(),
  statusLabelEn: z.string(),
  applicant: z.string(),
  channel: z.string(),
  receivingUnit: z.string(),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  waitingFor: z.string().nullable(),
});

/** The public lookup's one read: a prepared statement (packages/db/src/prepared.ts), run at every lookup. */
const readDossier = prepared('public_lookup', (db) =>
  db
    .selectFrom('dossiers')
    .select([
      'code',
      'status',
      'channel',
      'applicant_name',
      'submitted_at',
      'received_at',
      'due_at',
      'finished_at',
      'returned_at',
      'procedure_id',
      'receiving_unit_id',
    ])
    .where('code', '=', '')
    .compile(),
);

export async function lookupRoutes(app: FastifyInstance) {
  const { database, config, catalogue, units } = app.ctx;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/lookup/:code',
    {
      config: { rateLimit: { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Tra cứu công khai tình trạng hồ sơ theo mã (không cần đăng nhập, không lộ dữ liệu cá nhân)',
        params: z.object({ code: z.string().max(60) }),
        response: { 200: LookupResponse, ...errors(400, 404, 429) },
      },
    },
    async (req) => {
      const { code } = parseDossierCode(req.params.code);
      // One indexed read of the dossier (a prepared statement); the procedure and unit names come from memory.
      const [row] = await readDossier(database, [code]);
      if (!row) throw dossierNotFound(code);
      const procedure = await catalogue.summaryById(row.procedure_id);
      const label = STATUS_LABELS[row.status as StatusCode];
      const waitingFor =
        row.status === 5
          ? 'Bổ sung hồ sơ theo yêu cầu / supply the missing documents'
          : row.status === 6
            ? 'Thực hiện nghĩa vụ tài chính / pay the fees'
            : row.status === 9
              ? 'Nhận kết quả / collect the result'
              : null;
      return {
        code: row.code,
        procedureCode: procedure?.code ?? '',
        procedureName: procedure?.name ?? '',
        status: row.status,
        statusLabel: label.vi,
        statusLabelEn: label.en,
        applicant: maskName(row.applicant_name),
        channel: row.channel,
        receivingUnit: units.getById(row.receiving_unit_id).name,
        submittedAt: toVietnamIso(row.submitted_at),
        receivedAt: row.received_at && toVietnamIso(row.received_at),
        dueAt: row.due_at && toVietnamIso(row.due_at),
        finishedAt: row.finished_at && toVietnamIso(row.finished_at),
        returnedAt: row.returned_at && toVietnamIso(row.returned_at),
        waitingFor,
      };
    },
  );

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/lookup/:code/qr.svg',
    {
      config: { rateLimit: { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'Mã QR (SVG) mở trang tra cứu công khai của hồ sơ',
        params: z.object({ code: z.string().max(60) }),
        produces: ['image/svg+xml'],
        response: { 200: z.string(), ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const { code } = parseDossierCode(req.params.code);
      const row = await database.db
        .selectFrom('dossiers')
        .select('code')
        .where('code', '=', code)
        .executeTakeFirst();
      if (!row) throw dossierNotFound(code);
      const svg = await QRCode.toString(publicStatusUrl(config.publicUrl, row.code), {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .send(svg);
    },
  );
}
