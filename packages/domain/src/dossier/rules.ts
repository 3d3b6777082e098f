import { DomainError } from '../errors.js';
import { type Role, WORKING_ROLES } from '../roles.js';
import { STATUS, type StatusCode, TERMINAL_STATUSES } from './status.js';
import type { Actor, CommandType, DossierState } from './types.js';

/**
 * Which commands are possible in which status, and who may send them. This table is the whole state machine:
 * `decide` refuses anything it does not list, and `availableActions` lists exactly what it allows.
 */
const FROM: Record<CommandType, readonly StatusCode[]> = {
  accept: [STATUS.NEW],
  refuse: [STATUS.NEW, STATUS.SUPPLEMENT],
  request_supplement: [STATUS.NEW, STATUS.RECEIVED, STATUS.PROCESSING],
  provide_supplement: [STATUS.SUPPLEMENT],
  forward: [STATUS.RECEIVED, STATUS.PROCESSING],
  send_back: [STATUS.PROCESSING],
  assign: [STATUS.RECEIVED, STATUS.PROCESSING, STATUS.SUPPLEMENT, STATUS.PAYMENT],
  request_payment: [STATUS.RECEIVED, STATUS.PROCESSING],
  confirm_payment: [STATUS.PAYMENT],
  apologize: [STATUS.RECEIVED, STATUS.PROCESSING, STATUS.SUPPLEMENT, STATUS.PAYMENT],
  finish: [STATUS.RECEIVED, STATUS.PROCESSING],
  return_result: [STATUS.DONE],
  withdraw: [STATUS.NEW, STATUS.RECEIVED, STATUS.PROCESSING, STATUS.SUPPLEMENT, STATUS.PAYMENT],
  stop: [STATUS.RECEIVED, STATUS.PROCESSING, STATUS.SUPPLEMENT, STATUS.PAYMENT],
  comment: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};

export const ALL_COMMANDS = Object.keys(FROM) as CommandType[];

function inReception(s: DossierState): boolean {
  return s.receivedAt === null;
}

function currentStepUnit(s: DossierState): string | null {
  return s.step === null ? null : (s.steps[s.steps.length - 1]?.unit ?? null);
}

/** True when the officer holds one of `roles` on a unit covering `unit`. */
export function hasRoleOn(actor: Actor, roles: readonly Role[], unit: string | null): boolean {
  if (actor.kind !== 'officer' || unit === null) return false;
  return actor.roles.some((r) => roles.includes(r.role) && actor.covers(r.unit, unit));
}

/** The unit on whose behalf an actor sends a command, or null when the actor may not send it. */
export function actingUnit(s: DossierState, type: CommandType, actor: Actor): string | null {
  const reception = s.receivingUnit;
  const stepUnit = currentStepUnit(s);
  const stepRole = s.step === null ? null : (s.workflow[s.step]?.role ?? null);
  const isApplicant = actor.kind === 'citizen' && actor.isApplicant;
  const pick = (roles: readonly Role[], ...units: (string | null)[]) =>
    units.find((u) => hasRoleOn(actor, roles, u)) ?? null;
  switch (type) {
    case 'accept':
    case 'refuse':
    case 'return_result':
      return pick(['reception'], reception);
    case 'request_supplement':
      return inReception(s) ? pick(['reception'], reception) : pick(['specialist', 'head'], stepUnit);
    case 'provide_supplement':
    case 'withdraw':
      return isApplicant ? reception : pick(['reception'], reception);
    case 'confirm_payment':
      return actor.kind === 'system' ? reception : pick(['reception'], reception);
    case 'forward':
    case 'send_back':
    case 'finish':
      return stepRole ? pick([stepRole, 'head'], stepUnit) : null;
    case 'assign':
      return pick(['head'], stepUnit);
    case 'request_payment':
      return pick(['specialist', 'head'], stepUnit);
    case 'apologize': // the processing agency apologises (the one-stop unit only passes the slip on)
      return pick(['specialist', 'head'], stepUnit, s.competentUnit);
    case 'stop':
      return pick(['head'], stepUnit, s.competentUnit);
    case 'comment':
      return pick(WORKING_ROLES, stepUnit, s.competentUnit, reception, ...s.steps.map((st) => st.unit));
  }
}

