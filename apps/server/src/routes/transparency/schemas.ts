/** The response schemas of the public transparency figures: whatever a body holds beyond them is stripped. */
import { z } from 'zod';

export const Agency = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'department', 'commune']),
});
export const PeriodView = z.object({ kind: z.string(), key: z.string(), from: z.string(), to: z.string() });
const Share = z.number().min(0).max(1).nullable();

export const ProcedureFigures = z.object({
  code: z.string(),
  name: z.string(),
  /** Received in the period (reception cohort). */
  received: z.number().int(),
  online: z.number().int(),
  /** Decided (result available: early, on time or late) in the period. */
  decided: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  onTimeShare: Share,
  /** Median working days from reception to decision, over the dossiers decided in the period. */
  medianWorkDays: z.number().nullable(),
});

export const AgencyFigures = z.object({
  agency: Agency,
  period: PeriodView,
  generatedAt: z.string(),
  counts: z.object({
    received: z.number().int(),
    online: z.number().int(),
    resolved: z.number().int(),
    early: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    inProgress: z.number().int(),
    cancelled: z.number().int(),
    digitized: z.number().int(),
    feeCharging: z.number().int(),
    paidOnline: z.number().int(),
    rated: z.number().int(),
    verySatisfied: z.number().int(),
    satisfied: z.number().int(),
    unsatisfied: z.number().int(),
  }),
  shares: z.object({
    /** (early + on time) ÷ resolved */
    onTime: Share,
    /** online ÷ received */
    online: Share,
    /** paid online ÷ fee-charging */
    paidOnline: Share,
    /** (very satisfied + satisfied) ÷ rated */
    satisfied: Share,
    /** digitized ÷ received */
    digitized: Share,
  }),
  /** Mean working days from reception to decision of the resolved dossiers received in the period. */
  meanWorkDays: z.number().nullable(),
  procedures: z.array(ProcedureFigures),
});
export type AgencyFigures = z.infer<typeof AgencyFigures>;
