import { createHash } from 'node:crypto';
import { type AuditEntry, appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import { fileTypeFromBuffer } from 'file-type';
import type { Transaction } from 'kysely';
import { cleanFileName, fileTooLarge } from './files/index.js';

/** Templates are forms to fill in: a few pages of Word or PDF. */
export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;

/** The kinds of template accepted, verified from the bytes, with the extension given to the download. */
export const TEMPLATE_TYPES = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export type TemplateMime = keyof typeof TEMPLATE_TYPES;

export interface TemplateInfo {
  component: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  /** Public download address. */
  url: string;
}

export interface TemplateContent {
  name: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
}

type Actor = Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>;

export const templateUrl = (code: string, component: string) =>
  `/api/procedures/${encodeURIComponent(code)}/templates/${encodeURIComponent(component)}`;

const procedureNotFound = (code: string) =>
  new DomainError(
    'PROCEDURE_NOT_FOUND',
    `Không tìm thấy thủ tục "${code}".`,
    `Procedure "${code}" not found.`,
    { code },
  );

const componentNotFound = (code: string, component: string) =>
  new DomainError(
    'COMPONENT_NOT_FOUND',
    `Thủ tục "${code}" (phiên bản hiện hành) không có thành phần hồ sơ "${component}".`,
    `The current version of procedure "${code}" has no dossier component "${component}".`,
    { code, component },
  );

const templateNotFound = (code: string, component: string) =>
  new DomainError(
    'TEMPLATE_NOT_FOUND',
    `Thành phần hồ sơ "${component}" của thủ tục "${code}" chưa có mẫu đơn, tờ khai để tải về.`,
    `Component "${component}" of procedure "${code}" has no downloadable form template.`,
    { code, component },
  );

const typeNotAllowed = (detected: string | null) =>
  new DomainError(
    'FILE_TYPE_NOT_ALLOWED',
    'Mẫu đơn, tờ khai chỉ nhận tệp PDF, Word (DOCX, DOC), OpenDocument (ODT) hoặc Excel (XLSX), kiểm tra theo nội dung tệp, không theo tên.',
    'Form templates must be PDF, Word (DOCX, DOC), OpenDocument (ODT) or Excel (XLSX) files, checked from the content, not the name.',
    { detected },
  );

/**
 * Whether an OLE compound file (MS-CFB) is a Word 97–2003 document: its directory holds the "WordDocument" stream.
 * Directory entries are 128 bytes, sector-aligned after the 512-byte (or 4,096-byte) header, so every entry starts
 * at a multiple of 128: name in UTF-16LE (64 bytes), its length in bytes with the terminator (uint16), then the
 * object type (2 = stream). Excel (.xls, "Workbook"), installers (.msi) and other compound files are refused.
 */
export function isWordCompoundFile(content: Buffer): boolean {
  const name = Buffer.from('WordDocument\0', 'utf16le');
  for (let off = 512; off + 128 <= content.length; off += 128) {
    if (
      content.readUInt16LE(off + 64) === name.length &&
      content[off + 66] === 2 &&
      content.subarray(off, off + name.length).equals(name)
    ) {
      return true;
    }
  }
  return false;
}

/** The real type of a template from its bytes, or null when it is not one of TEMPLATE_TYPES. */
export async function detectTemplateType(
  content: Buffer,
): Promise<{ mime: TemplateMime; detected: string | null }> {
  const found = await fileTypeFromBuffer(content);
  const detected = found?.mime ?? null;
  if (detected === 'application/x-cfb' && isWordCompoundFile(content)) {
    return { mime: 'application/msword', detected };
  }
  if (detected && detected in TEMPLATE_TYPES && detected !== 'application/msword') {
    return { mime: detected as TemplateMime, detected };
  }
  throw typeNotAllowed(detected);
}

/**
 * Downloadable form templates (mẫu đơn, tờ khai) of a procedure's dossier components. A template belongs to the
 * procedure code and component code, not to one version: the province replaces a form without a new version.
 */
export class ProcedureTemplateService {
  constructor(private readonly database: Database) {}

  /**
   * The procedure's id and the component codes of its current version; with `tx`, the procedure row is locked
   * (FOR UPDATE), so a new version cannot be saved between the check and the write.
   */
  private async procedure(code: string, tx?: Transaction<DB>) {
    const row = await (tx ?? this.database.db)
      .selectFrom('procedures as p')
      .innerJoin('procedure_versions as v', (j) =>
        j.onRef('v.procedure_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'),
      )
      .select(['p.id', 'v.definition'])
      .where('p.code', '=', code)
      .$if(tx !== undefined, (qb) => qb.forUpdate('p'))
      .executeTakeFirst();
    if (!row) throw procedureNotFound(code);
    const components = ((row.definition as { components?: { code: string }[] }).components ?? []).map(
      (c) => c.code,
    );
    return { id: row.id, components };
  }

  /** Throws PROCEDURE_NOT_FOUND / COMPONENT_NOT_FOUND (checked before an upload is read). */
  async requireComponent(code: string, component: string): Promise<void> {
    const p = await this.procedure(code);
    if (!p.components.includes(component)) throw componentNotFound(code, component);
  }

  /** Stores (or replaces) the template of a component of the current version, audited in the same transaction. */
  async put(
    code: string,
    component: string,
    file: { name: string | undefined; content: Buffer },
    actor: Actor,
  ): Promise<TemplateInfo & { replaced: boolean }> {
    const { content } = file;
    if (content.length === 0) throw new DomainError('FILE_EMPTY', 'Tệp tin rỗng.', 'The file is empty.');
    if (content.length > TEMPLATE_MAX_BYTES) throw fileTooLarge(TEMPLATE_MAX_BYTES);
    const { mime, detected } = await detectTemplateType(content);
    const name = cleanFileName(file.name, TEMPLATE_TYPES[mime]);
    const sha256 = createHash('sha256').update(content).digest('hex');
    return this.database.db.transaction().execute(async (tx) => {
      const p = await this.procedure(code, tx);
      if (!p.components.includes(component)) throw componentNotFound(code, component);
      const before = await tx
        .selectFrom('procedure_templates')
        .select(['name', 'sha256', 'size'])
        .where('procedure_id', '=', p.id)
        .where('component_code', '=', component)
        .executeTakeFirst();
      const values = {
        name,
        mime,
        size: content.length,
        sha256,
        content,
        uploaded_by: actor.actorType === 'officer' ? actor.actorId : null,
        uploaded_at: new Date(),
      };
      const row = await tx
        .insertInto('procedure_templates')
        .values({ procedure_id: p.id, component_code: component, ...values })
        .onConflict((oc) => oc.columns(['procedure_id', 'component_code']).doUpdateSet(values))
        .returning(['uploaded_at'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, {
        ...actor,
        action: before ? 'procedure.template.replace' : 'procedure.template.upload',
        entityType: 'procedure',
        entityId: code,
        details: {
          component,
          name,
          mime,
          detected,
          size: content.length,
          sha256,
          ...(before ? { previous: { name: before.name, size: before.size, sha256: before.sha256 } } : {}),
        },
      });
      return {
        component,
        name,
        mime,
        size: content.length,
        sha256,
        uploadedAt: new Date(row.uploaded_at).toISOString(),
        url: templateUrl(code, component),
        replaced: before !== undefined,
      };
    });
  }

  /** Removes a component's template (also one whose component left the current version), audited. */
  async remove(code: string, component: string, actor: Actor): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      const p = await this.procedure(code, tx);
      const gone = await tx
        .deleteFrom('procedure_templates')
        .where('procedure_id', '=', p.id)
        .where('component_code', '=', component)
        .returning(['name', 'mime', 'size', 'sha256'])
        .executeTakeFirst();
      if (!gone) throw templateNotFound(code, component);
      await appendAudit(tx, {
        ...actor,
        action: 'procedure.template.delete',
        entityType: 'procedure',
        entityId: code,
        details: { component, name: gone.name, mime: gone.mime, size: gone.size, sha256: gone.sha256 },
      });
    });
  }

  /** A template's bytes for the public download. */
  async read(code: string, component: string): Promise<TemplateContent> {
    const row = await this.database.db
      .selectFrom('procedures as p')
      .leftJoin('procedure_templates as t', (j) =>
        j.onRef('t.procedure_id', '=', 'p.id').on('t.component_code', '=', component),
      )
      .select(['p.id', 't.name', 't.mime', 't.size', 't.sha256', 't.content'])
      .where('p.code', '=', code)
      .executeTakeFirst();
    if (!row) throw procedureNotFound(code);
    if (!row.content || !row.name || !row.mime || row.size === null || !row.sha256) {
      throw templateNotFound(code, component);
    }
    return { name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, content: row.content };
  }

  /** The templates of the given components of a procedure, in the components' order (no content). */
  async list(procedureId: string, code: string, components: string[]): Promise<TemplateInfo[]> {
    if (components.length === 0) return [];
    const rows = await this.database.db
      .selectFrom('procedure_templates')
      .select(['component_code', 'name', 'mime', 'size', 'sha256', 'uploaded_at'])
      .where('procedure_id', '=', procedureId)
      .where('component_code', 'in', components)
      .execute();
    const byCode = new Map(rows.map((r) => [r.component_code, r]));
    return components.flatMap((c) => {
      const r = byCode.get(c);
      return r
        ? [
            {
              component: c,
              name: r.name,
              mime: r.mime,
              size: r.size,
              sha256: r.sha256,
              uploadedAt: new Date(r.uploaded_at).toISOString(),
              url: templateUrl(code, c),
            },
          ]
        : [];
    });
  }
}