/** A refusal's code, messages and details (what a DomainError is built from). */
type Refusal = ConstructorParameters<typeof DomainError>;
const refused = (...args: Refusal): Refusal => args;

/**
 * Refusal for a command in this state by this actor, ignoring its payload; null when it is allowed. A DomainError
 * for `decide` to throw.
 */
export function precondition(s: DossierState, type: CommandType, actor: Actor): DomainError | null {
  const r = refusal(s, type, actor);
  return r ? new DomainError(...r) : null;
}

/**
 * The reasons, without building errors: `availableActions` asks about every command for every dossier shown, and
 * an Error captures a stack trace (~0.1 ms per dossier view in the submission profile).
 */
function refusal(s: DossierState, type: CommandType, actor: Actor): Refusal | null {
  if (!FROM[type].includes(s.status)) {
    return refused(
      'TRANSITION_NOT_ALLOWED',
      `Không thể thực hiện "${type}" khi hồ sơ đang ở trạng thái ${s.status}.`,
      `"${type}" is not allowed while the dossier is in status ${s.status}.`,
      { type, status: s.status },
    );
  }
  if (type === 'send_back' && (s.step ?? 0) <= firstProcessingStep(s)) {
    return refused(
      'TRANSITION_NOT_ALLOWED',
      'Hồ sơ đang ở bước xử lý đầu tiên, không thể trả lại bước trước.',
      'The dossier is at its first processing step; there is no earlier step to send it back to.',
    );
  }
  if (type === 'refuse' && !inReception(s)) {
    return refused(
      'TRANSITION_NOT_ALLOWED',
      'Hồ sơ đã được tiếp nhận: không thể từ chối tiếp nhận; cơ quan giải quyết từ chối bằng văn bản khi kết thúc xử lý.',
      'The dossier was already received: it cannot be refused at reception; the deciding unit refuses it when finishing.',
    );
  }
  if (type === 'finish' && s.step !== null && s.step < s.workflow.length - 1) {
    return refused(
      'TRANSITION_NOT_ALLOWED',
      'Chỉ kết thúc xử lý ở bước cuối của quy trình.',
      'A dossier can be finished only at the last step of its workflow.',
    );
  }
  if (type === 'request_supplement' && !inReception(s)) {
    const unit = currentStepUnit(s);
    if (unit && s.supplementUnits.includes(unit)) {
      return refused(
        'SUPPLEMENT_ALREADY_REQUESTED',
        'Cơ quan này đã yêu cầu bổ sung hồ sơ một lần; không được yêu cầu lần thứ hai.',
        'This agency already asked for a supplement once; it may not ask twice.',
      );
    }
  }
  if (TERMINAL_STATUSES.includes(s.status) && type !== 'comment') {
    return refused('TRANSITION_NOT_ALLOWED', 'Hồ sơ đã kết thúc.', 'The dossier is closed.');
  }
  if (actingUnit(s, type, actor) === null) {
    return refused(
      'FORBIDDEN',
      'Bạn không có quyền thực hiện thao tác này trên hồ sơ.',
      'You are not allowed to perform this action on this dossier.',
      { type },
    );
  }
  return null;
}

/** Index of the first step after reception (where processing starts). */
export function firstProcessingStep(s: Pick<DossierState, 'workflow'>): number {
  const i = s.workflow.findIndex((st) => st.role !== 'reception');
  return i === -1 ? Math.max(0, s.workflow.length - 1) : i;
}

/** The commands this actor may send now (what the UI shows as buttons). */
export function availableActions(s: DossierState, actor: Actor): CommandType[] {
  return ALL_COMMANDS.filter((t) => refusal(s, t, actor) === null);
}
