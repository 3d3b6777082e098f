import { type AuditEntry, appendAudit, canonicalJson, type Database } from '@tinhso/db';
import {
  DomainError,
  foldVietnamese,
  ProcedureDefinition,
  type ProcedureDefinitionInput,
  SearchIndex,
} from '@tinhso/domain';
import { sql } from 'kysely';

export interface ProcedureSummary {
  code: string;
  name: string;
  field: string;
  level: string;
  onlineLevel: string;
  version: number;
  /** The deciding units of the current version (empty: every unit of the procedure's level, e.g. every commune). */
  competentUnits: string[];
}

export interface SearchQuery {
  q?: string | undefined;
  field?: string | undefined;
  /** Procedures a unit decides: named in competentUnits, or (none named) a commune for commune-level ones. */
  agency?: { code: string; level: string } | undefined;
  level?: string | undefined;
  onlineLevel?: string | undefined;
  limit: number;
  offset: number;
}

/** The procedure catalogue: search, versions, import/export. Versions are immutable; a dossier keeps its own. */
export class Catalogue {
  constructor(private readonly database: Database) {}

  /**
   * The catalogue held in memory for search: a province has about 1,500 procedures, changed a few times a year
   * and searched all day. Rebuilt after every save in this process, and at most a minute old elsewhere (other app
   * nodes). Searching it costs well under a millisecond; word_similarity in SQL cost ~14 µs per procedure.
   */
  private index: {
    at: number;
    all: ProcedureSummary[];
    byId: Map<string, ProcedureSummary>;
    search: SearchIndex<ProcedureSummary>;
  } | null = null;
  private static readonly INDEX_TTL_MS = 60_000;
  /** The rebuild running now: requests arriving meanwhile wait for it instead of starting their own. */
  private building: Promise<NonNullable<Catalogue['index']>> | null = null;

  private searchIndex() {
    if (this.index && Date.now() - this.index.at < Catalogue.INDEX_TTL_MS) return Promise.resolve(this.index);
    if (!this.building) {
      this.building = this.buildIndex().finally(() => {
        this.building = null;
      });
    }
    return this.building;
  }

