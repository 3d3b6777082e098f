import { parseAgencyCode, toClassicAgencyCode, UnitLevel } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireProvinceAdmin } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { createUnit, mergeUnits, setWorkingHours } from '../services/organisation.js';
import type { Unit, UnitDirectory } from '../services/units.js';
import { WorkingHoursBody } from './calendar.js';

const UnitView = z.object({
  code: z.string(),
  classicCode: z.string().nullable(),
  codeParts: z.array(z.string()),
  name: z.string(),
  level: UnitLevel,
  parent: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  successor: z.string().nullable(),
  workingHours: WorkingHoursBody.nullable(),
});

function present(u: Unit, dir: UnitDirectory) {
  const code = parseAgencyCode(u.code);
  return {
    code: u.code,
    classicCode: toClassicAgencyCode(code),
    codeParts: code.parts,
    name: u.name,
    level: u.level,
    parent: u.parentId ? dir.getById(u.parentId).code : null,
    validFrom: u.validFrom,
    validTo: u.validTo,
    successor: u.successorId ? dir.getById(u.successorId).code : null,
    workingHours: u.workingHours,
  };
}

export async function unitRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units, database } = app.ctx;

  r.get(
    '/api/units',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Cây đơn vị (kể cả đơn vị đã sáp nhập, với đơn vị kế thừa) / organisation tree',
        response: { 200: z.object({ items: z.array(UnitView) }) },
      },
    },
    async () => ({ items: units.all().map((u) => present(u, units)) }),
  );

  r.get(
    '/api/units/:code',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Một đơn vị, theo mã định danh dạng 000.00.08.H41 hoặc H41.08',
        params: z.object({ code: z.string().max(40) }),
        response: { 200: UnitView, ...errors(400, 404) },
      },
    },
    async (req) => {
      parseAgencyCode(req.params.code);
      return present(units.get(req.params.code), units);
    },
  );

  r.post(
    '/api/units',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Thêm đơn vị (quản trị cấp tỉnh)',
        body: z.object({
          code: z.string().max(40),
          name: z.string().trim().min(3).max(300),
          shortName: z.string().trim().max(100).optional(),
          level: UnitLevel,
          parentCode: z.string().max(40).optional(),
          validFrom: z.iso.date(),
        }),
        response: { 201: UnitView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      requireProvinceAdmin(req, units);
      const u = await createUnit(database, units, req.body, auditActor(req));
      return reply.status(201).send(present(u, units));
    },
  );

  r.post(
    '/api/units/merge',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Sáp nhập đơn vị: đơn vị kế thừa tiếp nhận hồ sơ đang mở, giữ lịch sử',
        body: z.object({
          sources: z.array(z.string().max(40)).min(1).max(50),
          successor: z.string().max(40),
          effectiveDate: z.iso.date(),
        }),
        response: { 200: z.object({ movedDossiers: z.number() }), ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      return mergeUnits(database, units, req.body, auditActor(req));
    },
  );

  r.put(
    '/api/units/:code/working-hours',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Giờ làm việc riêng của đơn vị (null: theo giờ chung của tỉnh)',
        params: z.object({ code: z.string().max(40) }),
        body: z.object({ workingHours: WorkingHoursBody.nullable() }),
        response: { 200: UnitView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      await setWorkingHours(database, units, req.params.code, req.body.workingHours, auditActor(req));
      return present(units.get(req.params.code), units);
    },
  );
}
