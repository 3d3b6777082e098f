-- Files of the public service portal: uploads (citizens' dossier components, officers' counter scans), copies of
-- issued results reused as files, the link dossier + component + file, server-side drafts of e-forms, and the
-- result delivery the applicant asked for. File content lives in the database (bytea) so every app node serves it.

CREATE TABLE files (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_citizen_id   uuid REFERENCES citizens(id),
  owner_officer_id   uuid REFERENCES officers(id),
  name               text NOT NULL,
  mime               text NOT NULL CHECK (mime IN ('application/pdf','image/jpeg','image/png')),  -- verified from the bytes
  size               integer NOT NULL CHECK (size > 0),
  sha256             text NOT NULL,
  content            bytea NOT NULL,
  source             text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload','result')),
  source_document_id uuid REFERENCES documents(id),               -- source 'result': the issued document copied
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_citizen_id IS NULL) <> (owner_officer_id IS NULL)),
  CHECK ((source = 'result') = (source_document_id IS NOT NULL))
);
CREATE INDEX files_citizen_idx ON files(owner_citizen_id, created_at DESC) WHERE owner_citizen_id IS NOT NULL;
CREATE INDEX files_officer_idx ON files(owner_officer_id, created_at DESC) WHERE owner_officer_id IS NOT NULL;
-- An issued result is copied into a citizen's store once.
CREATE UNIQUE INDEX files_result_copy_idx ON files(owner_citizen_id, source_document_id)
  WHERE source_document_id IS NOT NULL;

-- Which file was given for which component of which dossier, at submission or as a supplement.
CREATE TABLE dossier_files (
  dossier_id     uuid NOT NULL REFERENCES dossiers(id),
  component_code text NOT NULL,
  file_id        uuid NOT NULL REFERENCES files(id),
  phase          text NOT NULL CHECK (phase IN ('submission','supplement')),
  reused         boolean NOT NULL DEFAULT false,   -- the file came from the store (an earlier dossier, a result)
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dossier_id, component_code, file_id)
);
CREATE INDEX dossier_files_file_idx ON dossier_files(file_id);

-- A citizen's unfinished e-form for one procedure (opaque JSON of the web form), kept across sessions.
CREATE TABLE drafts (
  citizen_id     uuid NOT NULL REFERENCES citizens(id),
  procedure_code text NOT NULL,
  data           jsonb NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (citizen_id, procedure_code)
);

-- How the applicant wants the result: {method: 'online'|'counter'|'post', address?}.
ALTER TABLE dossiers ADD COLUMN delivery jsonb;