  private async buildIndex() {
    const rows = await this.database.db
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', (j) =>
        j.onRef('v.procedure_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'),
      )
      .select([
        'p.id',
        'p.code',
        'p.name',
        'p.field',
        'p.level',
        'p.online_level',
        'p.current_version',
        'p.active',
        sql<string[] | null>`v.definition->'competentUnits'`.as('competent_units'),
      ])
      .orderBy('p.field')
      .orderBy('p.name')
      .execute();
    const byId = new Map(rows.map((r) => [r.id, summary(r)]));
    const all = rows.filter((r) => r.active).map((r) => byId.get(r.id)!);
    const used = await this.usage();
    const idOf = new Map(rows.map((r) => [r.code, r.id]));
    const search = new SearchIndex(all, (p) => ({
      code: p.code,
      text: `${p.code} ${p.name} ${p.field}`,
      weight: used.get(idOf.get(p.code)!) ?? 0,
    }));
    const index = { at: Date.now(), all, byId, search };
    this.index = index;
    return index;
  }

  /** Dossiers per procedure over the last year: equally good search matches list the most used first. */
  private popularity: { at: number; counts: Map<string, number> } | null = null;
  private static readonly POPULARITY_TTL_MS = 3_600_000;

  private async usage(): Promise<Map<string, number>> {
    if (this.popularity && Date.now() - this.popularity.at < Catalogue.POPULARITY_TTL_MS) {
      return this.popularity.counts;
    }
    // From the indicator sums (dossiers received per half-month, ~24 rows per unit and procedure a year), not from a
    // scan of a year of dossiers: that took seconds at 1M dossiers and stalled every search of a fresh node.
    const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const rows = await this.database.db
      .selectFrom(
        sql<{ procedure_id: string; received: number; half_start: string }>`indicator_halves`.as('h'),
      )
      .select(['h.procedure_id', (eb) => eb.fn.sum<number>('h.received').as('n')])
      .where('h.half_start', '>=', since)
      .groupBy('h.procedure_id')
      .execute();
    this.popularity = { at: Date.now(), counts: new Map(rows.map((r) => [r.procedure_id, Number(r.n)])) };
    return this.popularity.counts;
  }

  /** A procedure's summary by id, from memory (for pages that show a dossier's procedure name). */
  async summaryById(id: string): Promise<ProcedureSummary | null> {
    let found = (await this.searchIndex()).byId.get(id);
    if (!found) {
      this.index = null; // created on another node since the last refresh
      found = (await this.searchIndex()).byId.get(id);
    }
    return found ?? null;
  }

  /**
   * Diacritic-insensitive, typo-tolerant search over names, codes and fields (see SearchIndex in the domain):
   * exact code first, then names containing the query, then by how many words match (typos allowed).
   */
  async search(query: SearchQuery): Promise<{ items: ProcedureSummary[]; total: number }> {
    const { all, search } = await this.searchIndex();
    const keep = (p: ProcedureSummary) =>
      (!query.field || p.field === query.field) &&
      (!query.agency || decides(p, query.agency)) &&
      (!query.level || p.level === query.level) &&
      (!query.onlineLevel || p.onlineLevel === query.onlineLevel);
    const matches = query.q?.trim()
      ? search.search(query.q, { filter: keep }).map((r) => r.item)
      : all.filter(keep);
    return { items: matches.slice(query.offset, query.offset + query.limit), total: matches.length };
  }

  /** How many active procedures each of `units` decides (browsing by agency); kept with the index it was counted on. */
  async countByAgency(units: { code: string; level: string }[]): Promise<Map<string, number>> {
    const index = await this.searchIndex();
    const key = units.map((u) => `${u.code}:${u.level}`).join(',');
    if (this.agencyCounts?.index !== index || this.agencyCounts.key !== key) {
      const counts = new Map(units.map((u) => [u.code, index.all.filter((p) => decides(p, u)).length]));
      this.agencyCounts = { index, key, counts };
    }
    return this.agencyCounts.counts;
  }
  private agencyCounts: { index: object; key: string; counts: Map<string, number> } | null = null;

  async fields(): Promise<{ field: string; count: number }[]> {
    const rows = await this.database.db
      .selectFrom('procedures')
      .where('active', '=', true)
      .select(['field', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('field')
      .orderBy('field')
      .execute();
    return rows.map((r) => ({ field: r.field, count: Number(r.count) }));
  }

  /**
   * Current versions by code, as `get` returned them: every submission and draft reads one. The same freshness as
   * the search index (forgotten at every save in this process, at most INDEX_TTL_MS old on other nodes; a dossier
   * records the version it was opened under). Frozen: callers share them.
   */
  private current = new Map<
    string,
    { at: number; value: { id: string; version: number; definition: ProcedureDefinition } }
  >();
  /** Bumped at every save: a read that started before a save does not enter the cache after it. */
  private saves = 0;

  /** One version of a procedure (the current one by default). Throws PROCEDURE_NOT_FOUND. */
  async get(
    code: string,
    version?: number,
  ): Promise<{ id: string; version: number; definition: ProcedureDefinition }> {
    const saves = this.saves;
    if (version === undefined) {
      const hit = this.current.get(code);
      if (hit && Date.now() - hit.at < Catalogue.INDEX_TTL_MS) return hit.value;
    }
    const row = await this.database.db
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', 'v.procedure_id', 'p.id')
      .select(['p.id', 'v.version', 'v.definition'])
      .where('p.code', '=', code)
      .where(
        'v.version',
        '=',
        version === undefined ? sql<number>`p.current_version` : sql<number>`${version}`,
      )
      .executeTakeFirst();
    if (!row) {
      throw new DomainError(
        'PROCEDURE_NOT_FOUND',
        `Không tìm thấy thủ tục "${code}"${version ? ` phiên bản ${version}` : ''}.`,
        `Procedure "${code}"${version ? ` version ${version}` : ''} not found.`,
        { code, version },
      );
    }
    const value = { id: row.id, version: row.version, definition: row.definition as ProcedureDefinition };
    if (version === undefined && saves === this.saves) {
      if (this.current.size >= 5_000) this.current.clear();
      this.current.set(code, { at: Date.now(), value: deepFreeze(value) });
    }
    return value;
  }

  async versions(
    code: string,
  ): Promise<{ version: number; effectiveFrom: string; effectiveTo: string | null }[]> {
    const rows = await this.database.db
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', 'v.procedure_id', 'p.id')
      .select(['v.version', 'v.effective_from', 'v.effective_to'])
      .where('p.code', '=', code)
      .orderBy('v.version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
    }));
  }

  /**
   * Saves a definition as a new version (or the first one). Identical definitions are not duplicated.
   * Runs in one transaction with its audit record.
   */
  async save(
    input: ProcedureDefinitionInput,
    actor: Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>,
  ): Promise<{ code: string; version: number; created: boolean }> {
    const parsed = ProcedureDefinition.safeParse(input);
    if (!parsed.success) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Định nghĩa thủ tục không hợp lệ.',
        'Invalid procedure definition.',
        {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      );
    }
    const def = parsed.data;
    const json = JSON.stringify(def);
    const saved = await this.database.db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('procedures')
        .select(['id', 'current_version'])
        .where('code', '=', def.code)
        .forUpdate()
        .executeTakeFirst();
      const searchText = foldVietnamese(`${def.code} ${def.name} ${def.field}`);
      let id: string;
      let version = 1;
      if (existing) {
        const current = await tx
          .selectFrom('procedure_versions')
          .select('definition')
          .where('procedure_id', '=', existing.id)
          .where('version', '=', existing.current_version)
          .executeTakeFirstOrThrow();
        if (canonicalJson(current.definition) === canonicalJson(def)) {
          return { code: def.code, version: existing.current_version, created: false };
        }
        id = existing.id;
        version = existing.current_version + 1;
        await tx
          .updateTable('procedures')
          .set({
            current_version: version,
            name: def.name,
            field: def.field,
            level: def.level,
            online_level: def.onlineLevel,
            search_text: searchText,
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
      } else {
        const row = await tx
          .insertInto('procedures')
          .values({
            code: def.code,
            current_version: 1,
            name: def.name,
            field: def.field,
            level: def.level,
            online_level: def.onlineLevel,
            search_text: searchText,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
      }
      await tx
        .insertInto('procedure_versions')
        .values({
          procedure_id: id,
          version,
          definition: json,
          effective_from: def.effectiveFrom,
          effective_to: def.effectiveTo,
          created_by: actor.actorType === 'officer' ? actor.actorId : null,
        })
        .execute();
      await appendAudit(tx, {
        ...actor,
        action: version === 1 ? 'procedure.create' : 'procedure.version',
        entityType: 'procedure',
        entityId: def.code,
        details: { version },
      });
      return { code: def.code, version, created: true };
    });
    this.index = null;
    this.saves++;
    this.current.clear();
    return saved;
  }

  /** Every procedure's current version, with its id and version number, in one query. */
  async currentVersions(): Promise<{ id: string; version: number; definition: ProcedureDefinition }[]> {
    const rows = await this.database.db
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', (j) =>
        j.onRef('v.procedure_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'),
      )
      .select(['p.id', 'v.version', 'v.definition'])
      .orderBy('p.code')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      version: r.version,
      definition: r.definition as ProcedureDefinition,
    }));
  }

  /** Every current definition, for export. */
  async exportAll(): Promise<ProcedureDefinition[]> {
    return (await this.currentVersions()).map((r) => r.definition);
  }
}

function summary(r: {
  code: string;
  name: string;
  field: string;
  level: string;
  online_level: string;
  current_version: number;
  competent_units: string[] | null;
}): ProcedureSummary {
  return {
    code: r.code,
    name: r.name,
    field: r.field,
    level: r.level,
    onlineLevel: r.online_level,
    version: r.current_version,
    competentUnits: r.competent_units ?? [],
  };
}

/** Whether a unit decides a procedure (for browsing the catalogue by agency). */
function decides(p: ProcedureSummary, unit: { code: string; level: string }): boolean {
  if (p.competentUnits.length > 0) return p.competentUnits.includes(unit.code);
  return p.level === 'commune' ? unit.level === 'commune' : unit.level === 'department';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
