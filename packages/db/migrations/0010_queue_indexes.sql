-- Work queues and the leaders' view (issue 4).
--
-- Two values of the state, kept as stored generated columns so that they can never drift from it (filled for
-- existing rows when the column is added, kept by every INSERT/UPDATE/COPY, including the bulk loaders that list
-- their columns): the role of the current workflow step (who works on it now: the "to process" queue) and the
-- timing of a finished dossier against its legal due date (early / on_time / late: the leaders' on-time rate).
ALTER TABLE dossiers
  ADD COLUMN current_step_role text
    GENERATED ALWAYS AS (state -> 'workflow' -> ((state ->> 'step')::int) ->> 'role') STORED,
  ADD COLUMN finish_timing text
    GENERATED ALWAYS AS (state ->> 'timing') STORED;

-- Queue counts without visiting every dossier an officer may see (a commune holds ~150,000 of 1,000,000): the number
-- of dossiers per (current, receiving, competent unit, status, step role, day returned), kept by a trigger in the
-- transaction of every write. The counts that do not depend on the clock (to receive, to process, waiting for the
-- citizen, to return, returned in the last 30 days, all) are sums over a few hundred rows of this table; due soon and
-- overdue are counted on `dossiers` through the partial indexes below (running dossiers only).
-- `returned_on` is the Vietnam date of `returned_at` for status 10 and 1970-01-01 otherwise; `step_role` is '' when
-- no step is current (key columns cannot be null).
LOCK TABLE dossiers IN SHARE ROW EXCLUSIVE MODE; -- no write between the backfill and the trigger

CREATE TABLE dossier_queue_counts (
  current_unit_id   uuid NOT NULL,
  receiving_unit_id uuid NOT NULL,
  competent_unit_id uuid NOT NULL,
  status            smallint NOT NULL,
  step_role         text NOT NULL,
  returned_on       date NOT NULL,
  n                 bigint NOT NULL,
  PRIMARY KEY (current_unit_id, receiving_unit_id, competent_unit_id, status, step_role, returned_on)
);

CREATE FUNCTION dossier_returned_on(status smallint, returned_at timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN status = 10 AND returned_at IS NOT NULL
                    THEN ((returned_at AT TIME ZONE 'UTC') + interval '7 hours')::date
                    ELSE date '1970-01-01' END $$;

CREATE FUNCTION dossier_queue_counts_add(cu uuid, ru uuid, co uuid, st smallint, role text, ret date, delta integer)
  RETURNS void LANGUAGE sql
  AS $$ INSERT INTO dossier_queue_counts AS c
          (current_unit_id, receiving_unit_id, competent_unit_id, status, step_role, returned_on, n)
        VALUES (cu, ru, co, st, role, ret, delta)
        ON CONFLICT (current_unit_id, receiving_unit_id, competent_unit_id, status, step_role, returned_on)
        DO UPDATE SET n = c.n + EXCLUDED.n $$;

-- Two writers moving dossiers in opposite directions (4 → 5 and 5 → 4) must not lock the same two count rows in
-- opposite orders: the row with the smaller key is always changed first.
CREATE FUNCTION dossier_queue_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o_key text;
  n_key text;
  o_role text;
  n_role text;
  o_ret date;
  n_ret date;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    o_role := coalesce(OLD.current_step_role, '');
    o_ret := dossier_returned_on(OLD.status, OLD.returned_at);
    o_key := concat_ws('|', OLD.current_unit_id, OLD.receiving_unit_id, OLD.competent_unit_id, OLD.status, o_role, o_ret);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    n_role := coalesce(NEW.current_step_role, '');
    n_ret := dossier_returned_on(NEW.status, NEW.returned_at);
    n_key := concat_ws('|', NEW.current_unit_id, NEW.receiving_unit_id, NEW.competent_unit_id, NEW.status, n_role, n_ret);
  END IF;
  IF o_key IS NOT DISTINCT FROM n_key THEN
    RETURN NULL;
  END IF;
  IF n_key IS NULL OR (o_key IS NOT NULL AND o_key < n_key) THEN
    PERFORM dossier_queue_counts_add(OLD.current_unit_id, OLD.receiving_unit_id, OLD.competent_unit_id, OLD.status, o_role, o_ret, -1);
    o_key := NULL;
  END IF;
  IF n_key IS NOT NULL THEN
    PERFORM dossier_queue_counts_add(NEW.current_unit_id, NEW.receiving_unit_id, NEW.competent_unit_id, NEW.status, n_role, n_ret, 1);
  END IF;
  IF o_key IS NOT NULL THEN
    PERFORM dossier_queue_counts_add(OLD.current_unit_id, OLD.receiving_unit_id, OLD.competent_unit_id, OLD.status, o_role, o_ret, -1);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION dossier_queue_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dossier_queue_counts;
  RETURN NULL;
END $$;

INSERT INTO dossier_queue_counts
  SELECT current_unit_id, receiving_unit_id, competent_unit_id, status, coalesce(current_step_role, ''),
         dossier_returned_on(status, returned_at), count(*)
  FROM dossiers
  GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER dossiers_queue_counts AFTER INSERT OR UPDATE OR DELETE ON dossiers
  FOR EACH ROW EXECUTE FUNCTION dossier_queue_counts_trigger();
CREATE TRIGGER dossiers_queue_counts_truncate AFTER TRUNCATE ON dossiers
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_queue_counts_truncate();

-- Running dossiers (received, processing) by unit and due date: "to process" pages in due-date order for a step
-- role or for a head, and "due soon" / "overdue" through any of the three unit columns.
CREATE INDEX dossiers_running_role_idx ON dossiers (current_unit_id, current_step_role, due_at) WHERE status IN (2, 4);
CREATE INDEX dossiers_running_current_idx ON dossiers (current_unit_id, due_at) WHERE status IN (2, 4);
CREATE INDEX dossiers_running_receiving_idx ON dossiers (receiving_unit_id, due_at) WHERE status IN (2, 4);
CREATE INDEX dossiers_running_competent_idx ON dossiers (competent_unit_id, due_at) WHERE status IN (2, 4);
-- "Returned" pages, most recent first, filtered by unit without visiting the table.
CREATE INDEX dossiers_returned_idx ON dossiers (returned_at DESC)
  INCLUDE (current_unit_id, receiving_unit_id, competent_unit_id) WHERE status = 10;
-- The leaders' view: dossiers decided in a period (with their timing), open work per assignee.
CREATE INDEX dossiers_finished_idx ON dossiers (competent_unit_id, finished_at) INCLUDE (finish_timing)
  WHERE finished_at IS NOT NULL;
CREATE INDEX dossiers_assignee_idx ON dossiers (current_unit_id, current_assignee_id) INCLUDE (status, due_at)
  WHERE current_assignee_id IS NOT NULL AND status IN (1, 2, 4, 5, 6);
-- Search by applicant name without diacritics (`q`): trigram index on the folded name, so that
-- `ts_fold(applicant_name) LIKE '%…%'` reads candidates from the index instead of folding every visible name.
CREATE INDEX dossiers_applicant_name_trgm_idx ON dossiers USING gin (ts_fold(applicant_name) gin_trgm_ops);
