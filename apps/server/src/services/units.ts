import type { Database } from '@tinhso/db';
import { DomainError, parseAgencyCode, type UnitLevel } from '@tinhso/domain';

export interface Unit {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  level: UnitLevel;
  parentId: string | null;
  path: string;
  validFrom: string;
  validTo: string | null;
  successorId: string | null;
  workingHours: { sessions: [string, string][] } | null;
}

/**
 * The organisation tree, held in memory (a province has hundreds of units, not millions) and reloaded after
 * every change. `covers(a, b)`: a role held on unit `a` reaches unit `b` when `b` is `a` or below it.
 */
export class UnitDirectory {
  private byId = new Map<string, Unit>();
  private byCode = new Map<string, Unit>();

  constructor(private readonly database: Database) {}

  async reload(): Promise<void> {
    // Ordered by code, so that iteration (and demo data generated from it) is the same on every database.
    const rows = await this.database.db.selectFrom('units').selectAll().orderBy('code').execute();
    this.byId.clear();
    this.byCode.clear();
    for (const r of rows) {
      const u: Unit = {
        id: r.id,
        code: r.code,
        name: r.name,
        shortName: r.short_name,
        level: r.level as UnitLevel,
        parentId: r.parent_id,
        path: r.path,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        successorId: r.successor_id,
        workingHours: r.working_hours,
      };
      this.byId.set(u.id, u);
      this.byCode.set(u.code, u);
    }
  }

  /** The province: the one unit without a parent. */
  root(): Unit | null {
    return this.all().find((u) => u.parentId === null) ?? null;
  }

  all(): Unit[] {
    return [...this.byId.values()];
  }

  byIdOrNull(id: string): Unit | null {
    return this.byId.get(id) ?? null;
  }

  /** Finds a unit by code in either QCVN 102 form. */
  find(code: string): Unit | null {
    const direct = this.byCode.get(code);
    if (direct) return direct;
    try {
      return this.byCode.get(parseAgencyCode(code).canonical) ?? null;
    } catch {
      return null;
    }
  }

  /** Like find, but throws UNIT_NOT_FOUND. */
  get(code: string): Unit {
    const u = this.find(code);
    if (!u) {
      throw new DomainError(
        'UNIT_NOT_FOUND',
        `Không tìm thấy đơn vị "${code}".`,
        `Unit "${code}" not found.`,
        {
          code,
        },
      );
    }
    return u;
  }

  getById(id: string): Unit {
    const u = this.byId.get(id);
    if (!u) throw new DomainError('UNIT_NOT_FOUND', 'Không tìm thấy đơn vị.', 'Unit not found.', { id });
    return u;
  }

  isActive(u: Unit, onDate: string): boolean {
    return u.validFrom <= onDate && (u.validTo === null || u.validTo >= onDate);
  }

  covers = (roleUnitCode: string, unitCode: string): boolean => {
    if (roleUnitCode === unitCode) return true;
    const a = this.byCode.get(roleUnitCode);
    const b = this.byCode.get(unitCode);
    return !!a && !!b && b.path.startsWith(a.path);
  };

  /** The unit itself and every unit below it. */
  subtree(u: Unit): Unit[] {
    return this.all().filter((x) => x.path.startsWith(u.path));
  }

  /** Follows successors until an active unit (a merged unit's dossiers belong to its successor). */
  current(u: Unit): Unit {
    let x = u;
    for (let i = 0; i < 20 && x.successorId; i++) x = this.getById(x.successorId);
    return x;
  }
}
