import { createHash } from 'node:crypto';
import { appendAudit, type DB } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import { fileNotFound } from './errors.js';
import { cleanFileName, resultName } from './names.js';
import { checkQuota, lockOwner, owner, type QuotaConfig } from './quota.js';
import { present, type StoredFile } from './stored-file.js';

export interface StoreItem {
  id: string;
  name: string;
  mime: string;
  size: number;
  createdAt: string;
  source: 'upload' | 'result';
  dossierCode: string | null;
  /** For a result: the issued document (POST /api/me/files/from-result makes it a reusable file). */
  documentId: string | null;
}

/** The citizen's store: own uploads (with the last dossier each was used in) and issued results of own dossiers. */
export async function listStore(db: Kysely<DB>, citizenId: string): Promise<StoreItem[]> {
  const [uploads, results] = await Promise.all([
    db
      .selectFrom('files as f')
      .select([
        'f.id',
        'f.name',
        'f.mime',
        'f.size',
        'f.created_at',
        (eb) =>
          eb
            .selectFrom('dossier_files as df')
            .innerJoin('dossiers as d', 'd.id', 'df.dossier_id')
            .select('d.code')
            .whereRef('df.file_id', '=', 'f.id')
            .orderBy('df.created_at', 'desc')
            .limit(1)
            .as('dossier_code'),
      ])
      .where('f.owner_citizen_id', '=', citizenId)
      .where('f.source', '=', 'upload')
      .orderBy('f.created_at', 'desc')
      .execute(),
    db
      .selectFrom('documents as doc')
      .innerJoin('dossiers as d', 'd.id', 'doc.dossier_id')
      .select([
        'doc.id',
        'doc.title',
        'doc.number',
        'doc.symbol',
        'doc.issued_at',
        'd.code',
        sql<number>`octet_length(doc.file)`.as('size'),
      ])
      .where('d.applicant_citizen_id', '=', citizenId)
      .where('doc.status', '=', 'issued')
      .where('doc.file', 'is not', null)
      .orderBy('doc.issued_at', 'desc')
      .execute(),
  ]);
  const items: StoreItem[] = [
    ...uploads.map((u) => ({
      id: u.id,
      name: u.name,
      mime: u.mime,
      size: u.size,
      createdAt: u.created_at.toISOString(),
      source: 'upload' as const,
      dossierCode: u.dossier_code ?? null,
      documentId: null,
    })),
    ...results.map((r) => ({
      id: r.id,
      name: cleanFileName(resultName(r), 'pdf'),
      mime: 'application/pdf',
      size: Number(r.size),
      createdAt: (r.issued_at ?? new Date(0)).toISOString(),
      source: 'result' as const,
      dossierCode: r.code,
      documentId: r.id,
    })),
  ];
  return items.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * Makes an issued result of one's own dossier a reusable file (copied once; a second call returns the copy).
 */
export async function copyResult(
  db: Kysely<DB>,
  config: QuotaConfig,
  documentId: string,
  principal: Principal,
  ip?: string,
): Promise<{ file: StoredFile; created: boolean }> {
  if (principal.kind !== 'citizen') throw fileNotFound();
  const notFound = () =>
    new DomainError('DOCUMENT_NOT_FOUND', 'Không tìm thấy văn bản kết quả.', 'Result document not found.');
  const doc = await db
    .selectFrom('documents as doc')
    .innerJoin('dossiers as d', 'd.id', 'doc.dossier_id')
    .select(['doc.id', 'doc.title', 'doc.number', 'doc.symbol', 'doc.file', 'd.code'])
    .where('doc.id', '=', documentId)
    .where('d.applicant_citizen_id', '=', principal.id)
    .where('doc.status', '=', 'issued')
    .executeTakeFirst();
  if (!doc?.file) throw notFound();
  const content = doc.file;
  return db.transaction().execute(async (tx) => {
    const copy = async () =>
      tx
        .selectFrom('files')
        .select(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
        .where('owner_citizen_id', '=', principal.id)
        .where('source_document_id', '=', documentId)
        .executeTakeFirst();
    await lockOwner(tx, principal); // no double copy
    const existing = await copy();
    if (existing) return { file: present(existing), created: false };
    await checkQuota(tx, config, principal, content.length);
    const row = await tx
      .insertInto('files')
      .values({
        ...owner(principal),
        name: cleanFileName(resultName(doc), 'pdf'),
        mime: 'application/pdf',
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        content,
        source: 'result',
        source_document_id: documentId,
      })
      .returning(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      actorType: 'citizen',
      actorId: principal.id,
      action: 'file.from_result',
      entityType: 'file',
      entityId: row.id,
      ip: ip ?? null,
      details: { documentId, dossier: doc.code },
    });
    return { file: present(row), created: true };
  });
}
