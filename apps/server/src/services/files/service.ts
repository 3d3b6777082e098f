import { appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError, type DossierState } from '@tinhso/domain';
import type { Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import type { DossierRow, DossierService } from '../dossiers/index.js';
import { attachFiles, type ComponentFiles, dossierComponents } from './attach.js';
import { fileNotFound } from './errors.js';
import { checkQuota, owner, ownerColumn } from './quota.js';
import { copyResult, listStore, type StoreItem } from './store.js';
import { present, type StoredFile } from './stored-file.js';
import { checkUpload } from './upload-check.js';

/**
 * Files of the portal: uploads checked from their bytes, the citizen's store (own uploads, issued results),
 * attaching files to a dossier's components at submission or as a supplement (in the dossier's transaction).
 */
export class FileService {
  constructor(
    private readonly database: Database,
    private readonly config: Pick<
      Config,
      'UPLOAD_FILE_MAX_BYTES' | 'UPLOAD_QUOTA_FILES' | 'UPLOAD_QUOTA_BYTES'
    >,
    private readonly dossiers: DossierService,
  ) {}

  /** Stores an upload after checking its real type from the bytes (PDF, JPEG, PNG only), its size and the quota. */
  async upload(
    principal: Principal,
    file: { name: string | undefined; content: Buffer },
    ip?: string,
  ): Promise<StoredFile> {
    const { content } = file;
    const { name, mime, sha256 } = await checkUpload(file, this.config.UPLOAD_FILE_MAX_BYTES);
    return this.database.db.transaction().execute(async (tx) => {
      await checkQuota(tx, this.config, principal, content.length);
      const row = await tx
        .insertInto('files')
        .values({ ...owner(principal), name, mime, size: content.length, sha256, content })
        .returning(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, {
        actorType: principal.kind,
        actorId: principal.id,
        action: 'file.upload',
        entityType: 'file',
        entityId: row.id,
        ip: ip ?? null,
        details: { name, mime, size: content.length, sha256 },
      });
      return present(row);
    });
  }

  /**
   * The file with its bytes, for its owner or anyone who may see a dossier it is attached to. Unknown and
   * forbidden are the same FILE_NOT_FOUND.
   */
  async read(id: string, principal: Principal | null) {
    if (!principal) throw fileNotFound();
    const f = await this.database.db
      .selectFrom('files')
      .select(['id', 'owner_citizen_id', 'owner_officer_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!f) throw fileNotFound();
    const own =
      principal.kind === 'citizen'
        ? f.owner_citizen_id === principal.id
        : f.owner_officer_id === principal.id;
    if (!own) {
      const attached = await this.database.db
        .selectFrom('dossier_files as df')
        .innerJoin('dossiers as d', 'd.id', 'df.dossier_id')
        .select(['d.id', 'd.code', 'd.version', 'd.state', 'd.applicant_citizen_id'])
        .distinct()
        .where('df.file_id', '=', id)
        .execute();
      const visible = attached.some((d) =>
        this.dossiers.canSee(
          {
            id: d.id,
            code: d.code,
            version: d.version,
            state: d.state as DossierState,
            applicantCitizenId: d.applicant_citizen_id,
          },
          principal,
        ),
      );
      if (!visible) throw fileNotFound();
    }
    // The bytes are read only once access is granted.
    const file = await this.database.db
      .selectFrom('files')
      .select(['id', 'name', 'mime', 'size', 'sha256', 'content', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!file) throw fileNotFound(); // deleted meanwhile
    return file;
  }

  /** Deletes one's own file while no dossier uses it (else FILE_IN_USE). */
  async remove(id: string, principal: Principal, ip?: string): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      const f = await tx
        .selectFrom('files')
        .select(['id', 'name', 'sha256'])
        .where('id', '=', id)
        .where(ownerColumn(principal), '=', principal.id)
        .forUpdate()
        .executeTakeFirst();
      if (!f) throw fileNotFound();
      const used = await tx
        .selectFrom('dossier_files')
        .select('dossier_id')
        .where('file_id', '=', id)
        .executeTakeFirst();
      if (used) {
        throw new DomainError(
          'FILE_IN_USE',
          'Tệp đã được nộp kèm hồ sơ nên không thể xoá.',
          'The file is attached to a dossier and cannot be deleted.',
        );
      }
      await tx.deleteFrom('files').where('id', '=', id).execute();
      await appendAudit(tx, {
        actorType: principal.kind,
        actorId: principal.id,
        action: 'file.delete',
        entityType: 'file',
        entityId: id,
        ip: ip ?? null,
        details: { name: f.name, sha256: f.sha256 },
      });
    });
  }

  /** The citizen's store: own uploads (with the last dossier each was used in) and issued results of own dossiers. */
  store(citizenId: string): Promise<StoreItem[]> {
    return listStore(this.database.db, citizenId);
  }

  /**
   * Makes an issued result of one's own dossier a reusable file (copied once; a second call returns the copy).
   */
  fromResult(
    documentId: string,
    principal: Principal,
    ip?: string,
  ): Promise<{ file: StoredFile; created: boolean }> {
    return copyResult(this.database.db, this.config, documentId, principal, ip);
  }

  /** Attaches files to components of a dossier inside the dossier's transaction (see attachFiles). */
  attach(
    tx: Transaction<DB>,
    dossier: DossierRow,
    components: ComponentFiles[],
    principal: Principal,
    phase: 'submission' | 'supplement',
    ip?: string,
  ): Promise<void> {
    return attachFiles(tx, dossier, components, principal, phase, ip);
  }

  /** The components of a dossier with the files given for each (metadata only). */
  components(dossier: DossierRow) {
    return dossierComponents(this.database.db, dossier);
  }
}
