import { appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError, isProcedureCode } from '@tinhso/domain';
import type { Transaction } from 'kysely';
import type { Catalogue } from './catalogue.js';

/** Largest draft accepted (the JSON text of `data`). */
export const DRAFT_MAX_BYTES = 256 * 1024;

/** Most drafts one citizen may keep (one per procedure); replacing an existing draft is always allowed. */
export const DRAFT_MAX_PER_CITIZEN = 20;
/** Saves per citizen per minute (PUT /api/me/drafts/:procedureCode); autosave runs far below this. */
export const DRAFT_PUT_PER_MINUTE = 120;
/** Deepest nesting of objects/arrays accepted in a draft (`data` itself is depth 1). */
export const DRAFT_MAX_DEPTH = 32;
/** Most values (objects, arrays, scalars) in a draft. */
export const DRAFT_MAX_NODES = 10_000;

const invalidDraft = (vi: string, en: string, details: Record<string, unknown>) =>
  new DomainError('VALIDATION_FAILED', vi, en, details);

/** A lone UTF-16 surrogate, which jsonb refuses like NUL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * Checks, without recursion, that the draft can be serialised and stored as jsonb: at most DRAFT_MAX_DEPTH levels
 * and DRAFT_MAX_NODES values, no NUL character (nor lone surrogate) in a key or a string.
 */
