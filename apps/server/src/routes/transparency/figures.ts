/**
 * The public figures of an agency for a period, from IndicatorService.summary (sums over the dossiers received) and
 * IndicatorStore.processingDays (per procedure, the dossiers decided), kept a minute per process; and which units
 * are public agencies.
 */
import type { Database } from '@tinhso/db';
import type { Period, UnitLevel } from '@tinhso/domain';
import { DomainError } from '@tinhso/domain';
import type { z } from 'zod';
import { ratio } from '../../services/indicators/figures.js';
import type { IndicatorService } from '../../services/indicators.js';
import type { Unit, UnitDirectory } from '../../services/units.js';
import type { AgencyFigures, ProcedureFigures } from './schemas.js';

/** Levels shown to the public: the province, its departments and its communes. */
const AGENCY_LEVELS: ReadonlySet<UnitLevel> = new Set(['province', 'department', 'commune']);
const LEVEL_ORDER: Record<string, number> = { province: 0, department: 1, commune: 2 };
const MEMO_MS = 60_000;
const MEMO_MAX = 500;

export function publicFigures({
  units,
  indicators,
  database,
}: {
  units: UnitDirectory;
  indicators: IndicatorService;
  database: Database;
}) {
  const agencyView = (u: Unit) => ({
    code: u.code,
    name: u.name,
    level: u.level as 'province' | 'department' | 'commune',
  });

  /** Agencies open today, province first, then departments and communes by code. */
  function agencies(): Unit[] {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    return units
      .all()
      .filter((u) => AGENCY_LEVELS.has(u.level) && units.isActive(u, today))
      .sort(
        (a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) || a.code.localeCompare(b.code),
      );
  }

  /** A province, department or commune by code (either QCVN 102 form); anything else is not found. */
  function agency(code: string): Unit {
    const u = units.find(code);
    if (!u || !AGENCY_LEVELS.has(u.level)) {
      throw new DomainError(
        'UNIT_NOT_FOUND',
        `Không có cơ quan "${code}" trong danh sách công khai.`,
        `No agency "${code}" in the public list.`,
        { code },
      );
    }
    return u;
  }

  const procedureNames = async (ids: string[]) => {
    if (ids.length === 0) return new Map<string, { code: string; name: string }>();
    const rows = await database.db
      .selectFrom('procedures')
      .select(['id', 'code', 'name'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((p) => [p.id, { code: p.code, name: p.name }]));
  };

  /**
   * Anonymous requests are cheap to repeat and the open data set sums every agency: each agency's figures for a
   * period are computed at most once a minute per process (the responses say "public, max-age=300" anyway).
   */
  const memo = new Map<string, { at: number; value: Promise<AgencyFigures> }>();
  function figures(u: Unit, period: Period): Promise<AgencyFigures> {
    const key = `${u.code}|${period.kind}|${period.from}|${period.to}`;
    const now = Date.now();
    const hit = memo.get(key);
    if (hit && now - hit.at < MEMO_MS) return hit.value;
    if (memo.size >= MEMO_MAX) {
      for (const [k, v] of memo) if (now - v.at >= MEMO_MS) memo.delete(k);
      if (memo.size >= MEMO_MAX) memo.clear();
    }
    const value = compute(u, period);
    memo.set(key, { at: now, value });
    value.catch(() => memo.delete(key));
    return value;
  }

  /** The public figures of one agency for a period. */
  async function compute(u: Unit, period: Period): Promise<AgencyFigures> {
    const tree = units.subtree(u);
    const ids = tree.length >= units.all().length ? null : tree.map((x) => x.id);
    const [s, days] = await Promise.all([
      indicators.summary(u.code, period),
      indicators.store.processingDays(ids, period.from, period.to),
    ]);
    const names = await procedureNames(days.map((d) => d.procedureId));
    const byCode = new Map<string, z.infer<typeof ProcedureFigures>>();
    for (const p of s.byProcedure) {
      if (p.received === 0) continue;
      byCode.set(p.code, {
        code: p.code,
        name: p.name,
        received: p.received,
        online: p.online,
        decided: 0,
        onTime: 0,
        late: 0,
        onTimeShare: null,
        medianWorkDays: null,
      });
    }
    for (const d of days) {
      const p = names.get(d.procedureId);
      if (!p || d.decided === 0) continue;
      const row = byCode.get(p.code) ?? {
        code: p.code,
        name: p.name,
        received: 0,
        online: 0,
        decided: 0,
        onTime: 0,
        late: 0,
        onTimeShare: null,
        medianWorkDays: null,
      };
      row.decided = d.decided;
      row.onTime = d.onTime;
      row.late = d.decided - d.onTime;
      row.onTimeShare = ratio(d.onTime, d.decided);
      row.medianWorkDays = d.medianWorkDays;
      byCode.set(p.code, row);
    }
    const c = s.counts;
    return {
      agency: agencyView(u),
      period: { kind: period.kind, key: period.key, from: period.from, to: period.to },
      generatedAt: new Date().toISOString(),
      counts: {
        received: c.received,
        online: c.online,
        resolved: c.resolved,
        early: c.early,
        onTime: c.onTime,
        late: c.late,
        inProgress: c.inProgressWithinDeadline + c.inProgressOverdue,
        cancelled: c.cancelled,
        digitized: c.digitized,
        feeCharging: c.feeCharging,
        paidOnline: c.paidOnline,
        rated: c.rated,
        verySatisfied: c.verySatisfied,
        satisfied: c.satisfied,
        unsatisfied: c.unsatisfied,
      },
      shares: {
        onTime: s.shares.onTime,
        online: s.shares.online,
        paidOnline: s.shares.paidOnline,
        satisfied: s.shares.satisfied,
        digitized: s.shares.digitized,
      },
      meanWorkDays: s.shares.meanWorkDays,
      procedures: [...byCode.values()].sort(
        (a, b) => b.decided - a.decided || b.received - a.received || a.code.localeCompare(b.code),
      ),
    };
  }

  return { agencyView, agencies, agency, figures };
}
