import {
  type Actor,
  type DeadlineClock,
  type DossierCommand,
  type DossierEvent,
  type DossierState,
  decide,
  evolve,
  firstProcessingStep,
  type ProcedureDefinition,
  type ResolvedStep,
  submitEvent,
} from '@tinhso/domain';

/** A deterministic pseudo-random generator (mulberry32), so demo data and benchmarks are reproducible. */
export function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An officer who holds every role everywhere: the simulator drives the real rules, not a shortcut. */
const SIMULATOR: Actor = {
  kind: 'officer',
  id: '00000000-0000-0000-0000-000000000000',
  name: 'Mô phỏng',
  roles: (['reception', 'specialist', 'head', 'signer', 'clerk'] as const).map((role) => ({
    role,
    unit: '*',
  })),
  covers: () => true,
};

export interface SimulationInput {
  def: ProcedureDefinition;
  channel: DossierState['channel'];
  receivingUnit: string;
  competentUnit: string;
  /** Resolved workflow (units as agency codes). */
  workflow: ResolvedStep[];
  submittedAt: Date;
  /** Nothing happens after this instant: recent dossiers stay in progress. */
  now: Date;
  rng: () => number;
  clock: DeadlineClock;
  /**
   * Officers by unit code and role. When given, each processing step is assigned by the unit's head to one of its
   * officers (phân công), specialists write their assessment and heads sometimes their opinion (ý kiến): the ~10
   * actions a dossier carries in a provincial one-stop system. Without it (the demo data) steps are not assigned.
   */
  handlers?: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

const ASSESSMENTS = [
  'Đã thẩm định: hồ sơ đủ điều kiện, đề nghị lãnh đạo xem xét.',
  'Đã kiểm tra thành phần hồ sơ và đối chiếu dữ liệu dân cư: khớp.',
  'Đã xác minh thực địa, nội dung phù hợp với hồ sơ.',
];
const OPINIONS = [
  'Đồng ý với đề xuất của chuyên viên.',
  'Đề nghị hoàn thiện dự thảo kết quả trước khi trình ký.',
];

export interface Simulation {
  events: DossierEvent[];
  state: DossierState;
}

/**
 * Plays a plausible life of one dossier through `decide`/`evolve` (the same rules the API enforces): reception
 * outcome, steps with realistic durations (some late), supplements and payments that pause the clock, apologies
 * for late dossiers, stops and withdrawals, finish and return of the result.
 */
export function simulateDossier(input: SimulationInput): Simulation {
  const { def, rng, clock, now } = input;
  const first = submitEvent({
    channel: input.channel,
    submittedAt: input.submittedAt,
    receivingUnit: input.receivingUnit,
    competentUnit: input.competentUnit,
    processingDays: def.processingDays[input.channel] ?? 0,
    supplementPolicy: def.supplementPolicy,
    workflow: input.workflow,
  });
  const events: DossierEvent[] = [first];
  let state = evolve(null, first);
  let t = input.submittedAt;
  const advance = (days: number) => {
    t = clock.addWorkingDays(t, Math.max(0, days));
    return t <= now;
  };
  const act = (cmd: DossierCommand): boolean => {
    if (t > now) return false;
    const e = decide(state, cmd, SIMULATOR, { now: t, clock });
    state = evolve(state, e);
    events.push(e);
    return true;
  };
  const done = () => ({ events, state });

  // Reception.
  if (input.channel !== 'counter' && !advance(0.05 + rng() * 0.8)) return done();
  const r = rng();
  if (r < 0.03) {
    act({ type: 'refuse', reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.' });
    return done();
  }
  if (r < 0.08) {
    act({
      type: 'request_supplement',
      reason: 'Hồ sơ chưa đầy đủ thành phần theo quy định.',
      items: [def.components[0]?.name.slice(0, 400) ?? 'Giấy tờ còn thiếu'],
    });
    if (rng() < 0.15) return done();
    if (!advance(0.5 + rng() * 4)) return done();
    if (rng() < 0.1) {
      act({ type: 'withdraw', reason: 'Công dân không bổ sung được giấy tờ và xin rút hồ sơ.' });
      return done();
    }
    act({ type: 'provide_supplement', note: 'Đã bổ sung đủ giấy tờ.' });
  }
  if (!act({ type: 'accept' })) return done();

  // Processing, step by step.
  const lateBias = rng() < 0.06 ? 1.6 : 1;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  for (let i = firstProcessingStep(state); i < state.workflow.length; i++) {
    const step = state.workflow[i]!;
    const officers = input.handlers?.get(step.unit)?.get(step.role);
    const assignee = officers?.length ? pick(officers) : undefined;
    if (assignee) act({ type: 'assign', assignee }); // chosen as the dossier arrives at the step
    const p = rng();
    if (p < 0.01) {
      if (advance(step.durationDays * rng()))
        act({ type: 'stop', reason: 'Dừng xử lý theo đề nghị của cơ quan có thẩm quyền.' });
      return done();
    }
    if (p < 0.02) {
      if (advance(step.durationDays * rng())) act({ type: 'withdraw', reason: 'Công dân xin rút hồ sơ.' });
      return done();
    }
    if (step.role === 'specialist' && p < 0.07 && state.supplementUnits.length === 0) {
      if (!advance(step.durationDays * 0.4)) return done();
      act({
        type: 'request_supplement',
        reason: 'Cần bổ sung giấy tờ để thẩm định.',
        items: [def.components[1]?.name.slice(0, 400) ?? 'Bản sao giấy tờ chứng minh'],
      });
      if (!advance(0.5 + rng() * 5)) return done();
      act({ type: 'provide_supplement', note: 'Công dân đã nộp bổ sung.' });
    }
    const fee = def.fees.find((f) => f.amountVnd !== 0);
    if (step.role === 'specialist' && fee && p > 0.85) {
      if (!advance(step.durationDays * 0.3)) return done();
      act({
        type: 'request_payment',
        reason: `Nộp ${fee.name.slice(0, 200)}`,
        amountVnd: fee.amountVnd ?? 200_000,
      });
      if (!advance(0.5 + rng() * 3)) return done();
      act({ type: 'confirm_payment', reference: `BL${Math.floor(rng() * 1e9)}` });
    }
    let spend = step.durationDays * (0.2 + rng() * 1.1) * lateBias;
    if (
      input.handlers &&
      (step.role === 'specialist' ? rng() < 0.85 : step.role === 'head' && rng() < 0.35)
    ) {
      // The opinion is written halfway through the step's time, not in addition to it.
      if (!advance(spend / 2)) return done();
      act({ type: 'comment', text: pick(step.role === 'specialist' ? ASSESSMENTS : OPINIONS)! });
      spend /= 2;
    }
    const due = state.dueAt ? new Date(state.dueAt) : null;
    const target = clock.addWorkingDays(t, spend);
    const last = i === state.workflow.length - 1;
    if (last && due && target > due) {
      // The rules demand an apology (Mẫu 04) before a late dossier can be finished.
      const apologyAt = new Date(Math.max(t.getTime(), clock.subtractWorkingDays(due, 0.5).getTime()));
      if (apologyAt > now) return done();
      t = apologyAt;
      act({
        type: 'apologize',
        reason: 'Hồ sơ cần xác minh thêm, chưa thể trả kết quả đúng hẹn.',
        newDueAt: clock.addWorkingDays(target, 1).toISOString(),
      });
    }
    t = target;
    if (t > now) return done();
    if (last) {
      const rejected = rng() < 0.04;
      act(
        rejected
          ? { type: 'finish', outcome: 'rejected', reason: 'Không đủ điều kiện theo quy định.' }
          : { type: 'finish', outcome: 'approved' },
      );
    } else {
      act({ type: 'forward' });
    }
  }
  if (state.status !== 9) return done();
  if (!advance(rng() * 3)) return done();
  const method = input.channel;
  act(
    method === 'post'
      ? {
          type: 'return_result',
          method,
          trackingNumber: `EL${String(Math.floor(rng() * 1e9)).padStart(9, '0')}VN`,
        }
      : { type: 'return_result', method },
  );
  return done();
}
