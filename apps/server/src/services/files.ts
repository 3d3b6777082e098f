import { createHash } from 'node:crypto';
import { appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError, type DossierState } from '@tinhso/domain';
import { fileTypeFromBuffer } from 'file-type';
import { sql, type Transaction } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { DossierRow, DossierService } from './dossiers.js';

/** The only kinds of file a dossier component may be: verified from the bytes, never from the name. */
export const ALLOWED_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export type AllowedMime = keyof typeof ALLOWED_TYPES;

export const MAX_FILES_PER_COMPONENT = 20;
export const MAX_FILES_PER_DOSSIER = 100;

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

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

export interface ComponentFiles {
  code: string;
  fileIds: string[];
}

export const fileNotFound = (id?: string) =>
  new DomainError(
    'FILE_NOT_FOUND',
    'Không tìm thấy tệp tin.',
    'File not found.',
    id === undefined ? undefined : { fileId: id },
  );

export const fileTooLarge = (max: number) =>
  new DomainError(
    'FILE_TOO_LARGE',
    `Tệp tin vượt quá dung lượng cho phép (${formatBytes(max)}).`,
    `The file exceeds the size limit (${formatBytes(max)}).`,
    { maxBytes: max },
  );

const invalid = (vi: string, en: string, details?: Record<string, unknown>) =>
  new DomainError('VALIDATION_FAILED', vi, en, details);

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}

/** A safe display name: no path, no control or reserved characters, NFC, the extension of the verified type. */
export function cleanFileName(raw: string | undefined, ext: string): string {
  const last = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const base = last
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|]/g, ' ')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
    // The cut may split an emoji (a surrogate pair): a lone surrogate cannot be stored (jsonb audit details).
    .replace(/[\uD800-\uDBFF]$/, '')
    .trim();
  return `${base || 'tep-tin'}.${ext}`;
}

