import { describe, expect, it } from 'vitest';
import type { DossierState } from '../src/dossier/types.js';
import {
  addCounts,
  type CatalogueCounts,
  countFacts,
  DEFAULT_FORMULAS,
  type DossierExtra,
  dossierFacts,
  emptyCounts,
  factCounts,
  formulasAt,
  type IndicatorFormula,
  lostBy,
  scoreItem,
  scoreUnit,
  type UnitCounts,
} from '../src/indicators/index.js';

const counts = (p: Partial<UnitCounts>): UnitCounts => ({ ...emptyCounts(), ...p });
const NO_CATALOGUE: CatalogueCounts = {
  procedures: 0,
  proceduresOnline: 0,
  onlineServices: 0,
  onlineServicesWithDossier: 0,
  feeChargingProcedures: 0,
  proceduresWithOnlinePayment: 0,
};
const cat = (p: Partial<CatalogueCounts>): CatalogueCounts => ({ ...NO_CATALOGUE, ...p });
const formula = (id: string): IndicatorFormula => {
  const f = DEFAULT_FORMULAS.find((x) => x.id === id);
  if (f === undefined) throw new Error(id);
  return f;
};
const item = (id: string, c: Partial<UnitCounts>, k: Partial<CatalogueCounts> = {}) =>
  scoreItem(formula(id), counts(c), cat(k));
const pts = (id: string, c: Partial<UnitCounts>, k: Partial<CatalogueCounts> = {}) => item(id, c, k).points;

function dossier(p: Partial<DossierState>): DossierState {
  return {
    status: 4,
    channel: 'counter',
    receivingUnit: 'H41.08',
    competentUnit: 'H41.08',
    processingDays: 5,
    supplementPolicy: 'resume',
    workflow: [],
    submittedAt: '2026-03-02T01:00:00Z',
    receivedAt: '2026-03-02T02:00:00Z',
    dueAt: '2026-03-09T10:00:00Z',
    legalDueAt: '2026-03-09T10:00:00Z',
    paperTransferDueAt: null,
    step: 0,
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
    ...p,
  };
}
const PLAIN: DossierExtra = { electronicResult: false, feeCharging: false, paidOnline: false };
const END = new Date('2026-03-14T16:59:59Z');
const facts = (p: Partial<DossierState>, extra: Partial<DossierExtra> = {}, comps = [] as const) =>
  dossierFacts(dossier(p), comps, { ...PLAIN, ...extra }, END);
const done = (timing: 'early' | 'on_time' | 'late', finishedAt = '2026-03-08T03:00:00Z') =>
  ({ status: 10, finishedAt, timing, outcome: 'approved' }) as const;

