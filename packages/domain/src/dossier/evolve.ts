import type { Channel } from '../roles.js';
import type { StatusCode } from './status.js';
import type { DossierEvent, DossierState, Pause, ResolvedStep, StepRecord, Timing } from './types.js';

interface StepStart {
  index: number;
  unit: string;
  assignee: string | null;
  interAgency: boolean;
  dueAt: string;
}
interface StepDone {
  index: number;
  completedAt: string;
  timing: Timing;
}

function completeStep(steps: StepRecord[], done: StepDone | null | undefined): StepRecord[] {
  if (!done) return steps;
  const last = steps[steps.length - 1];
  if (!last || last.index !== done.index) return steps;
  return [...steps.slice(0, -1), { ...last, completedAt: done.completedAt, timing: done.timing }];
}

function startStep(s: DossierState, next: StepStart, at: string): Pick<DossierState, 'step' | 'steps'> {
  const def = s.workflow[next.index]!;
  const record: StepRecord = {
    index: next.index,
    name: def.name,
    role: def.role,
    unit: next.unit,
    assignee: next.assignee,
    startedAt: at,
    dueAt: next.dueAt,
    completedAt: null,
    timing: null,
    interAgency: next.interAgency,
  };
  return { step: next.index, steps: [...s.steps, record] };
}

function closePause(
  s: DossierState,
  at: string,
  workingDays: number | null,
): Pick<DossierState, 'pause' | 'pauses'> {
  if (!s.pause) return { pause: null, pauses: s.pauses };
  const closed: Pause = { ...s.pause, to: at, workingDays };
  return { pause: null, pauses: [...s.pauses, closed] };
}

/** Applies one event to the state. Pure: every computed value comes from the event itself. */
export function evolve(s: DossierState | null, e: DossierEvent): DossierState {
  const d = e.data;
  const status = e.statusAfter as StatusCode;
  if (e.type === 'submit') {
    return {
      status,
      channel: d['channel'] as Channel,
      receivingUnit: d['receivingUnit'] as string,
      competentUnit: d['competentUnit'] as string,
      processingDays: d['processingDays'] as number,
      supplementPolicy: d['supplementPolicy'] as DossierState['supplementPolicy'],
      workflow: d['workflow'] as ResolvedStep[],
      submittedAt: e.at,
      receivedAt: null,
      dueAt: null,
      legalDueAt: null,
      paperTransferDueAt: null,
      step: null,
      steps: [],
      pause: null,
      pauses: [],
      apologies: [],
      supplementUnits: [],
      outcome: null,
      finishedAt: null,
      timing: null,
      returnedAt: null,
      returnMethod: null,
      trackingNumber: null,
      paid: false,
    };
  }
  if (!s) throw new Error(`evolve: ${e.type} before submit`);
  const next = { ...s, status };
  switch (e.type) {
    case 'accept': {
      const reception = d['reception'] as { startedAt: string; dueAt: string; completedAt: string } | null;
      let steps = s.steps;
      if (reception) {
        const def = s.workflow[0]!;
        steps = [
          {
            index: 0,
            name: def.name,
            role: def.role,
            unit: s.receivingUnit,
            assignee: null,
            startedAt: reception.startedAt,
            dueAt: reception.dueAt,
            completedAt: reception.completedAt,
            timing: Date.parse(reception.completedAt) > Date.parse(reception.dueAt) ? 'late' : 'on_time',
            interAgency: false,
          },
        ];
      }
      const dueAt = d['dueAt'] as string;
      return {
        ...next,
        receivedAt: d['receivedAt'] as string,
        dueAt,
        legalDueAt: dueAt,
        paperTransferDueAt: (d['paperTransferDueAt'] as string | null | undefined) ?? null,
        ...startStep({ ...s, steps }, d['next'] as StepStart, e.at),
      };
    }
    case 'request_supplement':
    case 'request_payment': {
      const pause = d['pause'] as Pause;
      const supplementUnits =
        e.type === 'request_supplement' && pause.phase === 'processing' && e.unit
          ? [...s.supplementUnits, e.unit]
          : s.supplementUnits;
      return { ...next, pause, supplementUnits };
    }
    case 'provide_supplement':
    case 'confirm_payment': {
      const wd = (d['workingDays'] as number | undefined) ?? null;
      const stepDueAt = d['stepDueAt'] as string | undefined;
      const steps =
        stepDueAt && s.steps.length > 0
          ? [...s.steps.slice(0, -1), { ...s.steps[s.steps.length - 1]!, dueAt: stepDueAt }]
          : s.steps;
      return {
        ...next,
        ...closePause(s, e.at, wd),
        dueAt: (d['dueAt'] as string | undefined) ?? s.dueAt,
        legalDueAt: (d['legalDueAt'] as string | undefined) ?? s.legalDueAt,
        steps,
        paid: s.paid || e.type === 'confirm_payment',
      };
    }
    case 'forward':
    case 'send_back': {
      const steps = completeStep(s.steps, d['completed'] as StepDone | null);
      return { ...next, ...startStep({ ...s, steps }, d['next'] as StepStart, e.at) };
    }
    case 'assign': {
      const last = s.steps[s.steps.length - 1];
      if (!last) return next;
      return { ...next, steps: [...s.steps.slice(0, -1), { ...last, assignee: d['assignee'] as string }] };
    }
    case 'apologize': {
      // The step in progress gets the same extra time as the dossier (it is the one running late).
      const shift = Date.parse(d['newDueAt'] as string) - Date.parse(d['previousDueAt'] as string);
      const last = s.steps[s.steps.length - 1];
      const steps =
        last && !last.completedAt && shift > 0
          ? [
              ...s.steps.slice(0, -1),
              { ...last, dueAt: new Date(Date.parse(last.dueAt) + shift).toISOString() },
            ]
          : s.steps;
      return {
        ...next,
        steps,
        dueAt: d['newDueAt'] as string,
        apologies: [
          ...s.apologies,
          {
            at: e.at,
            previousDueAt: d['previousDueAt'] as string,
            newDueAt: d['newDueAt'] as string,
            reason: e.reason ?? '',
          },
        ],
      };
    }
    case 'finish':
      return {
        ...next,
        steps: completeStep(s.steps, d['completed'] as StepDone | null),
        step: null,
        outcome: d['outcome'] as 'approved' | 'rejected',
        finishedAt: e.at,
        timing: (d['timing'] as Timing | null) ?? null,
      };
    case 'return_result':
      return {
        ...next,
        returnedAt: e.at,
        returnMethod: d['method'] as Channel,
        trackingNumber: (d['trackingNumber'] as string | null) ?? null,
      };
    case 'refuse':
    case 'withdraw':
    case 'stop':
      return { ...next, ...closePause(s, e.at, null), step: null };
    case 'succession': {
      const from = d['from'] as string;
      const to = d['to'] as string;
      const swap = (u: string) => (u === from ? to : u);
      const steps = s.steps.map((st, i) => (i === s.steps.length - 1 ? { ...st, unit: swap(st.unit) } : st));
      return {
        ...next,
        receivingUnit: swap(s.receivingUnit),
        competentUnit: swap(s.competentUnit),
        workflow: s.workflow.map((w) => ({ ...w, unit: swap(w.unit) })),
        steps,
      };
    }
    case 'comment':
      return next;
  }
}

/** Folds a whole action log into the state. */
export function deriveState(events: readonly DossierEvent[]): DossierState {
  let s: DossierState | null = null;
  for (const e of events) s = evolve(s, e);
  if (!s) throw new Error('deriveState: empty log');
  return s;
}
