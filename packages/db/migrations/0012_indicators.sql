-- Service indicators and the Decision 766 index (issue 6): live, incrementally maintained aggregates.
--
-- A service centre receives but does not decide: its own figures are those of the dossiers it received
-- (receiving_unit_id); every other unit's are those it decides (unit_id, the competent unit).
--
-- Three layers, all kept in the transaction of the write that changes them:
--   1. dossier_facts — one row per RECEIVED dossier: what it contributes to the indicators now (its competent unit,
--      procedure, day received, channel, outcome, legal due date, digitization, electronic result, fee and online
--      payment, rating). Computed by one SQL definition, `dossier_fact_source`, from the dossier and the tables that
--      feed it (components, issued documents, payments, ratings), refreshed at COMMIT by deferred constraint
--      triggers on each of those tables — so every writer (the services, the bulk loaders, a psql session) keeps
--      it right, and a transaction that changes a dossier five times refreshes it against its final state.
--   2. indicator_halves — the sums of dossier_facts per (competent unit, half-month, procedure), kept by a trigger
--      on dossier_facts (old row out, new row in). Half-months (1st–14th, 15th–end) compose exactly into calendar
--      months, quarters and years AND into the reporting periods of Decree 09/2019 (15th → 14th); custom ranges
--      add their partial halves from dossier_facts.
--   3. the clock-dependent split of running dossiers (within deadline / overdue) is NOT stored: it changes without
--      any write. It is counted at query time over the running facts only (partial index below).
-- `rebuild_indicators()` recomputes layers 1 and 2 from scratch (after a bulk load with the triggers disabled,
-- or if a formula of the fact definition changes).

-- Working days between two dates (after `a`, up to and including `b`) on the province's calendar: Monday–Friday,
-- minus official days off, plus make-up working days (calendar_days).
CREATE FUNCTION working_days_between(a date, b date) RETURNS integer
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT count(*)::int
        FROM generate_series(a + 1, b, interval '1 day') AS g(day)
        LEFT JOIN calendar_days c ON c.date = g.day::date
        WHERE CASE WHEN c.kind = 'makeup_workday' THEN true
                   WHEN c.kind IS NOT NULL THEN false
                   ELSE extract(isodow FROM g.day) < 6 END $$;

