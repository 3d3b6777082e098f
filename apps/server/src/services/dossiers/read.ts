import type { Database } from '@tinhso/db';
import type { DossierState } from '@tinhso/domain';
import { dossierNotFound } from '../dossier-store.js';
import type { DossierRow } from './types.js';

/** The dossier opened with this idempotency key, with who opened it (the actor of its first action), or null. */
export async function findByIdempotencyKey(db: Database['db'], key: string) {
  const row = await db
    .selectFrom('dossiers as d')
    .innerJoin('dossier_actions as a', (j) => j.onRef('a.dossier_id', '=', 'd.id').on('a.seq', '=', 1))
    .select(['d.id', 'd.code', 'd.version', 'd.state', 'd.applicant_citizen_id', 'a.actor_id'])
    .where('d.idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    state: row.state as DossierState,
    applicantCitizenId: row.applicant_citizen_id,
    createdBy: row.actor_id,
  };
}

/** The dossier with this code, whoever asks, or DOSSIER_NOT_FOUND. */
export async function readDossier(db: Database['db'], code: string): Promise<DossierRow> {
  const row = await db
    .selectFrom('dossiers')
    .select(['id', 'code', 'version', 'state', 'applicant_citizen_id'])
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
  if (!row) throw dossierNotFound(code);
  const d: DossierRow = {
    id: row.id,
    code: row.code,
    version: row.version,
    state: row.state as DossierState,
    applicantCitizenId: row.applicant_citizen_id,
  };
  return d;
}
