/**
 * What the indicators need from the procedure catalogue (issue 6): which procedures a unit decides, which are
 * offered online and which charge a fee — for the Decision 766 items computed on the catalogue, not on dossiers.
 */
import type { Database } from '@tinhso/db';
import type { CatalogueCounts } from '@tinhso/domain';
import { sql } from 'kysely';
import type { Sums } from './indicator-store.js';
import type { Unit } from './units.js';

export interface ProcedureInfo {
  id: string;
  code: string;
  name: string;
  level: string;
  online: boolean;
  feeCharging: boolean;
  competentUnits: string[];
}

const CATALOGUE_TTL_MS = 60_000;

/** The active procedures' current facts, read once a minute at most (and after a catalogue change). */
export class ProcedureFacts {
  private cached: { at: number; byId: Map<string, ProcedureInfo> } | null = null;

  constructor(private readonly database: Database) {}

  /** Every active procedure's current facts, by id (cached CATALOGUE_TTL_MS). */
  async byId(): Promise<Map<string, ProcedureInfo>> {
    if (this.cached && Date.now() - this.cached.at < CATALOGUE_TTL_MS) return this.cached.byId;
    const r = await sql<{
      id: string;
      code: string;
      name: string;
      level: string;
      online_level: string;
      units: string[] | null;
      fee: boolean;
    }>`SELECT p.id, p.code, p.name, p.level, p.online_level, pv.definition -> 'competentUnits' AS units,
              cardinality(pv.fee_channels) > 0 AS fee
       FROM procedures p JOIN procedure_versions pv ON pv.procedure_id = p.id AND pv.version = p.current_version
       WHERE p.active`.execute(this.database.db);
    const byId = new Map(
      r.rows.map((x) => [
        x.id,
        {
          id: x.id,
          code: x.code,
          name: x.name,
          level: x.level,
          online: x.online_level !== 'KHONG',
          feeCharging: x.fee,
          competentUnits: Array.isArray(x.units) ? x.units : [],
        },
      ]),
    );
    this.cached = { at: Date.now(), byId };
    return byId;
  }

  /** Forget the cached catalogue facts (after a catalogue change). */
  invalidate(): void {
    this.cached = null;
  }
}

/** Procedures decided by a unit or any unit below it (the whole catalogue for the province). */
export function decidedBy(tree: Unit[], procs: Map<string, ProcedureInfo>): ProcedureInfo[] {
  if (tree.some((u) => u.parentId === null)) return [...procs.values()];
  const codes = new Set(tree.map((u) => u.code));
  const hasCommune = tree.some((u) => u.level === 'commune');
  const hasDepartment = tree.some((u) => u.level === 'department');
  return [...procs.values()].filter((p) =>
    p.competentUnits.length > 0
      ? p.competentUnits.some((c) => codes.has(c))
      : p.level === 'commune'
        ? hasCommune
        : hasDepartment,
  );
}

export function catalogueCounts(decided: ProcedureInfo[], perProcedure: Map<string, Sums>): CatalogueCounts {
  const online = decided.filter((p) => p.online);
  const fee = decided.filter((p) => p.feeCharging);
  return {
    procedures: decided.length,
    proceduresOnline: online.length,
    onlineServices: online.length,
    onlineServicesWithDossier: online.filter((p) => (perProcedure.get(p.id)?.online ?? 0) > 0).length,
    feeChargingProcedures: fee.length,
    proceduresWithOnlinePayment: fee.filter((p) => (perProcedure.get(p.id)?.paid_online ?? 0) > 0).length,
  };
}