describe('dossier facts', () => {
  it('reads early / on time / late from timing', () => {
    expect(facts(done('early'))).toMatchObject({ resolved: true, early: true, onTime: false, late: false });
    expect(facts(done('on_time'))).toMatchObject({ resolved: true, early: false, onTime: true });
    expect(facts(done('late', '2026-03-10T03:00:00Z'))).toMatchObject({
      late: true,
      inProgressOverdue: false,
    });
  });

  it('falls back to finishedAt vs legalDueAt when timing is missing', () => {
    expect(facts({ status: 9, finishedAt: '2026-03-10T03:00:00Z' }).late).toBe(true);
    expect(facts({ status: 9, finishedAt: '2026-03-09T03:00:00Z' }).onTime).toBe(true);
  });

  it('classifies dossiers in progress at periodEnd against legalDueAt', () => {
    expect(facts({})).toMatchObject({
      resolved: false,
      inProgressWithinDeadline: false,
      inProgressOverdue: true,
    });
    const later = facts({ legalDueAt: '2026-03-20T10:00:00Z' });
    expect(later).toMatchObject({ inProgressWithinDeadline: true, inProgressOverdue: false });
    expect(facts({ legalDueAt: null }).inProgressWithinDeadline).toBe(true);
  });

  it('stops the clock at the start of an open pause', () => {
    const pause = {
      kind: 'supplement',
      phase: 'processing',
      from: '2026-03-05T02:00:00Z',
      to: null,
      workingDays: null,
      unit: 'H41.08',
      resumeStatus: 4,
    } as const;
    expect(facts({ status: 5, pause }).inProgressWithinDeadline).toBe(true);
    expect(facts({ status: 5, pause: { ...pause, from: '2026-03-10T02:00:00Z' } }).inProgressOverdue).toBe(
      true,
    );
  });

  it('treats a dossier finished after periodEnd as still in progress', () => {
    const f = facts({ ...done('early', '2026-03-16T03:00:00Z'), legalDueAt: '2026-03-20T10:00:00Z' });
    expect(f).toMatchObject({ resolved: false, early: false, inProgressWithinDeadline: true });
  });

  it('counts withdrawn and stopped dossiers as cancelled, not in progress', () => {
    expect(facts({ status: 7 })).toMatchObject({
      cancelled: true,
      inProgressOverdue: false,
      resolved: false,
    });
    expect(facts({ status: 8 }).inProgressWithinDeadline).toBe(false);
  });

  it('derives digitisation, reuse, payment, rating and channel', () => {
    const f = dossierFacts(
      dossier({ channel: 'online' }),
      [
        { digitized: false, reused: true },
        { digitized: false, reused: false },
      ],
      { electronicResult: true, feeCharging: false, paidOnline: true, rating: 'satisfied' },
      END,
    );
    expect(f).toMatchObject({
      online: true,
      digitized: true,
      reusedData: true,
      paidOnline: false,
      rating: 'satisfied',
    });
    expect(facts({}, {}, [] as const).digitized).toBe(false);
    const c = factCounts(
      facts({ channel: 'post' }, { feeCharging: true, paidOnline: true, rating: 'unsatisfied' }),
    );
    expect(c).toMatchObject({
      received: 1,
      post: 1,
      online: 0,
      paidOnline: 1,
      feeCharging: 1,
      rated: 1,
      unsatisfied: 1,
    });
    expect(factCounts(facts({ receivedAt: null, status: 1 }))).toMatchObject({ received: 0, counter: 0 });
  });
});

