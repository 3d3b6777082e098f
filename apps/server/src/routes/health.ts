import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';

export async function healthRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Tình trạng hệ thống / health',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']) }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgresql']) }),
        },
      },
    },
    async (_req, reply) => {
      const { database } = app.ctx;
      try {
        await sql`SELECT 1`.execute(database.db);
        return { status: 'ok' as const, database: database.kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: database.kind });
      }
    },
  );
}
