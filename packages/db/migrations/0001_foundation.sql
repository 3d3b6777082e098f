-- Tỉnh Số — foundation schema: organisation, people, catalogue, calendar, dossiers, audit.
-- PostgreSQL SQL only; the same file runs on PGlite (embedded) and on a PostgreSQL server.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Vietnamese folding for search: lower case, no diacritics, đ → d. IMMUTABLE so it can be indexed.
CREATE OR REPLACE FUNCTION ts_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, translate(input, 'đĐ', 'dD'))) $$;

-- Key/value settings (working hours, paper cut-off…), editable by administrators.
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Organisation tree with validity dates and succession (2025 mergers: districts removed, units merged).
CREATE TABLE units (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code          text NOT NULL UNIQUE,            -- canonical left-to-right agency e-ID, e.g. H41.08
  code_parts    text[] NOT NULL,                 -- {H41,08}
  name          text NOT NULL,
  short_name    text,
  level         text NOT NULL CHECK (level IN ('province','department','division','service_center','service_branch','commune','district_legacy')),
  parent_id     uuid REFERENCES units(id),
  path          text NOT NULL,                   -- materialised path of ids: '/root/…/self/' for subtree queries
  valid_from    date NOT NULL DEFAULT DATE '2025-07-01',
  valid_to      date,                            -- null = still active
  successor_id  uuid REFERENCES units(id),       -- after a merger or dissolution
  working_hours jsonb,                           -- null = provincial default
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX units_parent_idx ON units(parent_id);
CREATE INDEX units_path_idx ON units(path text_pattern_ops);

CREATE TABLE officers (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE,
  full_name     text NOT NULL,
  email         text,
  title         text,                            -- chức danh
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- A role is granted on one unit and covers its subtree.
CREATE TABLE officer_roles (
  officer_id uuid NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
  unit_id    uuid NOT NULL REFERENCES units(id),
  role       text NOT NULL CHECK (role IN ('reception','specialist','head','signer','clerk','admin','leader')),
  PRIMARY KEY (officer_id, unit_id, role)
);
CREATE INDEX officer_roles_unit_idx ON officer_roles(unit_id, role);

-- Citizens and businesses, known through the identity provider (VNeID / national SSO, or the demo provider).
CREATE TABLE citizens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  oidc_subject  text UNIQUE,
  personal_id   text NOT NULL UNIQUE CHECK (personal_id ~ '^[0-9]{12}$'),
  full_name     text NOT NULL,
  date_of_birth date,
  address       text,
  phone         text,
  email         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Login sessions (officers and citizens). The id is the SHA-256 of the cookie token; the token is never stored.
CREATE TABLE sessions (
  id           text PRIMARY KEY,
  subject_type text NOT NULL CHECK (subject_type IN ('officer','citizen')),
  subject_id   uuid NOT NULL,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_subject_idx ON sessions(subject_type, subject_id);

-- API tokens for integrations: act as an officer (with that officer's roles). Only the hash is stored.
CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  officer_id   uuid NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- Procedure catalogue: one row per procedure code, one immutable row per version.
CREATE TABLE procedures (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code            text NOT NULL UNIQUE,
  current_version integer NOT NULL,
  name            text NOT NULL,
  field           text NOT NULL,
  level           text NOT NULL CHECK (level IN ('province','commune')),
  online_level    text NOT NULL CHECK (online_level IN ('TOAN_TRINH','MOT_PHAN','KHONG')),
  search_text     text NOT NULL,                 -- ts_fold(code || name || field), kept by the application
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedures_search_trgm_idx ON procedures USING gin (search_text gin_trgm_ops);
CREATE INDEX procedures_field_idx ON procedures(field);

CREATE TABLE procedure_versions (
  procedure_id   uuid NOT NULL REFERENCES procedures(id),
  version        integer NOT NULL,
  definition     jsonb NOT NULL,
  effective_from date NOT NULL,
  effective_to   date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     uuid,
  PRIMARY KEY (procedure_id, version)
);

-- Province working calendar: official days off and make-up working days, per year, editable.
CREATE TABLE calendar_years (
  year       integer PRIMARY KEY,
  source     text NOT NULL,                      -- e.g. 'Thông báo 9441/TB-BNV' or 'Bộ luật Lao động (mặc định)'
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE calendar_days (
  date date PRIMARY KEY,
  year integer NOT NULL REFERENCES calendar_years(year) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('holiday','compensatory','swapped','makeup_workday')),
  name text NOT NULL
);
CREATE INDEX calendar_days_year_idx ON calendar_days(year);

-- Daily dossier sequence per receiving agency (dossier code = {agency}-{YYMMDD}-{seq}).
CREATE TABLE dossier_counters (
  agency   text NOT NULL,
  day      date NOT NULL,
  last_seq integer NOT NULL,
  PRIMARY KEY (agency, day)
);

-- Dossiers: a snapshot derived from the action log (dossier_actions), updated in the same transaction.
CREATE TABLE dossiers (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code               text NOT NULL UNIQUE,
  procedure_id       uuid NOT NULL REFERENCES procedures(id),
  procedure_version  integer NOT NULL,
  channel            text NOT NULL CHECK (channel IN ('counter','online','post')),
  applicant_kind     smallint NOT NULL DEFAULT 1 CHECK (applicant_kind BETWEEN 1 AND 4),
  applicant_name     text NOT NULL,
  applicant_id       text,                        -- personal ID number (or tax code for businesses)
  applicant_citizen_id uuid REFERENCES citizens(id),
  applicant_contact  jsonb NOT NULL DEFAULT '{}',
  receiving_unit_id  uuid NOT NULL REFERENCES units(id),
  competent_unit_id  uuid NOT NULL REFERENCES units(id),
  current_unit_id    uuid NOT NULL REFERENCES units(id),
  current_assignee_id uuid REFERENCES officers(id),
  status             smallint NOT NULL CHECK (status BETWEEN 1 AND 10),
  submitted_at       timestamptz NOT NULL,
  received_at        timestamptz,
  due_at             timestamptz,
  step_due_at        timestamptz,
  finished_at        timestamptz,
  returned_at        timestamptz,
  state              jsonb NOT NULL,             -- the full derived state (see packages/domain/src/dossier)
  form_data          jsonb NOT NULL DEFAULT '{}',
  return_method      text CHECK (return_method IN ('counter','post','online')),
  idempotency_key    text UNIQUE,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_queue_idx ON dossiers(current_unit_id, status, due_at);
CREATE INDEX dossiers_receiving_idx ON dossiers(receiving_unit_id, status, submitted_at DESC);
CREATE INDEX dossiers_competent_idx ON dossiers(competent_unit_id, status);
CREATE INDEX dossiers_citizen_idx ON dossiers(applicant_citizen_id) WHERE applicant_citizen_id IS NOT NULL;
CREATE INDEX dossiers_applicant_id_idx ON dossiers(applicant_id);
CREATE INDEX dossiers_submitted_idx ON dossiers(submitted_at);

-- Append-only action log: who did what, where, when; with the step and its due date (Mẫu 05 data).
CREATE TABLE dossier_actions (
  id          bigserial PRIMARY KEY,
  dossier_id  uuid NOT NULL REFERENCES dossiers(id),
  seq         integer NOT NULL,
  type        text NOT NULL,
  at          timestamptz NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('officer','citizen','system')),
  actor_id    uuid,
  actor_name  text NOT NULL,
  unit_id     uuid REFERENCES units(id),
  status_after smallint NOT NULL,
  step        integer,
  step_due_at timestamptz,
  reason      text,
  payload     jsonb NOT NULL DEFAULT '{}',
  UNIQUE (dossier_id, seq)
);

-- Dossier components as received (provided, digitised, reused from the citizen's store).
CREATE TABLE dossier_components (
  dossier_id   uuid NOT NULL REFERENCES dossiers(id),
  code         text NOT NULL,
  name         text NOT NULL,
  required     boolean NOT NULL,
  provided     boolean NOT NULL DEFAULT false,
  digitized    boolean NOT NULL DEFAULT false,
  reused       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dossier_id, code)
);

-- Audit log of every write. prev_hash/hash form a chain (see packages/db/src/audit.ts).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_type  text NOT NULL,
  actor_id    text,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text,
  ip          text,
  details     jsonb NOT NULL DEFAULT '{}',
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log(entity_type, entity_id);