/** RFC 5987 / 8187 value for `filename*=UTF-8''…`. */
export function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const present = (r: {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: Date;
}): StoredFile => ({
  id: r.id,
  name: r.name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at.toISOString(),
});

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

  private owner(p: Principal) {
    return p.kind === 'citizen'
      ? { owner_citizen_id: p.id, owner_officer_id: null }
      : { owner_citizen_id: null, owner_officer_id: p.id };
  }

  private ownerColumn(p: Principal) {
    return p.kind === 'citizen' ? ('owner_citizen_id' as const) : ('owner_officer_id' as const);
  }

  /**
   * Serialises the store writes of one owner (quota check + insert) by locking the owner's row, then checks the
   * quota for `adding` more bytes.
   */
  private async lockOwner(tx: Transaction<DB>, p: Principal) {
    if (p.kind === 'citizen') {
      await tx.selectFrom('citizens').select('id').where('id', '=', p.id).forUpdate().execute();
    } else {
      await tx.selectFrom('officers').select('id').where('id', '=', p.id).forUpdate().execute();
    }
  }

  private async checkQuota(tx: Transaction<DB>, p: Principal, adding: number) {
    await this.lockOwner(tx, p);
    // A citizen's quota is the whole store; an officer's only the scans not yet attached to a dossier (a
    // reception officer scans all day: attached scans belong to the dossiers).
    const used = await tx
      .selectFrom('files')
      .$if(p.kind === 'officer', (qb) =>
        qb.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('dossier_files as df').select('df.file_id').whereRef('df.file_id', '=', 'files.id'),
            ),
          ),
        ),
      )
      .select((eb) => [eb.fn.countAll<string>().as('n'), sql<string>`coalesce(sum(size), 0)`.as('bytes')])
      .where(this.ownerColumn(p), '=', p.id)
      .executeTakeFirstOrThrow();
    const n = Number(used.n);
    const bytes = Number(used.bytes);
    if (n + 1 > this.config.UPLOAD_QUOTA_FILES || bytes + adding > this.config.UPLOAD_QUOTA_BYTES) {
      throw new DomainError(
        'FILE_QUOTA_EXCEEDED',
        `Kho tệp của bạn đã đầy (tối đa ${this.config.UPLOAD_QUOTA_FILES} tệp, ${formatBytes(this.config.UPLOAD_QUOTA_BYTES)}). Hãy xoá bớt tệp không dùng.`,
        `Your file store is full (at most ${this.config.UPLOAD_QUOTA_FILES} files, ${formatBytes(this.config.UPLOAD_QUOTA_BYTES)}). Delete unused files.`,
        {
          files: n,
          bytes,
          maxFiles: this.config.UPLOAD_QUOTA_FILES,
          maxBytes: this.config.UPLOAD_QUOTA_BYTES,
        },
      );
    }
  }

  /** Stores an upload after checking its real type from the bytes (PDF, JPEG, PNG only), its size and the quota. */
  async upload(
    principal: Principal,
    file: { name: string | undefined; content: Buffer },
    ip?: string,
  ): Promise<StoredFile> {
    const { content } = file;
    if (content.length === 0) {
      throw new DomainError('FILE_EMPTY', 'Tệp tin rỗng.', 'The file is empty.');
    }
    if (content.length > this.config.UPLOAD_FILE_MAX_BYTES)
      throw fileTooLarge(this.config.UPLOAD_FILE_MAX_BYTES);
    const detected = await fileTypeFromBuffer(content);
    const mime = detected?.mime as AllowedMime | undefined;
    if (!mime || !(mime in ALLOWED_TYPES)) {
      throw new DomainError(
        'FILE_TYPE_NOT_ALLOWED',
        'Chỉ chấp nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).',
        'Only PDF, JPEG or PNG files are accepted (checked from the content, not the name).',
        { detected: detected?.mime ?? null },
      );
    }
    const name = cleanFileName(file.name, ALLOWED_TYPES[mime]);
    const sha256 = createHash('sha256').update(content).digest('hex');
    return this.database.db.transaction().execute(async (tx) => {
      await this.checkQuota(tx, principal, content.length);
      const row = await tx
        .insertInto('files')
        .values({ ...this.owner(principal), name, mime, size: content.length, sha256, content })
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
        .where(this.ownerColumn(principal), '=', principal.id)
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
  async store(citizenId: string): Promise<StoreItem[]> {
    const db = this.database.db;
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
  async fromResult(
    documentId: string,
    principal: Principal,
    ip?: string,
  ): Promise<{ file: StoredFile; created: boolean }> {
    if (principal.kind !== 'citizen') throw fileNotFound();
    const notFound = () =>
      new DomainError('DOCUMENT_NOT_FOUND', 'Không tìm thấy văn bản kết quả.', 'Result document not found.');
    const doc = await this.database.db
      .selectFrom('documents as doc')
      .innerJoin('dossiers as d', 'd.id', 'doc.dossier_id')
      .select(['doc.id', 'doc.title', 'doc.number', 'doc.symbol', 'doc.file', 'd.code'])
      .where('doc.id', '=', documentId)
      .where('d.applicant_citizen_id', '=', principal.id)
      .where('doc.status', '=', 'issued')
      .executeTakeFirst();
    if (!doc?.file) throw notFound();
    const content = doc.file;
    return this.database.db.transaction().execute(async (tx) => {
      const copy = async () =>
        tx
          .selectFrom('files')
          .select(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
          .where('owner_citizen_id', '=', principal.id)
          .where('source_document_id', '=', documentId)
          .executeTakeFirst();
      await this.lockOwner(tx, principal); // no double copy
      const existing = await copy();
      if (existing) return { file: present(existing), created: false };
      await this.checkQuota(tx, principal, content.length);
      const row = await tx
        .insertInto('files')
        .values({
          ...this.owner(principal),
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

  /**
   * Attaches files to components of a dossier inside the dossier's transaction: the files must be the principal's
   * own — or, for the officer registering a dossier at the counter, the applicant's own stored documents (the
   * person is there, identified by ID number and name); each component named must be one of the dossier's (its
   * procedure version's); a component with files becomes provided + digitized, and reused when a file came from the
   * store (an earlier dossier, a result, the applicant's store).
   */
  async attach(
    tx: Transaction<DB>,
    dossier: DossierRow,
    components: ComponentFiles[],
    principal: Principal,
    phase: 'submission' | 'supplement',
    ip?: string,
  ): Promise<void> {
    const given = components.filter((c) => c.fileIds.length > 0);
    if (given.length === 0) return;
    const codes = given.map((c) => c.code);
    if (new Set(codes).size !== codes.length) {
      throw invalid('Mỗi thành phần hồ sơ chỉ được nêu một lần.', 'Each component may appear only once.');
    }
    for (const c of given) {
      if (new Set(c.fileIds).size !== c.fileIds.length) {
        throw invalid(
          `Một tệp được nêu hai lần trong thành phần "${c.code}".`,
          `A file appears twice in component "${c.code}".`,
        );
      }
    }
    const known = await tx
      .selectFrom('dossier_components')
      .select('code')
      .where('dossier_id', '=', dossier.id)
      .execute();
    const knownCodes = new Set(known.map((k) => k.code));
    const unknown = codes.find((c) => !knownCodes.has(c));
    if (unknown !== undefined) {
      throw invalid(`Thành phần hồ sơ "${unknown}" không thuộc thủ tục.`, `Unknown component "${unknown}".`, {
        component: unknown,
      });
    }
    const ids = [...new Set(given.flatMap((c) => c.fileIds))];
    // FOR SHARE: a concurrent DELETE of one of these files waits for this transaction (then sees it in use).
    const applicantStore =
      principal.kind === 'officer' && phase === 'submission' ? dossier.applicantCitizenId : null;
    const files = await tx
      .selectFrom('files')
      .select(['id', 'source', 'owner_citizen_id'])
      .where('id', 'in', ids)
      .where((eb) =>
        applicantStore
          ? eb.or([
              eb(this.ownerColumn(principal), '=', principal.id),
              eb('owner_citizen_id', '=', applicantStore),
            ])
          : eb(this.ownerColumn(principal), '=', principal.id),
      )
      .forShare()
      .execute();
    const mine = new Map(files.map((f) => [f.id, f]));
    const missing = ids.find((id) => !mine.has(id));
    if (missing !== undefined) throw fileNotFound(missing);

    const existing = await tx
      .selectFrom('dossier_files')
      .select(['component_code', 'file_id'])
      .where('dossier_id', '=', dossier.id)
      .execute();
    const perComponent = new Map<string, Set<string>>();
    for (const e of existing) {
      const s = perComponent.get(e.component_code) ?? new Set<string>();
      s.add(e.file_id);
      perComponent.set(e.component_code, s);
    }
    let total = existing.length;
    for (const c of given) {
      const s = perComponent.get(c.code) ?? new Set<string>();
      const added = c.fileIds.filter((id) => !s.has(id)).length;
      total += added;
      if (s.size + added > MAX_FILES_PER_COMPONENT) {
        throw invalid(
          `Thành phần "${c.code}" có quá ${MAX_FILES_PER_COMPONENT} tệp.`,
          `Component "${c.code}" has more than ${MAX_FILES_PER_COMPONENT} files.`,
        );
      }
    }
    if (total > MAX_FILES_PER_DOSSIER) {
      throw invalid(
        `Hồ sơ có quá ${MAX_FILES_PER_DOSSIER} tệp.`,
        `A dossier has at most ${MAX_FILES_PER_DOSSIER} files.`,
      );
    }
    // Reused: a result copied into the store, or a file already given with another dossier.
    const elsewhere = await tx
      .selectFrom('dossier_files')
      .select('file_id')
      .distinct()
      .where('file_id', 'in', ids)
      .where('dossier_id', '!=', dossier.id)
      .execute();
    const reusedIds = new Set([
      ...elsewhere.map((e) => e.file_id),
      ...files.filter((f) => f.source === 'result').map((f) => f.id),
      ...files
        .filter((f) => applicantStore !== null && f.owner_citizen_id === applicantStore)
        .map((f) => f.id),
    ]);
    await tx
      .insertInto('dossier_files')
      .values(
        given.flatMap((c) =>
          c.fileIds.map((fileId) => ({
            dossier_id: dossier.id,
            component_code: c.code,
            file_id: fileId,
            phase,
            reused: reusedIds.has(fileId),
          })),
        ),
      )
      .onConflict((oc) => oc.columns(['dossier_id', 'component_code', 'file_id']).doNothing())
      .execute();
    for (const c of given) {
      const reused = c.fileIds.some((id) => reusedIds.has(id));
      await tx
        .updateTable('dossier_components')
        .set((eb) => ({
          provided: true,
          digitized: true,
          reused: reused ? true : eb.ref('reused'),
        }))
        .where('dossier_id', '=', dossier.id)
        .where('code', '=', c.code)
        .execute();
    }
    await appendAudit(tx, {
      actorType: principal.kind,
      actorId: principal.id,
      action: phase === 'submission' ? 'dossier.attach_files' : 'dossier.supplement_files',
      entityType: 'dossier',
      entityId: dossier.code,
      ip: ip ?? null,
      details: {
        components: given.map((c) => ({ code: c.code, fileIds: c.fileIds })),
        reused: [...reusedIds],
      },
    });
  }

  /** The components of a dossier with the files given for each (metadata only). */
  async components(dossier: DossierRow) {
    const db = this.database.db;
    const [components, files] = await Promise.all([
      db
        .selectFrom('dossier_components')
        .select(['code', 'name', 'required', 'provided', 'digitized', 'reused'])
        .where('dossier_id', '=', dossier.id)
        .orderBy('code')
        .execute(),
      db
        .selectFrom('dossier_files as df')
        .innerJoin('files as f', 'f.id', 'df.file_id')
        .select(['df.component_code', 'df.phase', 'df.created_at', 'f.id', 'f.name', 'f.mime', 'f.size'])
        .where('df.dossier_id', '=', dossier.id)
        .orderBy('df.created_at')
        .orderBy('f.name')
        .execute(),
    ]);
    return components.map((c) => ({
      ...c,
      files: files
        .filter((f) => f.component_code === c.code)
        .map((f) => ({
          id: f.id,
          name: f.name,
          mime: f.mime,
          size: f.size,
          phase: f.phase,
          createdAt: f.created_at.toISOString(),
        })),
    }));
  }
}

function resultName(r: { title: string; number: number | null; symbol: string | null }): string {
  const no = r.number !== null ? ` số ${r.number}${r.symbol ? `-${r.symbol}` : ''}` : '';
  return `${r.title}${no}`.replace(/\//g, '-');
}
