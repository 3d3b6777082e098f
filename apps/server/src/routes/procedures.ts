import { OnlineLevel, ProcedureDefinition, vietnamDate } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, Paging } from '../http/schemas.js';
import { ProcedureTemplateService } from '../services/procedure-templates.js';

const Summary = z.object({
  code: z.string(),
  name: z.string(),
  field: z.string(),
  level: z.string(),
  onlineLevel: z.string(),
  version: z.number(),
  competentUnits: z.array(z.string()),
});

export async function procedureRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Public, unauthenticated reads: the same per-IP limit as the public lookup.
  const publicLimit = {
    rateLimit: { max: app.ctx.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' },
  };
  const templates = new ProcedureTemplateService(app.ctx.database);
  r.get(
    '/api/procedures',
    {
      config: publicLimit,
      schema: {
        tags: ['catalogue'],
        summary: 'Tìm thủ tục hành chính (không cần dấu, chịu lỗi gõ) / search procedures',
        querystring: Paging.extend({
          q: z.string().max(200).optional(),
          field: z.string().max(300).optional(),
          /** Agency code (e.g. H41.04, or a commune): the procedures it decides. */
          agency: z.string().max(40).optional(),
          level: z.enum(['province', 'commune']).optional(),
          onlineLevel: OnlineLevel.optional(),
        }),
        response: { 200: z.object({ items: z.array(Summary), total: z.number() }), ...errors(400) },
      },
    },
    async (req) => {
      const { agency, ...rest } = req.query;
      const unit = agency ? app.ctx.units.get(agency) : undefined;
      return app.ctx.catalogue.search({ ...rest, agency: unit });
    },
  );

  r.get(
    '/api/procedures/agencies',
    {
      config: publicLimit,
      schema: {
        tags: ['catalogue'],
        summary: 'Cơ quan giải quyết và số thủ tục / deciding agencies with counts (browse by agency)',
        response: {
          200: z.object({
            items: z.array(
              z.object({ code: z.string(), name: z.string(), level: z.string(), count: z.number() }),
            ),
          }),
        },
      },
    },
    async () => {
      const today = vietnamDate(new Date());
      const units = app.ctx.units
        .all()
        .filter(
          (u) => (u.level === 'department' || u.level === 'commune') && app.ctx.units.isActive(u, today),
        );
      const counts = await app.ctx.catalogue.countByAgency(units);
      return {
        items: units
          .map((u) => ({ code: u.code, name: u.name, level: u.level, count: counts.get(u.code) ?? 0 }))
          .filter((u) => u.count > 0),
      };
    },
  );

  r.get(
    '/api/procedures/fields',
    {
      config: publicLimit,
      schema: {
        tags: ['catalogue'],
        summary: 'Lĩnh vực và số thủ tục / fields with counts',
        response: { 200: z.object({ items: z.array(z.object({ field: z.string(), count: z.number() })) }) },
      },
    },
    async () => ({ items: await app.ctx.catalogue.fields() }),
  );

  r.get(
    '/api/procedures/:code',
    {
      config: publicLimit,
      schema: {
        tags: ['catalogue'],
        summary: 'Chi tiết thủ tục (phiên bản hiện hành hoặc ?version=N) / procedure detail',
        params: z.object({ code: z.string().max(40) }),
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: {
          200: z.object({
            version: z.number(),
            versions: z.array(z.unknown()),
            definition: ProcedureDefinition,
            /** Downloadable form templates of this version's components (GET url, no login). */
            templates: z.array(
              z.object({
                component: z.string(),
                name: z.string(),
                mime: z.string(),
                size: z.number(),
                url: z.string(),
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const { id, version, definition } = await app.ctx.catalogue.get(req.params.code, req.query.version);
      const [versions, files] = await Promise.all([
        app.ctx.catalogue.versions(req.params.code),
        templates.list(
          id,
          definition.code,
          definition.components.map((c) => c.code),
        ),
      ]);
      return {
        version,
        versions,
        definition,
        templates: files.map(({ component, name, mime, size, url }) => ({
          component,
          name,
          mime,
          size,
          url,
        })),
      };
    },
  );
}
