import { appendAudit, type DB } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import type { Kysely, Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { DossierRow } from '../dossiers/index.js';
import { fileNotFound } from './errors.js';
import { ownerColumn } from './quota.js';

export const MAX_FILES_PER_COMPONENT = 20;
export const MAX_FILES_PER_DOSSIER = 100;

export interface ComponentFiles {
  code: string;
  fileIds: string[];
}

const invalid = (vi: string, en: string, details?: Record<string, unknown>) =>
  new DomainError('VALIDATION_FAILED', vi, en, details);

/**
 * Attaches files to components of a dossier inside the dossier's transaction: the files must be the principal's
 * own — or, for the officer registering a dossier at the counter, the applicant's own stored documents (the
 * person is there, identified by ID number and name); each component named must be one of the dossier's (its
 * procedure version's); a component with files becomes provided + digitized, and reused when a file came from the
 * store (an earlier dossier, a result, the applicant's store).
 */
export async function attachFiles(
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
        ? eb.or([eb(ownerColumn(principal), '=', principal.id), eb('owner_citizen_id', '=', applicantStore)])
        : eb(ownerColumn(principal), '=', principal.id),
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
    ...files.filter((f) => applicantStore !== null && f.owner_citizen_id === applicantStore).map((f) => f.id),
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
export async function dossierComponents(db: Kysely<DB>, dossier: DossierRow) {
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
