import { type AuditEntry, appendAudit, canonicalJson, type Database } from '@tinhso/db';
import {
  DomainError,
  foldVietnamese,
  ProcedureDefinition,
  type ProcedureDefinitionInput,
} from '@tinhso/domain';
import { sql } from 'kysely';

export interface ProcedureSummary {
  code: string;
  name: string;
  field: string;
  level: string;
  onlineLevel: string;
  version: number;
}

export interface SearchQuery {
  q?: string | undefined;
  field?: string | undefined;
  level?: string | undefined;
  onlineLevel?: string | undefined;
  limit: number;
  offset: number;
}

/** The procedure catalogue: search, versions, import/export. Versions are immutable; a dossier keeps its own. */
export class Catalogue {
  constructor(private readonly database: Database) {}

  /**
   * Recent search results. The catalogue changes a few times a year and is searched all day: a hit costs
   * microseconds instead of a query. Cleared by every save in this process; entries expire after a minute so that
   * other app nodes see a change soon.
   */
  private cache = new Map<string, { at: number; value: { items: ProcedureSummary[]; total: number } }>();
  private static readonly CACHE_TTL_MS = 60_000;
  private static readonly CACHE_MAX = 1000;

  /**
   * Diacritic-insensitive, typo-tolerant search (pg_trgm word similarity over the folded name, code and field).
   * Ranking: exact code, then names containing the query, then by trigram similarity.
   */
  async search(query: SearchQuery): Promise<{ items: ProcedureSummary[]; total: number }> {
    const key = JSON.stringify([
      foldVietnamese(query.q ?? ''),
      query.q?.trim() ?? '',
      query.field,
      query.level,
      query.onlineLevel,
      query.limit,
      query.offset,
    ]);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < Catalogue.CACHE_TTL_MS) return hit.value;
    const value = await this.searchDatabase(query);
    if (this.cache.size >= Catalogue.CACHE_MAX) this.cache.clear();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private async searchDatabase(query: SearchQuery): Promise<{ items: ProcedureSummary[]; total: number }> {
    const { db } = this.database;
    const q = foldVietnamese(query.q ?? '');
    const raw = query.q?.trim() ?? '';
    let base = db.selectFrom('procedures').where('active', '=', true);
    if (query.field) base = base.where('field', '=', query.field);
    if (query.level) base = base.where('level', '=', query.level);
    if (query.onlineLevel) base = base.where('online_level', '=', query.onlineLevel);
    const columns = ['code', 'name', 'field', 'level', 'online_level', 'current_version'] as const;
    const total = sql<number>`count(*) OVER ()`.as('total');
    let rows: (Parameters<typeof summary>[0] & { total: number })[];
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const score = sql<number>`(CASE WHEN code = ${raw} THEN 4 ELSE 0 END)
        + (CASE WHEN search_text LIKE ${like} THEN 1 ELSE 0 END) + word_similarity(${q}, search_text)`;
      rows = await base
        .where((eb) =>
          eb.or([
            eb('search_text', 'like', like),
            sql<boolean>`${q} <% search_text`,
            eb('code', 'like', `${raw}%`),
          ]),
        )
        .select([...columns, total, score.as('score')])
        .orderBy('score', 'desc')
        .orderBy('name')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
    } else {
      rows = await base
        .select([...columns, total])
        .orderBy('field')
        .orderBy('name')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
    }
    if (rows.length === 0 && query.offset > 0) {
      // Past the last page: the window count is not available, ask for it.
      const again = await this.searchDatabase({ ...query, offset: 0, limit: 1 });
      return { items: [], total: again.total };
    }
    return { items: rows.map(summary), total: Number(rows[0]?.total ?? 0) };
  }

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

  /** One version of a procedure (the current one by default). Throws PROCEDURE_NOT_FOUND. */
  async get(
    code: string,
    version?: number,
  ): Promise<{ id: string; version: number; definition: ProcedureDefinition }> {
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
    return { id: row.id, version: row.version, definition: row.definition as ProcedureDefinition };
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
    this.cache.clear();
    return saved;
  }

  /** Every current definition, for export. */
  async exportAll(): Promise<ProcedureDefinition[]> {
    const rows = await this.database.db
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', (j) =>
        j.onRef('v.procedure_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'),
      )
      .select('v.definition')
      .orderBy('p.code')
      .execute();
    return rows.map((r) => r.definition as ProcedureDefinition);
  }
}

function summary(r: {
  code: string;
  name: string;
  field: string;
  level: string;
  online_level: string;
  current_version: number;
}): ProcedureSummary {
  return {
    code: r.code,
    name: r.name,
    field: r.field,
    level: r.level,
    onlineLevel: r.online_level,
    version: r.current_version,
  };
}
