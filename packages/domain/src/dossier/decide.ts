import { DomainError } from '../errors.js';
import { actingUnit, firstProcessingStep, precondition } from './rules.js';
import { STATUS } from './status.js';
import { type DeadlineClock, stepDue, timingOf } from './timing.js';
import type { Actor, DossierCommand, DossierEvent, DossierState, ResolvedStep } from './types.js';

export interface DecideContext {
  now: Date;
  clock: DeadlineClock;
}

/** Everything needed to open a dossier (taken from the procedure version in force at submission). */
export interface NewDossier {
  channel: DossierState['channel'];
  submittedAt: Date;
  receivingUnit: string;
  competentUnit: string;
  processingDays: number;
  supplementPolicy: DossierState['supplementPolicy'];
  workflow: ResolvedStep[];
}

/** The first event of every dossier. */
export function submitEvent(d: NewDossier): DossierEvent {
  return {
    type: 'submit',
    at: d.submittedAt.toISOString(),
    unit: d.receivingUnit,
    statusAfter: STATUS.NEW,
    reason: null,
    data: {
      channel: d.channel,
      receivingUnit: d.receivingUnit,
      competentUnit: d.competentUnit,
      processingDays: d.processingDays,
      supplementPolicy: d.supplementPolicy,
      workflow: d.workflow,
    },
  };
}

const iso = (d: Date) => d.toISOString();

/**
 * Where a `forward` goes: the next workflow step, at the transfer agency when one is named (liên thông), else at the
 * unit the workflow resolved for that step (which may be another unit than the current step's). Null past the last
 * step. The server checks a named assignee against this unit before deciding.
 */
export function forwardTarget(
  s: DossierState,
  toUnit?: string | null,
): { index: number; unit: string } | null {
  const index = (s.step ?? -1) + 1;
  const def = s.workflow[index];
  return def ? { index, unit: toUnit ?? def.unit } : null;
}

function err(code: string, vi: string, en: string): DomainError {
  return new DomainError(code, vi, en);
}

/**
 * Validates a command against the state and the actor and returns the event to append, with every computed
 * value (due dates, next step) inside it. Throws a DomainError with a stable code when the command is refused.
 */