export function assertStorableDraft(data: Record<string, unknown>): void {
  const stack: [unknown, number][] = [[data, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++nodes > DRAFT_MAX_NODES) {
      throw invalidDraft(
        `Bản nháp có quá nhiều giá trị (tối đa ${DRAFT_MAX_NODES}).`,
        `The draft has too many values (at most ${DRAFT_MAX_NODES}).`,
        { maxNodes: DRAFT_MAX_NODES },
      );
    }
    if (typeof value === 'string') {
      if (unstorable(value)) {
        throw invalidDraft(
          'Bản nháp chứa ký tự không hợp lệ (ký tự NUL).',
          'The draft contains an invalid character (NUL).',
          {},
        );
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > DRAFT_MAX_DEPTH) {
      throw invalidDraft(
        `Bản nháp lồng nhau quá sâu (tối đa ${DRAFT_MAX_DEPTH} cấp).`,
        `The draft is nested too deeply (at most ${DRAFT_MAX_DEPTH} levels).`,
        { maxDepth: DRAFT_MAX_DEPTH },
      );
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (unstorable(key)) {
        throw invalidDraft(
          'Tên trường trong bản nháp chứa ký tự không hợp lệ (ký tự NUL).',
          'A field name in the draft contains an invalid character (NUL).',
          {},
        );
      }
      stack.push([item, depth + 1]);
    }
  }
}

/** VALIDATION_FAILED unless `procedureCode` looks like a procedure code (1.013225 or 1.000656.000.00.00.H29). */
export function assertProcedureCode(procedureCode: string): void {
  if (!isProcedureCode(procedureCode)) {
    throw invalidDraft(
      'Mã thủ tục không đúng định dạng (ví dụ: 1.013225).',
      'Malformed procedure code (e.g. 1.013225).',
      { procedureCode: procedureCode.replaceAll('\u0000', '\uFFFD').slice(0, 60) },
    );
  }
}

const draftNotFound = (procedureCode: string) =>
  new DomainError(
    'DRAFT_NOT_FOUND',
    `Không có bản nháp cho thủ tục "${procedureCode}".`,
    `No draft for procedure "${procedureCode}".`,
    { procedureCode },
  );

/**
 * A citizen's unfinished e-forms, one per procedure, saved on the server so that nothing is lost when the session
 * expires. The content is opaque to the server (the web form's own state); the submission is validated, not the draft.
 */
export class DraftService {
  constructor(
    private readonly database: Database,
    private readonly catalogue: Catalogue,
  ) {}

  async list(citizenId: string) {
    const rows = await this.database.db
      .selectFrom('drafts as d')
      .leftJoin('procedures as p', 'p.code', 'd.procedure_code')
      .select(['d.procedure_code', 'd.updated_at', 'p.name'])
      .where('d.citizen_id', '=', citizenId)
      .orderBy('d.updated_at', 'desc')
      .execute();
    return rows.map((r) => ({
      procedureCode: r.procedure_code,
      procedureName: r.name ?? r.procedure_code,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async get(citizenId: string, procedureCode: string) {
    assertProcedureCode(procedureCode);
    const row = await this.database.db
      .selectFrom('drafts')
      .select(['procedure_code', 'data', 'updated_at'])
      .where('citizen_id', '=', citizenId)
      .where('procedure_code', '=', procedureCode)
      .executeTakeFirst();
    if (!row) throw draftNotFound(procedureCode);
    return { procedureCode: row.procedure_code, data: row.data, updatedAt: row.updated_at.toISOString() };
  }

  /** Saves (creates or replaces) the draft of one procedure; PROCEDURE_NOT_FOUND for an unknown procedure. */
  async save(citizenId: string, procedureCode: string, data: Record<string, unknown>) {
    assertProcedureCode(procedureCode);
    assertStorableDraft(data);
    const json = JSON.stringify(data);
    if (Buffer.byteLength(json, 'utf8') > DRAFT_MAX_BYTES) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `Bản nháp quá lớn (tối đa ${DRAFT_MAX_BYTES / 1024} KB).`,
        `The draft is too large (at most ${DRAFT_MAX_BYTES / 1024} KB).`,
      );
    }
    await this.catalogue.get(procedureCode);
    const now = new Date();
    await this.database.db.transaction().execute(async (tx) => {
      // Serialises the saves of one citizen so that two new drafts at once cannot pass the quota together.
      await tx.selectFrom('citizens').select('id').where('id', '=', citizenId).forUpdate().execute();
      const others = await tx
        .selectFrom('drafts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('citizen_id', '=', citizenId)
        .where('procedure_code', '!=', procedureCode)
        .executeTakeFirstOrThrow();
      if (Number(others.n) >= DRAFT_MAX_PER_CITIZEN) {
        throw new DomainError(
          'DRAFT_QUOTA_EXCEEDED',
          `Bạn đã lưu tối đa ${DRAFT_MAX_PER_CITIZEN} bản nháp. Hãy nộp hoặc xoá bớt bản nháp cũ trước khi lưu bản mới.`,
          `You already keep the maximum of ${DRAFT_MAX_PER_CITIZEN} drafts. Submit or delete an old draft first.`,
          { max: DRAFT_MAX_PER_CITIZEN },
        );
      }
      await tx
        .insertInto('drafts')
        .values({ citizen_id: citizenId, procedure_code: procedureCode, data: json, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['citizen_id', 'procedure_code']).doUpdateSet({ data: json, updated_at: now }),
        )
        .execute();
    });
    return { updatedAt: now.toISOString() };
  }

  /** Deletes a draft (audited); nothing to delete is not an error. */
  async remove(citizenId: string, procedureCode: string, ip?: string): Promise<void> {
    assertProcedureCode(procedureCode);
    await this.database.db.transaction().execute(async (tx) => {
      await this.removeIn(tx, citizenId, procedureCode, 'draft.delete', ip);
    });
  }

  /** Deletes a draft inside a transaction (e.g. the submission's), auditing it when there was one. */
  async removeIn(
    tx: Transaction<DB>,
    citizenId: string,
    procedureCode: string,
    action: 'draft.delete' | 'draft.submitted',
    ip?: string,
  ): Promise<void> {
    const deleted = await tx
      .deleteFrom('drafts')
      .where('citizen_id', '=', citizenId)
      .where('procedure_code', '=', procedureCode)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return;
    await appendAudit(tx, {
      actorType: 'citizen',
      actorId: citizenId,
      action,
      entityType: 'draft',
      entityId: procedureCode,
      ip: ip ?? null,
      details: {},
    });
  }
}
