/**
 * Bulk loaders for generated dossiers. Three interchangeable ways to write one chunk:
 *
 * - `kysely`: the production path, `insertDossiers` from apps/server/src/demo/bulk.ts (multi-row INSERT … VALUES,
 *   500 dossiers / 2,000 actions per statement, one transaction per chunk);
 * - `unnest`: one `INSERT … SELECT FROM unnest($1::uuid[], $2::text[], …)` per table and sub-batch (column
 *   arrays as parameters: one parse/plan per statement whatever the row count);
 * - `copy`: `COPY … FROM STDIN` (text format) through a small pg Submittable — no extra dependency.
 *
 * `unnest` and `copy` build exactly the rows `insertDossiers` builds (same code assignment in submission order,
 * the service's `snapshot` columns, same actor names, same counters): `toRows` below mirrors it field by field
 * (bench/src/load.ts has its own copy of the action mapping and ROLE_ACTOR; keep them in step with bulk.ts).
 */
import { once } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from '@tinhso/db';
import type { DossierState } from '@tinhso/domain';
import { type GeneratedDossier, insertDossiers, numbered } from '@tinhso/server/demo/bulk';
import { snapshot } from '@tinhso/server/services/dossier-store';
import type { UnitDirectory } from '@tinhso/server/services/units';
import type pg from 'pg';

export type LoadMethod = 'kysely' | 'unnest' | 'copy';
export const LOAD_METHODS: readonly LoadMethod[] = ['kysely', 'unnest', 'copy'];

type Value = string | number | boolean | null;
type Row = Value[];

