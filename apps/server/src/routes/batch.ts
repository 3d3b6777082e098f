import { type DossierCommand, isDomainError, parseDossierCode } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth/principal.js';
import { errors } from '../http/schemas.js';

/** The commands a head or signer approves in a batch: move each dossier to its next step, or finish it. */
const BatchCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('forward'),
    toUnit: z.string().max(40).optional(),
    assignee: z.uuid().optional(),
    note: z.string().max(2000).optional(),
  }),
  z.object({
    type: z.literal('finish'),
    outcome: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(2000).optional(),
  }),
]);

const BatchBody = z.object({
  command: BatchCommand,
  items: z
    .array(z.object({ code: z.string().trim().min(1).max(60), expectedVersion: z.number().int().min(1) }))
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.code.toUpperCase())).size === items.length, {
      message: 'duplicate dossier code',
    }),
});

const BatchResult = z.object({
  code: z.string(),
  ok: z.boolean(),
  status: z.number().optional(),
  version: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }).optional(),
});

/** POST /api/dossiers/batch: one command on up to 50 dossiers, each in its own transaction (issue 4, leaders). */
export async function batchRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { dossiers, units } = app.ctx;

  r.post(
    '/api/dossiers/batch',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['dossiers'],
        summary: 'Duyệt hàng loạt: chuyển bước hoặc kết thúc xử lý nhiều hồ sơ (lãnh đạo, người ký)',
        body: BatchBody,
        response: { 200: z.object({ results: z.array(BatchResult) }), ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const officer = requireRole(req, units, ['head', 'signer']);
      const command = req.body.command as DossierCommand;
      const results: z.infer<typeof BatchResult>[] = [];
      // One after the other: each item is its own transaction through the ordinary use case (rules, audit,
      // listeners); one failure (a stale version, a dossier not at this officer's step) leaves the others intact.
      for (const item of req.body.items) {
        try {
          parseDossierCode(item.code);
          const d = await dossiers.act(item.code, command, item.expectedVersion, officer, { ip: req.ip });
          results.push({ code: d.code, ok: true, status: d.state.status, version: d.version });
        } catch (e) {
          if (isDomainError(e)) {
            results.push({
              code: item.code,
              ok: false,
              error: { code: e.code, message: e.messageVi, messageEn: e.messageEn },
            });
          } else {
            req.log.error({ err: e, dossier: item.code }, 'batch item failed');
            results.push({
              code: item.code,
              ok: false,
              error: {
                code: 'INTERNAL_ERROR',
                message: 'Lỗi hệ thống khi xử lý hồ sơ này; hồ sơ không thay đổi.',
                messageEn: 'Internal error on this dossier; it was not changed.',
              },
            });
          }
        }
      }
      return { results };
    },
  );
}
