import { appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import type { Transaction } from 'kysely';
import type { Catalogue } from './catalogue.js';

/** Largest draft accepted (the JSON text of `data`). */
export const DRAFT_MAX_BYTES = 256 * 1024;

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
    await this.database.db
      .insertInto('drafts')
      .values({ citizen_id: citizenId, procedure_code: procedureCode, data: json, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['citizen_id', 'procedure_code']).doUpdateSet({ data: json, updated_at: now }),
      )
      .execute();
    return { updatedAt: now.toISOString() };
  }

  /** Deletes a draft (audited); nothing to delete is not an error. */
  async remove(citizenId: string, procedureCode: string, ip?: string): Promise<void> {
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
