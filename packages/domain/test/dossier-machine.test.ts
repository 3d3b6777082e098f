import { describe, expect, it } from 'vitest';
import {
  type Actor,
  ALL_COMMANDS,
  availableActions,
  type CommandType,
  type DossierCommand,
  type DossierEvent,
  type DossierState,
  decide,
  deriveState,
  evolve,
  OFFICIAL_SCHEDULES,
  type ResolvedStep,
  type Role,
  submitEvent,
  WorkingCalendar,
  workingClock,
} from '../src/index.js';

const cal = new WorkingCalendar({ daysForYear: (y) => OFFICIAL_SCHEDULES[y] ?? [] });
const clock = workingClock(cal);
const at = (iso: string) => new Date(iso);

const WORKFLOW: ResolvedStep[] = [
  { name: 'Tiếp nhận', role: 'reception', unit: 'H41.02', durationDays: 0.5 },
  { name: 'Thẩm định', role: 'specialist', unit: 'H41.04', durationDays: 3 },
  { name: 'Phê duyệt', role: 'head', unit: 'H41.04', durationDays: 1 },
  { name: 'Ký, trả kết quả', role: 'signer', unit: 'H41.04', durationDays: 0.5 },
];

const covers = (roleUnit: string, unit: string) => unit === roleUnit || unit.startsWith(`${roleUnit}.`);
const officer = (roles: [Role, string][]): Actor => ({
  kind: 'officer',
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Cán bộ',
  roles: roles.map(([role, unit]) => ({ role, unit })),
  covers,
});
const reception = officer([['reception', 'H41.02']]);
const specialist = officer([['specialist', 'H41.04']]);
const head = officer([['head', 'H41.04']]);
const signer = officer([['signer', 'H41.04']]);
const stranger = officer([
  ['specialist', 'H41.05'],
  ['head', 'H41.05'],
  ['reception', 'H41.50'],
]);
const applicant: Actor = { kind: 'citizen', id: 'c1', name: 'Nguyễn Văn Minh', isApplicant: true };
const otherCitizen: Actor = { kind: 'citizen', id: 'c2', name: 'Người khác', isApplicant: false };
const everyone = officer([
  ['reception', 'H41'],
  ['specialist', 'H41'],
  ['head', 'H41'],
  ['signer', 'H41'],
  ['clerk', 'H41'],
]);

function open(policy: 'resume' | 'restart' = 'resume', submittedAt = '2026-11-23T02:00:00Z') {
  const e = submitEvent({
    channel: 'counter',
    submittedAt: at(submittedAt),
    receivingUnit: 'H41.02',
    competentUnit: 'H41.04',
    processingDays: 5,
    supplementPolicy: policy,
    workflow: WORKFLOW,
  });
  return { state: evolve(null, e), log: [e] as DossierEvent[] };
}

function run(
  d: { state: DossierState; log: DossierEvent[] },
  cmd: DossierCommand,
  actor: Actor,
  now: string,
) {
  const e = decide(d.state, cmd, actor, { now: at(now), clock });
  d.log.push(e);
  d.state = evolve(d.state, e);
  return d;
}

const SAMPLE: Record<CommandType, DossierCommand> = {
  accept: { type: 'accept' },
  refuse: { type: 'refuse', reason: 'Không thuộc thẩm quyền' },
  request_supplement: { type: 'request_supplement', reason: 'Thiếu giấy tờ', items: ['Bản vẽ thiết kế'] },
  provide_supplement: { type: 'provide_supplement' },
  forward: { type: 'forward' },
  send_back: { type: 'send_back', reason: 'Cần thẩm định lại' },
  assign: { type: 'assign', assignee: '22222222-2222-4222-8222-222222222222' },
  request_payment: { type: 'request_payment', reason: 'Nộp lệ phí', amountVnd: 150000 },
  confirm_payment: { type: 'confirm_payment', reference: 'VNPAY-1' },
  apologize: { type: 'apologize', reason: 'Cần xác minh thêm', newDueAt: '2027-01-15T10:00:00+07:00' },
  finish: { type: 'finish', outcome: 'approved' },
  return_result: { type: 'return_result', method: 'counter' },
  withdraw: { type: 'withdraw', reason: 'Không còn nhu cầu' },
  stop: { type: 'stop', reason: 'Theo yêu cầu của cơ quan điều tra' },
  comment: { type: 'comment', text: 'Ý kiến nội bộ' },
};

