import { appendAudit } from '@tinhso/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCitizen } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { Applicant } from '../services/dossier-input.js';

const Profile = z.object({
  fullName: z.string(),
  personalId: z.string(),
  dateOfBirth: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});

/** What the citizen may change: contact details. Name, personal ID and birth date come from the e-identity. */
const ProfileUpdate = z
  .object({
    phone: z
      .string()
      .trim()
      .regex(/^(\+84|0)[0-9]{9,10}$/, 'số điện thoại (ví dụ 0912345678)')
      .nullable(),
    email: Applicant.shape.email.unwrap().nullable(),
    address: z.string().trim().min(5).max(500).nullable(),
  })
  .partial()
  .strict();

/** The logged-in citizen's own profile, prefilled from the identity provider (VNeID). */
export async function meRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database } = app.ctx;

  const read = async (id: string) => {
    const c = await database.db
      .selectFrom('citizens')
      .select(['full_name', 'personal_id', 'date_of_birth', 'address', 'phone', 'email'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      fullName: c.full_name,
      personalId: c.personal_id,
      dateOfBirth: c.date_of_birth, // DATE columns are read as 'YYYY-MM-DD' (packages/db/src/connect.ts)
      address: c.address,
      phone: c.phone,
      email: c.email,
    };
  };

  r.get(
    '/api/me/profile',
    {
      schema: {
        tags: ['citizen'],
        summary: 'Hồ sơ cá nhân của công dân (điền sẵn từ định danh điện tử)',
        response: { 200: Profile, ...errors(401, 403) },
      },
    },
    async (req) => read(requireCitizen(req).id),
  );

  r.put(
    '/api/me/profile',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['citizen'],
        summary: 'Cập nhật số điện thoại, thư điện tử, địa chỉ liên hệ',
        body: ProfileUpdate,
        response: { 200: Profile, ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const c = requireCitizen(req);
      const changes = req.body;
      await database.db.transaction().execute(async (tx) => {
        if (Object.keys(changes).length > 0) {
          await tx
            .updateTable('citizens')
            .set({ ...changes, updated_at: new Date() })
            .where('id', '=', c.id)
            .execute();
        }
        await appendAudit(tx, {
          actorType: 'citizen',
          actorId: c.id,
          action: 'citizen.profile_update',
          entityType: 'citizen',
          entityId: c.id,
          ip: req.ip,
          details: { fields: Object.keys(changes) },
        });
      });
      return read(c.id);
    },
  );
}
