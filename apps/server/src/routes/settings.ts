import { appendAudit } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, requireProvinceAdmin } from '../auth/principal.js';
import { errors } from '../http/schemas.js';
import { WorkingHoursBody } from './calendar.js';

/**
 * The province settings (table `settings`), each with its validation and its current value. Only the keys listed
 * here can be read or written; the calendar (working hours, paper cut-off) reloads after a change.
 */
const SETTINGS = {
  paper_transfer_cutoff: {
    label: 'Giờ chốt chuyển hồ sơ giấy trong ngày (sau giờ này chuyển vào ngày làm việc tiếp theo)',
    labelEn: 'Daily cut-off for handing paper dossiers over (later ones go the next working day)',
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  },
  default_working_hours: {
    label: 'Giờ làm việc mặc định của các cơ quan (buổi sáng, buổi chiều)',
    labelEn: 'Default office hours of the units (morning and afternoon sessions)',
    schema: WorkingHoursBody,
  },
} as const;
type SettingKey = keyof typeof SETTINGS;
const KEYS = Object.keys(SETTINGS) as SettingKey[];

const SettingsView = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      labelEn: z.string(),
      value: z.unknown(),
      updatedAt: z.string().nullable(),
    }),
  ),
});

export async function settingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, units, calendar } = app.ctx;

  /** The value in force: the stored one, else the calendar's default. */
  const current = (key: SettingKey): unknown =>
    key === 'paper_transfer_cutoff'
      ? calendar.paperCutoff
      : { sessions: calendar.defaultHours.sessions.map(([a, b]) => [a, b]) };

  const view = async () => {
    const rows = await database.db.selectFrom('settings').selectAll().where('key', 'in', KEYS).execute();
    const stored = new Map(rows.map((x) => [x.key, x]));
    return {
      items: KEYS.map((key) => ({
        key,
        label: SETTINGS[key].label,
        labelEn: SETTINGS[key].labelEn,
        value: current(key),
        updatedAt: stored.get(key)?.updated_at.toISOString() ?? null,
      })),
    };
  };

  r.get(
    '/api/settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Cấu hình chung của tỉnh (quản trị cấp tỉnh) / province settings',
        response: { 200: SettingsView, ...errors(401, 403) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      return view();
    },
  );

  r.put(
    '/api/settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Đổi cấu hình chung của tỉnh (một hoặc nhiều khoá, trong một giao dịch; có ghi nhật ký)',
        body: z.object({ values: z.record(z.string().max(60), z.unknown()) }),
        response: { 200: SettingsView, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      requireProvinceAdmin(req, units);
      const entries = Object.entries(req.body.values);
      if (entries.length === 0) {
        throw new DomainError('VALIDATION_FAILED', 'Không có cấu hình nào để lưu.', 'No setting to save.');
      }
      const parsed: [SettingKey, unknown][] = [];
      for (const [key, value] of entries) {
        if (!(key in SETTINGS)) {
          throw new DomainError(
            'VALIDATION_FAILED',
            `Không có cấu hình "${key}".`,
            `Unknown setting "${key}".`,
            {
              key,
              known: KEYS,
            },
          );
        }
        const result = SETTINGS[key as SettingKey].schema.safeParse(value);
        if (!result.success) {
          throw new DomainError(
            'VALIDATION_FAILED',
            `Giá trị của cấu hình "${key}" không hợp lệ.`,
            `Invalid value for setting "${key}".`,
            { key, issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
          );
        }
        parsed.push([key as SettingKey, result.data]);
      }
      await database.db.transaction().execute(async (tx) => {
        for (const [key, value] of parsed) {
          const from = current(key);
          if (JSON.stringify(from) === JSON.stringify(value)) continue;
          await tx
            .insertInto('settings')
            .values({ key, value: JSON.stringify(value) })
            .onConflict((oc) =>
              oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }),
            )
            .execute();
          await appendAudit(tx, {
            ...auditActor(req),
            action: 'settings.update',
            entityType: 'setting',
            entityId: key,
            details: { from, to: value },
          });
        }
      });
      await calendar.reload();
      return view();
    },
  );
}
