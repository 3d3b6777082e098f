-- Shorter row locks for every write (issue 7, ADR 0007).
--
-- 1. The queue counts (migration 0010) move at COMMIT. Their trigger ran at each dossier INSERT/UPDATE, the first
--    statements of a write: the count row of (unit, status, step role…) stayed locked until COMMIT, and every
--    submission to one commune (all land in the same count row) waited for the previous one's whole transaction.
--    As a deferred constraint trigger it runs at COMMIT with the same OLD/NEW rows, and the lock lasts only to the
--    end of COMMIT. (TRUNCATE keeps its statement trigger.)
DROP TRIGGER dossiers_queue_counts ON dossiers;
CREATE CONSTRAINT TRIGGER dossiers_queue_counts AFTER INSERT OR UPDATE OR DELETE ON dossiers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_queue_counts_trigger();

-- 2. The indicator facts of a dossier are refreshed once per COMMIT, not once per written row.
--
-- The deferred constraint triggers of 0012 fire for every row written: a submission inserts the dossier and its
-- ~12 components, and each row refreshed the same dossier's facts at COMMIT (13 refreshes of ~0.3 ms, all but the
-- first finding nothing to change). Deferred events fire after every statement of the transaction has run, so
-- once a dossier's facts were refreshed by this firing, a later event for the same dossier in the same firing has
-- nothing new to see. The trigger remembers the last dossier it refreshed, with the transaction and the statement
-- that fired it (its COMMIT), in a transaction-local setting, and skips repeats. Events arrive grouped by dossier
-- (a dossier's rows are written together), so this removes nearly every repeat without a table or a list.
-- This relies on the facts triggers firing once per transaction, at COMMIT: they are all deferred and nothing runs
-- SET CONSTRAINTS on them (two firings inside one function call would share a statement timestamp).
CREATE OR REPLACE FUNCTION dossier_facts_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  mark text;
BEGIN
  IF TG_TABLE_NAME = 'dossiers' THEN
    target := NEW.id;
  ELSE
    target := NEW.dossier_id;
  END IF;
  IF target IS NULL THEN
    RETURN NULL;
  END IF;
  mark := txid_current()::text || '/' || statement_timestamp()::text || '/' || target::text;
  IF current_setting('tinhso.facts_last_refresh', true) IS NOT DISTINCT FROM mark THEN
    RETURN NULL;
  END IF;
  PERFORM dossier_facts_refresh(target);
  PERFORM set_config('tinhso.facts_last_refresh', mark, true);
  RETURN NULL;
END $$;
