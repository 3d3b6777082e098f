import { Role } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireOfficer } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { OfficerService } from '../services/officers/index.js';

const RoleGrant = z.object({ role: Role, unit: z.string().trim().min(1).max(40) });

const OfficerView = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
  roles: z.array(z.object({ role: Role, unit: z.string() })),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,49}$/, '3–50 characters: letters a–z, digits, dot, dash, underscore');
const Name = z.string().trim().min(2).max(200);
/** Length only here: the service refuses short passwords with PASSWORD_TOO_WEAK (a clear message in Vietnamese). */
const Password = z.string().min(1).max(200);
const Title = z.string().trim().max(200);
const Email = z.email().max(200);

const Id = z.object({ id: z.uuid() });

/** Officers and their roles (issue 4 §6 administration). */
export async function officerRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, units } = app.ctx;
  const officers = new OfficerService(database, units);

  r.get(
    '/api/officers',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Danh sách cán bộ của một đơn vị và các đơn vị trực thuộc (quản trị hoặc lãnh đạo đơn vị) / officers of a unit',
        querystring: z.object({
          unit: z.string().max(40).optional(),
          q: z.string().trim().max(100).optional(),
          active: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(OfficerView) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const officer = requireOfficer(req);
      const items = await officers.list(officer, {
        unit: req.query.unit,
        q: req.query.q || undefined,
        active: req.query.active === undefined ? undefined : req.query.active === 'true',
      });
      return { items };
    },
  );

  r.get(
    '/api/officers/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Một cán bộ và các vai trò (quản trị hoặc lãnh đạo đơn vị)',
        params: Id,
        response: { 200: OfficerView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => officers.get(requireOfficer(req), req.params.id),
  );

  r.post(
    '/api/officers',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['admin'],
        summary:
          'Tạo tài khoản cán bộ với các vai trò (quản trị của đơn vị bao trùm mọi vai trò); mật khẩu ≥ 10 ký tự',
        body: z.object({
          username: Username,
          name: Name,
          password: Password,
          title: Title.optional(),
          email: Email.optional(),
          roles: z.array(RoleGrant).max(50),
        }),
        response: { 201: OfficerView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const officer = requireOfficer(req);
      const created = await officers.create(officer, req.body, auditActor(req));
      return reply.status(201).send(created);
    },
  );

  r.patch(
    '/api/officers/:id',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['admin'],
        summary:
          'Sửa cán bộ: tên, chức danh, khoá/mở tài khoản, vai trò, đặt lại mật khẩu (khoá tài khoản hoặc đổi mật khẩu kết thúc các phiên đăng nhập)',
        params: Id,
        body: z
          .object({
            name: Name.optional(),
            title: Title.nullable().optional(),
            email: Email.nullable().optional(),
            active: z.boolean().optional(),
            roles: z.array(RoleGrant).max(50).optional(),
            password: Password.optional(),
            unlock: z.literal(true).optional(),
          })
          .strict(),
        response: { 200: OfficerView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => officers.update(requireOfficer(req), req.params.id, req.body, auditActor(req)),
  );
}
