-- Day sums for the edges of custom ranges (issue 6).
--
-- A custom range ("01/03 → 20/04") is whole half-months from indicator_halves plus at most two partial half-months
-- at its edges. 0012 summed the edges from dossier_facts: a province-wide half-month is ~40,000 facts, read from
-- the heap in random order (facts are written in the order dossiers change), 0.3–0.6 s per request at 1M dossiers.
-- indicator_days keeps the same sums per (competent unit, Vietnam day received, procedure, receiving unit), kept by
-- the same trigger in the same transaction: an edge is now at most 14 days of sums (a few thousand rows province-
-- wide, a handful for a commune).
--
-- The row locks are the ones halves already take (the same dossiers land in today's day row and this half's row, in
-- the same order), so this adds one upsert to a commit that changes a dossier's figures, not a new queue.
--
-- rebuild_indicator_sums() recomputes both tables from the facts (rebuild_indicators() and the ×10 benchmark use
-- it; the benchmark had its own copy of the GROUP BY).
CREATE TABLE indicator_days (LIKE indicator_halves INCLUDING DEFAULTS);
ALTER TABLE indicator_days RENAME COLUMN half_start TO day;
ALTER TABLE indicator_days ADD PRIMARY KEY (unit_id, day, procedure_id, receiving_unit_id);
CREATE INDEX indicator_days_day_idx ON indicator_days (day, unit_id);
CREATE INDEX indicator_days_receiving_idx ON indicator_days (receiving_unit_id, day);

-- Adds (sign 1) or removes (sign -1) one fact row's contribution to its day.
CREATE FUNCTION indicator_days_apply(f dossier_facts, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO indicator_days AS h (unit_id, day, procedure_id, receiving_unit_id, received, counter, online, post, running,
      early, on_time, late, cancelled, digitized, reused, electronic_result, fee_charging, paid_online, synced,
      rated, very_satisfied, satisfied, unsatisfied, work_days)
  VALUES (f.unit_id, f.received_on, f.procedure_id, f.receiving_unit_id, sign,
      sign * (f.channel = 'counter')::int, sign * (f.channel = 'online')::int, sign * (f.channel = 'post')::int,
      sign * (f.outcome = 'running')::int, sign * (f.outcome = 'early')::int, sign * (f.outcome = 'on_time')::int,
      sign * (f.outcome = 'late')::int, sign * (f.outcome = 'cancelled')::int,
      sign * f.digitized::int, sign * f.reused::int, sign * f.electronic_result::int, sign * f.fee_charging::int,
      sign * f.paid_online::int, sign * f.synced::int, sign * (f.rating IS NOT NULL)::int,
      sign * coalesce(f.rating = 'very_satisfied', false)::int, sign * coalesce(f.rating = 'satisfied', false)::int,
      sign * coalesce(f.rating = 'unsatisfied', false)::int, sign * coalesce(f.work_days, 0))
  ON CONFLICT (unit_id, day, procedure_id, receiving_unit_id) DO UPDATE SET
      received = h.received + EXCLUDED.received, counter = h.counter + EXCLUDED.counter,
      online = h.online + EXCLUDED.online, post = h.post + EXCLUDED.post, running = h.running + EXCLUDED.running,
      early = h.early + EXCLUDED.early, on_time = h.on_time + EXCLUDED.on_time, late = h.late + EXCLUDED.late,
      cancelled = h.cancelled + EXCLUDED.cancelled, digitized = h.digitized + EXCLUDED.digitized,
      reused = h.reused + EXCLUDED.reused, electronic_result = h.electronic_result + EXCLUDED.electronic_result,
      fee_charging = h.fee_charging + EXCLUDED.fee_charging, paid_online = h.paid_online + EXCLUDED.paid_online,
      synced = h.synced + EXCLUDED.synced, rated = h.rated + EXCLUDED.rated,
      very_satisfied = h.very_satisfied + EXCLUDED.very_satisfied, satisfied = h.satisfied + EXCLUDED.satisfied,
      unsatisfied = h.unsatisfied + EXCLUDED.unsatisfied, work_days = h.work_days + EXCLUDED.work_days $$;

-- Half-month first, then day: every transaction takes the two rows in the same order.
CREATE OR REPLACE FUNCTION dossier_facts_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM indicator_halves_apply(OLD, -1);
    PERFORM indicator_days_apply(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM indicator_halves_apply(NEW, 1);
    PERFORM indicator_days_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

-- Both sum tables from the facts: the days first, then the half-months from the days.
CREATE FUNCTION rebuild_indicator_sums() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE indicator_halves, indicator_days IN EXCLUSIVE MODE;
  TRUNCATE indicator_halves, indicator_days;
  INSERT INTO indicator_days (unit_id, day, procedure_id, receiving_unit_id, received, counter, online, post, running, early, on_time, late, cancelled, digitized, reused,
      electronic_result, fee_charging, paid_online, synced, rated, very_satisfied, satisfied, unsatisfied, work_days)
    SELECT unit_id, received_on, procedure_id, receiving_unit_id, count(*),
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
    FROM dossier_facts GROUP BY unit_id, received_on, procedure_id, receiving_unit_id;
  INSERT INTO indicator_halves (unit_id, half_start, procedure_id, receiving_unit_id, received, counter, online, post, running, early, on_time, late, cancelled, digitized, reused,
      electronic_result, fee_charging, paid_online, synced, rated, very_satisfied, satisfied, unsatisfied, work_days)
    SELECT unit_id, half_month_start(day), procedure_id, receiving_unit_id, sum(received), sum(counter), sum(online),
           sum(post), sum(running), sum(early), sum(on_time), sum(late), sum(cancelled), sum(digitized), sum(reused),
           sum(electronic_result), sum(fee_charging), sum(paid_online), sum(synced), sum(rated), sum(very_satisfied),
           sum(satisfied), sum(unsatisfied), sum(work_days)
    FROM indicator_days GROUP BY unit_id, half_month_start(day), procedure_id, receiving_unit_id;
END $$;

CREATE OR REPLACE FUNCTION rebuild_indicators() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE dossier_facts, indicator_halves, indicator_days IN EXCLUSIVE MODE;
  ALTER TABLE dossier_facts DISABLE TRIGGER dossier_facts_aggregate;
  TRUNCATE dossier_facts;
  INSERT INTO dossier_facts SELECT * FROM dossier_fact_source;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM rebuild_indicator_sums();
  ALTER TABLE dossier_facts ENABLE TRIGGER dossier_facts_aggregate;
  RETURN n;
END $$;

SELECT rebuild_indicator_sums();
