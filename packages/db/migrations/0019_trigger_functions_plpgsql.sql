-- The functions the commit-time triggers call, as PL/pgSQL (issue 7; the triggers: ADR 0007).
--
-- A LANGUAGE sql function that is not inlined (an INSERT never is) is parsed and planned again at every call on
-- PostgreSQL 15–17: its plan lives only for the statement that calls it. The three upserts below run at every
-- commit that adds a dossier or changes its figures or its queue, once per row. pg_stat_statements on the 1M bench
-- database (16 connections submitting) put each call at 0.09–0.38 ms more than the upsert it runs, ~0.8 ms per
-- submission in all. PL/pgSQL keeps a statement's plan for the session. Same arguments, same statements, same
-- results; only the language changes (CREATE OR REPLACE keeps every trigger and caller).

CREATE OR REPLACE FUNCTION dossier_queue_counts_add(cu uuid, ru uuid, co uuid, st smallint, role text, ret date, delta integer)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dossier_queue_counts AS c
    (current_unit_id, receiving_unit_id, competent_unit_id, status, step_role, returned_on, n)
  VALUES (cu, ru, co, st, role, ret, delta)
  ON CONFLICT (current_unit_id, receiving_unit_id, competent_unit_id, status, step_role, returned_on)
  DO UPDATE SET n = c.n + EXCLUDED.n;
END $$;

CREATE OR REPLACE FUNCTION indicator_halves_apply(f dossier_facts, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
      unsatisfied = h.unsatisfied + EXCLUDED.unsatisfied, work_days = h.work_days + EXCLUDED.work_days;
END $$;

CREATE OR REPLACE FUNCTION indicator_days_apply(f dossier_facts, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
      unsatisfied = h.unsatisfied + EXCLUDED.unsatisfied, work_days = h.work_days + EXCLUDED.work_days;
END $$;
