import { parseDossierCode, RatingInput, SatisfactionLevel } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unauthenticated } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { RatingService } from '../services/ratings.js';

const RatingView = z.object({
  level: SatisfactionLevel,
  criteria: z.record(z.string(), z.number()).nullable(),
  criteriaScore: z.number().nullable(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});
const CodeParams = z.object({ code: z.string().max(60) });

/** The applicant's rating of a dossier (Rất hài lòng / Hài lòng / Không hài lòng, and the nine criteria). */
export async function ratingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ratings = new RatingService(app.ctx.database, app.ctx.dossiers, app.ctx.units);

  r.get(
    '/api/dossiers/:code/rating',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Đánh giá mức độ hài lòng của hồ sơ, và người dùng có thể đánh giá không',
        params: CodeParams,
        response: {
          200: z.object({ rating: RatingView.nullable(), canRate: z.boolean() }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      const { code } = parseDossierCode(req.params.code);
      return ratings.get(code, req.principal);
    },
  );

  r.post(
    '/api/dossiers/:code/rating',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['dossiers'],
        summary: 'Người nộp đánh giá mức độ hài lòng (một lần, sau khi nhận kết quả)',
        params: CodeParams,
        body: RatingInput,
        response: { 201: z.object({ rating: RatingView }), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      const { code } = parseDossierCode(req.params.code);
      const rating = await ratings.rate(code, req.body, req.principal, req.ip);
      return reply.status(201).send({ rating });
    },
  );
}
