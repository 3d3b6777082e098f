import type { DB } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import { sql, type Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import { formatBytes } from './errors.js';

export type QuotaConfig = Pick<Config, 'UPLOAD_QUOTA_FILES' | 'UPLOAD_QUOTA_BYTES'>;

/** The owner columns of a file the principal stores. */
export function owner(p: Principal) {
  return p.kind === 'citizen'
    ? { owner_citizen_id: p.id, owner_officer_id: null }
    : { owner_citizen_id: null, owner_officer_id: p.id };
}

export function ownerColumn(p: Principal) {
  return p.kind === 'citizen' ? ('owner_citizen_id' as const) : ('owner_officer_id' as const);
}

/**
 * Serialises the store writes of one owner (quota check + insert) by locking the owner's row, then checks the
 * quota for `adding` more bytes.
 */
export async function lockOwner(tx: Transaction<DB>, p: Principal) {
  if (p.kind === 'citizen') {
    await tx.selectFrom('citizens').select('id').where('id', '=', p.id).forUpdate().execute();
  } else {
    await tx.selectFrom('officers').select('id').where('id', '=', p.id).forUpdate().execute();
  }
}

export async function checkQuota(tx: Transaction<DB>, config: QuotaConfig, p: Principal, adding: number) {
  await lockOwner(tx, p);
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
    .where(ownerColumn(p), '=', p.id)
    .executeTakeFirstOrThrow();
  const n = Number(used.n);
  const bytes = Number(used.bytes);
  if (n + 1 > config.UPLOAD_QUOTA_FILES || bytes + adding > config.UPLOAD_QUOTA_BYTES) {
    throw new DomainError(
      'FILE_QUOTA_EXCEEDED',
      `Kho tệp của bạn đã đầy (tối đa ${config.UPLOAD_QUOTA_FILES} tệp, ${formatBytes(config.UPLOAD_QUOTA_BYTES)}). Hãy xoá bớt tệp không dùng.`,
      `Your file store is full (at most ${config.UPLOAD_QUOTA_FILES} files, ${formatBytes(config.UPLOAD_QUOTA_BYTES)}). Delete unused files.`,
      {
        files: n,
        bytes,
        maxFiles: config.UPLOAD_QUOTA_FILES,
        maxBytes: config.UPLOAD_QUOTA_BYTES,
      },
    );
  }
}
