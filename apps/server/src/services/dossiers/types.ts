import type { DB } from '@tinhso/db';
import type { DossierEvent, DossierState } from '@tinhso/domain';
import type { Transaction } from 'kysely';

export interface DossierRow {
  id: string;
  code: string;
  version: number;
  state: DossierState;
  applicantCitizenId: string | null;
}

/** The system acting on its own (a confirmed payment, a timer): no officer, no citizen. */
export interface SystemPrincipal {
  kind: 'system';
  id: null;
  name: string;
}

/**
 * What happened to a dossier, given to listeners inside the transaction that wrote it: a listener's writes
 * (an outbox row, a sync record) commit or roll back together with the dossier.
 */
export interface DossierChange {
  tx: Transaction<DB>;
  dossier: DossierRow;
  /** The state before these events (null for a new dossier). */
  before: DossierState | null;
  events: DossierEvent[];
}
export type DossierListener = (change: DossierChange) => Promise<void>;

/** Extra writes a caller needs in the same transaction as the dossier (e.g. linking uploaded files). */
export type WithinTransaction = (tx: Transaction<DB>, dossier: DossierRow) => Promise<void>;