describe('Decision 766 formulas', () => {
  it('TDGQ: 100 received, 80 early/on time, 10 in progress within deadline, 10 late → 18 points', () => {
    const i = item('TDGQ.timely', {
      received: 100,
      early: 30,
      onTime: 50,
      inProgressWithinDeadline: 10,
      late: 10,
    });
    expect(i).toMatchObject({ numerator: 90, denominator: 100, share: 0.9, max: 20 });
    expect(i.points).toBeCloseTo(18);
    expect(i.lost).toBeCloseTo(2);
    expect(lostBy(i)).toBe(10);
  });

  it('CLGQ procedures online: full at 80 %, proportional to the target below, capped above', () => {
    expect(pts('CLGQ.proceduresOnline', {}, { procedures: 10, proceduresOnline: 8 })).toBe(2);
    expect(pts('CLGQ.proceduresOnline', {}, { procedures: 10, proceduresOnline: 6 })).toBeCloseTo(1.5);
    expect(pts('CLGQ.proceduresOnline', {}, { procedures: 10, proceduresOnline: 10 })).toBe(2);
    expect(lostBy(item('CLGQ.proceduresOnline', {}, { procedures: 10, proceduresOnline: 6 }))).toBe(2);
    const raw = { ...formula('CLGQ.proceduresOnline'), belowThreshold: 'raw' as const };
    expect(scoreItem(raw, emptyCounts(), cat({ procedures: 10, proceduresOnline: 6 })).points).toBeCloseTo(
      1.2,
    );
  });

  it('CLGQ online services used and online dossiers', () => {
    expect(pts('CLGQ.servicesUsed', {}, { onlineServices: 8, onlineServicesWithDossier: 3 })).toBeCloseTo(
      1.5,
    );
    expect(pts('CLGQ.onlineDossiers', { received: 40, online: 20 })).toBe(6);
    expect(pts('CLGQ.onlineDossiers', { received: 40, online: 10 })).toBeCloseTo(3);
    expect(pts('CLGQ.onlineDossiers', { received: 40, online: 30 })).toBe(6);
  });

  it('TTTT: procedures paid online (50 %), constant 2, dossiers paid online (30 %)', () => {
    const k = { feeChargingProcedures: 10 };
    expect(pts('TTTT.proceduresPaidOnline', {}, { ...k, proceduresWithOnlinePayment: 5 })).toBe(2);
    expect(pts('TTTT.proceduresPaidOnline', {}, { ...k, proceduresWithOnlinePayment: 2 })).toBeCloseTo(0.8);
    expect(pts('TTTT.proceduresPaidOnline', {}, { ...k, proceduresWithOnlinePayment: 9 })).toBe(2);
    expect(pts('TTTT.payableOnNational', {})).toBe(2);
    expect(lostBy(item('TTTT.payableOnNational', {}))).toBeNull();
    expect(pts('TTTT.dossiersPaidOnline', { feeCharging: 10, paidOnline: 3 })).toBe(6);
    expect(pts('TTTT.dossiersPaidOnline', { feeCharging: 10, paidOnline: 1 })).toBeCloseTo(2);
    expect(pts('TTTT.dossiersPaidOnline', { feeCharging: 10, paidOnline: 7 })).toBe(6);
    expect(lostBy(item('TTTT.dossiersPaidOnline', { feeCharging: 10, paidOnline: 1 }))).toBe(2);
  });

  it('MDSH: electronic results, digitised (80 %), reused (80 %)', () => {
    expect(pts('MDSH.electronicResult', { received: 50, electronicResult: 25 })).toBeCloseTo(3);
    expect(pts('MDSH.digitized', { received: 50, digitized: 40 })).toBe(4);
    expect(pts('MDSH.digitized', { received: 50, digitized: 20 })).toBeCloseTo(2);
    expect(pts('MDSH.reused', { received: 50, reusedData: 45 })).toBe(2);
    expect(pts('MDSH.reused', { received: 50, reusedData: 10 })).toBeCloseTo(0.5);
  });

  it('CKMB: publication constant 6 + synced share × 6; MDHL: satisfied share × 18', () => {
    expect(pts('CKMB.publication', {})).toBe(6);
    expect(pts('CKMB.synced', { received: 50, syncedToNational: 45 })).toBeCloseTo(5.4);
    expect(
      pts('MDHL.satisfaction', { rated: 50, verySatisfied: 20, satisfied: 20, unsatisfied: 10 }),
    ).toBeCloseTo(14.4);
  });

  it('zero denominators give full points by default, zero when configured', () => {
    const s = scoreUnit(emptyCounts(), NO_CATALOGUE, DEFAULT_FORMULAS);
    expect(s.total).toBe(84);
    const timely = s.groups.find((g) => g.code === 'TDGQ')?.items[0];
    expect(timely).toMatchObject({ share: null, points: 20, lost: 0 });
    expect(timely && lostBy(timely)).toBe(0);
    const strict = { ...formula('TDGQ.timely'), whenEmpty: 'zero' as const };
    const i = scoreItem(strict, emptyCounts(), NO_CATALOGUE);
    expect(i).toMatchObject({ share: null, points: 0, lost: 20 });
    expect(lostBy(i)).toBeNull();
  });

  it('rejects a formula naming an unknown count', () => {
    const bad = { ...formula('TDGQ.timely'), numerator: 'nope' as 'received' };
    expect(() => scoreItem(bad, emptyCounts(), NO_CATALOGUE)).toThrow(/nope/);
  });

  it('picks the latest version in force on a date', () => {
    const v2: IndicatorFormula = {
      ...formula('TDGQ.timely'),
      version: 2,
      validFrom: '2026-01-01',
      maxPoints: 25,
    };
    const set = [...DEFAULT_FORMULAS, v2];
    expect(formulasAt('2025-12-31', set).find((f) => f.id === 'TDGQ.timely')?.version).toBe(1);
    expect(formulasAt('2026-01-01', set).find((f) => f.id === 'TDGQ.timely')?.maxPoints).toBe(25);
    expect(formulasAt('2026-01-01', set)).toHaveLength(DEFAULT_FORMULAS.length);
    expect(formulasAt('2020-01-01')).toHaveLength(0);
  });
});

