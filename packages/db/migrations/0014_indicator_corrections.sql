-- Indicators, corrections after review (issue 6).
--
-- 1. A payment flagged for refund (money arrived after the dossier closed, or twice) is not a paid fee
--    (payments/service.ts): it no longer makes a dossier "paid online".
-- 2. Working days to decision leave out the time the dossier waited for the applicant (supplement, payment):
--    the clock stood still then (the pauses' working days are in the dossier's state).
-- 3. The refresh at COMMIT locks the dossier first. Two transactions writing the same dossier through different
--    tables (e.g. "finish" on the dossier and the issue of its result document) each saw only their own change and the
--    later one could overwrite the facts with a stale mix; with the lock the second waits and, in READ COMMITTED,
--    reads the first one's committed state.
CREATE OR REPLACE VIEW dossier_fact_source AS
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
              THEN greatest(0, working_days_between(vietnam_date(d.received_at),
                                                    vietnam_date(coalesce(d.finished_at, d.updated_at)))
                               - round(coalesce((SELECT sum((p ->> 'workingDays')::numeric)
                                                 FROM jsonb_array_elements(d.state -> 'pauses') AS p), 0))::int)
              END AS work_days,
         (er.issued OR EXISTS (SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id AND c.digitized)) AS digitized,
         EXISTS (SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id AND c.reused) AS reused,
         er.issued AS electronic_result,
         fee.charging AS fee_charging,
         (fee.charging AND EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id AND p.status = 'paid'
                                     AND NOT p.refund_needed)) AS paid_online,
         false AS synced,
         (SELECT r.level FROM dossier_ratings r WHERE r.dossier_id = d.id) AS rating
  FROM dossiers d
  CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM documents x WHERE x.dossier_id = d.id AND x.status = 'issued') AS issued) er
  CROSS JOIN LATERAL (SELECT coalesce((SELECT d.channel = ANY (pv.fee_channels) FROM procedure_versions pv
                                       WHERE pv.procedure_id = d.procedure_id AND pv.version = d.procedure_version),
                                      false) AS charging) fee
  WHERE d.received_at IS NOT NULL;


CREATE OR REPLACE FUNCTION dossier_facts_refresh(id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  src dossier_facts;
  cur dossier_facts;
BEGIN
  PERFORM 1 FROM dossiers d WHERE d.id = dossier_facts_refresh.id FOR UPDATE;
  SELECT s.* INTO src FROM dossier_fact_source s WHERE s.dossier_id = dossier_facts_refresh.id;
  SELECT f.* INTO cur FROM dossier_facts f WHERE f.dossier_id = dossier_facts_refresh.id;
  IF src.dossier_id IS NULL THEN
    IF cur.dossier_id IS NOT NULL THEN
      DELETE FROM dossier_facts f WHERE f.dossier_id = dossier_facts_refresh.id;
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
      WHERE f.dossier_id = dossier_facts_refresh.id;
  END IF;
END $$;

SELECT rebuild_indicators();
