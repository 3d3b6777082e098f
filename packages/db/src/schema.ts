import type { ColumnType, Generated } from 'kysely';

/** Kysely table types, kept by hand in step with ../migrations/*.sql. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as a value, written as a JSON string (always JSON.stringify: pg turns JS arrays into SQL arrays). */
type Json<T = unknown> = ColumnType<T, string, string>;

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: DefaultTimestamp;
}

export interface UnitsTable {
  id: Generated<string>;
  code: string;
  code_parts: string[];
  name: string;
  short_name: string | null;
  level: string;
  parent_id: string | null;
  path: string;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  successor_id: string | null;
  working_hours: Json<{ sessions: [string, string][] }> | null;
  created_at: DefaultTimestamp;
}

export interface OfficersTable {
  id: Generated<string>;
  username: string;
  full_name: string;
  email: string | null;
  title: string | null;
  password_hash: string;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface OfficerRolesTable {
  officer_id: string;
  unit_id: string;
  role: string;
}

export interface CitizensTable {
  id: Generated<string>;
  oidc_subject: string | null;
  personal_id: string;
  full_name: string;
  date_of_birth: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  subject_type: 'officer' | 'citizen';
  subject_id: string;
  csrf_token: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  officer_id: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface ProceduresTable {
  id: Generated<string>;
  code: string;
  current_version: number;
  name: string;
  field: string;
  level: string;
  online_level: string;
  search_text: string;
  active: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface ProcedureVersionsTable {
  procedure_id: string;
  version: number;
  definition: Json;
  /** Channels for which the version charges a fee (generated, 0012). */
  fee_channels: ColumnType<string[], never, never>;
  effective_from: string;
  effective_to: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

export interface CalendarYearsTable {
  year: number;
  source: string;
  updated_at: DefaultTimestamp;
}

export interface CalendarDaysTable {
  date: string;
  year: number;
  kind: string;
  name: string;
}

export interface DossierCountersTable {
  agency: string;
  day: string;
  last_seq: number;
}

export interface DossiersTable {
  id: Generated<string>;
  code: string;
  procedure_id: string;
  procedure_version: number;
  channel: string;
  applicant_kind: Generated<number>;
  applicant_name: string;
  applicant_id: string | null;
  applicant_citizen_id: string | null;
  applicant_contact: Json<Record<string, string>>;
  receiving_unit_id: string;
  competent_unit_id: string;
  current_unit_id: string;
  current_assignee_id: string | null;
  status: number;
  submitted_at: Timestamp;
  received_at: Timestamp | null;
  due_at: Timestamp | null;
  step_due_at: Timestamp | null;
  finished_at: Timestamp | null;
  returned_at: Timestamp | null;
  state: Json;
  form_data: Json<Record<string, unknown>>;
  return_method: string | null;
  idempotency_key: string | null;
  delivery: Json<{ method: 'online' | 'counter' | 'post'; address?: string }> | null;
  /** Generated from `state` (0010): the role of the current workflow step; the timing of a finished dossier. */
  current_step_role: ColumnType<string | null, never, never>;
  finish_timing: ColumnType<string | null, never, never>;
  /** ts_fold(applicant_name), generated (0011). */
  applicant_folded: ColumnType<string, never, never>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DossierActionsTable {
  id: Generated<number>;
  dossier_id: string;
  seq: number;
  type: string;
  at: Timestamp;
  actor_type: 'officer' | 'citizen' | 'system';
  actor_id: string | null;
  actor_name: string;
  unit_id: string | null;
  status_after: number;
  step: number | null;
  step_due_at: Timestamp | null;
  reason: string | null;
  payload: Json<Record<string, unknown>>;
}

export interface DossierComponentsTable {
  dossier_id: string;
  code: string;
  name: string;
  required: boolean;
  provided: boolean;
  digitized: boolean;
  reused: boolean;
}

export interface AuditChainHeadTable {
  one: Generated<boolean>;
  seq: number;
  hash: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultTimestamp;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  /** Place in the hash chain; null until the sealer chains the record (migration 0015). */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface OidcKeysTable {
  name: string;
  material: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
}

export interface SigningKeysTable {
  id: Generated<string>;
  purpose: 'ca' | 'signer' | 'agency';
  officer_id: string | null;
  unit_id: string | null;
  kind: 'software' | 'pkcs11';
  label: string;
  certificate: Buffer;
  private_key: Buffer | null;
  pkcs11: Json<{ library: string; tokenLabel: string; keyLabel: string }> | null;
  demo: Generated<boolean>;
  created_at: DefaultTimestamp;
  revoked_at: Timestamp | null;
}

export interface TrustAnchorsTable {
  id: Generated<string>;
  name: string;
  certificate: Buffer;
  demo: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface DocumentCountersTable {
  unit_id: string;
  year: number;
  series: Generated<'normal' | 'secret'>;
  last_number: number;
}

export interface DocumentsTable {
  id: Generated<string>;
  dossier_id: string | null;
  unit_id: string;
  result_code: string | null;
  kind: string;
  type_abbrev: string;
  title: string;
  content: Json<Record<string, unknown>>;
  status: 'draft' | 'signed' | 'issued' | 'revoked' | 'superseded';
  number: number | null;
  symbol: string | null;
  issued_year: number | null;
  file: Buffer | null;
  sha256: string | null;
  verify_token: string | null;
  signed_by: string | null;
  signed_at: Timestamp | null;
  issued_by: string | null;
  issued_at: Timestamp | null;
  superseded_by: string | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface DossierRatingsTable {
  dossier_id: string;
  citizen_id: string;
  competent_unit_id: string;
  officer_id: string | null;
  level: 'very_satisfied' | 'satisfied' | 'unsatisfied';
  criteria: Json<Record<string, number>> | null;
  criteria_score: number | null;
  comment: string | null;
  created_at: DefaultTimestamp;
}

export interface FilesTable {
  id: Generated<string>;
  owner_citizen_id: string | null;
  owner_officer_id: string | null;
  name: string;
  mime: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  sha256: string;
  content: Buffer;
  source: Generated<'upload' | 'result'>;
  source_document_id: string | null;
  created_at: DefaultTimestamp;
}

/** Form templates (mẫu đơn, tờ khai) of a procedure's components, across versions (0008_procedure_templates.sql). */
export interface ProcedureTemplatesTable {
  procedure_id: string;
  component_code: string;
  name: string;
  mime:
    | 'application/pdf'
    | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    | 'application/msword'
    | 'application/vnd.oasis.opendocument.text'
    | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  uploaded_at: DefaultTimestamp;
}

export interface DossierFilesTable {
  dossier_id: string;
  component_code: string;
  file_id: string;
  phase: 'submission' | 'supplement';
  reused: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface DraftsTable {
  citizen_id: string;
  procedure_code: string;
  data: Json<Record<string, unknown>>;
  updated_at: DefaultTimestamp;
}

/** Durable outbound messages (0006_outbox.sql). */
export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  dedupe_key: string;
  ref: string | null;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: DefaultTimestamp;
  locked_until: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  delivery: Json<Record<string, unknown>> | null;
  created_at: DefaultTimestamp;
  sent_at: Timestamp | null;
}

/** Online payments of a dossier's fees (0005_payments.sql). */
export interface PaymentsTable {
  id: Generated<string>;
  dossier_id: string;
  purpose: string;
  amount_vnd: number;
  items: Json<{ name: string; amountVnd: number; kind: string }[]>;
  provider: 'vnpay' | 'sandbox';
  status: Generated<'pending' | 'paid' | 'failed' | 'cancelled'>;
  txn_ref: string;
  pay_url: string;
  citizen_id: string | null;
  expires_at: Timestamp;
  provider_txn_no: string | null;
  bank_code: string | null;
  response_code: string | null;
  response: Json<Record<string, string>> | null;
  created_at: DefaultTimestamp;
  completed_at: Timestamp | null;
  paid_at: Timestamp | null;
  /** Paid when it could settle nothing (dossier closed, already paid): to refund (0009_payment_refunds.sql). */
  refund_needed: Generated<boolean>;
}

export interface PaymentKeysTable {
  name: string;
  secret: string;
  created_at: DefaultTimestamp;
}

/** Stored versions of the Decision 766 formulas (0012); the built-in set is in the domain package. */
export interface IndicatorFormulasTable {
  id: string;
  version: number;
  valid_from: string;
  definition: Json;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface DB {
  indicator_formulas: IndicatorFormulasTable;
  payments: PaymentsTable;
  payment_keys: PaymentKeysTable;
  outbox: OutboxTable;
  settings: SettingsTable;
  units: UnitsTable;
  officers: OfficersTable;
  officer_roles: OfficerRolesTable;
  citizens: CitizensTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  procedures: ProceduresTable;
  procedure_versions: ProcedureVersionsTable;
  procedure_templates: ProcedureTemplatesTable;
  calendar_years: CalendarYearsTable;
  calendar_days: CalendarDaysTable;
  dossier_counters: DossierCountersTable;
  dossiers: DossiersTable;
  dossier_actions: DossierActionsTable;
  dossier_components: DossierComponentsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  oidc_keys: OidcKeysTable;
  signing_keys: SigningKeysTable;
  trust_anchors: TrustAnchorsTable;
  document_counters: DocumentCountersTable;
  documents: DocumentsTable;
  files: FilesTable;
  dossier_files: DossierFilesTable;
  drafts: DraftsTable;
  dossier_ratings: DossierRatingsTable;
}