-- The first day of the half-month a date falls in: the 1st or the 15th.
CREATE FUNCTION half_month_start(d date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT d - (extract(day FROM d)::int - CASE WHEN extract(day FROM d) < 15 THEN 1 ELSE 15 END) $$;

-- The Vietnam calendar date of an instant (UTC+7, no daylight saving).
CREATE FUNCTION vietnam_date(t timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((t AT TIME ZONE 'UTC') + interval '7 hours')::date $$;

-- The channels for which a procedure version charges a fee or charge (phí, lệ phí): a fee line whose amount is
-- positive or not fixed in the catalogue ("theo quy định"). Stored once per version, not parsed per dossier.
CREATE FUNCTION procedure_fee_channels(definition jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT ch ORDER BY ch), '{}')
        FROM jsonb_array_elements(coalesce(definition -> 'fees', '[]'::jsonb)) AS f,
             jsonb_array_elements_text(coalesce(f -> 'channels', '[]'::jsonb)) AS ch
        WHERE coalesce((f ->> 'amountVnd')::numeric, 1) > 0 $$;
ALTER TABLE procedure_versions
  ADD COLUMN fee_channels text[] GENERATED ALWAYS AS (procedure_fee_channels(definition)) STORED;

CREATE TABLE dossier_facts (
  dossier_id        uuid PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
  unit_id           uuid NOT NULL,              -- competent unit: the unit the indicators count it for
  receiving_unit_id uuid NOT NULL,              -- where it was received (a service centre's own figures)
  procedure_id      uuid NOT NULL,
  received_on       date NOT NULL,              -- Vietnam date of reception
  half_start        date NOT NULL,              -- half_month_start(received_on)
  channel           text NOT NULL,
  -- running (received, processing, waiting for a supplement or a payment), early / on_time / late (finished,
  -- against the legal due date), cancelled (withdrawn or stopped)
  outcome           text NOT NULL CHECK (outcome IN ('running','early','on_time','late','cancelled')),
  due_at            timestamptz,                -- legal due date (moved by pauses, never by apologies)
  paused_from       timestamptz,                -- an open pause: the legal clock stands still from here
  finished_on       date,
  work_days         integer,                    -- working days from reception to the decision
  digitized         boolean NOT NULL,           -- a component digitized, or an electronic result
  reused            boolean NOT NULL,           -- a component reused from stored data
  electronic_result boolean NOT NULL,           -- an issued, signed electronic result
  fee_charging      boolean NOT NULL,
  paid_online       boolean NOT NULL,           -- fee-charging and paid through the payment gateway
  synced            boolean NOT NULL,           -- synchronised to the national portal (not built yet: false)
  rating            text CHECK (rating IN ('very_satisfied','satisfied','unsatisfied'))
);
CREATE INDEX dossier_facts_unit_day_idx ON dossier_facts (unit_id, received_on);
CREATE INDEX dossier_facts_receiving_day_idx ON dossier_facts (receiving_unit_id, received_on);
CREATE INDEX dossier_facts_running_idx ON dossier_facts (unit_id, received_on)
  INCLUDE (due_at, paused_from) WHERE outcome = 'running';
CREATE INDEX dossier_facts_finished_idx ON dossier_facts (unit_id, finished_on)
  INCLUDE (procedure_id, work_days, outcome) WHERE finished_on IS NOT NULL;

-- What each received dossier contributes, from the tables that hold it. The single definition used by the
-- incremental refresh (WHERE dossier_id = …) and by the rebuild (all rows).
CREATE VIEW dossier_fact_source AS
  SELECT d.id AS dossier_id,
         d.competent_unit_id AS unit_id,
         d.receiving_unit_id,
         d.procedure_id,
         vietnam_date(d.received_at) AS received_on,
         half_month_start(vietnam_date(d.received_at)) AS half_start,
         d.channel,
         CASE WHEN d.status IN (9, 10) AND d.state ->> 'timing' IN ('early', 'on_time', 'late') THEN d.state ->> 'timing'
              WHEN d.status IN (9, 10) AND d.finished_at > (d.state ->> 'legalDueAt')::timestamptz THEN 'late'
              WHEN d.status IN (9, 10) THEN 'on_time'
              WHEN d.status IN (7, 8) THEN 'cancelled'
              ELSE 'running' END AS outcome,
         (d.state ->> 'legalDueAt')::timestamptz AS due_at,
         CASE WHEN d.status NOT IN (7, 8, 9, 10) AND d.state -> 'pause' ->> 'from' IS NOT NULL
                   AND d.state -> 'pause' ->> 'to' IS NULL
              THEN (d.state -> 'pause' ->> 'from')::timestamptz END AS paused_from,
         CASE WHEN d.status IN (9, 10) THEN vietnam_date(coalesce(d.finished_at, d.updated_at)) END AS finished_on,
         CASE WHEN d.status IN (9, 10)
              THEN working_days_between(vietnam_date(d.received_at), vietnam_date(coalesce(d.finished_at, d.updated_at)))
              END AS work_days,
         (er.issued OR EXISTS (SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id AND c.digitized)) AS digitized,
         EXISTS (SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id AND c.reused) AS reused,
         er.issued AS electronic_result,
         fee.charging AS fee_charging,
         (fee.charging AND EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id AND p.status = 'paid')) AS paid_online,
         false AS synced,
         (SELECT r.level FROM dossier_ratings r WHERE r.dossier_id = d.id) AS rating
  FROM dossiers d
  CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM documents x WHERE x.dossier_id = d.id AND x.status = 'issued') AS issued) er
  CROSS JOIN LATERAL (SELECT coalesce((SELECT d.channel = ANY (pv.fee_channels) FROM procedure_versions pv
                                       WHERE pv.procedure_id = d.procedure_id AND pv.version = d.procedure_version),
                                      false) AS charging) fee
  WHERE d.received_at IS NOT NULL;

