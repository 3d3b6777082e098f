import { z } from 'zod';
import { isAgencyCode } from './agency-code.js';
import { PROCEDURE_CODE } from './codes.js';
import { Channel, Role } from './roles.js';

/** Online service level, Decree 42/2022 Art. 11–12 as amended by Decree 118/2025 Art. 40. */
export const OnlineLevel = z.enum(['TOAN_TRINH', 'MOT_PHAN', 'KHONG']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;
export const ONLINE_LEVEL_LABELS: Record<OnlineLevel, { vi: string; en: string }> = {
  TOAN_TRINH: { vi: 'Toàn trình', en: 'Fully online' },
  MOT_PHAN: { vi: 'Một phần', en: 'Partly online' },
  KHONG: { vi: 'Không trực tuyến', en: 'Not online' },
};

/** Working days, in half-day steps (0, 0.5, 1, 1.5, …). */
export const WorkingDays = z
  .number()
  .min(0)
  .max(3650)
  .refine((n) => Number.isInteger(n * 2), { message: 'must be a multiple of 0.5 working day' });

export const AgencyCodeString = z.string().refine(isAgencyCode, { message: 'agency e-ID (e.g. H41.08)' });

export const Fee = z.object({
  name: z.string().min(1).max(500),
  /** Amount in VND; null when set elsewhere (by the provincial People's Council, by a fee schedule…). */
  amountVnd: z.number().int().min(0).nullable(),
  payableOnline: z.boolean(),
  channels: z.array(Channel).min(1),
  kind: z.enum(['fee', 'charge']).default('fee'), // phí / lệ phí
});
export type Fee = z.infer<typeof Fee>;

export const Component = z.object({
  /** Component code within the procedure (MaThanhPhanHoSo), e.g. `TP01`. */
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
  name: z.string().min(1).max(2000),
  required: z.boolean(),
  originals: z.number().int().min(0).max(20).default(0),
  copies: z.number().int().min(0).max(20).default(1),
  /** File name of a downloadable form template (mẫu đơn, tờ khai), if any. */
  formTemplate: z.string().max(300).nullable().default(null),
  /** May be taken from the citizen's e-data store instead of a new upload. */
  reusable: z.boolean().default(false),
});
export type Component = z.infer<typeof Component>;

export const ResultType = z.object({
  /** Result-document code (MaGiayToKetQua). */
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/),
  name: z.string().min(1).max(500),
  kind: z.enum(['decision', 'certificate', 'licence', 'confirmation', 'document']),
});
export type ResultType = z.infer<typeof ResultType>;

/**
 * A step of the internal workflow (quy trình nội bộ). `unit` names where the step is done:
 * `reception` (the one-stop unit that received the dossier), `competent` (the unit that decides), or a concrete
 * agency code for inter-agency steps (liên thông).
 */
export const WorkflowStep = z.object({
  name: z.string().min(1).max(300),
  role: Role,
  unit: z.union([z.enum(['reception', 'competent']), AgencyCodeString]),
  durationDays: WorkingDays,
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

/** One field of the e-form used for online submission. */
export const EformField = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,60}$/),
  label: z.string().min(1).max(300),
  type: z.enum(['text', 'textarea', 'date', 'number', 'select', 'personalId', 'phone', 'email', 'address']),
  required: z.boolean().default(false),
  options: z.array(z.string().min(1).max(200)).optional(),
  maxLength: z.number().int().min(1).max(10000).optional(),
  /** Filled from the citizen's identity profile. */
  prefill: z.enum(['fullName', 'personalId', 'dateOfBirth', 'address', 'phone', 'email']).optional(),
});
export type EformField = z.infer<typeof EformField>;

export const EformSchema = z.object({
  sections: z
    .array(z.object({ title: z.string().min(1).max(200), fields: z.array(EformField).min(1) }))
    .min(1),
});
export type EformSchema = z.infer<typeof EformSchema>;

/** A procedure as defined in the catalogue (one version of it). */
export const ProcedureDefinition = z
  .object({
    code: z.string().regex(PROCEDURE_CODE, { message: 'procedure code like 1.000656' }),
    name: z.string().min(3).max(1000),
    field: z.string().min(2).max(300), // lĩnh vực
    /** Level of the competent authority. */
    level: z.enum(['province', 'commune']),
    /** Units that decide; empty = every unit of `level` (e.g. every commune). */
    competentUnits: z.array(AgencyCodeString).default([]),
    onlineLevel: OnlineLevel,
    channels: z.array(Channel).min(1),
    /** Processing time per channel, in working days. */
    processingDays: z.partialRecord(Channel, WorkingDays),
    processingNote: z.string().max(2000).nullable().default(null),
    fees: z.array(Fee).default([]),
    components: z.array(Component).default([]),
    results: z.array(ResultType).min(1),
    legalBases: z.array(z.string().min(1).max(1000)).default([]),
    workflow: z.array(WorkflowStep).min(1),
    eform: EformSchema.nullable().default(null),
    /** What a supplement request does to the clock: pause and resume, or restart from zero. */
    supplementPolicy: z.enum(['resume', 'restart']).default('resume'),
    effectiveFrom: z.iso.date(),
    effectiveTo: z.iso.date().nullable().default(null),
    source: z.string().max(1000).nullable().default(null),
  })
  .superRefine((p, ctx) => {
    for (const ch of p.channels) {
      if (p.processingDays[ch] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['processingDays', ch], message: `missing for channel ${ch}` });
      }
    }
    if (p.onlineLevel !== 'KHONG' && !p.channels.includes('online')) {
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: 'an online procedure must list the online channel',
      });
    }
    if (p.onlineLevel === 'KHONG' && p.channels.includes('online')) {
      ctx.addIssue({
        code: 'custom',
        path: ['onlineLevel'],
        message: 'online channel requires an online level',
      });
    }
    const codes = new Set<string>();
    for (const [i, c] of p.components.entries()) {
      if (codes.has(c.code))
        ctx.addIssue({ code: 'custom', path: ['components', i, 'code'], message: 'duplicate' });
      codes.add(c.code);
    }
    if (p.effectiveTo && p.effectiveTo < p.effectiveFrom) {
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'before effectiveFrom' });
    }
  });
export type ProcedureDefinition = z.infer<typeof ProcedureDefinition>;
export type ProcedureDefinitionInput = z.input<typeof ProcedureDefinition>;
