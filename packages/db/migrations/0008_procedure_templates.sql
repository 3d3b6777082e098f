-- Downloadable form templates (mẫu đơn, tờ khai) of a procedure's dossier components. A template belongs to the
-- procedure code's component across versions: a province replaces a template file without publishing a new
-- procedure version. The content lives in the database (bytea) so every app node serves it; its type is verified
-- from the bytes at upload (PDF, DOCX, DOC, ODT, XLSX).
CREATE TABLE procedure_templates (
  procedure_id   uuid NOT NULL REFERENCES procedures(id),
  component_code text NOT NULL,
  name           text NOT NULL,
  mime           text NOT NULL CHECK (mime IN (
                   'application/pdf',
                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                   'application/msword',
                   'application/vnd.oasis.opendocument.text',
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
  size           integer NOT NULL CHECK (size > 0),
  sha256         text NOT NULL,
  content        bytea NOT NULL,
  uploaded_by    uuid REFERENCES officers(id),
  uploaded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procedure_id, component_code)
);