describe('dossier lifecycle', () => {
  it('runs counter → specialist → head → signer → returned, with the Mẫu 05 timeline', () => {
    const d = open();
    run(d, { type: 'accept' }, reception, '2026-11-23T02:30:00Z'); // Mon 09:30 +07
    expect(d.state.status).toBe(2);
    expect(d.state.receivedAt).toBe('2026-11-23T02:30:00.000Z');
    expect(d.state.dueAt).toBe('2026-11-30T02:30:00.000Z'); // 5 working days later, Monday 09:30
    expect(d.state.steps.map((s) => [s.index, s.unit, s.completedAt !== null])).toEqual([
      [0, 'H41.02', true],
      [1, 'H41.04', false],
    ]);
    run(d, { type: 'forward' }, specialist, '2026-11-25T03:00:00Z');
    expect(d.state.status).toBe(4);
    run(d, { type: 'forward' }, head, '2026-11-26T03:00:00Z');
    run(d, { type: 'finish', outcome: 'approved' }, signer, '2026-11-26T08:00:00Z');
    expect(d.state.status).toBe(9);
    expect(d.state.timing).toBe('early');
    expect(d.state.steps.every((s) => s.timing !== null)).toBe(true);
    run(
      d,
      { type: 'return_result', method: 'post', trackingNumber: 'EL123456789VN' },
      reception,
      '2026-11-27T02:00:00Z',
    );
    expect(d.state.status).toBe(10);
    expect(deriveState(d.log)).toEqual(d.state);
  });

  it('refuses every command that the status does not allow', () => {
    const d = open();
    const refusedAtNew = ALL_COMMANDS.filter(
      (t) => !['accept', 'refuse', 'request_supplement', 'withdraw', 'comment'].includes(t),
    );
    for (const t of refusedAtNew) {
      expect(
        () => decide(d.state, SAMPLE[t], everyone, { now: at('2026-11-23T03:00:00Z'), clock }),
        t,
      ).toThrowError(expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED' }));
    }
    run(d, { type: 'refuse', reason: 'Không thuộc thẩm quyền' }, reception, '2026-11-23T03:00:00Z');
    for (const t of ALL_COMMANDS.filter((x) => x !== 'comment')) {
      expect(
        () => decide(d.state, SAMPLE[t], everyone, { now: at('2026-11-23T04:00:00Z'), clock }),
        t,
      ).toThrowError(expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED' }));
    }
  });

  it('refuses at reception only, never a dossier already received', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    run(d, SAMPLE.request_supplement, specialist, '2026-11-24T02:30:00Z');
    expect(d.state.status).toBe(5);
    expect(() =>
      decide(d.state, SAMPLE.refuse, reception, { now: at('2026-11-24T03:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED' }));
    const fresh = open();
    run(fresh, SAMPLE.request_supplement, reception, '2026-11-23T02:30:00Z');
    run(fresh, SAMPLE.refuse, reception, '2026-11-25T02:30:00Z');
    expect(fresh.state.status).toBe(3);
  });

  it('closes every terminal status (3, 7, 8, 10) to everything but comments', () => {
    const make = {
      7: () => run(open(), SAMPLE.withdraw, applicant, '2026-11-23T03:00:00Z'),
      8: () =>
        run(
          run(open(), SAMPLE.accept, reception, '2026-11-23T03:00:00Z'),
          SAMPLE.stop,
          head,
          '2026-11-23T04:00:00Z',
        ),
    };
    for (const [status, build] of Object.entries(make)) {
      const d = build();
      expect(d.state.status).toBe(Number(status));
      expect(availableActions(d.state, everyone)).toEqual(['comment']);
    }
  });

  it('lets only the right role at the right unit act', () => {
    const d = open();
    expect(availableActions(d.state, reception)).toEqual(
      expect.arrayContaining(['accept', 'refuse', 'request_supplement', 'withdraw']),
    );
    expect(availableActions(d.state, specialist)).toEqual(['comment']); // the competent unit may note an opinion
    expect(availableActions(d.state, stranger)).toEqual([]);
    expect(availableActions(d.state, otherCitizen)).toEqual([]);
    expect(availableActions(d.state, applicant)).toEqual(['withdraw']);
    run(d, SAMPLE.accept, reception, '2026-11-23T03:00:00Z');
    expect(() =>
      decide(d.state, SAMPLE.forward, reception, { now: at('2026-11-23T04:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() =>
      decide(d.state, SAMPLE.forward, stranger, { now: at('2026-11-23T04:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(availableActions(d.state, specialist)).toEqual(
      expect.arrayContaining(['forward', 'request_supplement', 'request_payment', 'comment']),
    );
    expect(availableActions(d.state, specialist)).not.toContain('stop');
    expect(availableActions(d.state, head)).toContain('stop');
  });

  it('stops the clock during a supplement and moves the due date by exactly the paused working days', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z'); // due Mon 30/11 09:30
    run(d, SAMPLE.request_supplement, specialist, '2026-11-24T02:30:00Z'); // Tue 09:30
    expect(d.state.status).toBe(5);
    run(d, { type: 'provide_supplement', note: 'Đã bổ sung' }, applicant, '2026-11-26T02:30:00Z'); // Thu 09:30
    expect(d.state.status).toBe(2);
    expect(d.state.pauses).toHaveLength(1);
    expect(d.state.pauses[0]!.workingDays).toBe(2);
    expect(d.state.dueAt).toBe('2026-12-02T02:30:00.000Z'); // moved 2 working days
    expect(d.state.legalDueAt).toBe(d.state.dueAt);
    // At most one supplement request per agency.
    expect(() =>
      decide(d.state, SAMPLE.request_supplement, specialist, { now: at('2026-11-26T03:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'SUPPLEMENT_ALREADY_REQUESTED' }));
  });

  it('restarts the clock when the procedure says so', () => {
    const d = open('restart');
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    run(d, SAMPLE.request_supplement, specialist, '2026-11-24T02:30:00Z');
    run(d, SAMPLE.provide_supplement, reception, '2026-11-26T02:30:00Z');
    expect(d.state.dueAt).toBe('2026-12-03T02:30:00.000Z'); // full 5 days from the resumption
  });

  it('pauses for a financial obligation and resumes on payment', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    run(d, SAMPLE.request_payment, specialist, '2026-11-24T02:30:00Z');
    expect(d.state.status).toBe(6);
    run(d, SAMPLE.confirm_payment, { kind: 'system', name: 'VNPAY' }, '2026-11-25T02:30:00Z');
    expect(d.state.paid).toBe(true);
    expect(d.state.dueAt).toBe('2026-12-01T02:30:00.000Z');
  });

  it('requires an apology with a new date before a late dossier can be finished', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z'); // due Mon 30/11 09:30
    run(d, SAMPLE.forward, specialist, '2026-11-24T02:30:00Z');
    run(d, SAMPLE.forward, head, '2026-11-25T02:30:00Z');
    // The new date must be later than the due date and within a year.
    expect(() =>
      decide(
        d.state,
        { ...SAMPLE.apologize, newDueAt: '2026-11-27T10:00:00+07:00' } as DossierCommand,
        head,
        {
          now: at('2026-11-26T02:30:00Z'),
          clock,
        },
      ),
    ).toThrowError(expect.objectContaining({ code: 'APOLOGY_DATE_INVALID' }));
    expect(() =>
      decide(d.state, { ...SAMPLE.apologize, newDueAt: '9999-12-31T00:00:00Z' } as DossierCommand, head, {
        now: at('2026-11-26T02:30:00Z'),
        clock,
      }),
    ).toThrowError(expect.objectContaining({ code: 'APOLOGY_DATE_INVALID' }));
    // The one-stop unit does not apologise for the deciding agency.
    expect(availableActions(d.state, reception)).not.toContain('apologize');
    // Late without an apology: finishing is refused.
    expect(() =>
      decide(d.state, SAMPLE.finish, signer, { now: at('2026-11-30T08:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'APOLOGY_REQUIRED' }));
    // Within one working day of the due date: the apology moves the date in force, not the legal one.
    const stepBefore = d.state.steps.at(-1)?.dueAt;
    run(
      d,
      { type: 'apologize', reason: 'Cần xác minh thêm', newDueAt: '2026-12-03T10:00:00+07:00' },
      head,
      '2026-11-27T04:00:00Z',
    );
    expect(d.state.dueAt).toBe('2026-12-03T03:00:00.000Z');
    expect(d.state.legalDueAt).toBe('2026-11-30T02:30:00.000Z');
    // The step in progress gets the same extra time as the dossier, so its own light does not turn red.
    const step = d.state.steps.at(-1)!;
    const before = d.log.at(-1)!.data['previousDueAt'] as string;
    expect(Date.parse(step.dueAt) - Date.parse(stepBefore!)).toBe(
      Date.parse(d.state.dueAt!) - Date.parse(before),
    );
    run(d, SAMPLE.finish, signer, '2026-12-01T08:00:00Z');
    expect(d.state.timing).toBe('late');
  });

  it('makes a step of 0 working days due at the close of the working day it starts in', () => {
    const zero = [{ ...WORKFLOW[0]!, durationDays: 0 }, ...WORKFLOW.slice(1)];
    const e = submitEvent({
      channel: 'online',
      submittedAt: at('2026-11-23T13:30:00Z'), // Monday 20:30 in Vietnam: after closing
      receivingUnit: 'H41.02',
      competentUnit: 'H41.04',
      processingDays: 5,
      supplementPolicy: 'resume',
      workflow: zero,
    });
    const d = { state: evolve(null, e), log: [e] as DossierEvent[] };
    run(d, SAMPLE.accept, reception, '2026-11-24T02:00:00Z'); // Tuesday 09:00
    const rec = d.state.steps[0]!;
    expect(rec.dueAt).toBe(cal.endOfWorkingDay(at('2026-11-24T00:00:00Z')).toISOString()); // Tuesday's close
    expect(Date.parse(rec.completedAt!)).toBeLessThanOrEqual(Date.parse(rec.dueAt));
    expect(rec.timing).not.toBe('late');
    // Within working hours: the same day's close.
    expect(cal.endOfWorkingDay(at('2026-11-24T03:00:00Z')).toISOString()).toBe(
      cal.endOfWorkingDay(at('2026-11-24T09:00:00Z')).toISOString(),
    );
  });

  it('sends a dossier back one step but never before the first processing step', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    expect(() =>
      decide(d.state, SAMPLE.send_back, specialist, { now: at('2026-11-23T03:00:00Z'), clock }),
    ).toThrowError(expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED' }));
    run(d, SAMPLE.forward, specialist, '2026-11-24T02:30:00Z');
    run(d, SAMPLE.send_back, head, '2026-11-24T04:00:00Z');
    expect(d.state.step).toBe(1);
    expect(d.state.steps.at(-1)!.role).toBe('specialist');
  });

  it('transfers to another agency (liên thông) with its own step deadline', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    run(d, { type: 'forward', toUnit: 'H41.05' }, specialist, '2026-11-24T02:30:00Z');
    const step = d.state.steps.at(-1)!;
    expect(step).toMatchObject({ unit: 'H41.05', interAgency: true, dueAt: '2026-11-25T02:30:00.000Z' });
    expect(availableActions(d.state, head)).not.toContain('forward');
    expect(availableActions(d.state, officer([['head', 'H41.05']]))).toContain('forward');
  });

  it('requires a tracking number to return by post and a reason to refuse the application', () => {
    const d = open();
    run(d, SAMPLE.accept, reception, '2026-11-23T02:30:00Z');
    run(d, SAMPLE.forward, specialist, '2026-11-24T02:30:00Z');
    run(d, SAMPLE.forward, head, '2026-11-24T03:30:00Z');
    expect(() =>
      decide(d.state, { type: 'finish', outcome: 'rejected' }, signer, {
        now: at('2026-11-24T04:00:00Z'),
        clock,
      }),
    ).toThrowError(expect.objectContaining({ code: 'REASON_REQUIRED' }));
    run(d, SAMPLE.finish, signer, '2026-11-24T04:00:00Z');
    expect(() =>
      decide(d.state, { type: 'return_result', method: 'post' }, reception, {
        now: at('2026-11-24T05:00:00Z'),
        clock,
      }),
    ).toThrowError(expect.objectContaining({ code: 'TRACKING_NUMBER_REQUIRED' }));
  });
});