export function decide(s: DossierState, cmd: DossierCommand, actor: Actor, ctx: DecideContext): DossierEvent {
  const refused = precondition(s, cmd.type, actor);
  if (refused) throw refused;
  const { now, clock } = ctx;
  const at = iso(now);
  const unit = actingUnit(s, cmd.type, actor);
  const base = { type: cmd.type, at, unit, reason: null as string | null };
  const current = s.steps[s.steps.length - 1];
  const startStep = (
    index: number,
    stepUnit: string,
    interAgency = false,
    assignee: string | null = null,
  ) => {
    const def = s.workflow[index]!;
    return {
      index,
      unit: stepUnit,
      assignee,
      interAgency,
      dueAt: iso(stepDue(clock, now, def.durationDays)),
    };
  };
  const completeCurrent = () =>
    current ? { index: current.index, completedAt: at, timing: timingOf(at, current.dueAt) } : null;

  switch (cmd.type) {
    case 'accept': {
      const dueAt = iso(clock.addWorkingDays(now, s.processingDays));
      const first = firstProcessingStep(s);
      const receptionDef = first > 0 ? s.workflow[0] : undefined;
      const reception = receptionDef
        ? {
            startedAt: s.submittedAt,
            dueAt: iso(stepDue(clock, new Date(s.submittedAt), receptionDef.durationDays)),
            completedAt: at,
          }
        : null;
      const stepUnit = s.workflow[first]!.unit;
      // Paper dossiers travel to the competent agency the same working day, or the next one after the cut-off.
      const paper = s.channel !== 'online' && stepUnit !== s.receivingUnit && clock.paperTransferDeadline;
      const paperTransferDueAt = paper ? iso(clock.paperTransferDeadline!(now)) : null;
      return {
        ...base,
        statusAfter: STATUS.RECEIVED,
        data: { receivedAt: at, dueAt, reception, next: startStep(first, stepUnit), paperTransferDueAt },
      };
    }
    case 'refuse':
      return { ...base, statusAfter: STATUS.REFUSED, reason: cmd.reason, data: {} };
    case 'request_supplement':
    case 'request_payment': {
      const kind = cmd.type === 'request_supplement' ? 'supplement' : 'payment';
      const phase = s.receivedAt === null ? 'reception' : 'processing';
      const data: Record<string, unknown> = {
        pause: { kind, phase, from: at, to: null, workingDays: null, unit, resumeStatus: s.status },
      };
      if (cmd.type === 'request_supplement') data['items'] = cmd.items;
      else data['amountVnd'] = cmd.amountVnd;
      const statusAfter = kind === 'supplement' ? STATUS.SUPPLEMENT : STATUS.PAYMENT;
      return { ...base, statusAfter, reason: cmd.reason, data };
    }
    case 'provide_supplement':
    case 'confirm_payment': {
      const pause = s.pause;
      const wantKind = cmd.type === 'provide_supplement' ? 'supplement' : 'payment';
      if (!pause || pause.kind !== wantKind) {
        throw err(
          'TRANSITION_NOT_ALLOWED',
          'Hồ sơ không chờ thao tác này.',
          'The dossier is not waiting for this.',
        );
      }
      const data: Record<string, unknown> =
        cmd.type === 'provide_supplement' ? { note: cmd.note ?? null } : { reference: cmd.reference };
      if (pause.phase === 'processing' && s.dueAt && s.legalDueAt) {
        const workingDays = Math.max(0, clock.workingDaysBetween(new Date(pause.from), now));
        data['workingDays'] = workingDays;
        const restart = s.supplementPolicy === 'restart' && pause.kind === 'supplement';
        const shift = (d: string) => iso(clock.addWorkingDays(new Date(d), workingDays));
        if (restart) {
          const due = iso(clock.addWorkingDays(now, s.processingDays));
          data['dueAt'] = due;
          data['legalDueAt'] = due;
          const def = s.step === null ? undefined : s.workflow[s.step];
          if (def && current) data['stepDueAt'] = iso(stepDue(clock, now, def.durationDays));
        } else {
          data['dueAt'] = shift(s.dueAt);
          data['legalDueAt'] = shift(s.legalDueAt);
          if (current) data['stepDueAt'] = shift(current.dueAt);
        }
      }
      return { ...base, statusAfter: pause.resumeStatus, data };
    }
    case 'forward': {
      const target = forwardTarget(s, cmd.toUnit);
      if (!target) {
        throw err(
          'TRANSITION_NOT_ALLOWED',
          'Đây là bước cuối của quy trình: hãy kết thúc xử lý.',
          'This is the last step of the workflow: finish the dossier instead.',
        );
      }
      const interAgency = target.unit !== s.receivingUnit && target.unit !== s.competentUnit;
      return {
        ...base,
        statusAfter: STATUS.PROCESSING,
        reason: cmd.note ?? null,
        data: {
          completed: completeCurrent(),
          next: startStep(target.index, target.unit, interAgency, cmd.assignee ?? null),
        },
      };
    }
    case 'send_back': {
      const back = (s.step ?? 0) - 1;
      const previous = [...s.steps].reverse().find((st) => st.index === back);
      const target = previous?.unit ?? s.workflow[back]!.unit;
      return {
        ...base,
        statusAfter: STATUS.PROCESSING,
        reason: cmd.reason,
        data: {
          completed: completeCurrent(),
          next: startStep(back, target, previous?.interAgency ?? false, previous?.assignee ?? null),
        },
      };
    }
    case 'assign':
      return { ...base, statusAfter: s.status, data: { assignee: cmd.assignee } };
    case 'apologize': {
      // Decree 61/2018 Art. 19 (kept by Decree 118/2025): the agency apologises and sets a new date at the latest
      // one working day before the due date — earlier is allowed; after the due date it is still required before
      // finishing (see 'finish'). The new date must be later than the current one and within a year.
      const due = new Date(s.dueAt!);
      const newDue = Date.parse(cmd.newDueAt);
      if (newDue <= Math.max(due.getTime(), now.getTime()) || newDue > now.getTime() + 366 * 86_400_000) {
        throw err(
          'APOLOGY_DATE_INVALID',
          'Ngày hẹn mới phải sau ngày hẹn hiện tại, sau thời điểm hiện tại và trong vòng một năm.',
          'The new date must be after the current due date, after now, and within a year.',
        );
      }
      return {
        ...base,
        statusAfter: s.status,
        reason: cmd.reason,
        data: { previousDueAt: s.dueAt, newDueAt: new Date(newDue).toISOString() },
      };
    }
    case 'finish': {
      if (s.dueAt && now.getTime() > Date.parse(s.dueAt)) {
        throw err(
          'APOLOGY_REQUIRED',
          'Hồ sơ đã quá hạn: phải lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) trước khi kết thúc.',
          'The dossier is overdue: issue the apology with a new date (form 04) before finishing it.',
        );
      }
      if (cmd.outcome === 'rejected' && (cmd.reason ?? '').length < 3) {
        throw err(
          'REASON_REQUIRED',
          'Phải nêu lý do khi từ chối giải quyết.',
          'A reason is required to refuse the application.',
        );
      }
      return {
        ...base,
        statusAfter: STATUS.DONE,
        reason: cmd.reason ?? null,
        data: {
          outcome: cmd.outcome,
          completed: completeCurrent(),
          timing: s.legalDueAt ? timingOf(at, s.legalDueAt) : null,
        },
      };
    }
    case 'return_result': {
      if (cmd.method === 'post' && !cmd.trackingNumber) {
        throw err(
          'TRACKING_NUMBER_REQUIRED',
          'Trả kết quả qua bưu chính phải có mã vận đơn.',
          'Returning by post needs the postal tracking number.',
        );
      }
      return {
        ...base,
        statusAfter: STATUS.RETURNED,
        data: { method: cmd.method, trackingNumber: cmd.trackingNumber ?? null },
      };
    }
    case 'withdraw':
      return { ...base, statusAfter: STATUS.WITHDRAWN, reason: cmd.reason, data: {} };
    case 'stop':
      return { ...base, statusAfter: STATUS.STOPPED, reason: cmd.reason, data: {} };
    case 'comment':
      return { ...base, statusAfter: s.status, data: { text: cmd.text } };
  }
}
