import { Channel, DossierCommand } from '@tinhso/domain';
import { z } from 'zod';

/** Applicant as written on the dossier (ChuHoSo). LoaiDoiTuong: 1 citizen, 2 enterprise, 3 state body, 4 other. */
export const Applicant = z.object({
  name: z.string().trim().min(2).max(200),
  idNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{9,13}$|^[0-9]{10}(-[0-9]{3})?$/, 'personal ID (12 digits) or tax code'),
  kind: z.number().int().min(1).max(4).default(1),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .-]{8,15}$/)
    .optional(),
  email: z.email().max(200).optional(),
  address: z.string().trim().max(500).optional(),
});

export const ComponentInput = z.object({
  code: z.string().max(40),
  provided: z.boolean().default(true),
  digitized: z.boolean().default(false),
  reused: z.boolean().default(false),
  /** Uploaded files (POST /api/files) given for this component: they make it provided + digitized. */
  fileIds: z.array(z.uuid()).max(20).default([]),
});

/** How the applicant wants to receive the result; a postal address is required for `post`. */
export const Delivery = z
  .object({
    method: z.enum(['online', 'counter', 'post']),
    address: z.string().trim().min(5).max(500).optional(),
  })
  .refine((d) => d.method !== 'post' || d.address !== undefined, {
    message: 'address required for post',
    path: ['address'],
  });

/** Reception outcome chosen at the counter together with registration (accept, supplement, refuse). */
export const ReceptionOutcome = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept') }),
  z.object({
    type: z.literal('request_supplement'),
    reason: z.string().trim().min(3).max(2000),
    items: z.array(z.string().trim().min(1).max(500)).min(1).max(50),
  }),
  z.object({ type: z.literal('refuse'), reason: z.string().trim().min(3).max(2000) }),
]);

export const CreateDossier = z.object({
  procedureCode: z.string().max(40),
  channel: Channel,
  applicant: Applicant,
  /** Unit that receives the dossier (default: the officer's reception unit; for online, derived). */
  receivingUnit: z.string().max(40).optional(),
  /** Competent unit (required for commune-level procedures: the commune that decides). */
  competentUnit: z.string().max(40).optional(),
  formData: z
    .record(z.string().max(60), z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]))
    .default({}),
  components: z.array(ComponentInput).max(100).default([]),
  outcome: ReceptionOutcome.optional(),
  delivery: Delivery.optional(),
});
export type CreateDossier = z.infer<typeof CreateDossier>;

export const ActionRequest = z.object({
  /** The dossier version the officer was looking at; a stale version gets VERSION_CONFLICT. */
  expectedVersion: z.number().int().min(1),
  command: DossierCommand,
});