CREATE TABLE indicator_halves (
  unit_id           uuid NOT NULL,
  half_start        date NOT NULL,
  procedure_id      uuid NOT NULL,
  receiving_unit_id uuid NOT NULL,
  received          bigint NOT NULL DEFAULT 0,
  counter           bigint NOT NULL DEFAULT 0,
  online            bigint NOT NULL DEFAULT 0,
  post              bigint NOT NULL DEFAULT 0,
  running           bigint NOT NULL DEFAULT 0,
  early             bigint NOT NULL DEFAULT 0,
  on_time           bigint NOT NULL DEFAULT 0,
  late              bigint NOT NULL DEFAULT 0,
  cancelled         bigint NOT NULL DEFAULT 0,
  digitized         bigint NOT NULL DEFAULT 0,
  reused            bigint NOT NULL DEFAULT 0,
  electronic_result bigint NOT NULL DEFAULT 0,
  fee_charging      bigint NOT NULL DEFAULT 0,
  paid_online       bigint NOT NULL DEFAULT 0,
  synced            bigint NOT NULL DEFAULT 0,
  rated             bigint NOT NULL DEFAULT 0,
  very_satisfied    bigint NOT NULL DEFAULT 0,
  satisfied         bigint NOT NULL DEFAULT 0,
  unsatisfied       bigint NOT NULL DEFAULT 0,
  work_days         bigint NOT NULL DEFAULT 0,  -- sum over finished dossiers (for the mean)
  PRIMARY KEY (unit_id, half_start, procedure_id, receiving_unit_id)
);
CREATE INDEX indicator_halves_half_idx ON indicator_halves (half_start, unit_id);
CREATE INDEX indicator_halves_receiving_idx ON indicator_halves (receiving_unit_id, half_start);