describe('unit score', () => {
  const c = counts({
    received: 100,
    online: 40,
    counter: 60,
    early: 30,
    onTime: 50,
    inProgressWithinDeadline: 10,
    late: 10,
    syncedToNational: 100,
    electronicResult: 50,
    digitized: 80,
    reusedData: 40,
    feeCharging: 20,
    paidOnline: 3,
    rated: 10,
    verySatisfied: 5,
    satisfied: 4,
    unsatisfied: 1,
  });
  const k = cat({
    procedures: 100,
    proceduresOnline: 80,
    onlineServices: 80,
    onlineServicesWithDossier: 40,
    feeChargingProcedures: 10,
    proceduresWithOnlinePayment: 5,
  });

  it('sums items into groups in the official order with known and official maxima', () => {
    const s = scoreUnit(c, k, DEFAULT_FORMULAS);
    expect(s.groups.map((g) => g.code)).toEqual(['CKMB', 'TDGQ', 'CLGQ', 'TTTT', 'MDHL', 'MDSH']);
    expect(s.groups.map((g) => [g.max, g.officialMax])).toEqual([
      [12, 18],
      [20, 20],
      [12, 12],
      [10, 10],
      [18, 18],
      [12, 22],
    ]);
    expect(s.max).toBe(84);
    expect(s.officialMax).toBe(100);
    // CKMB 12; TDGQ 18; CLGQ 2 + 2 + 6×(0.4/0.5)=4.8; TTTT 2 + 2 + 6×(0.15/0.3)=3; MDHL 16.2; MDSH 3 + 4 + 2×(0.4/0.8)=1
    const pointsByGroup = s.groups.map((g) => g.points);
    [12, 18, 8.8, 7, 16.2, 8].forEach((p, i) => {
      expect(pointsByGroup[i]).toBeCloseTo(p);
    });
    expect(s.total).toBeCloseTo(70);
  });

  it('rolls up: two communes’ summed counts score like the union of their dossiers', () => {
    const a = [
      facts(done('early'), { electronicResult: true, rating: 'very_satisfied' }),
      facts({ channel: 'online' }, { feeCharging: true, paidOnline: true, syncedToNational: true }),
      facts(done('late', '2026-03-11T03:00:00Z')),
    ];
    const b = [
      facts({ ...done('on_time'), channel: 'online' }, { rating: 'unsatisfied' }, [] as const),
      facts({ legalDueAt: '2026-03-30T10:00:00Z' }, { feeCharging: true }),
    ];
    const rolled = addCounts(countFacts(a), countFacts(b));
    const union = countFacts([...a, ...b]);
    expect(rolled).toEqual(union);
    expect(rolled).toMatchObject({
      received: 5,
      early: 1,
      onTime: 1,
      late: 1,
      inProgressOverdue: 1,
      online: 2,
    });
    expect(scoreUnit(rolled, k, DEFAULT_FORMULAS)).toEqual(scoreUnit(union, k, DEFAULT_FORMULAS));
    const tdgq = scoreUnit(rolled, k, DEFAULT_FORMULAS).groups.find((g) => g.code === 'TDGQ');
    expect(tdgq?.points).toBeCloseTo(20 * (3 / 5));
  });
});