/** Column name and PostgreSQL type (for the unnest casts), in insert order. */
const DOSSIER_COLUMNS = [
  ['id', 'uuid'],
  ['code', 'text'],
  ['procedure_id', 'uuid'],
  ['procedure_version', 'int4'],
  ['channel', 'text'],
  ['applicant_kind', 'int2'],
  ['applicant_name', 'text'],
  ['applicant_id', 'text'],
  ['applicant_citizen_id', 'uuid'],
  ['applicant_contact', 'jsonb'],
  ['receiving_unit_id', 'uuid'],
  ['competent_unit_id', 'uuid'],
  ['current_unit_id', 'uuid'],
  ['current_assignee_id', 'uuid'],
  ['status', 'int2'],
  ['submitted_at', 'timestamptz'],
  ['received_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['step_due_at', 'timestamptz'],
  ['finished_at', 'timestamptz'],
  ['returned_at', 'timestamptz'],
  ['return_method', 'text'],
  ['state', 'jsonb'],
  ['form_data', 'jsonb'],
  ['version', 'int4'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
] as const;

const ACTION_COLUMNS = [
  ['dossier_id', 'uuid'],
  ['seq', 'int4'],
  ['type', 'text'],
  ['at', 'timestamptz'],
  ['actor_type', 'text'],
  ['actor_id', 'uuid'],
  ['actor_name', 'text'],
  ['unit_id', 'uuid'],
  ['status_after', 'int2'],
  ['step', 'int4'],
  ['step_due_at', 'timestamptz'],
  ['reason', 'text'],
  ['payload', 'jsonb'],
] as const;

const COMPONENT_COLUMNS = [
  ['dossier_id', 'uuid'],
  ['code', 'text'],
  ['name', 'text'],
  ['required', 'bool'],
  ['provided', 'bool'],
  ['digitized', 'bool'],
  ['reused', 'bool'],
] as const;

type Columns = readonly (readonly [string, string])[];

const TABLES: { name: string; columns: Columns; key: keyof Rows; perStatement: number }[] = [
  { name: 'dossiers', columns: DOSSIER_COLUMNS, key: 'dossiers', perStatement: 5_000 },
  { name: 'dossier_actions', columns: ACTION_COLUMNS, key: 'actions', perStatement: 25_000 },
  { name: 'dossier_components', columns: COMPONENT_COLUMNS, key: 'components', perStatement: 25_000 },
];

/** Same labels as apps/server/src/demo/bulk.ts. */
const ROLE_ACTOR: Record<string, string> = {
  submit: 'Người nộp hồ sơ',
  accept: 'Cán bộ tiếp nhận',
  refuse: 'Cán bộ tiếp nhận',
  return_result: 'Cán bộ tiếp nhận',
  provide_supplement: 'Người nộp hồ sơ',
  withdraw: 'Người nộp hồ sơ',
  confirm_payment: 'Hệ thống thanh toán',
};

export interface Rows {
  dossiers: Row[];
  actions: Row[];
  components: Row[];
}
type Table = keyof Rows;

/** Unit ids by code (UnitDirectory.get parses the agency code on every call). */
function unitIds(units: UnitDirectory): (code: string) => string {
  const cache = new Map<string, string>();
  return (code) => {
    let id = cache.get(code);
    if (id === undefined) {
      id = units.get(code).id;
      cache.set(code, id);
    }
    return id;
  };
}

/**
 * Emits the rows `insertDossiers` would insert for this batch (codes in submission order, counters moved
 * forward). Yields to the event loop every 1,000 dossiers so that a load in progress keeps being fed.
 */
export async function toRows(
  units: UnitDirectory,
  batch: GeneratedDossier[],
  counters: Map<string, number>,
  emit: (table: Table, row: Row) => void,
): Promise<void> {
  const unitId = unitIds(units);
  const rows = numbered(batch, counters);
  for (let n = 0; n < rows.length; n++) {
    if (n > 0 && n % 1_000 === 0) await yieldToLoop();
    const { g, id, code } = rows[n]!;
    const s: DossierState = g.state;
    const snap = snapshot(units, s); // the same snapshot columns as the service and insertDossiers
    emit('dossiers', [
      id,
      code,
      g.procedureId,
      g.procedureVersion,
      s.channel,
      1,
      g.applicant.name,
      g.applicant.idNumber,
      g.applicant.citizenId,
      '{}',
      unitId(s.receivingUnit),
      unitId(s.competentUnit),
      snap.current_unit_id,
      snap.current_assignee_id,
      snap.status,
      s.submittedAt,
      snap.received_at,
      snap.due_at,
      snap.step_due_at,
      snap.finished_at,
      snap.returned_at,
      snap.return_method,
      snap.state,
      JSON.stringify(g.formData),
      g.events.length,
      s.submittedAt,
      g.events[g.events.length - 1]!.at,
    ]);
    g.events.forEach((e, i) => {
      const next = e.data['next'] as { index: number; dueAt: string } | undefined;
      emit('actions', [
        id,
        i + 1,
        e.type,
        e.at,
        e.type === 'submit' && s.channel === 'online' ? 'citizen' : 'officer',
        null,
        ROLE_ACTOR[e.type] ?? 'Cán bộ xử lý',
        e.unit ? unitId(e.unit) : null,
        e.statusAfter,
        next?.index ?? null,
        next?.dueAt ?? null,
        e.reason,
        JSON.stringify(e.data),
      ]);
    });
    for (const c of g.components) {
      emit('components', [id, c.code, c.name, c.required, c.provided, c.digitized, c.reused]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// INSERT … SELECT FROM unnest(…)

function unnestSql(table: string, columns: Columns): string {
  const names = columns.map(([n]) => n).join(', ');
  const arrays = columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
}

// ---------------------------------------------------------------------------------------------------------------
// COPY … FROM STDIN (text format)

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;

function copyField(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : v;
}

/** pg's Connection as used by a COPY FROM STDIN submittable (these methods exist; @types/pg omits them). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain: boolean };
}

/** A minimal `COPY … FROM STDIN` for node-postgres: sends `pieces` (already COPY text) with back-pressure. */
class CopyFromStdin implements pg.Submittable {
  private error: Error | null = null;
  readonly done: Promise<void>;
  private settle!: (err: Error | null) => void;

  constructor(
    private readonly text: string,
    private readonly pieces: Buffer[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (err) => (err ? reject(err) : resolve());
    });
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void (async () => {
      try {
        for (const piece of this.pieces) {
          if (this.error) return;
          connection.sendCopyFromChunk(piece);
          if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
        }
        connection.endCopyFrom();
      } catch (e) {
        connection.sendCopyFail(String(e));
      }
    })();
  }

  handleError(err: Error): void {
    this.error = err;
  }

  handleReadyForQuery(): void {
    this.settle(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Encodes rows as COPY text, in pieces of about 1 MiB. */
class CopyEncoder {
  readonly pieces: Buffer[] = [];
  rows = 0;
  private lines: string[] = [];
  private size = 0;

  add(row: Row): void {
    let line = copyField(row[0]!);
    for (let i = 1; i < row.length; i++) line += `\t${copyField(row[i]!)}`;
    line += '\n';
    this.lines.push(line);
    this.rows++;
    this.size += line.length;
    if (this.size >= 1 << 20) this.flush();
  }

  flush(): Buffer[] {
    if (this.lines.length > 0) this.pieces.push(Buffer.from(this.lines.join(''), 'utf8'));
    this.lines = [];
    this.size = 0;
    return this.pieces;
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface PreparedChunk {
  dossiers: number;
  actions: number;
  components: number;
  /** Writes the chunk in one transaction. */
  write(): Promise<void>;
}

async function inTransaction(database: Database, run: (client: pg.PoolClient) => Promise<void>) {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await run(client);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Prepares one chunk for the chosen method (codes assigned now, in call order) and returns its writer. The
 * preparation of chunk k+1 may run while chunk k is being written.
 */
export async function prepareChunk(
  method: LoadMethod,
  database: Database,
  units: UnitDirectory,
  batch: GeneratedDossier[],
  counters: Map<string, number>,
): Promise<PreparedChunk> {
  if (method === 'kysely') {
    // insertDossiers assigns the codes when it runs: give it the counters as they stand, and move ours on.
    const start = new Map(counters);
    numbered(batch, counters);
    return {
      dossiers: batch.length,
      actions: batch.reduce((n, g) => n + g.events.length, 0),
      components: batch.reduce((n, g) => n + g.components.length, 0),
      write: () => insertDossiers(database, units, batch, start),
    };
  }
  if (method === 'unnest') {
    const rows: Rows = { dossiers: [], actions: [], components: [] };
    await toRows(units, batch, counters, (table, row) => rows[table].push(row));
    const statements: { text: string; params: Value[][] }[] = [];
    for (const t of TABLES) {
      const all = rows[t.key];
      const text = unnestSql(t.name, t.columns);
      for (let i = 0; i < all.length; i += t.perStatement) {
        const slice = all.slice(i, i + t.perStatement);
        statements.push({ text, params: t.columns.map((_, c) => slice.map((r) => r[c]!)) });
      }
    }
    return {
      dossiers: rows.dossiers.length,
      actions: rows.actions.length,
      components: rows.components.length,
      write: () =>
        inTransaction(database, async (client) => {
          for (const s of statements) await client.query(s.text, s.params);
        }),
    };
  }
  const encoders = { dossiers: new CopyEncoder(), actions: new CopyEncoder(), components: new CopyEncoder() };
  await toRows(units, batch, counters, (table, row) => encoders[table].add(row));
  const copies: { text: string; pieces: Buffer[] }[] = [];
  for (const t of TABLES) {
    const pieces = encoders[t.key].flush();
    if (pieces.length === 0) continue;
    copies.push({ text: `COPY ${t.name} (${t.columns.map(([n]) => n).join(', ')}) FROM STDIN`, pieces });
  }
  return {
    dossiers: encoders.dossiers.rows,
    actions: encoders.actions.rows,
    components: encoders.components.rows,
    write: () =>
      inTransaction(database, async (client) => {
        for (const c of copies) {
          const copy = new CopyFromStdin(c.text, c.pieces);
          client.query(copy);
          await copy.done;
        }
      }),
  };
}
