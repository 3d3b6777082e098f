import { z } from 'zod';
import type { Channel, Role } from '../roles.js';
import type { StatusCode } from './status.js';

/** Early / on time / late, for one step (Mẫu 05) or for the whole dossier (Mẫu 06). */
export type Timing = 'early' | 'on_time' | 'late';

/** A workflow step with its unit resolved to an agency code. */
export interface ResolvedStep {
  name: string;
  role: Role;
  unit: string;
  durationDays: number;
}

/** One hand-over on the control sheet (Mẫu 05): who held the dossier, from when, until when, against which due date. */
export interface StepRecord {
  index: number;
  name: string;
  role: Role;
  unit: string;
  assignee: string | null;
  startedAt: string;
  dueAt: string;
  completedAt: string | null;
  timing: Timing | null;
  /** True when this step was an inter-agency transfer (liên thông) outside the procedure's own units. */
  interAgency: boolean;
}

export interface Pause {
  kind: 'supplement' | 'payment';
  phase: 'reception' | 'processing';
  from: string;
  to: string | null;
  /** Working days the clock stood still (set when the pause ends). */
  workingDays: number | null;
  unit: string;
  resumeStatus: StatusCode;
}

export interface Apology {
  at: string;
  previousDueAt: string;
  newDueAt: string;
  reason: string;
}

/** The full derived state of a dossier: what `evolve` computes from the action log. */
export interface DossierState {
  status: StatusCode;
  channel: Channel;
  receivingUnit: string;
  competentUnit: string;
  processingDays: number;
  supplementPolicy: 'resume' | 'restart';
  workflow: ResolvedStep[];
  submittedAt: string;
  receivedAt: string | null;
  /** Due date in force (moved by pauses and apologies). */
  dueAt: string | null;
  /** Legal due date: the one computed at receipt, moved only by pauses (never by apologies). Used for on-time stats. */
  legalDueAt: string | null;
  /** For paper dossiers handed to another unit: when the paper file must reach it (15:00 rule). */
  paperTransferDueAt: string | null;
  step: number | null;
  steps: StepRecord[];
  pause: Pause | null;
  pauses: Pause[];
  apologies: Apology[];
  /** Units that already asked for a supplement during processing (at most once per agency). */
  supplementUnits: string[];
  outcome: 'approved' | 'rejected' | null;
  finishedAt: string | null;
  timing: Timing | null;
  returnedAt: string | null;
  returnMethod: Channel | null;
  trackingNumber: string | null;
  paid: boolean;
}

const reason = z.string().trim().min(3).max(2000);
const isoInstant = z.iso.datetime({ offset: true });

/** Commands officers, citizens and the system send. Each is validated before `decide` runs. */
export const DossierCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept') }),
  z.object({ type: z.literal('refuse'), reason }),
  z.object({
    type: z.literal('request_supplement'),
    reason,
    items: z.array(z.string().trim().min(1).max(500)).min(1).max(50),
  }),
  z.object({ type: z.literal('provide_supplement'), note: z.string().max(2000).optional() }),
  z.object({
    type: z.literal('forward'),
    toUnit: z.string().max(40).optional(),
    assignee: z.uuid().optional(),
    note: z.string().max(2000).optional(),
  }),
  z.object({ type: z.literal('send_back'), reason }),
  z.object({ type: z.literal('assign'), assignee: z.uuid() }),
  z.object({ type: z.literal('request_payment'), reason, amountVnd: z.number().int().min(1).max(1e12) }),
  z.object({ type: z.literal('confirm_payment'), reference: z.string().trim().min(1).max(200) }),
  z.object({ type: z.literal('apologize'), reason, newDueAt: isoInstant }),
  z.object({
    type: z.literal('finish'),
    outcome: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(2000).optional(),
  }),
  z.object({
    type: z.literal('return_result'),
    method: z.enum(['counter', 'post', 'online']),
    trackingNumber: z.string().trim().min(4).max(40).optional(),
  }),
  z.object({ type: z.literal('withdraw'), reason }),
  z.object({ type: z.literal('stop'), reason }),
  z.object({ type: z.literal('comment'), text: z.string().trim().min(1).max(4000) }),
]);
export type DossierCommand = z.infer<typeof DossierCommand>;
export type CommandType = DossierCommand['type'];

/** Who acts. `covers(roleUnit, unit)` says whether a role held on `roleUnit` reaches `unit` (subtree). */
export type Actor =
  | {
      kind: 'officer';
      id: string;
      name: string;
      roles: ReadonlyArray<{ role: Role; unit: string }>;
      covers: (roleUnit: string, unit: string) => boolean;
    }
  | { kind: 'citizen'; id: string; name: string; isApplicant: boolean }
  | { kind: 'system'; name: string };

/**
 * An event: a validated command plus every value `decide` computed (due dates, the next step),
 * so that replaying the log never depends on a calendar that was edited later.
 */
export type EventType = CommandType | 'submit' | 'succession';

export interface DossierEvent {
  type: EventType;
  at: string;
  /** The unit on whose behalf the actor acted. */
  unit: string | null;
  statusAfter: StatusCode;
  reason: string | null;
  data: Record<string, unknown>;
}
