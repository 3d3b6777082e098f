-- Citizen ratings: one per dossier, after the result is returned (domain.md §12; feeds Decision 766 MDHL).
CREATE TABLE dossier_ratings (
  dossier_id        uuid PRIMARY KEY REFERENCES dossiers(id),
  citizen_id        uuid NOT NULL REFERENCES citizens(id),
  competent_unit_id uuid NOT NULL REFERENCES units(id),
  officer_id        uuid REFERENCES officers(id), -- the one-stop officer who received the dossier (domain.md §12)
  level             text NOT NULL CHECK (level IN ('very_satisfied','satisfied','unsatisfied')),
  criteria          jsonb,                      -- {c1..c9: 0..2} or null
  criteria_score    smallint CHECK (criteria_score BETWEEN 0 AND 18),
  comment           text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_ratings_unit_idx ON dossier_ratings(competent_unit_id, created_at);
CREATE INDEX dossier_ratings_officer_idx ON dossier_ratings(officer_id) WHERE officer_id IS NOT NULL;