-- Adds (sign 1) or removes (sign -1) one fact row's contribution.
CREATE FUNCTION indicator_halves_apply(f dossier_facts, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO indicator_halves AS h (unit_id, half_start, procedure_id, receiving_unit_id, received, counter, online, post, running,
      early, on_time, late, cancelled, digitized, reused, electronic_result, fee_charging, paid_online, synced,
      rated, very_satisfied, satisfied, unsatisfied, work_days)
  VALUES (f.unit_id, f.half_start, f.procedure_id, f.receiving_unit_id, sign,
      sign * (f.channel = 'counter')::int, sign * (f.channel = 'online')::int, sign * (f.channel = 'post')::int,
      sign * (f.outcome = 'running')::int, sign * (f.outcome = 'early')::int, sign * (f.outcome = 'on_time')::int,
      sign * (f.outcome = 'late')::int, sign * (f.outcome = 'cancelled')::int,
      sign * f.digitized::int, sign * f.reused::int, sign * f.electronic_result::int, sign * f.fee_charging::int,
      sign * f.paid_online::int, sign * f.synced::int, sign * (f.rating IS NOT NULL)::int,
      sign * coalesce(f.rating = 'very_satisfied', false)::int, sign * coalesce(f.rating = 'satisfied', false)::int,
      sign * coalesce(f.rating = 'unsatisfied', false)::int, sign * coalesce(f.work_days, 0))
  ON CONFLICT (unit_id, half_start, procedure_id, receiving_unit_id) DO UPDATE SET
      received = h.received + EXCLUDED.received, counter = h.counter + EXCLUDED.counter,
      online = h.online + EXCLUDED.online, post = h.post + EXCLUDED.post, running = h.running + EXCLUDED.running,
      early = h.early + EXCLUDED.early, on_time = h.on_time + EXCLUDED.on_time, late = h.late + EXCLUDED.late,
      cancelled = h.cancelled + EXCLUDED.cancelled, digitized = h.digitized + EXCLUDED.digitized,
      reused = h.reused + EXCLUDED.reused, electronic_result = h.electronic_result + EXCLUDED.electronic_result,
      fee_charging = h.fee_charging + EXCLUDED.fee_charging, paid_online = h.paid_online + EXCLUDED.paid_online,
      synced = h.synced + EXCLUDED.synced, rated = h.rated + EXCLUDED.rated,
      very_satisfied = h.very_satisfied + EXCLUDED.very_satisfied, satisfied = h.satisfied + EXCLUDED.satisfied,
      unsatisfied = h.unsatisfied + EXCLUDED.unsatisfied, work_days = h.work_days + EXCLUDED.work_days $$;

CREATE FUNCTION dossier_facts_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM indicator_halves_apply(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM indicator_halves_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER dossier_facts_aggregate AFTER INSERT OR UPDATE OR DELETE ON dossier_facts
  FOR EACH ROW EXECUTE FUNCTION dossier_facts_aggregate();

-- Recomputes one dossier's facts (a no-op when nothing it contributes changed).
CREATE FUNCTION dossier_facts_refresh(id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  src dossier_facts;
  cur dossier_facts;
BEGIN
  SELECT s.* INTO src FROM dossier_fact_source s WHERE s.dossier_id = id;
  SELECT f.* INTO cur FROM dossier_facts f WHERE f.dossier_id = id;
  IF src.dossier_id IS NULL THEN
    IF cur.dossier_id IS NOT NULL THEN
      DELETE FROM dossier_facts WHERE dossier_id = id;
    END IF;
  ELSIF cur.dossier_id IS NULL THEN
    INSERT INTO dossier_facts SELECT src.*;
  ELSIF cur IS DISTINCT FROM src THEN
    UPDATE dossier_facts f SET unit_id = src.unit_id, receiving_unit_id = src.receiving_unit_id,
        procedure_id = src.procedure_id, received_on = src.received_on,
        half_start = src.half_start, channel = src.channel, outcome = src.outcome, due_at = src.due_at,
        paused_from = src.paused_from, finished_on = src.finished_on, work_days = src.work_days,
        digitized = src.digitized, reused = src.reused, electronic_result = src.electronic_result,
        fee_charging = src.fee_charging, paid_online = src.paid_online, synced = src.synced, rating = src.rating
      WHERE f.dossier_id = id;
  END IF;
END $$;

-- Deferred to COMMIT: the refresh sees the transaction's final state of the dossier and of what feeds it.
CREATE FUNCTION dossier_facts_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dossiers' THEN
    PERFORM dossier_facts_refresh(NEW.id);
  ELSIF NEW.dossier_id IS NOT NULL THEN
    PERFORM dossier_facts_refresh(NEW.dossier_id);
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER dossiers_facts AFTER INSERT OR UPDATE ON dossiers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_facts_touch();
CREATE CONSTRAINT TRIGGER dossier_components_facts AFTER INSERT OR UPDATE ON dossier_components
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_facts_touch();
CREATE CONSTRAINT TRIGGER documents_facts AFTER INSERT OR UPDATE ON documents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_facts_touch();
CREATE CONSTRAINT TRIGGER payments_facts AFTER INSERT OR UPDATE ON payments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_facts_touch();
CREATE CONSTRAINT TRIGGER dossier_ratings_facts AFTER INSERT OR UPDATE ON dossier_ratings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossier_facts_touch();

-- Recomputes every fact and every sum from scratch; returns the number of fact rows.
CREATE FUNCTION rebuild_indicators() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE dossier_facts, indicator_halves IN EXCLUSIVE MODE;
  ALTER TABLE dossier_facts DISABLE TRIGGER dossier_facts_aggregate;
  TRUNCATE dossier_facts, indicator_halves;
  INSERT INTO dossier_facts SELECT * FROM dossier_fact_source;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO indicator_halves
    SELECT unit_id, half_start, procedure_id, receiving_unit_id, count(*),
           count(*) FILTER (WHERE channel = 'counter'), count(*) FILTER (WHERE channel = 'online'),
           count(*) FILTER (WHERE channel = 'post'), count(*) FILTER (WHERE outcome = 'running'),
           count(*) FILTER (WHERE outcome = 'early'), count(*) FILTER (WHERE outcome = 'on_time'),
           count(*) FILTER (WHERE outcome = 'late'), count(*) FILTER (WHERE outcome = 'cancelled'),
           count(*) FILTER (WHERE digitized), count(*) FILTER (WHERE reused),
           count(*) FILTER (WHERE electronic_result), count(*) FILTER (WHERE fee_charging),
           count(*) FILTER (WHERE paid_online), count(*) FILTER (WHERE synced),
           count(rating), count(*) FILTER (WHERE rating = 'very_satisfied'),
           count(*) FILTER (WHERE rating = 'satisfied'), count(*) FILTER (WHERE rating = 'unsatisfied'),
           coalesce(sum(work_days), 0)
    FROM dossier_facts GROUP BY unit_id, half_start, procedure_id, receiving_unit_id;
  ALTER TABLE dossier_facts ENABLE TRIGGER dossier_facts_aggregate;
  RETURN n;
END $$;

SELECT rebuild_indicators();

-- The Decision 766 formulas in force, as versioned records (numerator, denominator, points, threshold rule).
-- The built-in set lives in packages/domain/src/indicators/formulas.ts; a row here with the same id and a higher
-- version (from its valid_from date) replaces it, so a new annex is a data change, audited, not a release.
CREATE TABLE indicator_formulas (
  id          text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  valid_from  date NOT NULL,
  definition  jsonb NOT NULL,                   -- IndicatorFormula (validated by the application)
  created_by  uuid REFERENCES officers(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
