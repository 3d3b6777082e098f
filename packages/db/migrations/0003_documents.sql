-- Official documents: forms and signed results, the registry of issued files, numbering, signing keys.

-- Keys for signing. A software key is a PKCS#12 encrypted with a passphrase derived from the master key kept
-- outside the database (TINHSO_KEY_PASSPHRASE or the generated file in TINHSO_DATA_DIR); a PKCS#11 key is only a
-- reference to a token object. Certificates are stored in clear for verification and display.
CREATE TABLE signing_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose     text NOT NULL CHECK (purpose IN ('ca','signer','agency')),
  officer_id  uuid REFERENCES officers(id),
  unit_id     uuid REFERENCES units(id),
  kind        text NOT NULL CHECK (kind IN ('software','pkcs11')),
  label       text NOT NULL,
  certificate bytea NOT NULL,                 -- DER
  private_key bytea,                          -- software keys: PKCS#12 (signer, agency) or encrypted PKCS#8 PEM (CA)
  pkcs11      jsonb,                          -- {library, tokenLabel, keyLabel}; the PIN comes from configuration
  demo        boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX signing_keys_officer_idx ON signing_keys(officer_id) WHERE revoked_at IS NULL;
CREATE INDEX signing_keys_unit_idx ON signing_keys(unit_id, purpose) WHERE revoked_at IS NULL;

-- Certification authorities whose signatures the verifier trusts (the demo CA is marked as such).
CREATE TABLE trust_anchors (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  certificate bytea NOT NULL UNIQUE,
  demo        boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Number and symbol of issued documents: sequential per agency per calendar year (Decree 30/2020 Art. 15),
-- a separate series for secret documents.
CREATE TABLE document_counters (
  unit_id     uuid NOT NULL REFERENCES units(id),
  year        integer NOT NULL,
  series      text NOT NULL DEFAULT 'normal' CHECK (series IN ('normal','secret')),
  last_number integer NOT NULL,
  PRIMARY KEY (unit_id, year, series)
);

-- Result documents of dossiers, from draft to issued; the registry that verification checks against.
CREATE TABLE documents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id      uuid REFERENCES dossiers(id),
  unit_id         uuid NOT NULL REFERENCES units(id),     -- issuing unit
  result_code     text,                                   -- MaGiayToKetQua
  kind            text NOT NULL,                          -- decision, certificate, licence, confirmation, document
  type_abbrev     text NOT NULL,                          -- QĐ, GCN, GP… ('' for công văn)
  title           text NOT NULL,
  content         jsonb NOT NULL,                         -- the data the PDF was rendered from
  status          text NOT NULL CHECK (status IN ('draft','signed','issued','revoked','superseded')),
  number          integer,
  symbol          text,                                   -- e.g. 'QĐ-UBND'
  issued_year     integer,
  file            bytea,                                  -- current PDF (draft, then signed, then issued)
  sha256          text,                                   -- of the issued file
  verify_token    text UNIQUE,                            -- in the QR code: /verify/{token}
  signed_by       uuid REFERENCES officers(id),
  signed_at       timestamptz,
  issued_by       uuid REFERENCES officers(id),
  issued_at       timestamptz,
  superseded_by   uuid REFERENCES documents(id),
  revoked_at      timestamptz,
  revoked_reason  text,
  created_by      uuid REFERENCES officers(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1
);
CREATE INDEX documents_dossier_idx ON documents(dossier_id);
CREATE UNIQUE INDEX documents_sha256_idx ON documents(sha256) WHERE sha256 IS NOT NULL;
CREATE UNIQUE INDEX documents_number_idx ON documents(unit_id, issued_year, number) WHERE number IS NOT NULL;
